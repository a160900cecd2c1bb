"""A bare 404 (no problem document) where the iART API should be: something other than iART answered —
a web server at a mistyped ``api_base_url``, or a proxy that does not know the route. Not a verdict on
the reply or the referral (iART says "not found" with a problem document, and that refuses a reply), and
not a passing outage either: nothing waiting fixes an address. So the reply (or referral) stays queued,
is tried again on the usual capped backoff, and says that IT must check the connection settings; once
the address is right it arrives exactly once.

The wrong address is a real HTTPS server on loopback answering every request with a plain "Not Found"
page; the right one is the sandbox."""

from __future__ import annotations

from datetime import date

import pytest
from sync_testing.e2e import draft, run_command, run_until_recorded, write_policy
from sync_testing.servers import Reply, server_tls_context

from referral_desktop.policy import load_policy
from referral_desktop.sync.errors import NEEDS_IT_CODES
from referral_desktop.sync.outbox_worker import OutboxWorker
from referral_desktop.sync.queueing import queue_referral
from referral_desktop.sync.replying import queue_reply

pytestmark = pytest.mark.usefixtures("sandbox_faults_cleared")

NOT_FOUND_PAGE = b"<html><body><h1>404 Not Found</h1><hr>nginx</body></html>"


@pytest.fixture
def wrong_address(tmp_path, ca, ca_bundle, start_server, sandbox):
    """A worker whose policy points at a server answering every request with a bare 404, and that server."""

    def not_found(_request):
        return Reply(404, NOT_FOUND_PAGE, {"Content-Type": "text/html"})

    server = start_server(not_found, server_tls_context(ca.issue_cert("127.0.0.1")))
    folder = tmp_path / "policy-wrong"
    folder.mkdir()
    (folder / "policy.toml").write_text(
        f'api_base_url = "{server.url}/referrals-api"\n'
        f'ca_bundle = "{ca_bundle}"\n'
        f'bearer_token_file = "{sandbox.client_token_file}"\n'
        "request_timeout_seconds = 2.0\n",
        encoding="utf-8",
    )
    return load_policy(folder / "policy.toml"), server


def test_a_reply_to_a_wrong_address_needs_it_stays_queued_and_arrives_once_when_fixed(rig, sandbox, wrong_address):
    store, policy, worker, clock = rig
    rid = draft(store)
    queue_referral(store, rid, policy, date.today())
    [sent] = worker.send_due()
    queued = queue_reply(store, rid, policy, "New information since I referred.")

    wrong_policy, server = wrong_address
    wrong = OutboxWorker.from_policy(store, wrong_policy, clock=clock)
    try:
        [attempt] = wrong.send_due_replies()
        assert server.recorded and server.recorded[-1].path.endswith("/messages")  # it did answer: 404
        assert (attempt.state, attempt.error_code, attempt.needs_it) == ("retrying", "wrong_address", True)
        reply = store.replies.get(queued.reply_id)
        assert (reply.state, reply.last_error_code) == ("retrying", "wrong_address")  # kept, not refused
        assert "wrong_address" in NEEDS_IT_CODES  # the screens say "IT must check" for it
        assert wrong.send_due_replies() == []  # backing off, not hammering the wrong server
        clock.advance()
        [again] = wrong.send_due_replies()  # still tried again: the address may be fixed meanwhile
        assert (again.state, again.needs_it) == ("retrying", True)
    finally:
        wrong.close()

    clock.advance()  # IT corrected the policy: the right address
    [arrived] = worker.send_due_replies()
    assert arrived.state == "sent"
    held = [m for m in sandbox.conversation(sent.iart_reference) if m["direction"] == "to_iart"]
    assert [(m["message_id"], m["replays"]) for m in held] == [(queued.reply_id, 0)]


def test_a_referral_to_a_wrong_address_is_handled_the_same_way(rig, sandbox, wrong_address):
    store, policy, worker, clock = rig
    rid = draft(store)
    queue_referral(store, rid, policy, date.today())
    wrong_policy, _server = wrong_address
    wrong = OutboxWorker.from_policy(store, wrong_policy, clock=clock)
    try:
        [attempt] = wrong.send_due()
    finally:
        wrong.close()
    assert (attempt.state, attempt.error_code, attempt.needs_it) == ("retrying", "wrong_address", True)
    assert "api_base_url" in attempt.message  # what IT must check, in the words of the policy
    [entry] = store.outbox.list()
    assert entry.last_error_code == "wrong_address"

    clock.advance()
    [received] = worker.send_due()
    assert received.state == "received"
    assert [r["referral_id"] for r in sandbox.referrals()].count(rid) == 1


def test_the_running_sender_records_why_when_even_the_health_probe_meets_the_wrong_address(rig, wrong_address):
    """In the app the background loop probes ``/v1/health`` before it sends, and at a wrong address the probe
    meets the same bare 404. Waiting does not cure that, so the loop still lets each item try on its own
    backoff and record the reason (the home screen and the reply then say IT must check), rather than
    probing for ever while the screens say "Offline"."""
    store, policy, worker, clock = rig
    rid = draft(store)
    queue_referral(store, rid, policy, date.today())
    wrong_policy, server = wrong_address
    wrong = OutboxWorker.from_policy(store, wrong_policy)  # the real clock: the loop sleeps for real
    entry = run_until_recorded(wrong, store)
    assert entry.last_error_code == "wrong_address"
    assert wrong.online is False  # not "Connected": nothing reached iART
    assert any(r.path.endswith("/health") for r in server.recorded)
    assert sum(r.path.endswith("/referrals") for r in server.recorded) == 1  # then it backs off


def test_the_running_sender_records_a_certificate_refused_by_the_probe(tmp_path, rig, sandbox, ca_bundle):
    """The same for a certificate this computer does not trust (no TLS-inspection root installed): the
    home screen says IT must check the certificate, not "Offline". Nothing leaves the machine: the
    handshake fails before a byte of the request is written."""
    store, policy, worker, clock = rig
    rid = draft(store)
    queue_referral(store, rid, policy, date.today())
    untrusting = write_policy(tmp_path / "policy-untrusting", sandbox)
    untrusting.write_text(untrusting.read_text(encoding="utf-8").replace(str(sandbox.ca_file), str(ca_bundle)),
                          encoding="utf-8")
    refused = OutboxWorker.from_policy(store, load_policy(untrusting))
    entry = run_until_recorded(refused, store)
    assert entry.last_error_code == "tls" and refused.online is False
    assert rid not in [r["referral_id"] for r in sandbox.referrals()]


def test_the_send_command_says_a_reply_at_a_wrong_address_needs_it(tmp_path, rig, wrong_address):
    store, policy, worker, clock = rig
    rid = draft(store)
    queue_referral(store, rid, policy, date.today())
    worker.send_due()
    queued = queue_reply(store, rid, policy, "New information since I referred.")
    store.close()
    wrong_policy_file = tmp_path / "policy-wrong" / "policy.toml"
    sent = run_command(tmp_path / "profile", wrong_policy_file, "send")
    line = next(x for x in sent.stdout.splitlines() if x.startswith("reply"))
    assert line.startswith(f"reply\t{queued.reply_id}\tretrying\tneeds IT:"), sent.stdout + sent.stderr
    assert "api_base_url" in line
