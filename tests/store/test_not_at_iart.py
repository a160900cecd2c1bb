"""What of a sent referral has not reached iART, counted for the home list (``store.not_at_iart``): documents
not sent yet or given up on, replies waiting to send or refused. On the real SQLCipher store, with the
store's own upload and reply records; counts only, never a file name or a reply's text."""

from __future__ import annotations

from datetime import timedelta

from referral_desktop.store.not_at_iart import NotAtIart

from .purge_steps import decide
from .test_attachment_uploads import _received_with
from .test_status_command_documents import give_up, refused_reply

TEXT = "SENTINEL Olive's mother moved to Sentinelford"
NAME = "SENTINEL-Olive-letter.pdf"


def test_a_referral_whose_documents_all_reached_iart_is_not_counted(store, clock):
    referral_id, ids = _received_with(store, clock, 2)
    store.uploads.begin(referral_id, [])  # iART's acknowledgement: it holds both
    assert store.not_at_iart.counts() == {}
    assert store.not_at_iart.counts(referral_id) == {}


def test_documents_not_sent_yet_and_given_up_on_are_counted_apart_and_follow_the_uploads(store, clock):
    referral_id, ids = _received_with(store, clock, 3)
    store.uploads.begin(referral_id, ids)
    assert store.not_at_iart.counts() == {referral_id: NotAtIart(documents_waiting=3)}
    store.uploads.mark_uploading(ids[0], 5)  # under way is still not sent
    store.uploads.mark_uploaded(ids[1], store.attachments.info(ids[1]).size)
    give_up(store, clock, ids[2])
    assert store.not_at_iart.counts(referral_id) == {referral_id: NotAtIart(documents_waiting=1, documents_given_up=1)}
    store.uploads.mark_uploaded(ids[0], store.attachments.info(ids[0]).size)
    assert store.not_at_iart.counts() == {referral_id: NotAtIart(documents_given_up=1)}


def test_replies_waiting_to_send_and_refused_are_counted_with_their_documents_not_apart(store, clock):
    referral_id, _ids = _received_with(store, clock, 0)
    refused_reply(store, referral_id, TEXT, (NAME,))
    draft = store.replies.save_draft(referral_id, TEXT)
    store.attachments.add_to_reply(draft.id, NAME, b"%PDF-1.4\nx\n%%EOF\n")
    assert store.not_at_iart.counts() == {referral_id: NotAtIart(replies_refused=1)}  # a draft is not sent
    store.replies.freeze(draft.id, b"{}", "application/json")
    assert store.not_at_iart.counts() == {referral_id: NotAtIart(replies_waiting=1, replies_refused=1)}
    store.replies.mark_sending(draft.id)
    assert store.not_at_iart.counts()[referral_id].replies_waiting == 1
    store.replies.mark_retry(draft.id, attempts=1, next_attempt_at=clock() + timedelta(minutes=1), error_code="network")
    assert store.not_at_iart.counts()[referral_id].replies_waiting == 1
    # iART holds the reply and waits for its document: the reply is there, its document not yet.
    store.replies.mark_sent(draft.id, sent_at=clock(), sequence=2)
    [document] = store.attachments.for_reply(draft.id)
    store.uploads.begin_reply(draft.id, [document.id])
    assert store.not_at_iart.counts() == {referral_id: NotAtIart(documents_waiting=1, replies_refused=1)}
    counted = repr(store.not_at_iart.counts())
    assert "SENTINEL" not in counted


def test_only_the_referral_asked_for_and_none_once_purged(store, clock):
    first, first_ids = _received_with(store, clock, 1)
    second, second_ids = _received_with(store, clock, 1)
    store.uploads.begin(first, first_ids)
    store.uploads.begin(second, second_ids)
    assert set(store.not_at_iart.counts()) == {first, second}
    assert set(store.not_at_iart.counts(second)) == {second}
    store.uploads.mark_uploaded(first_ids[0], store.attachments.info(first_ids[0]).size)
    decide(store, first, clock)
    assert store.purge_expired(clock.now, 30) == 1
    assert set(store.not_at_iart.counts()) == {second}


def _purged_with_everything_lost(store, clock) -> str:
    """A referral with a document given up on, a reply iART refused carrying one document, and a reply
    started and not sent (with words), decided and purged by the real retention purge."""
    referral_id, ids = _received_with(store, clock, 2)
    store.uploads.begin(referral_id, ids)
    store.uploads.mark_uploaded(ids[0], store.attachments.info(ids[0]).size)
    give_up(store, clock, ids[1])
    refused_reply(store, referral_id, TEXT, (NAME,))
    store.replies.save_draft(referral_id, TEXT)
    assert store.not_at_iart.counts() == {referral_id: NotAtIart(documents_given_up=1, replies_refused=1)}
    decide(store, referral_id, clock)
    assert store.purge_expired(clock.now, 30) == 1
    return referral_id


def test_once_purged_the_receipts_counts_say_what_never_reached_iart(store, clock):
    """The purge deletes the upload and reply rows; the receipt keeps the counts, and the list must still
    say them: the documents (the one given up on and the refused reply's, never sent), the refused reply,
    and the reply started and not sent."""
    referral_id = _purged_with_everything_lost(store, clock)
    expected = NotAtIart(replies_refused=1, documents_never_reached=2, replies_not_sent=1)
    assert store.not_at_iart.counts() == {referral_id: expected}
    assert store.not_at_iart.counts(referral_id) == {referral_id: expected}
    assert "SENTINEL" not in repr(store.not_at_iart.counts())


def test_a_receipt_made_before_the_counts_adds_nothing(store, clock):
    """NULL: what was lost before these were counted cannot be known (the page says nothing either)."""
    referral_id = _purged_with_everything_lost(store, clock)
    with store.write() as conn:
        conn.execute("UPDATE receipts SET documents_damaged_here = NULL, documents_refused_by_iart = NULL, "
                     "replies_refused_by_iart = NULL, documents_of_refused_replies = NULL, "
                     "draft_replies_removed = NULL WHERE referral_id = ?", (referral_id,))
    assert store.not_at_iart.counts() == {}


def test_listing_every_referral_reads_only_the_rows_not_at_iart_through_the_state_indexes(store):
    """Why it stays cheap for 10,000 referrals: SQLite's own plan uses the state index of each table."""
    from referral_desktop.store import not_at_iart

    with store.read() as conn:
        plans = [" ".join(str(row[-1]) for row in conn.execute(
            "EXPLAIN QUERY PLAN " + sql.format(only=""), ("a",) * sql.count("?")).fetchall())
            for sql in (not_at_iart._DOCUMENTS, not_at_iart._REPLIES)]
    assert "USING INDEX attachment_uploads_due" in plans[0] or "USING COVERING INDEX attachment_uploads_due" in plans[0]
    assert "replies_due" in plans[1]
