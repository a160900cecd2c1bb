"""Replies in the encrypted store: an autosaved draft, frozen bytes under the reply's own UUID, the
sender's records, what the feeds report, and the purge (with the count on the receipt)."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from referral_desktop.store import NotEditable, open_store
from referral_desktop.store.replies import ReplyNotFound

from .conftest import PASSPHRASE, answers_with_child


def _sent_referral(store, clock) -> str:
    referral = store.referrals.create_draft("cwac-marf", "1.0.0", answers_with_child())
    store.referrals.freeze(referral.id, b"payload", "application/json")
    store.outbox.enqueue(referral.id)
    store.referrals.set_state(referral.id, "sending")
    store.referrals.set_state(referral.id, "received", iart_reference="IART-2026-000123", sent_at=clock(),
                              received_at=clock(), decision_due=clock() + timedelta(days=1))
    store.outbox.remove(referral.id)
    return referral.id


def test_the_draft_is_autosaved_under_one_uuid_and_survives_reopening(store, clock, profile):
    referral_id = _sent_referral(store, clock)
    first = store.replies.save_draft(referral_id, "The family moved")
    second = store.replies.save_draft(referral_id, "The family moved to Chester")
    assert first.id == second.id and uuid.UUID(first.id)
    assert (second.state, second.text) == ("draft", "The family moved to Chester")
    store.close()
    reopened = open_store(profile, PASSPHRASE, clock=clock)
    try:
        assert reopened.replies.draft(referral_id).text == "The family moved to Chester"
        events = [e.event for e in reopened.audit.list(referral_id)]
        assert events.count("reply_drafted") == 1  # an edit of the draft is not a new draft
        assert all("Chester" not in str(e) for e in reopened.audit.list(referral_id))
    finally:
        reopened.close()


def test_only_a_referral_iart_holds_takes_a_reply(store, clock):
    draft = store.referrals.create_draft("cwac-marf", "1.0.0", {})
    with pytest.raises(NotEditable):
        store.replies.save_draft(draft.id, "Too early")
    assert store.replies.list(draft.id) == []


def test_freezing_queues_the_exact_bytes_and_a_new_draft_gets_a_new_uuid(store, clock):
    referral_id = _sent_referral(store, clock)
    draft = store.replies.save_draft(referral_id, "News")
    queued = store.replies.freeze(draft.id, b'{"text":"News"}', "application/json")
    assert (queued.state, queued.frozen_payload, queued.id) == ("queued", b'{"text":"News"}', draft.id)
    assert [r.id for r in store.replies.due(clock.now)] == [draft.id]
    with pytest.raises(NotEditable):
        store.replies.freeze(draft.id, b"other", "application/json")  # frozen once
    assert store.replies.draft(referral_id) is None
    newer = store.replies.save_draft(referral_id, "More news")
    assert newer.id != draft.id
    assert [r.id for r in store.replies.list(referral_id)] == [draft.id, newer.id]  # the draft last


def test_the_senders_records_and_what_the_feeds_report(store, clock):
    referral_id = _sent_referral(store, clock)
    reply = store.replies.freeze(store.replies.save_draft(referral_id, "x").id, b"{}", "application/json")
    store.replies.mark_sending(reply.id)
    assert store.replies.due(clock.now) == [] and store.replies.get(reply.id).state == "sending"
    later = clock.now + timedelta(seconds=30)
    store.replies.mark_retry(reply.id, attempts=1, next_attempt_at=later, error_code="unavailable")
    assert store.replies.due(clock.now) == [] and [r.id for r in store.replies.due(later)] == [reply.id]
    # A lost answer: the feed tells that iART holds it; it becomes sent without another attempt.
    received = clock()
    assert store.replies.record_seen(reply.id, sent_at=received, sequence=2, read_at=None)
    sent = store.replies.get(reply.id)
    assert (sent.state, sent.sent_at, sent.sequence, sent.next_attempt_at) == ("sent", received, 2, None)
    assert not store.replies.record_seen(reply.id, sent_at=received, sequence=2, read_at=None)
    read = clock()
    assert store.replies.record_seen(reply.id, sent_at=received, sequence=2, read_at=read)
    assert store.replies.get(reply.id).read_at == read
    assert store.replies.outgoing() == []
    assert not store.replies.record_seen(str(uuid.uuid4()), sent_at=received, sequence=9, read_at=None)
    with pytest.raises(ReplyNotFound):
        store.replies.mark_sending(str(uuid.uuid4()))
    assert [e.event for e in store.audit.list(referral_id)][-1] == "reply_sent"


def test_iarts_messages_are_kept_once_by_their_id(store, clock):
    referral_id = _sent_referral(store, clock)
    message_id = str(uuid.uuid4())
    assert store.referrals.add_message(referral_id, "Which school?", clock(), message_id)
    assert not store.referrals.add_message(referral_id, "Which school?", clock(), message_id)
    assert [m.text for m in store.referrals.messages(referral_id)] == ["Which school?"]


def test_the_purge_takes_replies_with_the_referral_and_counts_them_on_the_receipt(store, clock):
    referral_id = _sent_referral(store, clock)
    store.referrals.set_state(referral_id, "info_requested", message="Does the family know?", message_at=clock())
    reply = store.replies.freeze(store.replies.save_draft(referral_id, "Yes, Ann's mother").id, b"{}",
                                 "application/json")
    store.replies.save_draft(referral_id, "An unsent draft")
    store.referrals.set_state(referral_id, "decided", outcome="early_help", decided_at=clock())
    assert store.purge_expired(clock.now, 30) == 0  # a reply still on its way holds the purge back
    store.replies.mark_sent(reply.id, sent_at=clock(), sequence=2)
    assert store.purge_expired(clock.now, 30) == 1
    assert store.replies.list(referral_id) == []
    assert store.referrals.messages(referral_id) == []
    assert store.receipts.get(referral_id).messages_exchanged == 2
