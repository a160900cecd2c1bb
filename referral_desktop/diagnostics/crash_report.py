"""Crash reports: what IT needs to find a bug, and nothing a professional typed.

Why this shape: an exception's *message* and its frames' *local variables* routinely quote values
(``ValueError: invalid literal for int(): 'Smith'``), so a report keeps only

- the exception's type, and the types of its causes and contexts (messages withheld);
- the stack: file, line number, function, and the source line *of the program* at each frame;
- the app and Python versions, the platform, and whether the app is frozen.

Reports go to ``crash-reports/`` beside the log file (per-user log folder), folder 0700 and files 0600
on POSIX, one file per crash named by time, the newest :data:`KEEP` kept. They are plain text so that
IT can attach one to a ticket after reading it.
"""

from __future__ import annotations

import os
import platform
import sys
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from referral_desktop.profile_location import ensure_private_dir

FOLDER_NAME = "crash-reports"
KEEP = 20
MAX_CHAIN = 5


def default_crash_dir() -> Path:
    from referral_desktop.logging_setup import default_log_dir

    return default_log_dir() / FOLDER_NAME


def format_crash_report(
    kind: type[BaseException],
    error: BaseException | None,
    tb: TracebackType | None,
    *,
    now: datetime,
    where: str = "",
) -> str:
    """The report's text: frames and exception types only (see the module docstring)."""
    from referral_desktop import __version__

    lines = [
        "Referral Desktop crash report",
        f"time: {now.astimezone(UTC).isoformat(timespec='seconds')}",
        f"version: {__version__}",
        f"python: {platform.python_version()} ({platform.python_implementation()})",
        f"platform: {platform.platform(terse=True)}",
        f"frozen: {'yes' if getattr(sys, 'frozen', False) else 'no'}",
    ]
    if where:
        lines.append(f"where: {where}")
    lines.append(f"exception: {kind.__module__}.{kind.__qualname__} (message withheld: it may quote a value)")
    lines.append("")
    lines.append("Traceback (most recent call last):")
    for frame in traceback.extract_tb(tb):
        lines.append(f'  File "{_short_path(frame.filename)}", line {frame.lineno}, in {frame.name}')
        if frame.line:
            lines.append(f"    {frame.line.strip()}")
    lines.append(f"{kind.__qualname__}: [message withheld]")
    cause = (error.__cause__ or error.__context__) if error is not None else None
    depth = 0
    while cause is not None and depth < MAX_CHAIN:
        lines.append("")
        lines.append(f"While handling {type(cause).__qualname__} (message withheld), raised at:")
        for frame in traceback.extract_tb(cause.__traceback__):
            lines.append(f'  File "{_short_path(frame.filename)}", line {frame.lineno}, in {frame.name}')
        cause = cause.__cause__ or cause.__context__
        depth += 1
    return "\n".join(lines) + "\n"


def _short_path(filename: str) -> str:
    """From ``referral_desktop/`` (or the last site-packages entry) on: the user's home folder name
    and the install location are not needed to find the bug."""
    normal = filename.replace("\\", "/")
    for marker in ("/referral_desktop/", "/site-packages/", "/lib/python"):
        index = normal.rfind(marker)
        if index >= 0:
            return normal[index + 1 :]
    return os.path.basename(normal)


def write_crash_report(
    kind: type[BaseException],
    error: BaseException | None,
    tb: TracebackType | None,
    *,
    folder: Path | None = None,
    clock: Callable[[], datetime] | None = None,
    where: str = "",
) -> Path | None:
    """Write one report; return its path, or None if it could not be written (never raises: this
    runs inside an exception hook)."""
    try:
        now = (clock or (lambda: datetime.now(UTC)))()
        target = ensure_private_dir(folder if folder is not None else default_crash_dir())
        text = format_crash_report(kind, error, tb, now=now, where=where)
        stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%S")
        path = target / f"crash-{stamp}-{os.getpid()}.txt"
        counter = 1
        while path.exists():
            path = target / f"crash-{stamp}-{os.getpid()}-{counter}.txt"
            counter += 1
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        _prune(target)
        return path
    except Exception:  # noqa: BLE001 - a crash report must never cause a second crash
        return None


def _prune(folder: Path) -> None:
    reports = sorted(folder.glob("crash-*.txt"), key=lambda p: p.stat().st_mtime)
    for old in reports[:-KEEP]:
        try:
            old.unlink()
        except OSError:
            pass
