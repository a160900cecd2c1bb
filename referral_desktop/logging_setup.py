"""The app's log file: where it lives, who can read it, and when it is opened.

Logs exist for IT: what the app did (ids, states, counts, field *paths*, error codes), never what anyone
typed (see ``log_redaction``, whose :class:`~referral_desktop.log_redaction.PersonalDataFilter` is the
last line of defence on the file). This module adds, once, in ``main()``:

- a rotating file in the platform's per-user log directory (``platformdirs.user_log_dir``; overridable
  with an argument or ``REFERRAL_DESKTOP_LOG_DIR``), folder 0700 and files 0600 on POSIX, so that other
  users of a shared school or surgery laptop cannot read it;
- the file is **opened at the first record**, not at start: most runs of a headless command
  (``validate``, ``--help`` of a sub-command) write nothing, and importing ``logging.handlers`` and the
  filter's patterns and opening the file cost ~7 ms of every ``validate`` (issue 13's target is
  250 ms). Nothing is lost by waiting: the first record, a crash's included, opens it. The folder is
  still made (and checked writable) at start, so that a folder that cannot be written is reported then,
  and an existing file left readable by others is tightened at once.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import platformdirs

from referral_desktop.profile_location import APP_AUTHOR, APP_NAME, ensure_private_dir

LOG_DIR_ENV = "REFERRAL_DESKTOP_LOG_DIR"
LOG_FILE_NAME = "referral-desktop.log"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_HANDLER_MARK = "_referral_desktop_file_handler"


def default_log_dir() -> Path:
    """The platform's per-user log folder for the app (``REFERRAL_DESKTOP_LOG_DIR`` overrides it)."""
    from_env = os.environ.get(LOG_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser()
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


class _FileOpenedAtFirstRecord(logging.Handler):
    """Stands where the rotating file handler goes and builds it (with the personal-data filter) when the
    first record arrives; from then on hands every record to it. A file that cannot be opened then is
    reported once on stderr and the records are dropped, as when the folder cannot be written at start."""

    def __init__(self, path: Path, max_bytes: int, backup_count: int) -> None:
        super().__init__()
        self.path, self.max_bytes, self.backup_count = path, max_bytes, backup_count
        self._file: logging.Handler | None = None
        self._failed = False

    def handle(self, record: logging.LogRecord) -> bool:
        target = self._file or self.open()
        return target.handle(record) if target is not None else False

    def emit(self, record: logging.LogRecord) -> None:
        self.handle(record)  # not called by logging (handle() forwards), but a Handler must have one

    def open(self) -> logging.Handler | None:
        """The file's handler, opened now if it was not yet; None if it cannot be opened."""
        if self._failed:
            return None
        self.acquire()
        try:
            if self._file is None:
                from referral_desktop.log_file_handler import private_rotating_file

                try:
                    self._file = private_rotating_file(self.path, self.max_bytes, self.backup_count, _FORMAT)
                except OSError:
                    self._failed = True
                    print("Warning: the log file cannot be written; continuing without it.", file=sys.stderr)
            return self._file
        finally:
            self.release()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        super().close()


def configure_logging(
    log_dir: str | os.PathLike[str] | None = None,
    level: str | int = "INFO",
    *,
    max_bytes: int = 1_000_000,
    backup_count: int = 5,
    at_once: bool = False,
) -> Path:
    """Send the app's logs to a private rotating file, through the personal-data filter.

    Call once from ``main()`` (calling again replaces the handler, e.g. after the policy changes the
    level). Returns the log file's path; the file itself is opened by the first record (see above), or
    now with ``at_once``: the desktop app sets it up on its task runner's thread behind the first screen,
    and the first record may come from the GUI thread (at unlock), which must not pay for opening it.
    Never called at import time.
    """
    folder = ensure_private_dir(Path(log_dir) if log_dir is not None else default_log_dir())
    path = folder / LOG_FILE_NAME
    if not os.access(folder, os.W_OK):
        raise PermissionError(f"the log folder cannot be written: {folder}")
    if os.name == "posix" and path.exists():
        os.chmod(path, 0o600)  # an older file with a wider mode is tightened at once
    handler = _FileOpenedAtFirstRecord(path, max_bytes, backup_count)
    if at_once:
        handler.open()  # a file that cannot be opened is reported once, as at a first record
    setattr(handler, _HANDLER_MARK, True)
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _HANDLER_MARK, False)]:
        root.removeHandler(old)
        old.close()
    root.addHandler(handler)
    numeric = logging.getLevelName(level.upper()) if isinstance(level, str) else int(level)
    root.setLevel(numeric if isinstance(numeric, int) else logging.INFO)
    logging.captureWarnings(True)
    return path


def start_log_file(level: str, *, at_once: bool = False) -> Path | None:
    """:func:`configure_logging` for the entry points: a log folder that cannot be written is reported
    on stderr and the app goes on without a log file, rather than failing to start."""
    try:
        return configure_logging(level=level, at_once=at_once)
    except OSError:
        print("Warning: the log folder cannot be written; continuing without a log file.", file=sys.stderr)
        return None
