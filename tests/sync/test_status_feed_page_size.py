"""A page of the changes feed larger than the client accepts (1 MB) must not stall status polling for ever.

Each report carries the referral's whole conversation, and the contract allows iART's messages up to
2,000 characters each, any number of them: a page of 100 long conversations passes 1 MB. The client cuts
such an answer off (a server cannot make it read without bound), and the poll used to fail on that same
page at every interval, so no later change — a decision included — was ever heard. It now asks for the
page again in smaller pieces (``limit``, halved until it fits) within the same poll.
Real HTTPS test server answering as the contract says (``limit`` honoured, ``has_more``); the in-memory
store stand-in."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sync_testing.clock import ManualClock
from sync_testing.memory_store import MemoryStore, utc
from sync_testing.servers import Reply, server_tls_context

from referral_desktop.sync.api_client import ApiClient
from referral_desktop.sync.outbox_worker import OutboxWorker
from referral_desktop.sync.transport_settings import TransportSettings

NOW = utc(2026, 3, 2, 10, 0)
QUESTION = "Please tell us more about the family's circumstances and who else is involved. " * 25  # 2,000


def long_conversation(rid: str, reference: str, n: int) -> dict:
    return {
        "referral_id": rid,
        "iart_reference": reference,
        "status": "info_requested",
        "changed_at": (NOW + timedelta(seconds=n)).isoformat(),
        "received_at": (NOW - timedelta(days=3)).isoformat(),
        "decision_due": (NOW + timedelta(days=1)).isoformat(),
        "message": QUESTION[:2000],
        "messages": [
            {"message_id": str(uuid.UUID(int=n * 10 + k)), "direction": "from_iart", "sequence": k + 1,
             "created_at": (NOW + timedelta(seconds=n, milliseconds=k)).isoformat(), "text": QUESTION[:2000]}
            for k in range(6)
        ],
    }


class Feed:
    """The changes feed over a fixed list of reports, ``limit`` at a time (default 100), in order."""

    def __init__(self, reports: list[dict]):
        self.reports = reports
        self.limits: list[int | None] = []

    def __call__(self, rec):
        query = parse_qs(urlsplit(rec.path).query)
        limit = int(query["limit"][0]) if "limit" in query else None
        self.limits.append(limit)
        since = query["since"][0]
        rest = [r for r in self.reports if r["changed_at"] > since] if since >= NOW.isoformat() else self.reports
        page = rest[: limit or 100]
        until = page[-1]["changed_at"] if page else (NOW + timedelta(hours=1)).isoformat()
        body = {"changes": page, "until": until, "has_more": len(rest) > len(page)}
        return Reply(200, json.dumps(body).encode(), {"Content-Type": "application/json"})


@pytest.fixture
def rig(ca, ca_bundle, start_server):
    store, clock = MemoryStore(), ManualClock(NOW + timedelta(hours=1))
    ids = []
    for i in range(120):
        rid = store.queue()
        store.referrals.set_state(rid, "sending")
        store.referrals.set_state(rid, "received", iart_reference=f"IART-2026-{i:06d}",
                                  received_at=NOW - timedelta(days=3))
        store.outbox.remove(rid)
        ids.append(rid)
    feed = Feed([long_conversation(rid, f"IART-2026-{i:06d}", i) for i, rid in enumerate(ids)])
    server = start_server(feed, server_tls_context(ca.issue_cert("127.0.0.1")))
    worker = OutboxWorker(
        store, lambda: ApiClient.from_settings(TransportSettings(server.url, ca_bundle=ca_bundle)), clock=clock
    )
    yield feed, store, worker, ids
    worker.close()


def test_a_page_too_large_is_fetched_again_in_smaller_pieces_within_the_poll(rig):
    feed, store, worker, ids = rig
    assert len(json.dumps({"changes": feed.reports[:100]})) > 1_000_000  # what the contract allows

    updates = worker.poll_statuses()

    assert sorted(u.referral_id for u in updates) == sorted(ids)  # every change heard, in this one poll
    assert all(str(store.referrals.get(rid).state) == "info_requested" for rid in ids)
    assert feed.limits[0] is None and all(limit is not None and limit < 100 for limit in feed.limits[1:])
    assert len(feed.limits) <= 12  # halving: a few extra requests, not one per referral
