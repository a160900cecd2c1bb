"""Start-up work the first screen does not need, run after its first paint, one step at a time, on idle.

Why: everything done before the first paint, or queued behind it in the same pass of the event loop,
delays the moment the professional sees the window (issue 13: at most 1.25 times a bare PySide6 window).
The termination watch and starting the store's worker thread with the policy read behind it (~5 ms
together, measured) are needed within moments, not before the window is drawn; the screens behind the lock
are imported here too, once the runner's warm-up is done (``start_up_warming``). Each is added as a step;
a zero-interval timer runs one step per pass of the event loop, once the events waiting (the first
paint's own, a key press) have been handled, so the window answers in between.

Nothing is lost by the wait: the steps are queued in the order they must run, and the first ones are
what guard what follows (the termination watch is in place before the store's worker starts; see
``ui/app.py``). A step that raises is reported as any slot's error is; the steps after it still run.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal


class IdleSteps(QObject):
    """Runs added callables in order, one per pass of the event loop, when nothing else is waiting.
    ``drained`` is emitted each time the last step waiting has run; ``longest_step_s`` is the longest any
    step kept the GUI thread (the start-up benchmark prints it: a step is as long as the window waits)."""

    drained = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._steps: deque[Callable[[], object]] = deque()
        self.longest_step_s = 0.0
        self._begun = False
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._run_next)

    def add(self, step: Callable[[], object]) -> None:
        self._steps.append(step)
        if self._begun and not self._timer.isActive():
            self._timer.start()

    def begin(self) -> None:
        """Start running the steps (the window calls this through a zero timer posted after the first
        paint's handlers, so that whatever they posted is handled first)."""
        self._begun = True
        if self._steps and not self._timer.isActive():
            self._timer.start()

    @property
    def pending(self) -> int:
        return len(self._steps)

    def run_all(self) -> None:
        """Run what is left now (tests, and whoever must not wait for the event loop)."""
        self._begun = True
        while self._steps:
            self._run_next()

    def _run_next(self) -> None:
        if not self._steps:
            self._timer.stop()
            return
        step = self._steps.popleft()
        if not self._steps:
            self._timer.stop()
        started = time.perf_counter()
        try:
            step()  # an exception goes to the error reporter (ui/excepthook.py); the next step still runs
        finally:
            self.longest_step_s = max(self.longest_step_s, time.perf_counter() - started)
            if not self._steps:
                self.drained.emit()
