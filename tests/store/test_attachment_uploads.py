"""Each attachment's upload state in the real SQLCipher store: pending, uploading at N, uploaded, failed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from referral_desktop.store import AttachmentNotFound, open_store
from referral_desktop.store.attachment_uploads import (
    DAMAGED_HERE,
    FAILED,
    PENDING,
    REFUSED_FOR_GOOD,
    UPLOADED,
    UPLOADING,
)
from referral_desktop.store.connection import connect_keyed

from .conftest import PASSPHRASE, answers_with_child
from .old_versions import REFERRAL_ID, build_store_at
from .test_attachments_outbox_retention import PDF, png_bytes


def _received_with(store, clock, count: int = 3):
    """A referral iART has received, with ``count`` attachments; returns (referral id, attachment ids)."""
    referral = store.referrals.create_draft("cwac-marf", "1.0.0", answers_with_child())
    ids = [store.attachments.add(referral.id, f"doc{n}.png", png_bytes(extra=10 + n)).id for n in range(count)]
    store.referrals.freeze(referral.id, b"payload", "application/json")
    store.outbox.enqueue(referral.id)
    store.referrals.set_state(referral.id, "sending")
    store.referrals.set_state(referral.id, "received", iart_reference="IART-1", sent_at=clock(),
                              received_at=clock(), decision_due=clock() + timedelta(days=1))
    return referral.id, ids


def test_begin_records_what_the_server_waits_for(store, clock):
    referral_id, ids = _received_with(store, clock)
    assert store.uploads.progress([referral_id])[referral_id].uploaded == 0  # no rows yet: 0 of 3
    store.uploads.begin(referral_id, ids[1:])
    states = {u.attachment_id: u.state for u in store.uploads.for_referral(referral_id)}
    assert states == {ids[0]: UPLOADED, ids[1]: PENDING, ids[2]: PENDING}
    progress = store.uploads.progress()[referral_id]
    assert (progress.uploaded, progress.total, progress.complete, progress.waiting) == (1, 3, False, 2)
    assert [u.attachment_id for u in store.uploads.due(clock.now)] == sorted(ids[1:])
    assert store.uploads.waiting_count() == 2
    # A second "begin" (a replayed acknowledgement) changes nothing already recorded.
    store.uploads.mark_uploaded(ids[1], 10)
    store.uploads.begin(referral_id, ids)
    assert store.uploads.get(ids[1]).state == UPLOADED


def test_begin_joins_the_callers_transaction(store, clock):
    referral_id, ids = _received_with(store, clock, 1)
    with pytest.raises(RuntimeError), store.write():
        store.uploads.begin(referral_id, ids)
        raise RuntimeError("killed before the commit")
    assert store.uploads.for_referral(referral_id) == []


def test_uploading_offset_retry_and_uploaded(store, clock):
    referral_id, [aid] = _received_with(store, clock, 1)
    store.uploads.begin(referral_id, [aid])
    store.uploads.mark_uploading(aid, 65536)
    entry = store.uploads.get(aid)
    assert (entry.state, entry.server_offset) == (UPLOADING, 65536)
    later = clock.now + timedelta(seconds=30)
    store.uploads.mark_retry(aid, attempts=1, next_attempt_at=later, error_code="timeout", server_offset=131072)
    entry = store.uploads.get(aid)
    assert (entry.state, entry.server_offset, entry.attempts, entry.last_error_code) == (
        UPLOADING, 131072, 1, "timeout")
    assert store.uploads.due(clock.now) == []  # its own backoff
    assert store.uploads.next_due_at() == later
    assert [u.attachment_id for u in store.uploads.due(later)] == [aid]
    assert store.uploads.due_now_if(["network"], clock.now) == 0  # it stopped on a timeout, not "network"
    assert store.uploads.due_now_if(["network", "timeout"], clock.now) == 1  # the API answers again
    assert [u.attachment_id for u in store.uploads.due(clock.now)] == [aid]
    store.uploads.mark_uploaded(aid, 200_000)
    entry = store.uploads.get(aid)
    assert (entry.state, entry.server_offset, entry.last_error_code) == (UPLOADED, 200_000, None)
    assert store.uploads.progress()[referral_id].complete
    assert store.uploads.next_due_at() is None
    with pytest.raises(AttachmentNotFound):
        store.uploads.mark_uploaded("no-such-attachment", 1)


def test_repeated_mismatch_fails_after_the_bound(store, clock):
    referral_id, [aid] = _received_with(store, clock, 1)
    store.uploads.begin(referral_id, [aid])
    for n in (1, 2):
        entry = store.uploads.mark_mismatch(aid, failure=DAMAGED_HERE, next_attempt_at=clock.now, max_mismatches=3)
        assert (entry.state, entry.mismatches, entry.failure) == (PENDING, n, None)
    entry = store.uploads.mark_mismatch(aid, failure=DAMAGED_HERE, next_attempt_at=clock.now, max_mismatches=3)
    assert (entry.state, entry.failure) == (FAILED, DAMAGED_HERE)
    assert store.uploads.due(clock.now + timedelta(days=1)) == []  # never tried again
    assert store.uploads.waiting_count() == 0
    progress = store.uploads.progress()[referral_id]
    assert (progress.uploaded, progress.failed, progress.waiting, progress.complete) == (0, 1, 0, False)


def test_repeated_final_refusals_fail_after_the_bound_counted_apart_from_mismatches(store, clock, profile):
    referral_id, [aid] = _received_with(store, clock, 1)
    store.uploads.begin(referral_id, [aid])
    store.uploads.mark_mismatch(aid, failure=DAMAGED_HERE, next_attempt_at=clock.now, max_mismatches=3)
    later = clock.now + timedelta(minutes=5)
    entry = store.uploads.mark_refused(aid, error_code="rejected_422", next_attempt_at=later, max_refusals=3)
    assert (entry.state, entry.refusals, entry.mismatches, entry.failure) == (PENDING, 1, 1, None)
    assert (entry.last_error_code, entry.next_attempt_at) == ("rejected_422", later)
    entry = store.uploads.mark_refused(aid, error_code="rejected_404", next_attempt_at=later, max_refusals=3)
    assert (entry.state, entry.refusals) == (PENDING, 2)  # a mismatch does not count towards refusals
    entry = store.uploads.mark_refused(aid, error_code="rejected_422", next_attempt_at=later, max_refusals=3)
    assert (entry.state, entry.failure, entry.refusals, entry.mismatches) == (FAILED, REFUSED_FOR_GOOD, 3, 1)
    assert store.uploads.due(clock.now + timedelta(days=1)) == []  # never tried again
    assert store.uploads.next_due_at() is None and store.uploads.waiting_count() == 0
    progress = store.uploads.progress()[referral_id]
    assert (progress.failed, progress.waiting) == (1, 0)
    assert progress.sentence() == "0 of 1 document sent; 1 could not be sent"
    with pytest.raises(AttachmentNotFound):
        store.uploads.mark_refused("no-such-attachment", error_code="rejected_422", next_attempt_at=later,
                                   max_refusals=3)


def test_the_chunk_size_iart_takes_is_kept_across_reopening(store, clock, profile):
    referral_id, [aid] = _received_with(store, clock, 1)
    store.uploads.begin(referral_id, [aid])
    assert store.uploads.get(aid).chunk_bytes is None  # the job's default
    store.uploads.set_chunk_bytes(aid, 256 * 1024)
    store.close()
    reopened = open_store(profile, PASSPHRASE, clock=clock)
    try:
        assert reopened.uploads.get(aid).chunk_bytes == 256 * 1024
        assert reopened.uploads.due(clock.now)[0].chunk_bytes == 256 * 1024
    finally:
        reopened.close()


def test_reconcile_with_the_servers_view(store, clock):
    referral_id, ids = _received_with(store, clock, 3)
    store.uploads.begin(referral_id, ids)
    store.uploads.mark_uploaded(ids[2], 10)
    # The server holds ids[0] (we were killed before recording it) and lost ids[2].
    assert store.uploads.reconcile(referral_id, [ids[1], ids[2]]) == 2
    states = {u.attachment_id: u.state for u in store.uploads.for_referral(referral_id)}
    assert states == {ids[0]: UPLOADED, ids[1]: PENDING, ids[2]: PENDING}
    assert store.uploads.reconcile(referral_id, [ids[1], ids[2]]) == 0


def test_rows_survive_reopening_and_go_with_the_purge(store, profile, clock):
    referral_id, [aid] = _received_with(store, clock, 1)
    store.uploads.begin(referral_id, [aid])
    store.uploads.mark_uploading(aid, 4096)
    store.close()
    reopened = open_store(profile, PASSPHRASE, clock=clock)
    try:
        assert reopened.uploads.get(aid).server_offset == 4096
        reopened.referrals.set_state(referral_id, "decided", outcome="early_help", decided_at=clock())
        assert reopened.purge_expired(clock.now, 30) == 0  # the document is still on its way: it holds the purge
        reopened.uploads.mark_uploaded(aid, reopened.attachments.info(aid).size)
        assert reopened.purge_expired(clock.now, 30) == 1
        assert reopened.uploads.for_referral(referral_id) == []
    finally:
        reopened.close()


def test_migration_marks_attachments_of_sent_referrals_pending(profile, clock):
    build_store_at(profile, 4, PASSPHRASE, clock)
    conn = connect_keyed(profile / "store.db", PASSPHRASE)
    conn.execute("UPDATE referrals SET state = 'received', iart_reference = 'IART-OLD-2' WHERE id = ?", (REFERRAL_ID,))
    conn.close()
    store = open_store(profile, PASSPHRASE, clock=clock)
    try:
        [entry] = store.uploads.for_referral(REFERRAL_ID)
        assert entry.state == PENDING
        assert [u.attachment_id for u in store.uploads.due(clock.now)] == [entry.attachment_id]
    finally:
        store.close()


def test_a_draft_has_no_upload_rows_and_counts_zero_sent(store):
    referral = store.referrals.create_draft("cwac-marf", "1.0.0", {})
    store.attachments.add(referral.id, "a.pdf", PDF)
    assert store.uploads.for_referral(referral.id) == []
    progress = store.uploads.progress([referral.id])[referral.id]
    assert (progress.uploaded, progress.total) == (0, 1)
    assert store.uploads.progress([]) == {}


def test_reconcile_creates_rows_a_store_did_not_have(store, clock):
    referral_id, ids = _received_with(store, clock, 2)  # received before upload rows existed
    assert store.uploads.reconcile(referral_id, [ids[0]]) == 2
    states = {u.attachment_id: u.state for u in store.uploads.for_referral(referral_id)}
    assert states == {ids[0]: PENDING, ids[1]: UPLOADED}
