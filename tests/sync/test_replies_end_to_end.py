"""Replies to iART end to end: the real encrypted store, the worker's reply job and the sandbox started
as a separate process over HTTPS. iART asks → the poll keeps the question (once, by id) and tells the
listeners → a reply is written, the app stops before sending, starts again → the reply arrives once;
exactly once under injected faults; refusals and "needs IT"; the ``reply`` and ``send`` commands."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sync_testing.e2e import PASSPHRASE, SENTINEL, profile_with_sent_referral, run_cli, sent_referral, write_policy

from referral_desktop.policy import load_policy
from referral_desktop.store import open_store
from referral_desktop.sync.outbox_worker import OutboxWorker
from referral_desktop.sync.replying import ReplyRefused, queue_reply

pytestmark = pytest.mark.usefixtures("sandbox_faults_cleared")

TODAY = date.today()
REPLY = f"Mother agreed on the phone; {SENTINEL} starts at the new school on Monday."


def test_iart_asks_the_reply_is_written_the_app_stops_before_sending_and_it_arrives_once(
    tmp_path, sandbox, rig, logs
):
    store, policy, worker, clock = rig
    rid, reference = sent_referral(store, policy, worker)
    sandbox.cli("request-info", reference, "--message", "Does the family know about the referral?")
    heard: list[tuple[str, str]] = []
    worker.on_change(lambda referral_id, state: heard.append((referral_id, state)))
    [update] = worker.poll_statuses()
    assert update.new_message and update.state == "info_requested"
    assert (rid, "info_requested") in heard  # what the notifications listen to
    assert [m.text for m in store.referrals.messages(rid)] == ["Does the family know about the referral?"]
    assert not any(u.new_message for u in worker.poll_statuses())  # the same question is not news again

    queued = queue_reply(store, rid, policy, REPLY)
    assert queued.encrypted  # the policy holds iART's key
    worker.close()
    store.close()  # the app stops (or is killed) before the reply is sent

    store = open_store(tmp_path / "profile", PASSPHRASE, clock=clock)
    worker = OutboxWorker.from_policy(store, policy, clock=clock)
    try:
        report = worker.run_once()
        assert [(a.reply_id, a.state) for a in report.replies] == [(queued.reply_id, "sent")]
        assert worker.run_once().replies == []  # nothing left to send
        [held] = [m for m in sandbox.conversation(reference) if m["direction"] == "to_iart"]
        assert (held["message_id"], held["text"], held["replays"]) == (queued.reply_id, REPLY, 0)
        reply = store.replies.get(queued.reply_id)
        assert (reply.state, reply.sequence, reply.read_at) == ("sent", 2, None)
        assert reply.payload_content_type == "application/jose"

        sandbox.mark_read(queued.reply_id)
        worker.poll_statuses()
        assert store.replies.get(queued.reply_id).read_at is not None
    finally:
        worker.close()
        store.close()
    assert all(SENTINEL not in line for line in logs)
    assert SENTINEL not in sandbox.output()


FAULTS = {
    "drop_after_commit": {"kind": "drop_after_commit"},
    "unavailable_503_retry_after": {"kind": "unavailable", "retry_after": 7},
    "captive_portal": {"kind": "captive_portal"},
    "timeout_after_commit": {"kind": "slow_answer", "latency_ms": 3500},
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_reply_arrives_exactly_once_under_fault(rig, sandbox, fault):
    store, policy, worker, clock = rig
    rid, reference = sent_referral(store, policy, worker)
    queued = queue_reply(store, rid, policy, "New information since I referred.")
    sandbox.set_faults([{"endpoint": "messages", "times": 1, **FAULTS[fault]}])

    [first] = worker.send_due_replies()
    assert first.state == "retrying", first
    assert store.replies.get(queued.reply_id).state == "retrying"
    if "retry_after" in FAULTS[fault]:
        assert first.next_attempt_at >= clock.now + timedelta(seconds=FAULTS[fault]["retry_after"])
    assert worker.send_due_replies() == []  # backing off

    clock.advance()
    [second] = worker.send_due_replies()
    assert second.state == "sent", second
    held = [m for m in sandbox.conversation(reference) if m["direction"] == "to_iart"]
    assert [m["message_id"] for m in held] == [queued.reply_id]  # once, under its own key
    assert held[0]["replays"] == (1 if fault in ("drop_after_commit", "timeout_after_commit") else 0)
    assert store.replies.get(queued.reply_id).state == "sent"


def test_a_lost_answer_is_settled_by_the_feed_without_another_attempt(rig, sandbox):
    store, policy, worker, clock = rig
    rid, reference = sent_referral(store, policy, worker)
    queued = queue_reply(store, rid, policy, "Settled by the feed")
    sandbox.set_faults([{"endpoint": "messages", "kind": "drop_after_commit", "times": 1}])
    assert worker.send_due_replies()[0].state == "retrying"
    worker.poll_statuses()  # the status lists the reply: iART holds it
    assert store.replies.get(queued.reply_id).state == "sent"
    clock.advance()
    assert worker.send_due_replies() == []
    [held] = sandbox.conversation(reference)
    assert held["replays"] == 0


def test_a_refused_reply_is_kept_and_not_retried_and_needs_it_stays_queued(rig, sandbox, tmp_path):
    store, policy, worker, clock = rig
    rid, reference = sent_referral(store, policy, worker)
    draft_reply = store.replies.save_draft(rid, "not what the server expects")
    store.replies.freeze(draft_reply.id, b'{"words":"no text field"}', "application/json")
    [refused] = worker.send_due_replies()
    assert (refused.state, refused.error_code) == ("refused", "rejected_422")
    assert store.replies.get(draft_reply.id).text == "not what the server expects"
    clock.advance()
    assert worker.send_due_replies() == []
    with pytest.raises(ReplyRefused):
        queue_reply(store, rid, policy, "   ")

    unknown = store.referrals.create_draft("cwac-marf", "1.0.0", {})  # iART has never seen this one
    store.referrals.freeze(unknown.id, b"{}", "application/json")
    store.outbox.enqueue(unknown.id)
    store.referrals.set_state(unknown.id, "sending")
    store.referrals.set_state(unknown.id, "received", iart_reference="IART-2026-999999")
    store.outbox.remove(unknown.id)
    lost = queue_reply(store, str(unknown.id), policy, "To a referral iART does not hold")
    [not_found] = worker.send_due_replies()
    assert (not_found.reply_id, not_found.state, not_found.error_code) == (lost.reply_id, "refused", "rejected_404")

    queued = queue_reply(store, rid, policy, "Sent with a wrong token")
    bad_token = tmp_path / "bad-token.txt"
    bad_token.write_text("not-the-token\n", encoding="utf-8")
    bad_policy = write_policy(tmp_path / "policy-bad", sandbox)
    bad_policy.write_text(
        bad_policy.read_text(encoding="utf-8").replace(str(sandbox.client_token_file), str(bad_token)),
        encoding="utf-8",
    )
    wrong = load_policy(bad_policy)
    bad_worker = OutboxWorker.from_policy(store, wrong, clock=clock)
    try:
        [attempt] = bad_worker.send_due_replies()
    finally:
        bad_worker.close()
    assert attempt.state == "retrying" and attempt.needs_it and attempt.error_code == "http_401"
    assert store.replies.get(queued.reply_id).state == "retrying"
    assert sandbox.conversation(reference) == []


def test_reply_and_send_commands(tmp_path, sandbox):
    rid, reference = profile_with_sent_referral(tmp_path, sandbox)
    text_file = tmp_path / "reply.txt"
    text_file.write_text(REPLY + "\n", encoding="utf-8")

    queued = run_cli(tmp_path, "reply", rid, "--text-file", str(text_file))
    assert queued.returncode == 0, queued.stderr
    reply_id, state, how = queued.stdout.strip().split("\t")
    assert (state, how) == ("queued", "(encrypted to iART's key)")
    sent = run_cli(tmp_path, "send")
    assert sent.returncode == 0, sent.stderr
    assert f"reply\t{reply_id}\tsent" in sent.stdout
    assert [m["text"] for m in sandbox.conversation(reference)] == [REPLY]
    assert run_cli(tmp_path, "send").stdout.strip() == "Nothing to send."
    for output in (queued.stdout, queued.stderr, sent.stdout, sent.stderr):
        assert SENTINEL not in output
    missing = run_cli(tmp_path, "reply", "00000000-0000-4000-8000-000000000000", "--text-file", str(text_file))
    assert missing.returncode == 1 and "no referral" in missing.stderr
