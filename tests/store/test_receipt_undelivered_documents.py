"""The receipt kept after the purge says how many of the referral's documents never reached iART, and why
in kind, with nothing that identifies them.

A document given up on (upload ``failed``: damaged here, refused as not matching its checksum, or refused
by iART for good) does not hold the purge, and the purge deletes its upload row with everything else.
Without a count on the receipt nothing would record afterwards that iART never got it, and the referral's
page would stop telling the professional to phone iART. The count covers the referral's own documents and
its replies' documents. All on the real SQLCipher store."""

from __future__ import annotations

from datetime import timedelta

from referral_desktop.store.attachment_uploads import DAMAGED_HERE, REFUSED_BY_SERVER

from .purge_steps import decide, receipt_row
from .test_attachments_outbox_retention import png_bytes
from .test_replies import _sent_referral

#: File names no receipt may hold.
NAMES = ("SENTINEL-Olive-school-report.png", "SENTINEL-Vale-consent.png")
REPLY_NAME = "SENTINEL-reply-letter.pdf"
PDF = b"%PDF-1.4\nreply document\n%%EOF\n"


def _received_with_named_documents(store, clock) -> tuple[str, list[str]]:
    """A referral iART acknowledged with two documents it still waits for."""
    referral = store.referrals.create_draft("cwac-marf", "1.0.0", {"immediate_danger": "no"})
    ids = [store.attachments.add(referral.id, name, png_bytes(extra=10 + n)).id for n, name in enumerate(NAMES)]
    store.referrals.freeze(referral.id, b"payload", "application/json")
    store.outbox.enqueue(referral.id)
    store.referrals.set_state(referral.id, "sending")
    with store.write():
        store.referrals.set_state(referral.id, "received", iart_reference="IART-2026-000777", sent_at=clock(),
                                  received_at=clock(), decision_due=clock() + timedelta(days=1))
        store.uploads.begin(referral.id, ids)
    return str(referral.id), ids


def _refused_for_good(store, attachment_id: str, clock) -> None:
    for _ in range(3):
        store.uploads.mark_refused(attachment_id, error_code="rejected_422", next_attempt_at=clock(), max_refusals=3)


def test_a_document_iart_refused_for_good_is_counted_on_the_receipt_without_its_name(store, clock):
    referral_id, [refused, uploaded] = _received_with_named_documents(store, clock)
    _refused_for_good(store, refused, clock)
    store.uploads.mark_uploaded(uploaded, store.attachments.info(uploaded).size)
    decide(store, referral_id, clock)

    assert store.purge_expired(clock.now, 30) == 1
    receipt = store.receipts.get(referral_id)
    assert (receipt.documents_refused_by_iart, receipt.documents_damaged_here) == (1, 0)
    assert receipt.documents_never_reached == 1
    row = receipt_row(store, referral_id)
    text = " ".join(str(value) for value in row)
    for sentinel in ("SENTINEL", "Olive", "Vale", ".png", "png"):
        assert sentinel not in text  # counts only: no file name, no type
    assert refused not in text and uploaded not in text  # nor the documents' ids
    assert store.uploads.for_referral(referral_id) == []  # the upload rows went with the purge


def test_why_is_kept_in_kind_damaged_here_apart_from_refused_by_iart(store, clock):
    referral_id, [damaged, mismatched] = _received_with_named_documents(store, clock)
    store.uploads.mark_mismatch(damaged, failure=DAMAGED_HERE, next_attempt_at=clock(), max_mismatches=1)
    store.uploads.mark_mismatch(mismatched, failure=REFUSED_BY_SERVER, next_attempt_at=clock(), max_mismatches=1)
    decide(store, referral_id, clock)

    assert store.purge_expired(clock.now, 30) == 1
    receipt = store.receipts.get(referral_id)
    # iART refusing the bytes as not matching their checksum is iART not accepting them.
    assert (receipt.documents_damaged_here, receipt.documents_refused_by_iart) == (1, 1)
    assert receipt.documents_never_reached == 2


def test_a_referral_whose_documents_all_arrived_counts_none(store, clock):
    referral_id, ids = _received_with_named_documents(store, clock)
    for attachment_id in ids:
        store.uploads.mark_uploaded(attachment_id, store.attachments.info(attachment_id).size)
    decide(store, referral_id, clock)

    assert store.purge_expired(clock.now, 30) == 1
    receipt = store.receipts.get(referral_id)
    assert (receipt.documents_damaged_here, receipt.documents_refused_by_iart) == (0, 0)
    assert receipt.documents_never_reached == 0


def test_a_replys_document_given_up_on_is_counted(store, clock):
    referral_id = _sent_referral(store, clock)
    draft = store.replies.save_draft(referral_id, "Attached")
    info = store.attachments.add_to_reply(draft.id, REPLY_NAME, PDF)
    store.replies.freeze(draft.id, b"{}", "application/json")
    with store.write():
        store.replies.mark_sent(draft.id, sent_at=clock(), sequence=1)
        store.uploads.begin_reply(draft.id, [info.id])
    _refused_for_good(store, info.id, clock)
    decide(store, referral_id, clock)

    assert store.purge_expired(clock.now, 30) == 1
    receipt = store.receipts.get(referral_id)
    assert (receipt.documents_damaged_here, receipt.documents_refused_by_iart) == (0, 1)
    assert "SENTINEL" not in " ".join(str(value) for value in receipt_row(store, referral_id))


def test_a_referral_past_its_retention_period_is_counted_too(store, clock):
    referral_id, [damaged, uploaded] = _received_with_named_documents(store, clock)
    store.uploads.mark_mismatch(damaged, failure=DAMAGED_HERE, next_attempt_at=clock(), max_mismatches=1)
    store.uploads.mark_uploaded(uploaded, store.attachments.info(uploaded).size)
    clock.advance(days=31)  # received, never decided

    assert store.purge_expired(clock.now, 30) == 1
    assert store.receipts.get(referral_id).documents_damaged_here == 1


def test_the_counts_survive_reopening(store, profile, clock):
    from referral_desktop.store import open_store

    from .conftest import PASSPHRASE

    referral_id, [refused, uploaded] = _received_with_named_documents(store, clock)
    _refused_for_good(store, refused, clock)
    store.uploads.mark_uploaded(uploaded, store.attachments.info(uploaded).size)
    decide(store, referral_id, clock)
    assert store.purge_expired(clock.now, 30) == 1
    store.close()
    reopened = open_store(profile, PASSPHRASE, clock=clock)
    try:
        assert reopened.receipts.get(referral_id).documents_refused_by_iart == 1
        assert [r.documents_never_reached for r in reopened.receipts.list()] == [1]
    finally:
        reopened.close()


def test_given_up_counts_covers_every_referral_in_one_read_with_replies_documents(store, clock):
    """What the notifications read at unlock: per referral, its documents given up on (its own and its
    replies'); nothing for a referral whose documents arrived or are still on their way."""
    with_own, [refused, still_going] = _received_with_named_documents(store, clock)
    _refused_for_good(store, refused, clock)
    arrived, ids = _received_with_named_documents(store, clock)
    for attachment_id in ids:
        store.uploads.mark_uploaded(attachment_id, store.attachments.info(attachment_id).size)
    with_reply = _sent_referral(store, clock)
    draft = store.replies.save_draft(with_reply, "Attached")
    info = store.attachments.add_to_reply(draft.id, REPLY_NAME, PDF)
    store.replies.freeze(draft.id, b"{}", "application/json")
    with store.write():
        store.replies.mark_sent(draft.id, sent_at=clock(), sequence=1)
        store.uploads.begin_reply(draft.id, [info.id])
    store.uploads.mark_mismatch(info.id, failure=DAMAGED_HERE, next_attempt_at=clock(), max_mismatches=1)

    assert store.uploads.given_up_counts() == {with_own: 1, str(with_reply): 1}
    assert store.uploads.get(still_going).state == "pending" and arrived not in store.uploads.given_up_counts()
