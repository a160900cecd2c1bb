"""Referrals: drafts, autosave with audit of changed paths, freezing, lifecycle, summaries, stale drafts."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from referral_desktop.domain.lifecycle import InvalidTransition, ReferralState
from referral_desktop.store import NotEditable, ReferralNotFound

from .conftest import answers_with_child


def test_create_draft_has_a_uuid_and_summary(store):
    referral = store.referrals.create_draft("cwac-marf", "1.0.0", answers_with_child("zoe", "young"))
    assert uuid.UUID(referral.id).version == 4
    assert referral.state == ReferralState.DRAFT
    assert referral.child_initials == "ZY"
    [summary] = store.referrals.list_summaries()
    assert (summary.id, summary.state, summary.child_initials) == (referral.id, "draft", "ZY")
    assert [e.event for e in store.audit.list(referral.id)] == ["created"]


def test_autosave_records_changed_paths_never_values(store, clock):
    referral = store.referrals.create_draft("cwac-marf", "1.0.0", answers_with_child())
    updated = store.referrals.save_answers(
        referral.id, answers_with_child("Ann", "Cee", route="b", concerns=["neglect"])
    )
    assert store.referrals.get(referral.id).updated_at == updated
    entry = store.audit.list(referral.id)[-1]
    assert entry.event == "edited"
    assert entry.fields == ("children[0].family_name", "concerns", "route")
    assert "Cee" not in repr(entry)
    assert entry.user
    # An unchanged document writes nothing.
    count = len(store.audit.list(referral.id))
    store.referrals.save_answers(referral.id, answers_with_child("Ann", "Cee", route="b", concerns=["neglect"]))
    assert len(store.audit.list(referral.id)) == count


def test_keys_that_are_not_field_ids_are_not_logged(store):
    referral = store.referrals.create_draft("cwac-marf", "1.0.0", {})
    store.referrals.save_answers(referral.id, {"Jane Smith lives at": "1 High St"})
    assert store.audit.list(referral.id)[-1].fields == ("_other",)


def test_missing_referral(store):
    with pytest.raises(ReferralNotFound):
        store.referrals.get(str(uuid.uuid4()))
    with pytest.raises(ReferralNotFound):
        store.referrals.save_answers(str(uuid.uuid4()), {})


def test_freeze_then_answers_are_read_only(store):
    referral = store.referrals.create_draft("cwac-marf", "1.0.0", {"route": "a"})
    store.referrals.freeze(referral.id, b'{"frozen": true}', "application/json")
    frozen = store.referrals.get(referral.id)
    assert frozen.state == ReferralState.READY
    assert frozen.frozen_payload == b'{"frozen": true}'
    assert frozen.payload_content_type == "application/json"
    with pytest.raises(NotEditable):
        store.referrals.save_answers(referral.id, {"route": "b"})
    with pytest.raises(InvalidTransition):
        store.referrals.freeze(referral.id, b"x", "application/json")


def _sent(store, clock):
    referral = store.referrals.create_draft("cwac-marf", "1.0.0", answers_with_child())
    store.referrals.freeze(referral.id, b"payload", "application/json")
    store.outbox.enqueue(referral.id)
    store.referrals.set_state(referral.id, "sending")
    now = clock()
    store.referrals.set_state(
        referral.id, "received", iart_reference="IART-2026-000123", sent_at=now, received_at=now,
        decision_due=now + timedelta(days=1),
    )
    return referral.id


def test_lifecycle_to_decided_with_details(store, clock):
    referral_id = _sent(store, clock)
    store.referrals.set_state(referral_id, "decided", outcome="nfa", decided_at=clock())
    referral = store.referrals.get(referral_id)
    assert referral.state == "decided"
    assert referral.iart_reference == "IART-2026-000123"
    assert referral.outcome == "nfa"
    events = [(e.event, e.detail) for e in store.audit.list(referral_id)]
    assert events == [("created", None), ("frozen", None), ("queued", "queued"),
                      ("status_changed", "sending"), ("sent", "received"), ("status_changed", "decided")]
    [summary] = store.referrals.list_summaries(states=["decided"])
    assert summary.iart_reference == "IART-2026-000123"
    assert store.referrals.list_summaries(states=["draft"]) == []


def test_set_state_refuses_impossible_moves_and_unknown_details(store, clock):
    referral_id = _sent(store, clock)
    with pytest.raises(InvalidTransition):
        store.referrals.set_state(referral_id, "draft")
    with pytest.raises(TypeError):
        store.referrals.set_state(referral_id, "acknowledged", answers={"x": 1})


def test_reject_returns_to_draft_with_reasons(store):
    referral = store.referrals.create_draft("cwac-marf", "1.0.0", {"route": "b"})
    store.referrals.freeze(referral.id, b"payload", "application/json")
    store.outbox.enqueue(referral.id)
    store.referrals.set_state(referral.id, "sending")
    store.referrals.reject(referral.id, [("children[0].nhs_number", "Enter a valid NHS number")])
    rejected = store.referrals.get(referral.id)
    assert rejected.state == ReferralState.DRAFT
    assert rejected.rejection_reasons == [("children[0].nhs_number", "Enter a valid NHS number")]
    assert rejected.frozen_payload is None
    assert store.outbox.get(referral.id) is None
    assert store.referrals.list_summaries()[0].has_rejection_reasons
    store.referrals.save_answers(referral.id, {"route": "a"})  # editable again
    store.referrals.freeze(referral.id, b"payload2", "application/json")
    assert store.referrals.get(referral.id).rejection_reasons == []


def test_delete_draft(store):
    referral = store.referrals.create_draft("cwac-marf", "1.0.0", {})
    store.referrals.delete_draft(referral.id)
    assert store.referrals.list_summaries() == []
    assert [e.event for e in store.audit.list(referral.id)] == ["created", "deleted"]


def test_stale_drafts_are_offered_not_deleted(store, clock):
    old = store.referrals.create_draft("cwac-marf", "1.0.0", {})
    clock.advance(days=60)
    fresh = store.referrals.create_draft("cwac-marf", "1.0.0", {})
    clock.advance(days=31)
    assert [s.id for s in store.referrals.stale_drafts(clock.now)] == [old.id]
    assert store.purge_expired(clock.now, 30) == 0
    assert {s.id for s in store.referrals.list_summaries()} == {old.id, fresh.id}


def test_summaries_are_newest_first(store, clock):
    a = store.referrals.create_draft("cwac-marf", "1.0.0", {})
    b = store.referrals.create_draft("cwac-marf", "1.0.0", {})
    store.referrals.save_answers(a.id, {"route": "a"})
    assert [s.id for s in store.referrals.list_summaries()] == [a.id, b.id]


def test_profile_round_trip(store):
    assert store.profile.get() == {}
    store.profile.set({"referrer_name": "Dr Example", "referrer_email": "gp@example.nhs.uk"})
    assert store.profile.get()["referrer_name"] == "Dr Example"
    entry = store.audit.list()[-1]
    assert entry.event == "profile_changed"
    assert entry.fields == ("referrer_email", "referrer_name")


def test_audit_refuses_values(store):
    with pytest.raises(ValueError):
        store.audit.record("edited", fields=["Jane Smith"])
    with pytest.raises(ValueError):
        store.audit.record("not_an_event")
    store.audit.record("validated", fields=["children[0].nhs_number"])
    store.audit.record("exported")
    store.audit.record("locked")
    assert [e.event for e in store.audit.list()][-3:] == ["validated", "exported", "locked"]


def test_frozen_gives_the_exact_bytes_and_state_without_the_answers(store):
    referral = store.referrals.create_draft("cwac-marf", "1.0.0", answers_with_child())
    assert store.referrals.frozen(referral.id).frozen_payload is None
    payload = b'{"answers":{},"form_id":"cwac-marf"}'
    store.referrals.freeze(referral.id, payload, "application/json")
    frozen = store.referrals.frozen(referral.id)
    assert (frozen.id, frozen.form_id, frozen.form_version) == (referral.id, "cwac-marf", "1.0.0")
    assert frozen.state == ReferralState.READY and frozen.iart_reference is None
    assert frozen.frozen_payload == payload and frozen.payload_content_type == "application/json"
    assert not hasattr(frozen, "answers")
    with pytest.raises(ReferralNotFound):
        store.referrals.frozen(str(uuid.uuid4()))
