"""Moving a draft to a newer form version in the real SQLCipher store: one transaction, earlier answers
kept until the referral is sent, never a move of a draft that is no longer on the version it came from."""

from __future__ import annotations

import pytest

from referral_desktop.domain.lifecycle import ReferralState
from referral_desktop.store import NotEditable

from .conftest import answers_with_child


def test_a_move_changes_version_and_answers_and_keeps_the_earlier_answers(store):
    earlier = answers_with_child() | {"consent_obtained": "yes"}
    referral = store.referrals.create_draft("cwac-marf", "1.0.0", earlier)
    moved = answers_with_child() | {"family_agreement": "agreed"}
    store.form_moves.move(referral.id, "1.0.0", "1.1.0", moved, earlier)

    reopened = store.referrals.get(referral.id)
    assert reopened.form_version == "1.1.0"
    assert reopened.answers == moved
    assert store.form_moves.earlier_answers(referral.id) == [{"form_version": "1.0.0", "answers": earlier}]
    entry = store.audit.list(referral.id)[-1]
    assert (entry.event, entry.detail) == ("form_version_changed", "1.0.0>1.1.0")


def test_a_draft_moved_twice_keeps_both_earlier_versions(store):
    referral = store.referrals.create_draft("cwac-marf", "1.0.0", {"a": 1})
    store.form_moves.move(referral.id, "1.0.0", "1.1.0", {"b": 2}, {"a": 1})
    store.form_moves.move(referral.id, "1.1.0", "1.2.0", {"c": 3}, {"b": 2})
    assert [e["form_version"] for e in store.form_moves.earlier_answers(referral.id)] == ["1.0.0", "1.1.0"]


def test_a_move_from_an_out_of_date_view_or_of_a_frozen_referral_is_refused(store):
    referral = store.referrals.create_draft("cwac-marf", "1.0.0", {"a": 1})
    with pytest.raises(NotEditable):
        store.form_moves.move(referral.id, "0.9.0", "1.1.0", {"b": 2}, {"a": 1})
    store.referrals.freeze(referral.id, b"{}", "application/json")
    with pytest.raises(NotEditable):
        store.form_moves.move(referral.id, "1.0.0", "1.1.0", {"b": 2}, {"a": 1})
    assert store.referrals.get(referral.id).answers == {"a": 1}


def test_earlier_answers_are_dropped_once_iart_has_received_the_referral(store):
    referral = store.referrals.create_draft("cwac-marf", "1.0.0", {"a": 1})
    store.form_moves.move(referral.id, "1.0.0", "1.1.0", {"b": 2}, {"a": 1})
    store.referrals.freeze(referral.id, b"{}", "application/json")
    for state in (ReferralState.QUEUED, ReferralState.SENDING):
        store.referrals.set_state(referral.id, state)
    assert store.form_moves.earlier_answers(referral.id)  # kept until it is sent
    store.referrals.set_state(referral.id, ReferralState.RECEIVED)
    assert store.form_moves.earlier_answers(referral.id) == []
