"""The audit log says when a referral was edited without a row per autosave, and is pruned under retention."""

from __future__ import annotations

from datetime import timedelta

from referral_desktop.domain.lifecycle import ReferralState


def _edits(store, referral_id):
    return [e for e in store.audit.list(referral_id) if e.event == "edited"]


def test_autosaves_within_a_minute_are_one_entry_with_every_field(store, clock):
    draft = store.referrals.create_draft("cwac-marf", "1.0.0", {})
    for n in range(30):  # a save every second while typing
        store.referrals.save_answers(draft.id, {"notes": "x" * n, **({"route": "a"} if n == 20 else {})})
        clock.advance(seconds=1)
    [entry] = _edits(store, draft.id)
    assert set(entry.fields) == {"notes", "route"}
    clock.advance(seconds=40)
    store.referrals.save_answers(draft.id, {"notes": "later"})
    assert len(_edits(store, draft.id)) == 2  # a new minute: a new entry


def test_ten_minutes_of_autosave_add_about_one_entry_a_minute(store, clock):
    draft = store.referrals.create_draft("cwac-marf", "1.0.0", {})
    for n in range(600):
        store.referrals.save_answers(draft.id, {"notes": str(n)})
        clock.advance(seconds=1)
    assert 9 <= len(_edits(store, draft.id)) <= 11


def test_another_event_between_edits_is_not_swallowed(store, clock):
    draft = store.referrals.create_draft("cwac-marf", "1.0.0", {})
    store.referrals.save_answers(draft.id, {"a": 1})
    store.audit.record("exported", draft.id)
    store.referrals.save_answers(draft.id, {"a": 2})
    assert [e.event for e in store.audit.list(draft.id)] == ["created", "edited", "exported", "edited"]


def test_the_purge_prunes_entries_older_than_retention_but_not_a_held_drafts(store, clock):
    draft = store.referrals.create_draft("cwac-marf", "1.0.0", {"n": 1})
    sent = store.referrals.create_draft("cwac-marf", "1.0.0", {"n": 2})
    store.referrals.freeze(sent.id, b"{}", "application/json")
    store.outbox.enqueue(sent.id)
    store.referrals.set_state(sent.id, ReferralState.SENDING)
    store.referrals.set_state(sent.id, ReferralState.RECEIVED, iart_reference="IART-9", received_at=clock.now)
    store.audit.record("unlocked")
    clock.advance(days=45)
    assert store.purge_expired(clock.now, retention_days=30) == 1
    assert [e.event for e in store.audit.list(sent.id)] == ["purged"]  # its older story is gone
    assert [e.event for e in store.audit.list(draft.id)] == ["created"]  # a held draft keeps its history
    assert "unlocked" not in [e.event for e in store.audit.list() if e.at < clock.now - timedelta(days=30)]
