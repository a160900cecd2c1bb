"""The receipt records that a reply the professional started and never sent was removed by the purge.

The retention rule stands: once iART has decided, the referral's details go, and a draft reply (with the
documents attached to it) goes with them; it cannot be sent after the decision. Before, nothing recorded
that it went: the receipt counted sent, refused and undelivered things only, so someone who came back to
finish a reply found it gone without a word. The purge now counts, in its own transaction, the drafts that
held anything (text that is not only whitespace, or a document): a count, never the text or a file name.
All on the real SQLCipher store."""

from __future__ import annotations

from referral_desktop.store import open_store

from .conftest import PASSPHRASE
from .purge_steps import decide, receipt_row
from .test_receipt_undelivered_documents import PDF
from .test_replies import _sent_referral

TEXT = "SENTINEL the family moved to Sentinelford on Monday"
NAME = "SENTINEL-Olive-school-report.pdf"


def _nothing_identifying(store, referral_id: str, *ids: str) -> None:
    text = " ".join(str(value) for value in receipt_row(store, referral_id))
    assert "SENTINEL" not in text and "Sentinelford" not in text and "Olive" not in text
    assert not any(i in text for i in ids)


def test_an_unsent_draft_reply_removed_by_the_purge_is_counted_on_the_receipt(store, clock):
    referral_id = _sent_referral(store, clock)
    draft = store.replies.save_draft(referral_id, TEXT)
    decide(store, referral_id, clock)

    assert store.purge_expired(clock.now, 30) == 1
    receipt = store.receipts.get(referral_id)
    assert receipt.draft_replies_removed == 1
    assert store.replies.list(referral_id) == []  # the rule stands: the draft went with the details
    assert receipt.replies_refused_by_iart == 0 and receipt.documents_never_reached == 0
    _nothing_identifying(store, referral_id, draft.id)


def test_a_draft_holding_only_a_document_is_counted_and_its_name_is_not_kept(store, clock):
    referral_id = _sent_referral(store, clock)
    draft = store.replies.ensure_draft(referral_id)  # a document chosen before any word was typed
    document = store.attachments.add_to_reply(draft.id, NAME, PDF + NAME.encode())
    decide(store, referral_id, clock)

    assert store.purge_expired(clock.now, 30) == 1
    receipt = store.receipts.get(referral_id)
    assert receipt.draft_replies_removed == 1
    assert store.attachments.list(referral_id) == []
    _nothing_identifying(store, referral_id, draft.id, document.id)


def test_an_empty_or_blank_draft_held_nothing_and_is_not_counted(store, clock):
    """The box autosaves what is typed, so a draft can be left holding only spaces or line breaks (typed,
    then deleted); nothing was lost with it."""
    blank = _sent_referral(store, clock)
    store.replies.save_draft(blank, " \n\t \u00a0\n")
    empty = _sent_referral(store, clock)
    store.replies.ensure_draft(empty)
    none = _sent_referral(store, clock)
    for referral_id in (blank, empty, none):
        decide(store, referral_id, clock)

    assert store.purge_expired(clock.now, 30) == 3
    assert [store.receipts.get(r).draft_replies_removed for r in (blank, empty, none)] == [0, 0, 0]


def test_sent_and_refused_replies_are_not_counted_as_drafts(store, clock):
    referral_id = _sent_referral(store, clock)
    sent = store.replies.freeze(store.replies.save_draft(referral_id, "sent").id, b"{}", "application/json")
    store.replies.mark_sent(sent.id, sent_at=clock(), sequence=1)
    refused = store.replies.freeze(store.replies.save_draft(referral_id, "refused").id, b"{}", "application/json")
    store.replies.mark_refused(refused.id, "rejected_422")
    store.replies.save_draft(referral_id, TEXT)
    decide(store, referral_id, clock)

    assert store.purge_expired(clock.now, 30) == 1
    receipt = store.receipts.get(referral_id)
    assert (receipt.draft_replies_removed, receipt.replies_refused_by_iart, receipt.messages_exchanged) == (1, 1, 1)


def test_a_draft_removed_when_the_retention_period_ends_is_counted_too(store, clock):
    """The purge also takes a referral iART never decided once its retention period has passed."""
    referral_id = _sent_referral(store, clock)
    store.replies.save_draft(referral_id, TEXT)
    clock.advance(days=31)

    assert store.purge_expired(clock.now, 30) == 1
    assert store.receipts.get(referral_id).draft_replies_removed == 1


def test_the_count_survives_reopening(store, profile, clock):
    referral_id = _sent_referral(store, clock)
    store.replies.save_draft(referral_id, TEXT)
    decide(store, referral_id, clock)
    assert store.purge_expired(clock.now, 30) == 1
    store.close()
    reopened = open_store(profile, PASSPHRASE, clock=clock)
    try:
        assert reopened.receipts.get(referral_id).draft_replies_removed == 1
    finally:
        reopened.close()


def test_words_typed_but_not_saved_when_the_purge_came_are_counted_once_by_the_screen(store, clock):
    """The reply box saves after a pause in typing: words typed in it when the purge removed the details
    were never a draft the purge could count, so the screen that held them counts them (as one reply), and
    never a second time beside a draft the purge counted."""
    nothing_saved = _sent_referral(store, clock)
    decide(store, nothing_saved, clock)
    saved = _sent_referral(store, clock)
    store.replies.save_draft(saved, TEXT)
    decide(store, saved, clock)
    assert store.purge_expired(clock.now, 30) == 2
    assert store.receipts.count_unsaved_reply(nothing_saved) is True
    assert store.receipts.count_unsaved_reply(nothing_saved) is False
    assert store.receipts.count_unsaved_reply(saved) is False
    assert [store.receipts.get(r).draft_replies_removed for r in (nothing_saved, saved)] == [1, 1]
    _nothing_identifying(store, nothing_saved)
