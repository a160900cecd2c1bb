"""What did not reach iART is handed to the notifications once, whenever it happened, and then never again:
"told" is kept in the encrypted store (migration 17), so it outlives the app. Before, it was known only in
memory, and a loss while the app was closed was read at the next unlock as already known. All on the real
SQLCipher store, reopened where it matters; a sentinel reply, file name and child's name are planted and
must be nowhere in what is handed back or kept."""

from __future__ import annotations

from referral_desktop.store import open_store
from referral_desktop.store.connection import connect_keyed
from referral_desktop.store.losses_told import Lost, NewlyLost

from .conftest import PASSPHRASE
from .old_versions import T0, build_store_at
from .purge_steps import decide
from .test_replies import _sent_referral
from .test_status_command_documents import give_up, refused_reply

TEXT = "SENTINEL Olive's mother moved to Sentinelford"
NAME = "SENTINEL-Olive-letter.pdf"


def _purged_with_a_draft(store, clock) -> str:
    referral_id = _sent_referral(store, clock)
    store.replies.save_draft(referral_id, TEXT)
    decide(store, referral_id, clock)
    assert store.purge_expired(clock.now, 30) == 1
    return referral_id


def test_a_draft_removed_while_the_app_was_closed_is_handed_over_once_after_reopening(store, clock, profile):
    referral_id = _purged_with_a_draft(store, clock)  # as the status command does, the app closed
    store.close()
    reopened = open_store(profile, PASSPHRASE, clock=clock)  # the next unlock
    try:
        assert reopened.losses_told.take() == [NewlyLost(referral_id, "IART-2026-000123", Lost(drafts_removed=1))]
        assert reopened.losses_told.take() == []
        assert reopened.losses_told.take(referral_id) == []
    finally:
        reopened.close()
    again = open_store(profile, PASSPHRASE, clock=clock)
    try:
        assert again.losses_told.take() == []  # told is kept, not remembered by one run
    finally:
        again.close()


def test_a_loss_told_while_open_is_not_told_again_from_the_receipt(store, clock):
    """Told from the live rows (a refused reply), then purged: the receipt's count is the same loss."""
    referral_id = _sent_referral(store, clock)
    store.referrals.set_state(referral_id, "acknowledged")
    refused_reply(store, referral_id, TEXT, (NAME,))
    assert store.losses_told.take(referral_id) == [NewlyLost(referral_id, "IART-2026-000123",
                                                             Lost(replies_refused=1))]
    store.replies.save_draft(referral_id, "SENTINEL started after the refusal")
    store.referrals.set_state(referral_id, "decided", outcome="early_help", decided_at=clock())
    assert store.purge_expired(clock.now, 30) == 1
    # Only what is new: the draft the purge removed (the refused reply's documents go with the reply).
    assert store.losses_told.take() == [NewlyLost(referral_id, "IART-2026-000123", Lost(drafts_removed=1))]


def test_documents_given_up_count_each_new_one_and_a_recovered_one_lets_a_later_one_be_news(store, clock):
    from .test_attachment_uploads import _received_with

    referral_id, ids = _received_with(store, clock, 3)
    store.uploads.begin(referral_id, ids)
    give_up(store, clock, ids[0])
    give_up(store, clock, ids[1])
    assert store.losses_told.take() == [NewlyLost(referral_id, "IART-1", Lost(documents_given_up=2))]
    store.uploads.reconcile(referral_id, [ids[2]])  # a status report: iART holds the two after all
    assert store.uploads.given_up_counts() == {}
    assert store.losses_told.take() == []
    store.uploads.mark_uploaded(ids[2], 10)
    store.uploads.reconcile(referral_id, [ids[0]])  # one is wanted again, and given up again
    give_up(store, clock, ids[0])
    assert store.losses_told.take() == [NewlyLost(referral_id, "IART-1", Lost(documents_given_up=1))]


def test_several_referrals_oldest_first_and_one_only_when_asked(store, clock):
    first = _purged_with_a_draft(store, clock)
    clock.advance(minutes=1)
    second = _purged_with_a_draft(store, clock)
    assert store.losses_told.take(second) == [NewlyLost(second, "IART-2026-000123", Lost(drafts_removed=1))]
    assert [n.referral_id for n in store.losses_told.take()] == [first]


def test_nothing_identifying_is_handed_back_or_kept(store, clock):
    referral_id = _purged_with_a_draft(store, clock)
    newly = store.losses_told.take()
    with store.read() as conn:
        kept = conn.execute("SELECT * FROM losses_told").fetchall()
    said = repr(newly) + repr(kept)
    assert referral_id in said  # the id, the reference and counts only
    assert not any(word in said for word in ("SENTINEL", "Sentinelford", "Olive", ".pdf"))


def test_an_upgrade_does_not_tell_the_past_as_news(profile, clock):
    """A store made by version 16, whose purged referral's receipt already counts a refused reply and a
    draft removed: those were told while the app was open, or are on the page, so migration 17 starts
    from them; a loss after the upgrade is news."""
    build_store_at(profile, 16, PASSPHRASE, clock)
    conn = connect_keyed(profile / "store.db", PASSPHRASE)
    purged = "7e1f0a2b-0000-4000-8000-000000000016"
    conn.execute("INSERT INTO referrals (id, form_id, form_version, state, created_at, updated_at, iart_reference) "
                 "VALUES (?, 'cwac-marf', '1.0.0', 'purged', ?, ?, 'IART-OLD-16')", (purged, T0, T0))
    conn.execute("INSERT INTO receipts (referral_id, iart_reference, form_id, form_version, created_at, purged_at, "
                 "replies_refused_by_iart, draft_replies_removed) VALUES (?, 'IART-OLD-16', 'cwac-marf', '1.0.0', "
                 "?, ?, 1, 1)", (purged, T0, T0))
    conn.close()
    store = open_store(profile, PASSPHRASE, clock=clock)
    try:
        assert store.losses_told.take() == []
        clock.advance(days=1)
        fresh = _purged_with_a_draft(store, clock)
        assert [n.referral_id for n in store.losses_told.take()] == [fresh]
    finally:
        store.close()


def test_a_deleted_referral_takes_its_row_with_it(store, clock):
    from .test_attachment_uploads import _received_with

    referral_id, ids = _received_with(store, clock, 1)
    store.uploads.begin(referral_id, ids)
    give_up(store, clock, ids[0])
    assert store.losses_told.take()
    with store.write() as conn:  # as the referral's row going (ON DELETE CASCADE)
        conn.execute("DELETE FROM referrals WHERE id = ?", (referral_id,))
        left = conn.execute("SELECT count(*) FROM losses_told").fetchone()[0]
    assert left == 0
    assert store.losses_told.take() == []
