"""Send now sends now: after a server error the referral waits out this app's own backoff (it grows to 15
minutes), and the button used to be a plain nudge that left it waiting. Now the person's Send now makes
every waiting item due at once, except where iART asked for patience (429 / 503 with Retry-After); a plain
nudge (a network change, a new item queued) still keeps the backoff. The real sandbox over TLS, the real
encrypted store, the sender's own background loop on the real clock."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from sync_testing.e2e import PASSPHRASE, draft, write_policy

pytestmark = pytest.mark.usefixtures("sandbox_faults_cleared")


@contextmanager
def _waiting_after(sandbox: Any, tmp_path: Any, fault: dict) -> Iterator[tuple[Any, Any, str]]:
    """A referral queued, its first attempt answered with ``fault``, its next attempt two minutes away;
    the sender's loop running."""
    from referral_desktop.policy import load_policy
    from referral_desktop.store import create_store
    from referral_desktop.sync.backoff import Backoff
    from referral_desktop.sync.outbox_worker import OutboxWorker
    from referral_desktop.sync.queueing import queue_referral

    policy = load_policy(write_policy(tmp_path / "policy", sandbox))
    store = create_store(tmp_path / "profile", PASSPHRASE)
    worker = OutboxWorker.from_policy(store, policy, random=lambda: 1.0, backoff=Backoff(base_seconds=120))
    sandbox.set_faults([{"endpoint": "submit", "times": 1, **fault}])
    rid = draft(store)
    queue_referral(store, rid, policy, date.today())
    stop = threading.Event()
    loop = threading.Thread(target=worker.run_forever, args=(stop,), daemon=True)
    loop.start()
    try:
        assert _wait(lambda: store.outbox.list()[0].last_error_code is not None, 10)
        time.sleep(0.5)  # the round after the failure is over: the loop sleeps on the backoff
        yield store, worker, rid
    finally:
        stop.set()
        worker.nudge()
        loop.join(10)
        worker.close()
        store.close()


def _wait(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def _state(store: Any, rid: str) -> str:
    return str(getattr(store.referrals.get(rid).state, "value", store.referrals.get(rid).state))


def test_send_now_after_a_server_error_sends_at_once(sandbox, tmp_path):
    with _waiting_after(sandbox, tmp_path, {"kind": "error", "status": 500}) as (store, worker, rid):
        [entry] = store.outbox.list()
        assert entry.last_error_code == "http_500" and _state(store, rid) == "retrying"
        worker.nudge()  # what the button did: the loop wakes, and the referral keeps waiting
        time.sleep(1.5)
        assert _state(store, rid) == "retrying"
        worker.send_now()
        assert _wait(lambda: _state(store, rid) == "received", 5)
    assert [r["replays"] for r in sandbox.referrals() if r["referral_id"] == rid] == [0]  # once


def test_send_now_keeps_the_wait_iart_asked_for(sandbox, tmp_path):
    fault = {"kind": "rate_limited", "retry_after": 120}
    with _waiting_after(sandbox, tmp_path, fault) as (store, worker, rid):
        assert store.outbox.list()[0].last_error_code == "http_429"
        worker.send_now()
        time.sleep(1.5)
        assert _state(store, rid) == "retrying"
