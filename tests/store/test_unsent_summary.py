"""Counts of unsent work, readable without the passphrase (for the forgotten-passphrase warning)."""

import json

from referral_desktop.store import unsent_summary


def test_counts_follow_every_change_of_state(store, profile, clock):
    assert unsent_summary(profile) == unsent_summary(profile).__class__(0, 0)
    a = store.referrals.create_draft("cwac-marf", "1.0.0", {})
    b = store.referrals.create_draft("cwac-marf", "1.0.0", {})
    assert (unsent_summary(profile).drafts, unsent_summary(profile).waiting_to_send) == (2, 0)
    store.referrals.freeze(a.id, b"p", "application/json")
    store.outbox.enqueue(a.id)
    assert (unsent_summary(profile).drafts, unsent_summary(profile).waiting_to_send) == (1, 1)
    store.referrals.set_state(a.id, "sending")
    store.referrals.set_state(a.id, "received", iart_reference="R1")
    store.referrals.delete_draft(b.id)
    summary = unsent_summary(profile)
    assert (summary.drafts, summary.waiting_to_send, summary.total, summary.known) == (0, 0, 0, True)
    # The file holds counts and nothing else.
    assert set(json.loads((profile / "unsent-summary.json").read_text())) == {"drafts", "waiting_to_send"}


def test_unknown_when_the_file_is_missing(store, profile):
    (profile / "unsent-summary.json").unlink()
    assert not unsent_summary(profile).known


def test_no_store_means_nothing_unsent(tmp_path):
    summary = unsent_summary(tmp_path / "nowhere")
    assert summary.known and summary.total == 0


def test_a_batch_rewrites_the_counts_once_on_leaving(store, profile):
    """The sender's batches: inside, the file keeps the counts from before (no fewer than there are);
    leaving the outermost batch writes the counts as they are."""
    ids = []
    for _ in range(3):
        referral = store.referrals.create_draft("cwac-marf", "1.0.0", {})
        store.referrals.freeze(referral.id, b"p", "application/json")
        store.outbox.enqueue(referral.id)
        ids.append(referral.id)
    before = (unsent_summary(profile).drafts, unsent_summary(profile).waiting_to_send)
    assert before == (0, 3)
    written = []
    original = store.refresh_unsent_summary
    store.refresh_unsent_summary = lambda: (written.append(1), original())[1]
    with store.batched_unsent_counts():
        with store.batched_unsent_counts():  # nested: only the outermost writes
            store.referrals.set_state(ids[0], "sending")
            store.referrals.set_state(ids[0], "received", iart_reference="R1")
            store.outbox.remove(ids[0])
        store.referrals.set_state(ids[1], "sending")
        store.referrals.set_state(ids[1], "received", iart_reference="R2")
        store.outbox.remove(ids[1])
        assert (unsent_summary(profile).drafts, unsent_summary(profile).waiting_to_send) == before
        assert written == []
    assert written == [1]
    assert (unsent_summary(profile).drafts, unsent_summary(profile).waiting_to_send) == (0, 1)
