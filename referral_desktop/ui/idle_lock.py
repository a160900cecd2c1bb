"""Auto-lock: notices user input anywhere in the application and fires after N idle minutes.

Why: shared school and surgery laptops are left unattended; after the idle time the content of every
window must be gone from the screen (not merely covered). This module only watches and decides; the
main window does the locking, so the lock can also be triggered on demand (Ctrl+L).

Where it listens: on the app's windows as the window system sees them (each ``QWindow``: the main
window's, and each dialog's as it takes focus), which every key press, click, wheel turn and touch reaches
before Qt hands it to a widget, and only while the watcher runs (between unlock and lock: there is
nothing to lock while the app is locked). It was a filter on the application, which made Python handle
every event of every object, including the children Qt creates inside a widget's own constructor: PySide
crashed on that now and then, and the watcher was switched on just before the home screen built its
table after an unlock (tests/ui/test_no_python_for_every_event.py).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QWindow
from shiboken6 import isValid


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
    """Watches the app's windows for input; emits ``idle_timeout`` after ``minutes`` with none."""

    idle_timeout = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle_timeout)
        self._filtering = False
        self._windows: list[QWindow] = []
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
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication) and not self._filtering:
            app.focusWindowChanged.connect(self._watch)
            for window in app.topLevelWindows():
                self._watch(window)
            self._filtering = True
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication) and self._filtering:
            app.focusWindowChanged.disconnect(self._watch)
            self._filtering = False
        for window in self._windows:
            if isValid(window):
                window.removeEventFilter(self)
        self._windows.clear()

    def _watch(self, window: QWindow | None) -> None:
        """Listen to ``window`` too (a dialog taking focus, a window shown after the unlock)."""
        if window is None or any(window is known for known in self._windows):
            return
        self._windows = [known for known in self._windows if isValid(known)]
        window.installEventFilter(self)
        self._windows.append(window)

    @property
    def filtering(self) -> bool:
        """True while user input in the app's windows is being watched (only between unlock and lock)."""
        return self._filtering

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() in self._input_types and self._timer.isActive():
            self._timer.start()
        return False
