"""Quit cleanly when the system asks the app to end (SIGTERM, SIGHUP, SIGINT), at no cost while idle.

Why: a logout, ``kill`` or a service manager sends SIGTERM. Python's default ends the process at once,
so ``finally`` blocks never run: a ``--demo`` sandbox and its folder were left behind, and the sender was
not stopped in order. Python runs its signal handlers only between bytecodes, which never happen while
Qt's event loop waits; ``signal.set_wakeup_fd`` writes the signal number to a socket that a
``QSocketNotifier`` watches, so the loop wakes exactly when a signal arrives (no polling timer).
"""

from __future__ import annotations

import logging
import signal
import socket
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
        self._reader, self._writer = socket.socketpair()
        self._reader.setblocking(False)
        self._writer.setblocking(False)
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
            received = self._reader.recv(64)
        except OSError:
            return
        if not any(number in received for number in WATCHED) or self.requested:
            return
        self.requested = True
        log.info("asked to end by a signal; closing")
        for callback in list(self.callbacks):
            callback()
