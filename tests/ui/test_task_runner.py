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


def test_what_the_gui_thread_queued_inside_a_held_block_runs_before_the_held_tasks_start(qapp):
    """The first paint's handlers queue GUI work inside the block; it runs before the runner takes the
    interpreter lock from the GUI thread (each hand-over can cost the GUI thread a 5 ms switch interval)."""
    from PySide6.QtCore import QTimer

    runner = StoreTaskRunner()
    order: list[str] = []
    try:
        with runner.held():
            runner.run(lambda: order.append("runner"))
            QTimer.singleShot(0, lambda: order.append("gui"))
        assert runner.wait_idle()
        assert order == ["gui", "runner"]
    finally:
        runner.shutdown()


def test_a_runner_shut_down_before_its_held_block_was_released_does_not_hang(qapp):
    runner = StoreTaskRunner()
    with runner.held():
        runner.run(lambda: None)
    finished = threading.Event()
    closer = threading.Thread(target=lambda: (runner.shutdown(), finished.set()), daemon=True)
    closer.start()  # no event loop ran since the block: its zero timer has not opened the gate
    assert finished.wait(5)


def test_waiting_on_the_runner_right_after_a_held_block_does_not_hang(qapp):
    """run_sync before the event loop ran again (a test making a store right after the window's first
    paint): the gate opens for it, since the GUI thread is the one waiting."""
    runner = StoreTaskRunner()
    try:
        with runner.held():
            runner.run(lambda: None)
        outcome: list[object] = []
        waiter = threading.Thread(target=lambda: outcome.append(runner.run_sync(lambda: "done")), daemon=True)
        waiter.start()
        waiter.join(5)
        assert outcome == ["done"]
    finally:
        runner.shutdown()


def test_a_held_block_after_shutdown_queues_nothing_and_raises_nothing(qtbot):
    """The start-up work is a step run on idle after the first paint; a window closed (its runner shut
    down) before that step ran made ``held`` submit to a shut-down executor, an error in the test's
    teardown (tests/ui/test_missing_store.py)."""
    runner = StoreTaskRunner()
    runner.run_sync(lambda: None)  # the executor exists, then is shut down
    runner.shutdown()
    with runner.held():
        task = runner.run(lambda: 1)
    assert not task.done and not runner.busy
