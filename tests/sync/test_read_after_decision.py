"""What becomes of a reply's "read by iART at …" once iART decides.

The poller follows only referrals waiting for a decision, so a read that happens after the decision is
never fetched. Nothing is lost by that: the decision purges the referral's details — its replies with
them — in the very scheduler round that records it (polling runs just before purging), so after the
decision there is no reply left on this computer to mark read, only the receipt counting the messages
exchanged. What must hold, and is tested here through the scheduler's own round against the sandbox:

* a read reported together with the decision is recorded before the purge;
* a reply still on its way when iART decides holds the purge back, is delivered once, and only then
  goes with its referral (the decision never swallows a reply the professional wrote before it);
* a read after the purge has nothing to attach to and the next rounds carry on without error;
* a reply the professional started and never sent goes with the details (it cannot be sent after the
  decision), but the receipt counts it and the round tells the purge to the screens, so the loss is told.
"""

from __future__ import annotations

from datetime import date

import pytest
from sync_testing.e2e import draft

from referral_desktop.sync.queueing import queue_referral
from referral_desktop.sync.replying import queue_reply

pytestmark = pytest.mark.usefixtures("sandbox_faults_cleared")


def _round(worker, clock, seconds: float = 3600) -> None:
    """One round of the background loop, every job due (as after the status interval)."""
    clock.advance(seconds)
    worker.scheduler.run_due_jobs()


def test_the_decision_takes_the_conversation_with_it_and_never_swallows_an_unsent_reply(rig, sandbox):
    store, policy, worker, clock = rig
    rid = draft(store)
    queue_referral(store, rid, policy, date.today())
    [received] = worker.send_due()
    reference = received.iart_reference
    first = queue_reply(store, rid, policy, "First reply")
    assert [a.state for a in worker.send_due_replies()] == ["sent"]
    sandbox.set_faults([{"endpoint": "messages", "kind": "unavailable", "retry_after": 60}])
    second = queue_reply(store, rid, policy, "Second reply, written before the decision")
    assert [a.state for a in worker.send_due_replies()] == ["retrying"]
    store.replies.save_draft(rid, "SENTINEL a third reply, started and never sent")
    told: list[tuple[str, str]] = []
    worker.on_change(lambda referral_id, state: told.append((str(referral_id), str(getattr(state, "value", state)))))

    sandbox.mark_read(first.reply_id)
    sandbox.cli("decide", reference, "--outcome", "early_help_and_prevention")
    _round(worker, clock, seconds=30)  # the second reply is not due yet: it still waits when the decision comes
    assert str(store.referrals.get(rid).state) == "decided"
    assert store.replies.get(first.reply_id).read_at is not None  # reported with the decision: kept
    assert store.replies.get(second.reply_id).state == "retrying"  # the purge waits for it

    sandbox.clear_faults()
    _round(worker, clock)  # the reply goes, then the referral's details go with it
    held = [m for m in sandbox.conversation(reference) if m["direction"] == "to_iart"]
    assert sorted((m["message_id"], m["replays"]) for m in held) == sorted(
        [(first.reply_id, 0), (second.reply_id, 0)]
    )
    assert str(store.referrals.get(rid).state) == "purged"
    assert store.replies.list(rid) == []
    assert store.receipts.get(rid).messages_exchanged == 2
    assert store.receipts.get(rid).draft_replies_removed == 1  # the draft went, and the receipt says so
    assert told.count((rid, "purged")) == 1  # the purge is told to the screens, once
    assert not any("SENTINEL" in str(m) for m in sandbox.conversation(reference))  # it never went to iART

    sandbox.mark_read(second.reply_id)  # iART reads it after the purge: nothing here to mark
    _round(worker, clock)
    assert store.replies.list(rid) == [] and str(store.referrals.get(rid).state) == "purged"
