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
