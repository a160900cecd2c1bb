"""Reconnecting: the health probe's backoff is capped, a nudge probes at once and starts the backoff
afresh, and the loop sleeps on one event (no wake-ups while idle). Real HTTPS test server, real worker
thread; the clock is real here because the loop's sleeps are what is tested."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sync_testing.memory_store import MemoryStore
from sync_testing.servers import Reply, server_tls_context

from referral_desktop.sync.api_client import ApiClient
from referral_desktop.sync.backoff import Backoff
from referral_desktop.sync.outbox_worker import PROBE_BACKOFF, OutboxWorker
from referral_desktop.sync.transport_settings import TransportSettings


class Api:
    """Health answers 503 until ``up``; submissions are acknowledged."""

    def __init__(self):
        self.up = False
        self.probes: list[float] = []

    def __call__(self, rec):
        now = datetime.now(UTC).isoformat()
        if rec.path == "/v1/health":
            self.probes.append(time.monotonic())
            if not self.up:
                return Reply(503, b"")
            return Reply(200, json.dumps({"status": "ok", "api_version": "v1", "server_time": now}).encode(),
                         {"Content-Type": "application/json"})
        if not self.up:
            return Reply(503, b"")
        rid = rec.headers.get("Idempotency-Key")
        body = {"referral_id": rid, "iart_reference": "IART-2026-000001", "status": "received", "received_at": now,
                "decision_due": now}
        return Reply(201, json.dumps(body).encode(), {"Content-Type": "application/json"})


@pytest.fixture
def running(ca, ca_bundle, start_server):
    api = Api()
    server = start_server(api, server_tls_context(ca.issue_cert("127.0.0.1")))
    store = MemoryStore()
    # First failure: 0.15 s; every later one: 45 s. So a probe soon after another shows the backoff
    # started afresh, and one 45 s later would show it did not.
    worker = OutboxWorker(
        store,
        lambda: ApiClient.from_settings(TransportSettings(server.url, ca_bundle=ca_bundle)),
        random=lambda: 0.5,
        probe_backoff=Backoff(base_seconds=0.2, factor=1000, max_seconds=60),
    )
    received = threading.Event()
    worker.on_change(lambda rid, state: state == "received" and received.set())
    stop = threading.Event()
    thread = threading.Thread(target=worker.run_forever, args=(stop,), daemon=True)
    yield api, store, worker, received, thread
    stop.set()
    worker.nudge()
    thread.join(10)
    assert not thread.is_alive()


def _wait_for(condition, seconds=5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def test_probe_backoff_is_capped_at_15_seconds():
    assert max(PROBE_BACKOFF.delay(n, lambda: 1.0) for n in range(1, 30)) == 15.0
    assert PROBE_BACKOFF.delay(1, lambda: 0.0) <= 2.0


def test_a_nudge_probes_at_once_and_starts_the_backoff_afresh(running):
    api, store, worker, received, thread = running
    thread.start()
    assert _wait_for(lambda: len(api.probes) == 2)  # first probe, then 0.15 s later the second
    time.sleep(0.5)
    assert len(api.probes) == 2  # now in the 45 s backoff

    worker.nudge()  # e.g. the OS reports the network is back (but iART is still down)
    assert _wait_for(lambda: len(api.probes) == 4, 3)  # at once, and again 0.15 s later: not failure 3
    time.sleep(0.5)
    assert len(api.probes) == 4

    rid = store.queue()
    api.up = True
    started = time.monotonic()
    worker.nudge()  # Send now / a new item queued
    assert received.wait(5)
    assert time.monotonic() - started < 3
    assert str(store.referrals.get(rid).state) == "received"


def _voluntary_switches(native_id: int) -> int:
    status = Path(f"/proc/self/task/{native_id}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("voluntary_ctxt_switches")))


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_an_idle_loop_does_not_wake_up(running):
    api, store, worker, received, thread = running
    api.up = True
    thread.start()
    assert _wait_for(lambda: worker.online is True)
    time.sleep(0.5)  # the first round (status poll, purge) is done; nothing is due for a minute
    before = _voluntary_switches(thread.native_id)
    time.sleep(2.0)
    after = _voluntary_switches(thread.native_id)
    assert after - before <= 1  # waiting in 0.25 s steps would be 8
