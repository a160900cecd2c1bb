"""Debounced autosave: every change to the answers dict is written to the store within about a second.

Why debounced: typing a paragraph must not queue a save per key; the quiet timer restarts on each change
and fires after a short pause (400 ms). Why also a deadline: someone who types without pausing would
otherwise restart the quiet timer forever and have nothing saved until they stop, so a crash would lose
everything typed since. The deadline timer starts at the first unsaved change and is not restarted by
later ones, so a save starts at least every ``max_wait_ms`` (800 ms) while typing goes on.
Why through the runner: SQLCipher writes must never run on the GUI thread, and the runner's single
worker keeps saves in order with the rest of the store work. A snapshot (deep copy) is taken on the GUI
thread, so the worker never reads a dict that the GUI is changing.

``flush()`` is the one synchronous path (closing the editor or the window): it waits on the worker,
behind any save already running, so the last keystrokes are on disk before the window goes. When it
fails, saving is tried again like any failed save (the page stays open: ``ui/unsaved_answers.py``), so
the answers reach the store once the fault clears without another keystroke.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

log = logging.getLogger(__name__)

SaveFn = Callable[[Any, dict], Any]  # (store, answers snapshot) -> saved-at datetime


#: What the save indicator says when a save fails for any other reason (a store that cannot be written).
NOT_WRITTEN = ("Not saved: this computer could not write your latest changes. They are kept on this screen "
               "and saving is tried again.")

#: Store errors whose message is a plain sentence for the user (``store.errors``: no personal data).
_SAYABLE = {"DiskFull", "StoreDamaged"}


def failure_text(error: BaseException, otherwise: str) -> str:
    """What the save indicator says: the store's own sentence for a full disk or damage (the answers
    stay on screen and the save is tried again), else ``otherwise``; never a raw exception text."""
    if type(error).__name__ in _SAYABLE:
        return f"{error}. Your answers are kept on this screen and saving is tried again."
    return otherwise


class Autosaver(QObject):
    """Owns the timer and the "in flight" bookkeeping; knows nothing about widgets."""

    saved = Signal(object)  # datetime of the last completed save
    save_failed = Signal(str)  # a short, personal-data-free description

    def __init__(
        self,
        runner: Any,
        save: SaveFn,
        answers: Callable[[], dict],
        *,
        delay_ms: int = 400,
        max_wait_ms: int = 800,
        retry_ms: int = 5000,
        clock: Callable[[], datetime] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._runner = runner
        self._save = save
        self._answers = answers
        self._clock = clock or (lambda: datetime.now(UTC))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._fire)
        self._deadline = QTimer(self)
        self._deadline.setSingleShot(True)
        self._deadline.setInterval(max(max_wait_ms, delay_ms))
        self._deadline.timeout.connect(self._fire)
        self._retry_ms = retry_ms
        self._generation = 0  # bumped by every change
        self._saved_generation = 0  # the generation the store holds
        self._in_flight = False
        self.enabled = True
        self.saves_started = 0  # for tests and benchmarks

    @property
    def dirty(self) -> bool:
        return self._generation != self._saved_generation

    @property
    def in_flight(self) -> bool:
        return self._in_flight

    def changed(self) -> None:
        """Note a change: (re)start the quiet-period timer, and the deadline unless it is running."""
        if not self.enabled:
            return
        self._generation += 1
        self._timer.start()
        if not self._deadline.isActive():
            self._deadline.start()

    def _fire(self) -> None:
        self._timer.stop()
        self._deadline.stop()
        if not self.dirty or not self.enabled:
            return
        if self._in_flight:
            return  # _on_saved starts the next save once the running one is done
        generation = self._generation
        snapshot = copy.deepcopy(self._answers())
        self._in_flight = True
        self.saves_started += 1
        task = self._runner.run_with_store(self._save, snapshot)
        task.success(lambda saved_at: self._on_saved(generation, saved_at))
        task.failure(lambda error: self._on_failed(generation, error))

    def _on_saved(self, generation: int, saved_at: Any) -> None:
        self._in_flight = False
        self._saved_generation = max(self._saved_generation, generation)
        self.saved.emit(saved_at if isinstance(saved_at, datetime) else self._clock())
        if self.dirty and not self._timer.isActive():
            self._timer.start()

    def _on_failed(self, generation: int, error: BaseException) -> None:
        self._in_flight = False
        log.warning("autosave failed (%s); will retry", type(error).__name__)
        self.save_failed.emit(failure_text(error, NOT_WRITTEN))
        self._timer.start(self._retry_ms)

    def flush(self) -> bool:
        """Save now and wait for it (closing); True when the store holds the latest answers."""
        self._timer.stop()
        self._deadline.stop()
        if not self.dirty or not self.enabled:
            return not self.dirty
        generation = self._generation
        snapshot = copy.deepcopy(self._answers())
        runner = self._runner
        try:
            saved_at = runner.run_sync(lambda: self._save(runner.store, snapshot))
        except Exception as error:  # noqa: BLE001 — report, never lose the window over it
            log.warning("flush save failed (%s)", type(error).__name__)
            self.save_failed.emit(failure_text(error, NOT_WRITTEN))
            self._timer.start(self._retry_ms)
            return False
        self._saved_generation = max(self._saved_generation, generation)
        self.saved.emit(saved_at if isinstance(saved_at, datetime) else self._clock())
        return True

    def stop(self) -> None:
        """Stop autosaving (the referral became read-only)."""
        self._timer.stop()
        self._deadline.stop()
        self.enabled = False
