"""Status polling through the changes feed: one feed request per poll however many referrals wait,
single GETs only as a fallback, and one referral's failing request never starves the others (issue 16
item 5). Real HTTPS test server with scripted answers; the in-memory store stand-in."""

from __future__ import annotations

import json
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sync_testing.clock import ManualClock
from sync_testing.memory_store import MemoryStore, utc
from sync_testing.servers import Reply, server_tls_context

from referral_desktop.sync.api_client import ApiClient
from referral_desktop.sync.jobs.status_polling import StatusPolling
from referral_desktop.sync.outbox_worker import OutboxWorker
from referral_desktop.sync.transport_settings import TransportSettings

NOW = utc(2026, 3, 2, 10, 0)
JSON = {"Content-Type": "application/json"}


def report(rid, reference, status="acknowledged", **extra):
    body = {
        "referral_id": rid,
        "iart_reference": reference,
        "status": status,
        "changed_at": NOW.isoformat(),
        "received_at": NOW.isoformat(),
        "decision_due": (NOW + timedelta(days=1)).isoformat(),
    }
    body.update(extra)
    return body


class Iart:
    """The feed answers ``feed`` once (then nothing); single status GETs answer per reference."""

    def __init__(self):
        self.feed: list[dict] = []
        self.failing: set[str] = set()
        self.requests: list[tuple[str, str]] = []  # (kind, reference or since)
        self.reports: dict[str, dict] = {}

    def __call__(self, rec):
        url = urlsplit(rec.path)
        if url.path == "/v1/referrals/changes":
            since = parse_qs(url.query)["since"][0]
            self.requests.append(("changes", since))
            changes, self.feed = self.feed, []
            until = (NOW + timedelta(minutes=len(self.requests))).isoformat()
            return Reply(200, json.dumps({"changes": changes, "until": until, "has_more": False}).encode(), JSON)
        reference = url.path.split("/")[3]
        self.requests.append(("status", reference))
        if reference in self.failing:
            return Reply(500, b"")
        return Reply(200, json.dumps(self.reports[reference]).encode(), JSON)


@pytest.fixture
def rig(ca, ca_bundle, start_server):
    iart = Iart()
    server = start_server(iart, server_tls_context(ca.issue_cert("127.0.0.1")))
    store, clock = MemoryStore(), ManualClock(NOW)
    worker = OutboxWorker(
        store, lambda: ApiClient.from_settings(TransportSettings(server.url, ca_bundle=ca_bundle)), clock=clock
    )
    yield iart, store, clock, worker
    worker.close()


def received(store, n):
    """``n`` referrals iART holds, waiting for a decision: received three hours ago, a minute apart."""
    ids = []
    for i in range(n):
        rid = store.queue()
        store.referrals.set_state(rid, "sending")
        store.referrals.set_state(rid, "received", iart_reference=f"IART-2026-{i:06d}",
                                  received_at=NOW - timedelta(hours=3) + timedelta(minutes=i))
        store.outbox.remove(rid)
        ids.append(rid)
    return ids


def test_one_feed_request_per_poll_however_many_referrals_wait(rig):
    iart, store, clock, worker = rig
    ids = received(store, 30)
    iart.feed = [report(rid, f"IART-2026-{i:06d}") for i, rid in enumerate(ids[:10])]
    iart.feed.append(report("6f1c2a8e-0000-4000-8000-000000000000", "IART-2026-999999"))  # not held here

    updates = worker.poll_statuses()

    assert sorted(u.referral_id for u in updates) == sorted(ids[:10])
    assert all(u.changed and u.state == "acknowledged" for u in updates)
    assert [str(store.referrals.get(rid).state) for rid in ids[:10]] == ["acknowledged"] * 10
    assert [str(store.referrals.get(rid).state) for rid in ids[10:]] == ["received"] * 20
    # The first poll asks from just before the oldest waiting referral was received; one request.
    [(kind, since)] = iart.requests
    assert kind == "changes" and since.startswith((NOW - timedelta(hours=3, minutes=5)).isoformat()[:16])

    clock.now += timedelta(minutes=2)
    assert worker.poll_statuses() == []
    assert iart.requests[1] == ("changes", (NOW + timedelta(minutes=1)).isoformat())  # the feed's own until


def test_a_referral_the_feed_has_not_mentioned_for_a_day_gets_a_single_get(rig):
    iart, store, clock, worker = rig
    [quiet] = received(store, 1)
    iart.reports["IART-2026-000000"] = report(quiet, "IART-2026-000000", "decided", outcome="no_further_action")
    iart.feed = [report(quiet, "IART-2026-000000", "received")]  # the feed tells of its receipt, then nothing
    worker.poll_statuses()
    clock.now += timedelta(hours=23)
    worker.poll_statuses()
    assert [kind for kind, _ in iart.requests] == ["changes", "changes"]
    clock.now += timedelta(hours=1)
    [update] = worker.poll_statuses()
    assert [kind for kind, _ in iart.requests] == ["changes", "changes", "changes", "status"]
    assert (update.state, update.outcome) == ("decided", "no_further_action")


def test_one_referrals_failing_request_never_starves_the_others(rig, monkeypatch):
    """Issue 16 item 5: polling used to stop at its first failed request, so the referrals after it were
    refreshed less often (never, while it kept failing)."""
    monkeypatch.setattr(StatusPolling, "SINGLE_GETS_PER_ROUND", 2)
    iart, store, clock, worker = rig
    failing, second, third = received(store, 3)
    for i, rid in enumerate((failing, second, third)):
        iart.reports[f"IART-2026-{i:06d}"] = report(rid, f"IART-2026-{i:06d}")
    iart.failing = {"IART-2026-000000"}
    worker.poll_statuses()  # start-up: received three hours ago, none is due yet
    assert [kind for kind, _ in iart.requests] == ["changes"]
    clock.now += timedelta(days=1)
    del iart.requests[:]

    updates = worker.poll_statuses()  # all three are due a single GET; two per round, the oldest first
    assert iart.requests[1:] == [("status", "IART-2026-000000"), ("status", "IART-2026-000001")]
    assert [u.referral_id for u in updates] == [second]  # the failure did not stop the round

    clock.now += timedelta(minutes=2)
    del iart.requests[:]
    updates = worker.poll_statuses()  # the failed one waits its turn; the third is not starved
    assert iart.requests[1:] == [("status", "IART-2026-000002")]
    assert [u.referral_id for u in updates] == [third]
    assert str(store.referrals.get(third).state) == "acknowledged"

    clock.now += StatusPolling.SINGLE_RETRY
    iart.failing = set()
    del iart.requests[:]
    [update] = worker.poll_statuses()  # and the failed one is tried again later
    assert iart.requests[1:] == [("status", "IART-2026-000000")] and update.referral_id == failing


def test_a_failing_feed_waits_for_the_next_interval_instead_of_spinning(rig):
    iart, store, clock, worker = rig
    received(store, 1)
    poller = worker.poller
    iart.__class__ = type("Down", (Iart,), {"__call__": lambda self, rec: Reply(503, b"")})
    assert poller.run(clock.now).unreachable is False
    assert poller.next_due(clock.now) == NOW + worker.status_interval
