"""Quit cleanly when the system asks the app to end (SIGTERM, SIGHUP, SIGINT), at no cost while idle.

Why: a logout, ``kill`` or a service manager sends SIGTERM. Python's default ends the process at once,
so ``finally`` blocks never run: a ``--demo`` sandbox and its folder were left behind, and the sender was
not stopped in order. Python runs its signal handlers only between bytecodes, which never happen while
Qt's event loop waits; ``signal.set_wakeup_fd`` writes the signal number to a pipe that a
``QSocketNotifier`` watches, so the loop wakes exactly when a signal arrives (no polling timer).
On Windows the wakeup must be a socket (``set_wakeup_fd`` takes no pipe there); elsewhere a pipe,
because this is built before the first screen is drawn and ``socket`` costs ~3 ms to import.
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Callable
from types import FrameType
from typing import Any

from PySide6.QtCore import QObject, QSocketNotifier

log = logging.getLogger(__name__)

WATCHED = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP", "SIGINT") if hasattr(signal, name))


class TerminationWatch(QObject):
    """While installed, a watched signal calls every ``on_request`` callback (newest first) once."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.callbacks: list[Callable[[], None]] = []
        self.requested = False
        self._previous: dict[int, Callable[[int, FrameType | None], Any] | int | None] = {}
        self._reader, self._writer = _wakeup_pair()
        self._old_fd: int | None = None  # the wakeup fd before install(); None while not installed
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._woken)

    def install(self) -> TerminationWatch:
        try:
            self._old_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
            for number in WATCHED:
                self._previous[number] = signal.signal(number, lambda *_args: None)
        except ValueError:  # not the main thread (tests that build the app elsewhere): nothing to watch
            log.debug("termination signals not watched off the main thread")
        return self

    def uninstall(self) -> None:
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        self._previous.clear()
        if self._old_fd is not None:
            signal.set_wakeup_fd(self._old_fd)
            self._old_fd = None
        self._notifier.setEnabled(False)
        self._reader.close()
        self._writer.close()

    def on_request(self, callback: Callable[[], None]) -> None:
        self.callbacks.insert(0, callback)

    def _woken(self) -> None:
        try:
            received = self._reader.read(64)
        except OSError:
            return
        if not any(number in received for number in WATCHED) or self.requested:
            return
        self.requested = True
        log.info("asked to end by a signal; closing")
        for callback in list(self.callbacks):
            callback()


class _WakeupEnd:
    """One end of the wakeup channel: a non-blocking pipe end (POSIX) or socket (Windows)."""

    def __init__(self, fd: int = -1, sock: Any = None) -> None:
        self._fd, self._sock, self._closed = fd, sock, False

    def fileno(self) -> int:
        return int(self._sock.fileno()) if self._sock is not None else self._fd

    def read(self, size: int) -> bytes:
        if self._sock is not None:
            return bytes(self._sock.recv(size))
        return os.read(self.fileno(), size)

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._sock is not None:
            self._sock.close()
        else:
            os.close(self._fd)


def _wakeup_pair() -> tuple[_WakeupEnd, _WakeupEnd]:
    if os.name == "nt":
        import socket

        reader, writer = socket.socketpair()
        reader.setblocking(False)
        writer.setblocking(False)
        return _WakeupEnd(sock=reader), _WakeupEnd(sock=writer)
    read_fd, write_fd = os.pipe()
    for fd in (read_fd, write_fd):
        os.set_blocking(fd, False)
    return _WakeupEnd(fd=read_fd), _WakeupEnd(fd=write_fd)
