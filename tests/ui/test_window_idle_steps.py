"""The start-up steps after the first paint (ui/window_idle_steps.py): none before ``begin``, then in the
order added, one per pass of the event loop, behind what was posted before they began."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QTimer

from referral_desktop.ui.window_idle_steps import IdleSteps

pytestmark = pytest.mark.gui


def test_steps_wait_for_begin_then_run_in_order_behind_what_was_posted(qtbot):
    steps = IdleSteps()
    ran: list[str] = []
    steps.add(lambda: ran.append("first"))
    steps.add(lambda: ran.append("second"))
    QCoreApplication.processEvents()
    assert ran == [] and steps.pending == 2  # added at the first paint, they wait for begin()
    QTimer.singleShot(0, lambda: ran.append("posted"))  # e.g. the benchmark's "ready"
    QTimer.singleShot(0, steps.begin)
    drained: list[bool] = []
    steps.drained.connect(lambda: drained.append(True))
    qtbot.waitUntil(lambda: steps.pending == 0, timeout=5_000)
    assert ran == ["posted", "first", "second"]
    assert drained == [True] and steps.longest_step_s >= 0
    steps.add(lambda: ran.append("later"))  # once begun, a step added later runs on its own
    qtbot.waitUntil(lambda: ran[-1] == "later", timeout=5_000)


def test_one_step_per_pass_of_the_event_loop(qtbot):
    steps = IdleSteps()
    ran: list[str] = []
    steps.add(lambda: (ran.append("one"), QTimer.singleShot(0, lambda: ran.append("queued by one"))))
    steps.add(lambda: ran.append("two"))
    steps.begin()
    qtbot.waitUntil(lambda: steps.pending == 0, timeout=5_000)
    assert ran.index("queued by one") < ran.index("two")  # what a step posts is handled before the next
