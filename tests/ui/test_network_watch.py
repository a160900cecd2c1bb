"""The operating system's network-change signal wakes the sender when reachability becomes Online."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QNetworkInformation

from referral_desktop.ui.app_context import AppContext
from referral_desktop.ui.network_watch import NetworkWatch, load_system_source, nudge_worker_of

R = QNetworkInformation.Reachability


class StandInSource(QObject):
    """Has what NetworkWatch uses of QNetworkInformation: the signal and ``reachability()``."""

    reachabilityChanged = Signal(object)  # noqa: N815 (Qt's name)

    def __init__(self, start=R.Disconnected):
        super().__init__()
        self.now = start

    def reachability(self):
        return self.now

    def change(self, value):
        self.now = value
        self.reachabilityChanged.emit(value)


class Worker:
    """Stands in for the OutboxWorker: ``nudge`` sets its wake event, as the real one does."""

    def __init__(self):
        self.wake = threading.Event()
        self.nudges = 0

    def nudge(self):
        self.nudges += 1
        self.wake.set()


def test_online_again_nudges_the_running_sender_once(qtbot, context: AppContext):
    source = StandInSource(R.Disconnected)
    watch = NetworkWatch(nudge_worker_of(context), source)
    assert watch.available
    source.change(R.Online)  # before unlock: no sender yet, nothing to nudge, no error
    worker = Worker()
    context.sync_worker = worker
    source.change(R.Local)
    source.change(R.Online)
    assert worker.nudges == 1 and worker.wake.is_set()
    source.change(R.Online)  # still online: not news
    assert worker.nudges == 1
    source.change(R.Disconnected)
    source.change(R.Site)
    assert worker.nudges == 1  # only Online means the internet (and perhaps iART) is back
    source.change(R.Online)
    assert worker.nudges == 2 and watch.wakes == 3


def test_already_online_at_start_is_not_a_change(qtbot):
    calls = []
    source = StandInSource(R.Online)
    NetworkWatch(lambda: calls.append(1), source)
    source.change(R.Online)
    assert calls == []


def test_a_failing_wake_does_not_break_the_signal(qtbot):
    source = StandInSource(R.Disconnected)

    def broken():
        raise RuntimeError("sender stopping")

    watch = NetworkWatch(broken, source)
    source.change(R.Online)
    assert watch.wakes == 1


def test_without_a_system_backend_the_watch_is_simply_unavailable(qtbot, monkeypatch):
    monkeypatch.setattr(QNetworkInformation, "instance", staticmethod(lambda: None))
    monkeypatch.setattr(QNetworkInformation, "loadBackendByFeatures", staticmethod(lambda *a: False))
    monkeypatch.setattr(QNetworkInformation, "loadDefaultBackend", staticmethod(lambda: False))
    assert load_system_source() is None
    watch = NetworkWatch(lambda: pytest.fail("nothing to wake on"))
    assert not watch.available


def test_the_system_source_is_a_qnetworkinformation_where_one_loads(qtbot):
    source = load_system_source()  # offscreen it may or may not load: both must be fine
    if source is None:
        pytest.skip("no QNetworkInformation backend here")
    assert isinstance(source, QNetworkInformation)
    assert NetworkWatch(lambda: None, source).last == source.reachability()
