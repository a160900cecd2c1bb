"""Python's cycle collector runs on the GUI thread only, when its event loop is about to wait.

Why: CPython collects reference cycles in whichever thread happens to allocate when a threshold is
passed. The app runs Python on two other threads (the store's task runner and the sender), and a screen
or window that had become part of a cycle (a replaced screen, a closed window: 26 such objects, a main
window among them, in one walk through the app's screens) is freed by whichever thread collects it, its
C++ widget deleted there, in the middle of whatever the GUI thread is doing. Qt allows widgets to be
deleted on the GUI thread only. Measured before this module: with a second thread allocating, 13,103 of
13,596 widgets dropped in a cycle on the GUI thread were freed on the other thread
(``tests/ui/test_gui_thread_collector.py``).

So automatic collection is switched off once the application exists, and the generations due are
collected by CPython's own thresholds each time the GUI thread's event loop is about to wait (between
events, never inside a widget's constructor), with a full collection at most every 10 s, and a timer once
a minute for the garbage the other threads make while the window sits idle.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QAbstractEventDispatcher, QCoreApplication, QObject, QTimer

_NAME = "guiThreadCollector"
FULL_COLLECTION_GAP_S = 10.0
BACKSTOP_MS = 60_000


class GuiThreadCollector(QObject):
    """Collects Python's cycles on the GUI thread; automatic collection stays off while it exists."""

    def __init__(self, app: QCoreApplication, backstop_ms: int = BACKSTOP_MS) -> None:
        super().__init__(app)
        self.setObjectName(_NAME)
        self._thresholds = gc.get_threshold()
        self._last_full = time.monotonic()
        dispatcher = QAbstractEventDispatcher.instance(app.thread())
        if dispatcher is not None:
            dispatcher.aboutToBlock.connect(self.collect_due)
        self._backstop = QTimer(self)
        self._backstop.setInterval(backstop_ms)
        self._backstop.timeout.connect(self.collect_due)
        self._backstop.start()
        gc.disable()

    def collect_due(self) -> int | None:
        """Collect the generations CPython would have by now; the generation collected, or None."""
        count0, count1, count2 = gc.get_count()
        threshold0, threshold1, threshold2 = self._thresholds
        if count0 <= threshold0:
            return None
        generation = 1 if count1 > threshold1 else 0
        if generation == 1 and count2 > threshold2 and time.monotonic() - self._last_full >= FULL_COLLECTION_GAP_S:
            generation = 2
        gc.collect(generation)
        if generation == 2:
            self._last_full = time.monotonic()
        return generation


def install_gui_thread_collector(app: QCoreApplication) -> GuiThreadCollector:
    """The application's collector, made now if it has none (call on the GUI thread)."""
    existing = app.findChild(GuiThreadCollector, _NAME)
    return existing if existing is not None else GuiThreadCollector(app)
