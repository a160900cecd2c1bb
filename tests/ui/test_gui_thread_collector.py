"""Widgets left in a reference cycle are freed on the GUI thread, however busy the app's other threads are.

``ui/gui_thread_collector.py`` says why: CPython's automatic collection runs in whichever thread allocates,
and the app runs Python on the store's task runner and the sender; Qt deletes widgets on the GUI thread
only.
"""

from __future__ import annotations

import gc
import threading

import pytest
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

pytestmark = pytest.mark.gui


class _Cyclic(QWidget):
    """A screen in a reference cycle, as a replaced screen can be; records the thread that frees it."""

    freed_on: list[str] = []

    def __init__(self) -> None:
        super().__init__()
        self.me = self
        column = QVBoxLayout(self)
        for n in range(3):
            column.addWidget(QLabel(f"Question {n}"))

    def __del__(self) -> None:
        _Cyclic.freed_on.append(threading.current_thread().name)


def _drop_cycles_while_another_thread_allocates(qtbot, screens: int = 200) -> None:
    stop = threading.Event()

    def allocate() -> None:  # what the store's runner and the sender do all day: make Python objects
        while not stop.is_set():
            junk = []
            for _ in range(500):
                item: list = []
                item.append(item)
                junk.append(item)
            stop.wait(0.001)

    worker = threading.Thread(target=allocate, name="store-like", daemon=True)
    worker.start()
    try:
        for _ in range(screens):
            _Cyclic()  # dropped at once: only the cycle collector can free it
            qtbot.wait(1)  # the GUI thread's event loop runs (and waits) in between
    finally:
        stop.set()
        worker.join()


def test_widgets_in_cycles_are_freed_on_the_gui_thread_in_the_running_app(qtbot):
    from referral_desktop.ui.app import build_application

    build_application()  # as the desktop app starts
    _Cyclic.freed_on = []
    _drop_cycles_while_another_thread_allocates(qtbot)
    qtbot.wait(50)
    assert _Cyclic.freed_on, "nothing was collected"
    assert set(_Cyclic.freed_on) == {threading.main_thread().name}
    assert not gc.isenabled()  # automatic collection stays off; the collector does it


def test_garbage_the_other_threads_make_while_the_window_is_idle_is_collected(qtbot, qapp):
    from referral_desktop.ui.gui_thread_collector import GuiThreadCollector

    collector = GuiThreadCollector(qapp, backstop_ms=50)
    try:
        gc.collect()

        def allocate() -> None:
            for _ in range(5000):
                item: list = []
                item.append(item)

        worker = threading.Thread(target=allocate)
        worker.start()
        worker.join()
        assert gc.get_count()[0] > gc.get_threshold()[0]  # due, and nothing collected it on that thread
        qtbot.waitUntil(lambda: gc.get_count()[0] < gc.get_threshold()[0], timeout=2000)
    finally:
        collector.deleteLater()


def test_a_collection_due_is_made_by_thresholds_and_a_full_one_is_spaced(qapp, monkeypatch):
    from referral_desktop.ui import gui_thread_collector as module

    collector = module.GuiThreadCollector(qapp, backstop_ms=60_000)
    try:
        threshold0, threshold1, threshold2 = gc.get_threshold()
        counts = [threshold0, 0, 0]
        monkeypatch.setattr(module.gc, "get_count", lambda: tuple(counts))
        collected: list[int] = []
        monkeypatch.setattr(module.gc, "collect", lambda generation=2: collected.append(generation) or 0)
        assert collector.collect_due() is None  # not past the first threshold yet
        counts[:] = [threshold0 + 1, 0, 0]
        assert collector.collect_due() == 0
        counts[:] = [threshold0 + 1, threshold1 + 1, 0]
        assert collector.collect_due() == 1
        counts[:] = [threshold0 + 1, threshold1 + 1, threshold2 + 1]
        assert collector.collect_due() == 1  # a full collection was made less than 10 s ago (at install)
        monkeypatch.setattr(collector, "_last_full", collector._last_full - module.FULL_COLLECTION_GAP_S)
        assert collector.collect_due() == 2
        assert collector.collect_due() == 1  # and not again at once
        assert collected == [0, 1, 1, 2, 1]
    finally:
        collector.deleteLater()
