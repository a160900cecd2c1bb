"""The store task runner: one worker thread, tasks in the order queued, outcomes on the GUI thread."""

from __future__ import annotations

import threading

import pytest

from referral_desktop.ui.task_runner import StoreTaskRunner

pytestmark = pytest.mark.gui


def test_tasks_queued_while_held_start_only_when_released_and_in_order(qapp):
    runner = StoreTaskRunner()
    started: list[str] = []
    first_ran = threading.Event()

    def task(name: str) -> str:
        started.append(name)
        if name == "first":
            first_ran.set()
        return name

    try:
        with runner.held():
            runner.run(task, "first")
            runner.run(task, "second")
            assert not first_ran.wait(0.2)  # held: nothing has started
            assert started == []
        assert runner.wait_idle()
        assert started == ["first", "second"]
    finally:
        runner.shutdown()


def test_a_held_block_that_raises_still_releases_the_runner(qapp):
    runner = StoreTaskRunner()
    try:
        with pytest.raises(RuntimeError), runner.held():
            runner.run(lambda: None)
            raise RuntimeError("a mistake while queuing")
        assert runner.wait_idle()
        assert not runner.busy
    finally:
        runner.shutdown()
