"""One passphrase attempt at a time per profile, across processes.

Why: the progressive delay (``throttle``) is read before an attempt and written after it. Without a lock,
several processes (or a script starting many) all read "no failures yet", all try at once, and the delay
never applies: 8 parallel guesses took ~15 s instead of ~510 s. Holding an exclusive lock on a small file
in the profile from the read to the write makes parallel attempts queue like sequential ones. The lock
file holds nothing; the operating system releases the lock if the process dies.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

LOCK_FILENAME = "unlock.lock"


@contextmanager
def attempt_lock(profile_dir: Path) -> Iterator[None]:
    """Hold the profile's attempt lock (blocking until another process's attempt is over)."""
    fd = os.open(Path(profile_dir) / LOCK_FILENAME, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        _lock(fd)
        try:
            yield
        finally:
            _unlock(fd)
    finally:
        os.close(fd)


if os.name == "nt":  # pragma: no cover - exercised on Windows builds
    import importlib

    msvcrt: Any = importlib.import_module("msvcrt")  # Windows only (typeshed: win32 alone)
    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # retries for ~10 s, then raises: keep waiting
                return
            except OSError:
                continue

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
