"""The worker's decisions (backoff, classification, isolation of a bad referral, events) against a real
HTTPS test server whose answers are scripted per referral. Store: the in-memory stand-in; the real
encrypted store is used by the end-to-end and crash tests."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
from sync_testing.clock import ManualClock
from sync_testing.memory_store import MemoryStore, utc
from sync_testing.servers import Reply, server_tls_context

from referral_desktop.sync.api_client import ApiClient
from referral_desktop.sync.backoff import Backoff
from referral_desktop.sync.outbox_worker import OutboxWorker
from referral_desktop.sync.transport_settings import TransportSettings

NOW = utc(2026, 3, 2, 10, 0)


def ack(rid, n):
    return Reply(
        201,
        json.dumps(
            {
                "referral_id": rid,
                "iart_reference": f"IART-2026-{n:06d}",
                "status": "received",
                "received_at": NOW.isoformat(),
                "decision_due": (NOW + timedelta(days=1)).isoformat(),
            }
        ).encode(),
        {"Content-Type": "application/json"},
    )


class Script:
    """Per referral id, a list of replies to give in turn (the last one repeats)."""

    def __init__(self):
        self.plans: dict[str, list] = {}
        self.counter = 0

    def __call__(self, rec):
        rid = rec.headers.get("Idempotency-Key")
        plan = self.plans.get(rid) or ["ack"]
        reply = plan.pop(0) if len(plan) > 1 else plan[0]
        if reply == "ack":
            self.counter += 1
            return ack(rid, self.counter)
        return reply


@pytest.fixture
def rig(ca, ca_bundle, start_server):
    script = Script()
    server = start_server(script, server_tls_context(ca.issue_cert("127.0.0.1")))
    store = MemoryStore()
    clock = ManualClock(NOW)
    events = []
    worker = OutboxWorker(
        store,
        lambda: ApiClient.from_settings(TransportSettings(server.url, ca_bundle=ca_bundle)),
        clock=clock,
        random=lambda: 0.5,
        backoff=Backoff(base_seconds=10, factor=2, max_seconds=100),
        on_change=lambda rid, state: events.append((rid, state)),
    )
    yield store, script, server, clock, worker, events
    worker.close()


def test_backoff_is_exponential_with_jitter_capped_and_honours_retry_after():
    b = Backoff(base_seconds=10, factor=2, max_seconds=100)
    assert [b.delay(n, lambda: 0.0) for n in (1, 2, 3, 4, 5, 6)] == [5, 10, 20, 40, 50, 50]
    assert [b.delay(n, lambda: 1.0) for n in (1, 2, 5)] == [10, 20, 100]
    assert b.delay(1, lambda: 0.0, retry_after=30) == 30
    assert b.delay(4, lambda: 0.0, retry_after=3) == 40


def test_send_records_before_and_after(rig):
    store, script, server, clock, worker, events = rig
    rid = store.queue()
    [result] = worker.send_due()
    assert result.state == "received" and result.iart_reference == "IART-2026-000001"
    ref = store.referrals.get(rid)
    assert ref.state == "received" and ref.iart_reference == "IART-2026-000001"
    assert ref.decision_due is not None and ref.sent_at == NOW
    assert store.outbox.get(rid) is None
    assert [(e, d) for e, _, _, d in store.audit.list(rid)] == [("queued", "queued"), ("status_changed", "sending"), ("sent", "received")]
    assert events == [(rid, "sending"), (rid, "received")]
    assert worker.send_due() == []  # nothing due any more


def test_retry_with_backoff_then_success(rig):
    store, script, server, clock, worker, events = rig
    rid = store.queue()
    script.plans[rid] = [Reply(503, b"", {"Retry-After": "1"}), Reply(500, b"oops"), "ack"]
    [first] = worker.send_due()
    assert first.state == "retrying" and first.error_code == "http_503"
    assert first.next_attempt_at == NOW + timedelta(seconds=7.5)  # attempt 1: 5 + 0.5*5, > Retry-After
    assert worker.send_due() == []  # not due yet
    clock.now = first.next_attempt_at
    [second] = worker.send_due()
    assert second.state == "retrying" and second.next_attempt_at == clock.now + timedelta(seconds=15)
    clock.now = second.next_attempt_at
    [third] = worker.send_due()
    assert third.state == "received"
    assert store.referrals.get(rid).state == "received"
    assert [d for _, _, _, d in store.audit.list(rid)] == ["queued", "sending", "retrying", "sending", "retrying", "sending", "received"]
    assert len([r for r in server.recorded if r.method == "POST"]) == 3
    bodies = {r.body for r in server.recorded if r.method == "POST"}
    assert len(bodies) == 1  # the same bytes every attempt


def test_retry_after_longer_than_backoff_wins(rig):
    store, script, server, clock, worker, events = rig
    rid = store.queue()
    script.plans[rid] = [Reply(429, b"", {"Retry-After": "120"}), "ack"]
    [result] = worker.send_due()
    assert result.next_attempt_at == NOW + timedelta(seconds=120)


def test_captive_portal_is_a_retry_never_success(rig):
    store, script, server, clock, worker, events = rig
    rid = store.queue()
    script.plans[rid] = [Reply(200, b"<html>Sign in to Wi-Fi</html>", {"Content-Type": "text/html"}), "ack"]
    [result] = worker.send_due()
    assert result.state == "retrying" and result.error_code == "unexpected_answer"
    assert store.referrals.get(rid).iart_reference is None


def test_rejection_maps_reasons_and_does_not_block_others(rig):
    store, script, server, clock, worker, events = rig
    bad = store.queue()
    good = [store.queue() for _ in range(3)]
    script.plans[bad] = [
        Reply(
            422,
            json.dumps(
                {
                    "type": "urn:iart:problem:validation",
                    "title": "Invalid",
                    "status": 422,
                    "errors": [{"path": "children[0].nhs_number", "message": "Enter a valid NHS number"}],
                }
            ).encode(),
            {"Content-Type": "application/problem+json"},
        )
    ]
    results = {r.referral_id: r for r in worker.send_due()}
    assert results[bad].state == "rejected"
    assert results[bad].reasons == (("children[0].nhs_number", "Enter a valid NHS number"),)
    ref = store.referrals.get(bad)
    assert ref.state == "draft" and ref.rejection_reasons == [("children[0].nhs_number", "Enter a valid NHS number")]
    assert ("rejected", bad, ("children[0].nhs_number",), None) in store.audit.list(bad)
    assert store.outbox.get(bad) is None
    assert all(results[g].state == "received" for g in good)
    assert worker.send_due() == []


def test_auth_failure_keeps_queued_and_says_it_needs_it(rig):
    store, script, server, clock, worker, events = rig
    rid = store.queue()
    script.plans[rid] = [Reply(401, b'{"type":"urn:iart:problem:unauthorized","title":"No","status":401}', {"Content-Type": "application/problem+json"})]
    [result] = worker.send_due()
    assert result.state == "retrying" and result.needs_it and "IT" in result.message
    assert store.outbox.items[rid].state == "retrying"


def test_item_left_sending_is_resent_with_same_key(rig):
    store, script, server, clock, worker, events = rig
    rid = store.queue()
    store.referrals.set_state(rid, "sending")  # as if killed mid-send: the row is still due
    [result] = worker.send_due()
    assert result.state == "received"
    assert server.recorded[0].headers["Idempotency-Key"] == rid


def test_row_left_sending_by_an_older_run_is_recovered(rig):
    store, script, server, clock, worker, events = rig
    rid = store.queue()
    store.referrals.set_state(rid, "sending")
    store.outbox.mark(rid, state="sending", attempts=1)
    assert worker.send_due() == []  # a "sending" row is not due by itself...
    assert worker.recover_interrupted() == 1  # ...a restart puts it back
    [result] = worker.send_due()
    assert result.state == "received"
    assert server.recorded[0].headers["Idempotency-Key"] == rid


def test_already_received_item_only_closes_the_outbox(rig):
    store, script, server, clock, worker, events = rig
    rid = store.queue()
    store.referrals.set_state(rid, "sending")
    store.referrals.set_state(rid, "received", iart_reference="IART-2026-000009")
    [result] = worker.send_due()
    assert result.state == "received" and result.iart_reference == "IART-2026-000009"
    assert server.recorded == []
    assert store.outbox.get(rid) is None


def test_pool_sends_all(rig):
    store, script, server, clock, worker, events = rig
    ids = [store.queue() for _ in range(12)]
    worker.pool_size = 3
    results = worker.send_due()
    assert sorted(r.referral_id for r in results) == sorted(ids)
    assert all(r.state == "received" for r in results)
    assert len({store.referrals.get(i).iart_reference for i in ids}) == 12


def test_run_forever_probes_then_drains_and_stops(rig):
    store, script, server, clock, worker, events = rig

    def health_or_ack(rec):
        if rec.path == "/v1/health":
            return Reply(200, json.dumps({"status": "ok", "api_version": "v1", "server_time": NOW.isoformat()}).encode(), {"Content-Type": "application/json"})
        return script(rec)

    server._server.responder = health_or_ack
    rid = store.queue()
    connection = []
    worker.on_connection(connection.append)
    stop = threading.Event()
    done = threading.Event()
    worker.on_change(lambda r, s: s == "received" and done.set())
    thread = threading.Thread(target=worker.run_forever, args=(stop,))
    thread.start()
    assert done.wait(10)
    stop.set()
    worker.nudge()
    thread.join(10)
    assert not thread.is_alive()
    assert connection == [True]
    assert store.referrals.get(rid).state == "received"
    assert store.purge_calls and store.purge_calls[0][1] == 30


def _health_or(script):
    def respond(rec):
        if rec.path == "/v1/health":
            body = json.dumps({"status": "ok", "api_version": "v1", "server_time": NOW.isoformat()}).encode()
            return Reply(200, body, {"Content-Type": "application/json"})
        return script(rec)

    return respond


def test_items_that_failed_only_for_the_network_are_due_as_soon_as_the_api_answers(rig):
    store, script, server, clock, worker, events = rig
    offline, told_to_wait = store.queue(), store.queue()
    for rid, code in ((offline, "network"), (told_to_wait, "http_429")):
        store.referrals.set_state(rid, "sending")
        store.referrals.set_state(rid, "retrying")
        store.outbox.mark(rid, state="retrying", attempts=3, next_attempt_at=NOW + timedelta(hours=1),
                          last_error_code=code)
    assert worker.retry_unreachable_now() == 1
    assert store.outbox.get(offline).next_attempt_at == NOW
    assert store.outbox.get(told_to_wait).next_attempt_at == NOW + timedelta(hours=1)  # Retry-After honoured
    assert [i.referral_id for i in store.outbox.due(NOW)] == [offline]


def test_run_forever_sends_at_once_when_the_api_is_reachable_again(rig):
    store, script, server, clock, worker, events = rig
    server._server.responder = _health_or(script)
    rid = store.queue()
    store.referrals.set_state(rid, "sending")
    store.referrals.set_state(rid, "retrying")
    store.outbox.mark(rid, state="retrying", attempts=4, next_attempt_at=NOW + timedelta(minutes=10),
                      last_error_code="timeout")
    worker._set_online(False)  # as after the last attempt found the network down
    stop, done = threading.Event(), threading.Event()
    worker.on_change(lambda r, s: s == "received" and done.set())
    thread = threading.Thread(target=worker.run_forever, args=(stop,))
    thread.start()
    try:
        assert done.wait(10)  # without waiting out the ten minutes of backoff
    finally:
        stop.set()
        worker.nudge()
        thread.join(10)
    assert store.referrals.get(rid).state == "received"


def test_the_api_answering_is_told_before_its_clock(rig):
    """The health answer both shows iART is reachable and gives its time. Listeners hear "online" first:
    told the clock first, the home line said "Checking the connection to iART…" above a warning that
    could only come from iART's answer (seen as a failed run under load in CI)."""
    store, script, server, clock, worker, events = rig
    server._server.responder = _health_or(script)
    heard = []
    worker.on_connection(lambda online: heard.append(("online", online)))
    worker.on_clock(lambda skew: heard.append(("clock", skew)))
    assert worker.probe()
    assert heard == [("online", True), ("clock", 0.0)]


def test_a_submit_that_times_out_while_iart_answers_keeps_its_backoff(ca, ca_bundle, start_server):
    """iART answers its health check at once but is slow on the referral itself (read timeout). The
    referral must wait out its backoff. It used to be taken for a lost network: marked offline, the probe
    answered, "reachable again" made it due at once, and it was sent again at every timeout, a storm of
    resends from every laptop against a struggling server, with the line flickering to "Offline"."""
    import time

    submits = []

    def slow_submit(rec):
        if rec.path == "/v1/health":
            body = json.dumps({"status": "ok", "api_version": "v1", "server_time": NOW.isoformat()}).encode()
            return Reply(200, body, {"Content-Type": "application/json"})
        submits.append(time.monotonic())
        time.sleep(1.0)
        return ack(rec.headers.get("Idempotency-Key"), len(submits))

    server = start_server(slow_submit, server_tls_context(ca.issue_cert("127.0.0.1")))
    store = MemoryStore()
    worker = OutboxWorker(
        store,
        lambda: ApiClient.from_settings(TransportSettings(server.url, ca_bundle=ca_bundle, read_timeout=0.3)),
        clock=ManualClock(NOW),  # the referral's backoff never runs out in this test
        random=lambda: 0.5,
        backoff=Backoff(base_seconds=10, factor=2, max_seconds=100),
    )
    rid = store.queue()
    connection = []
    worker.on_connection(connection.append)
    stop = threading.Event()
    thread = threading.Thread(target=worker.run_forever, args=(stop,))
    thread.start()
    try:
        time.sleep(1.5)  # five or more resends in this window before the fix
    finally:
        stop.set()
        worker.nudge()
        thread.join(10)
        worker.close()
    assert len(submits) == 1, f"sent {len(submits)} times in 1.5 s"
    assert store.outbox.get(rid).last_error_code == "timeout"
    assert connection == [True]  # iART answered throughout: never called offline
