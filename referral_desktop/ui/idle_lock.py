"""Auto-lock: notices user input anywhere in the application and fires after N idle minutes.

Why: shared school and surgery laptops are left unattended; after the idle time the content of every
window must be gone from the screen (not merely covered). This module only watches and decides; the
main window does the locking, so the lock can also be triggered on demand (Ctrl+L).

The application-wide event filter is installed only while the watcher runs (between unlock and lock):
it calls into Python for every Qt event, which cost ~25 ms while the first screen was being built, and
there is nothing to lock while the app is locked.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal


def _input_event_types() -> frozenset:
    """The events that count as the user being there, built when watching starts. (This saves nothing at
    start-up: binding ``QEvent`` builds its large ``Type`` enum, and the window's own ``paintEvent``
    needs ``QEvent`` before the first paint anyway; the README's Benchmarks say so.)"""
    return frozenset({
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.InputMethod,
    })


class IdleWatcher(QObject):
    """Application-wide event filter; emits ``idle_timeout`` after ``minutes`` with no user input."""

    idle_timeout = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle_timeout)
        self._filtering = False
        self._input_types: frozenset = frozenset()
        self.set_minutes(minutes)

    def set_minutes(self, minutes: float) -> None:
        self._timer.setInterval(max(1, int(minutes * 60_000)))
        if self._timer.isActive():
            self._timer.start()

    @property
    def interval_ms(self) -> int:
        return self._timer.interval()

    def start(self) -> None:
        if not self._input_types:
            self._input_types = _input_event_types()
        app = QCoreApplication.instance()
        if app is not None and not self._filtering:
            app.installEventFilter(self)
            self._filtering = True
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        app = QCoreApplication.instance()
        if app is not None and self._filtering:
            app.removeEventFilter(self)
            self._filtering = False

    @property
    def filtering(self) -> bool:
        """True while user input anywhere in the app is being watched (only between unlock and lock)."""
        return self._filtering

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() in self._input_types and self._timer.isActive():
            self._timer.start()
        return False
