"""A reply iART refused is news: the professional is told by a notification, once, with the iART reference
and nothing of what the reply said, even when the retention purge took the referral before the change was
read. Before, a refused reply was told only on the referral's page (and, after the purge, its receipt),
which nobody has to open. Real SQLCipher store, the real notifier; the notification is caught where it
would be shown (``present``)."""

from __future__ import annotations

import pytest

from referral_desktop.store.losses_told import Lost
from referral_desktop.store.retention import purge_expired
from referral_desktop.ui.notifications import Known, news
from tests.ui.conftest import create_store_now, real_store_available
from tests.ui.test_document_notifications import AT, _changed, _listening, _received_with_documents

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]

REPLY = "SENTINEL the family moved to Zebedee Street"
TOLD = "IART-2026-000123: a reply you sent was not accepted by iART. Open the referral to see what to do."


def _queued_reply(store, referral_id: str) -> str:
    draft = store.replies.save_draft(referral_id, REPLY)
    store.replies.freeze(draft.id, b"{}", "application/json")
    return draft.id


def _received(store) -> str:
    rid, ids = _received_with_documents(store)
    for aid in ids:
        store.uploads.mark_uploaded(aid, 100)
    return rid


def test_a_refused_reply_is_told_once_without_its_words(qtbot, context):
    store = create_store_now(context)
    rid = context.runner.run_sync(lambda: _received(store))
    _notifier, shown = _listening(context)
    reply = context.runner.run_sync(lambda: _queued_reply(store, rid))
    _changed(context, rid)  # a reply queued: not news
    assert shown == []
    context.runner.run_sync(lambda: store.replies.mark_refused(reply, "rejected_422"))
    _changed(context, rid)  # as the reply sender emits after recording the refusal
    assert shown == [TOLD]
    _changed(context, rid)  # a later poll: not told again
    assert shown == [TOLD]
    assert "SENTINEL" not in shown[0] and "Zebedee" not in shown[0]


def test_a_reply_refused_while_the_app_was_closed_is_told_once_at_the_next_unlock(qtbot, context):
    store = create_store_now(context)
    rid = context.runner.run_sync(lambda: _received(store))
    reply = context.runner.run_sync(lambda: _queued_reply(store, rid))
    context.runner.run_sync(lambda: store.replies.mark_refused(reply, "rejected_422"))  # the app closed
    _notifier, shown = _listening(context)  # the next unlock: not told yet, so it is news now
    assert shown == [TOLD]
    _changed(context, rid)
    assert shown == [TOLD]
    _again, shown_again = _listening(context)  # and at the unlock after that, it is not news
    _changed(context, rid)
    assert shown_again == []


def test_refused_then_purged_before_the_change_is_read_is_still_told_once(qtbot, context):
    store = create_store_now(context)
    rid = context.runner.run_sync(lambda: _received(store))
    reply = context.runner.run_sync(lambda: _queued_reply(store, rid))
    _notifier, shown = _listening(context)

    def refused_decided_and_purged() -> None:
        store.replies.mark_refused(reply, "rejected_422")
        store.referrals.set_state(rid, "acknowledged")
        store.referrals.set_state(rid, "decided", outcome="early_help", decided_at=AT)
        assert purge_expired(store, AT, 30) == 1

    context.runner.run_sync(refused_decided_and_purged)
    _changed(context, rid, "purged")
    assert len(shown) == 1 and "a reply you sent was not accepted by iART" in shown[0]
    _changed(context, rid, "purged")
    assert len(shown) == 1


def test_the_purge_of_a_refused_reply_with_documents_tells_nothing_more(qtbot, context):
    """The receipt counts a refused reply's documents among those that never reached iART; they were never
    tried, so the purge must not tell them afresh as "documents could not be sent": the reply's refusal,
    told once, covered them (the page says the rest)."""
    store = create_store_now(context)
    rid = context.runner.run_sync(lambda: _received(store))

    def queued_with_documents() -> str:
        draft = store.replies.save_draft(rid, REPLY)
        for name in ("SENTINEL-letter.pdf", "SENTINEL-plan.pdf"):
            store.attachments.add_to_reply(draft.id, name, b"%PDF-1.4\n" + name.encode() + b"\n%%EOF\n")
        store.replies.freeze(draft.id, b"{}", "application/json")
        return draft.id

    reply = context.runner.run_sync(queued_with_documents)
    _notifier, shown = _listening(context)
    context.runner.run_sync(lambda: store.replies.mark_refused(reply, "rejected_422"))
    _changed(context, rid)
    assert shown == [TOLD]

    def decided_and_purged() -> None:
        store.referrals.set_state(rid, "acknowledged")
        store.referrals.set_state(rid, "decided", outcome="early_help", decided_at=AT)
        assert purge_expired(store, AT, 30) == 1

    context.runner.run_sync(decided_and_purged)
    assert store.receipts.get(rid).documents_never_reached == 2  # counted on the receipt...
    _changed(context, rid, "purged")
    assert shown == [TOLD]  # ...but not told again as news


def test_iarts_news_documents_and_a_refused_reply_in_one_change_are_told_together():
    before = Known("acknowledged", "IART-1", 0)
    after = Known("decided", "IART-1", 0)
    assert news(before, after, Lost(documents_given_up=1, replies_refused=2)) == (
        "IART-1: iART has made a decision; a document could not be sent; 2 replies you sent were not accepted by "
        "iART. Open the referral to see what to do.")
