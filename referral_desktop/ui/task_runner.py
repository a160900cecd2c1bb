"""One worker thread for every piece of store work, with results handed back to the GUI thread.

Why: SQLCipher key derivation (~200 ms), saving and PDF export must never stall the window, and a
``Store`` may be used from one thread other than its creator but not concurrently. Like Anki's task
manager, a single-worker executor keeps the order of operations and uses one connection; a Qt signal
(queued across threads) delivers each outcome on the GUI thread, so callbacks may touch widgets.

    runner.run(store.referrals.list_summaries).success(model.set_rows).failure(show_problem)

Callbacks are attached after ``run`` returns; that is safe because delivery always goes through the
GUI thread's event loop, which cannot run before the caller returns to it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

log = logging.getLogger(__name__)


class Task:
    """A submitted piece of work; chain ``.success(cb)`` and ``.failure(cb)`` on it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._on_success: list[Callable[[Any], object]] = []
        self._on_failure: list[Callable[[BaseException], object]] = []
        self._owner: Any = None
        self.done = False
        self.result: Any = None
        self.error: BaseException | None = None

    def success(self, callback: Callable[[Any], object]) -> Task:
        self._on_success.append(callback)
        return self

    def failure(self, callback: Callable[[BaseException], object]) -> Task:
        self._on_failure.append(callback)
        return self

    def owned_by(self, owner: Any) -> Task:
        """Drop the callbacks if ``owner`` (a widget) has been destroyed meanwhile (screen left, app
        locked): the work still finishes, its result is simply no longer wanted."""
        self._owner = owner
        return self

    def _deliver(self, result: Any, error: BaseException | None) -> None:
        self.done, self.result, self.error = True, result, error
        if self._owner is not None and not shiboken6.isValid(self._owner):
            log.debug("task %s finished after its screen was closed", self.name)
            return
        if error is None:
            for callback in self._on_success:
                callback(result)
            return
        if not self._on_failure:
            # Nobody expected this failure: let the application's excepthook report it.
            raise error
        for callback in self._on_failure:
            callback(error)


class StoreTaskRunner(QObject):
    """Runs callables one at a time on a single worker thread; delivers outcomes on the GUI thread.

    ``store`` is the unlocked store (or ``None``); it lives here because every use of it must go
    through this runner's thread.
    """

    _finished = Signal(object, object, object)  # task, result, error

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool: ThreadPoolExecutor | None = None  # started by the first task (after the first paint)
        self._pending = 0
        self._lock = threading.Lock()
        self._gates: list[threading.Event] = []  # held() blocks' gates: opened at shutdown if still shut
        self.store: Any = None
        self.closed = False
        self._finished.connect(self._on_finished)

    @property
    def _executor(self) -> ThreadPoolExecutor:
        if self._pool is None:
            from concurrent.futures import ThreadPoolExecutor

            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store")
        return self._pool

    def run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Task:
        task = Task(getattr(fn, "__qualname__", "task"))
        if self.closed:  # the app is quitting: late work (timers, warm-up) is dropped, never raised
            log.debug("task %s dropped after shutdown", task.name)
            return task
        with self._lock:
            self._pending += 1

        def work() -> None:
            try:
                result, error = fn(*args, **kwargs), None
            except BaseException as exc:  # delivered to the GUI thread, never lost
                result, error = None, exc
            self._finished.emit(task, result, error)

        self._executor.submit(work)
        return task

    @contextmanager
    def held(self) -> Iterator[None]:
        """Tasks queued inside keep their order but start only once the block has ended and the GUI
        thread has run what was queued on it until then (a zero timer opens the gate).

        Why: the start-up work queued right after the first paint (the policy, importing pydantic)
        competed with the GUI thread's own remaining start-up work for Python's interpreter lock, each
        hand-over costing the GUI thread up to a switch interval (5 ms); the window was idle later. That
        includes what the block's own callers queue on the GUI thread (the first paint's handlers), so the
        gate opens behind them, not at the end of the block (~5 ms sooner idle, measured)."""
        if self.closed:  # the app is quitting: what the block queues is dropped (``run``), nothing to hold
            yield
            return
        gate = threading.Event()
        self._gates.append(gate)
        self._executor.submit(gate.wait)
        try:
            yield
        finally:
            QTimer.singleShot(0, gate.set)

    def run_with_store(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Task:
        """Like ``run`` but calls ``fn(store, *args)`` with the store current when the work starts."""
        return self.run(lambda: fn(self.store, *args, **kwargs))

    def run_sync(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """Run on the worker thread and wait (shutdown and tests only, never from a slot). A held block's
        gate still shut is opened first: the GUI thread waits here, so nothing it queued can run anyway,
        and the work waiting behind the gate would never start."""
        self._open_gates()
        future: Future[Any] = self._executor.submit(fn, *args, **kwargs)
        return future.result()

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def wait_idle(self, timeout_ms: int = 10_000) -> bool:
        """Process events until every submitted task has been delivered (tests, shutdown)."""
        end = time.monotonic() + timeout_ms / 1000
        while self._pending and time.monotonic() < end:
            QCoreApplication.processEvents()
            time.sleep(0.002)
        return self._pending == 0

    def _on_finished(self, task: Task, result: Any, error: BaseException | None) -> None:
        with self._lock:
            self._pending -= 1
        if error is not None:
            log.info("store task %s failed: %s", task.name, type(error).__name__)
        task._deliver(result, error)

    def _open_gates(self) -> None:
        gates, self._gates = self._gates, []
        for gate in gates:
            gate.set()

    def shutdown(self) -> None:
        """Finish queued work, then close the store on its own thread."""
        self.closed = True
        self._open_gates()  # a quit before the event loop ran again must not leave the thread waiting
        store, self.store = self.store, None
        if store is not None:
            self._executor.submit(store.close)
        if self._pool is not None:
            self._pool.shutdown(wait=True)
