"""The retention purge never deletes a referral's own document before iART has it.

A document the professional attached to the referral is uploaded after iART acknowledges the referral
(one ``attachment_uploads`` row each). If iART decides while one is still ``pending`` or ``uploading``
(an outage, a 503), a purge at the decision would delete it unsent. So the purge waits, as it waits for a
reply's documents: until the upload is done (then the referral goes with everything) or given up on
(the uploads job's final refusal after repeated checksum mismatches), which is what bounds the wait.
All on the real SQLCipher store."""

from __future__ import annotations

from contextlib import contextmanager

import pytest

from referral_desktop.store.attachment_uploads import (
    DAMAGED_HERE,
    FAILED,
    PENDING,
    REFUSED_BY_SERVER,
    REFUSED_FOR_GOOD,
)

from .purge_steps import decide
from .test_attachment_uploads import _received_with
from .test_attachments_outbox_retention import png_bytes


def _held(store, attachment_id: str) -> tuple[int, int]:
    """(attachment rows, chunk rows) this store still holds for the document."""
    with store.read() as conn:
        return (
            conn.execute("SELECT count(*) FROM attachments WHERE id = ?", (attachment_id,)).fetchone()[0],
            conn.execute("SELECT count(*) FROM attachment_chunks WHERE attachment_id = ?",
                         (attachment_id,)).fetchone()[0],
        )


def test_a_decided_referral_waits_while_its_own_document_is_on_its_way(store, clock):
    referral_id, [sent, waiting] = _received_with(store, clock, 2)
    store.uploads.begin(referral_id, [waiting])  # iART has the first, still waits for the second
    decide(store, referral_id, clock)

    assert store.purge_expired(clock.now, 30) == 0  # 'pending': nothing purged, nothing deleted
    assert str(store.referrals.get(referral_id).state) == "decided"
    assert store.attachments.read(waiting) == png_bytes(extra=11)  # still here, whole, to be uploaded
    assert _held(store, waiting)[0] == 1 and _held(store, waiting)[1] >= 1
    assert store.receipts.get(referral_id) is None

    store.uploads.mark_uploading(waiting, 10)
    clock.advance(days=400)  # however long: the document has not arrived, so the purge still waits
    assert store.purge_expired(clock.now, 30) == 0
    assert [e.attachment_id for e in store.uploads.due(clock.now)] == [waiting]  # the upload job still has it

    store.uploads.mark_uploaded(waiting, store.attachments.info(waiting).size)
    assert store.purge_expired(clock.now, 30) == 1  # the next purge takes the referral with everything
    assert str(store.referrals.get(referral_id).state) == "purged"
    assert _held(store, sent) == (0, 0) and _held(store, waiting) == (0, 0)
    assert store.uploads.for_referral(referral_id) == []
    assert store.receipts.get(referral_id).outcome == "early_help"


def test_a_referral_past_its_retention_period_waits_too(store, clock):
    referral_id, [aid] = _received_with(store, clock, 1)
    store.uploads.begin(referral_id, [aid])
    clock.advance(days=31)  # received, never decided, past the period
    assert store.purge_expired(clock.now, 30) == 0
    assert _held(store, aid)[0] == 1
    store.uploads.mark_uploaded(aid, store.attachments.info(aid).size)
    assert store.purge_expired(clock.now, 30) == 1


@pytest.mark.parametrize("failure", [DAMAGED_HERE, REFUSED_BY_SERVER])
def test_a_document_given_up_on_does_not_hold_the_purge(store, clock, failure):
    referral_id, [uploaded, given_up] = _received_with(store, clock, 2)
    store.uploads.begin(referral_id, [given_up])
    entry = store.uploads.mark_mismatch(given_up, failure=failure, next_attempt_at=clock(), max_mismatches=1)
    assert entry.state == FAILED
    decide(store, referral_id, clock)
    assert store.purge_expired(clock.now, 30) == 1
    assert _held(store, given_up) == (0, 0) and _held(store, uploaded) == (0, 0)


def test_a_document_iart_refused_for_good_does_not_hold_the_purge(store, clock):
    referral_id, [refused] = _received_with(store, clock, 1)
    store.uploads.begin(referral_id, [refused])
    decide(store, referral_id, clock)
    for _ in range(2):
        store.uploads.mark_refused(refused, error_code="rejected_422", next_attempt_at=clock(), max_refusals=3)
        assert store.purge_expired(clock.now, 30) == 0  # still to be tried again: it holds the purge
    entry = store.uploads.mark_refused(refused, error_code="rejected_422", next_attempt_at=clock(), max_refusals=3)
    assert (entry.state, entry.failure) == (FAILED, REFUSED_FOR_GOOD)
    assert store.purge_expired(clock.now, 30) == 1
    assert _held(store, refused) == (0, 0)


def test_one_referrals_waiting_document_holds_only_that_referral(store, clock):
    waiting_id, [waiting] = _received_with(store, clock, 1)
    done_id, [done] = _received_with(store, clock, 1)
    store.uploads.begin(waiting_id, [waiting])
    store.uploads.begin(done_id, [])  # iART had it with the referral
    decide(store, waiting_id, clock)
    decide(store, done_id, clock)
    assert store.purge_expired(clock.now, 30) == 1
    assert str(store.referrals.get(done_id).state) == "purged"
    assert str(store.referrals.get(waiting_id).state) == "decided"


def test_a_document_found_missing_between_the_list_and_the_purge_still_holds_it(store, clock, monkeypatch):
    """The purge lists what is due, then purges each in its own transaction; a status report in between
    (another process) may say iART lost a document. The transaction checks again and leaves the referral."""
    referral_id, [aid] = _received_with(store, clock, 1)
    store.uploads.begin(referral_id, [])  # iART has it
    clock.advance(days=31)
    read = store.read
    lost = []

    @contextmanager
    def read_then_lose_the_document():
        with read() as conn:
            yield conn
        if not lost:  # once, right after the purge's list was read
            lost.append(None)
            lost[0] = store.uploads.reconcile(referral_id, [aid])

    monkeypatch.setattr(store, "read", read_then_lose_the_document)
    assert store.purge_expired(clock.now, 30) == 0
    assert lost == [1] and store.uploads.get(aid).state == PENDING
    assert str(store.referrals.get(referral_id).state) == "received" and _held(store, aid)[0] == 1
