"""The receipt counts the documents of a reply iART refused among those that never reached iART, in their
own kind and with nothing that identifies them.

A reply's documents are uploaded only once iART has taken the reply (``sync/jobs/reply_sending.py`` creates
their upload rows with "sent"); a reply iART refused was never taken, so its documents have no upload row,
were never sent, and the counts of documents given up on (migration 13, read from upload rows) never saw
them. Before this, the receipt of a referral whose refused reply carried two documents said that no
document was missing. All on the real SQLCipher store."""

from __future__ import annotations

from referral_desktop.store import open_store

from .conftest import PASSPHRASE
from .purge_steps import decide, receipt_row
from .test_receipt_undelivered_documents import PDF, _refused_for_good
from .test_replies import _sent_referral

#: Names and words no receipt may hold.
NAMES = ("SENTINEL-Olive-school-report.pdf", "SENTINEL-Vale-consent.pdf")
REPLY_TEXT = "SENTINEL the family moved to Sentinelford"


def _reply_with_documents(store, referral_id: str, names, text: str = REPLY_TEXT) -> tuple[str, list[str]]:
    """A reply with documents ``names``, queued to iART (frozen, with its documents)."""
    draft = store.replies.save_draft(referral_id, text)
    ids = [store.attachments.add_to_reply(draft.id, name, PDF + name.encode()).id for name in names]
    store.replies.freeze(draft.id, b"{}", "application/json")
    return draft.id, ids


def test_the_documents_of_a_reply_iart_refused_never_reached_iart_and_the_receipt_says_so(store, clock):
    referral_id = _sent_referral(store, clock)
    reply_id, ids = _reply_with_documents(store, referral_id, NAMES)
    store.replies.mark_refused(reply_id, "rejected_422")
    decide(store, referral_id, clock)

    assert store.purge_expired(clock.now, 30) == 1
    receipt = store.receipts.get(referral_id)
    assert receipt.replies_refused_by_iart == 1
    assert receipt.documents_never_reached == 2  # never sent: the reply they went with was refused
    assert receipt.documents_of_refused_replies == 2
    assert receipt.documents_given_up == 0  # no upload of them was given up on: none was ever tried
    assert (receipt.documents_damaged_here, receipt.documents_refused_by_iart) == (0, 0)
    text = " ".join(str(value) for value in receipt_row(store, referral_id))
    assert "SENTINEL" not in text and "Sentinelford" not in text and "Olive" not in text
    assert reply_id not in text and not any(aid in text for aid in ids)
    assert store.attachments.list(referral_id) == []  # the documents went with the purge


def test_each_document_is_counted_once_in_its_own_kind(store, clock):
    """A document given up on in a sent reply is the uploads' to count; a refused reply's are counted apart;
    a sent reply's document that arrived, the referral's own, and an unsent draft's are not counted."""
    referral_id = _sent_referral(store, clock)
    sent_id, [arrived, refused_for_good] = _reply_with_documents(store, referral_id, ["a.pdf", "b.pdf"], "sent")
    with store.write():
        store.replies.mark_sent(sent_id, sent_at=clock(), sequence=1)
        store.uploads.begin_reply(sent_id, [arrived, refused_for_good])
    store.uploads.mark_uploaded(arrived, store.attachments.info(arrived).size)
    _refused_for_good(store, refused_for_good, clock)
    refused_id, _ = _reply_with_documents(store, referral_id, ["c.pdf"], "refused")
    store.replies.mark_refused(refused_id, "rejected_409")
    store.attachments.add_to_reply(store.replies.ensure_draft(referral_id).id, "draft.pdf", PDF)
    decide(store, referral_id, clock)

    assert store.purge_expired(clock.now, 30) == 1
    receipt = store.receipts.get(referral_id)
    assert (receipt.documents_damaged_here, receipt.documents_refused_by_iart,
            receipt.documents_of_refused_replies) == (0, 1, 1)
    assert (receipt.documents_given_up, receipt.documents_never_reached) == (1, 2)


def test_a_refused_reply_without_documents_counts_none_and_the_count_survives_reopening(store, profile, clock):
    referral_id = _sent_referral(store, clock)
    bare = store.replies.freeze(store.replies.save_draft(referral_id, REPLY_TEXT).id, b"{}", "application/json")
    store.replies.mark_refused(bare.id, "rejected_422")
    other = _sent_referral(store, clock)
    with_documents, _ = _reply_with_documents(store, other, NAMES)
    store.replies.mark_refused(with_documents, "rejected_422")
    decide(store, referral_id, clock)
    decide(store, other, clock)

    assert store.purge_expired(clock.now, 30) == 2
    store.close()
    reopened = open_store(profile, PASSPHRASE, clock=clock)
    try:
        assert reopened.receipts.get(referral_id).documents_of_refused_replies == 0
        assert reopened.receipts.get(referral_id).documents_never_reached == 0
        assert reopened.receipts.get(other).documents_of_refused_replies == 2
    finally:
        reopened.close()
