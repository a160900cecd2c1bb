"""Moving a draft from form 1.0.0 to 1.1.0 by the mapping 1.1.0 declares: what still means the same is
carried, everything else is listed with its reason, and the earlier answers are kept whole."""

from __future__ import annotations

import copy
import json

import pytest

from referral_desktop.bundled_data import forms_dir
from referral_desktop.domain.form_catalog import FormDefinitionError, load_form
from referral_desktop.domain.form_definition import RepeatGroup
from referral_desktop.domain.form_definition_parsing import parse_form
from referral_desktop.domain.form_move import CannotMove, can_move, plan_move

EXAMPLES = forms_dir() / "examples"


@pytest.fixture(scope="module")
def old():
    return load_form("cwac-marf", "1.0.0")


@pytest.fixture(scope="module")
def new():
    return load_form("cwac-marf", "1.1.0")


def answers_of(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))["answers"]


def _old_ids(form) -> set[str]:
    ids = set()
    for section in form.sections:
        for item in section.items:
            ids.add(item.id)
            if isinstance(item, RepeatGroup):
                ids.update(f.id for f in item.fields)
    return ids


def test_every_1_0_0_question_is_either_carried_or_says_why_not(old, new):
    carry = new.carried_from_version("1.0.0")
    assert carry is not None and can_move(old, new)
    accounted = set(carry.fields.values()) | set(carry.not_carried)
    assert _old_ids(old) == accounted
    assert all(reason.strip() for reason in carry.not_carried.values())


@pytest.mark.parametrize("name", ["valid-route-a.json", "valid-route-b.json", "valid-route-c.json",
                                  "valid-demo-referral.json"])
def test_nothing_is_lost(old, new, name):
    answers = answers_of(name)
    move = plan_move(old, new, answers)
    assert move.earlier == {"form_version": "1.0.0", "answers": answers}
    reported = {n.path for n in move.not_carried}
    carry = new.carried_from_version("1.0.0")
    old_to_new = {o: n for n, o in carry.fields.items()}
    for key, value in answers.items():
        if value in (None, "", []):
            continue  # nothing to carry
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for index, item in enumerate(value):
                for field_id, field_value in item.items():
                    path = f"{key}[{index}].{field_id}"
                    new_value = move.answers[old_to_new[key]][index].get(old_to_new.get(field_id))
                    assert new_value == field_value or path in reported, path
        else:
            assert move.answers.get(old_to_new.get(key)) == value or key in reported, key


def test_renamed_questions_carry_under_their_new_ids(old, new):
    answers = answers_of("valid-route-b.json")
    move = plan_move(old, new, answers)
    assert move.answers["agreement_given_by"] == answers["consent_given_by"]
    assert move.answers["child_views"] == answers["child_voice"]
    assert "consent_obtained" not in move.answers
    reasons = {n.path: n.reason for n in move.not_carried}
    assert "lawful basis" in reasons["consent_obtained"]
    assert "each child" in reasons["carers[0].carer_parental_responsibility"]


def test_choices_that_changed_meaning_or_went_are_not_carried(old, new):
    answers = copy.deepcopy(answers_of("valid-route-b.json"))
    answers["referral_source"] = "5A"  # 1.0.0: children's social care; 1.1.0: adult social care
    answers["concern_categories"] = ["neglect", "physical_abuse"]
    answers["assessment_tool_name"] = "early_help_assessment"
    move = plan_move(old, new, answers)
    assert "referral_source" not in move.answers
    assert move.answers["concern_categories"] == ["neglect"]
    assert "assessment_tool_name" not in move.answers
    reported = {n.path: n.label for n in move.not_carried}
    assert {"referral_source", "concern_categories", "assessment_tool_name"} <= set(reported)
    assert reported["referral_source"] == old.find("referral_source").label


def test_new_questions_are_listed(old, new):
    move = plan_move(old, new, answers_of("valid-route-a.json"))
    new_ids = {field_id for field_id, _ in move.new_questions}
    assert {"lawful_basis", "family_agreement", "parental_responsibility", "informant_protected"} <= new_ids
    assert "referrer_name" not in new_ids
    assert "risk_outside_household" in new_ids and "risk_person_name" not in new_ids  # a new group, once
    labels = dict(move.new_questions)
    assert labels["parental_responsibility"] == "Children: Who has parental responsibility for this child?"


def test_a_form_that_declares_no_mapping_cannot_take_drafts(old, new):
    with pytest.raises(CannotMove):
        plan_move(new, old, {})
    assert not can_move(new, old)


def test_a_mapping_to_an_unknown_field_is_named_by_place():
    raw = json.loads((forms_dir() / "cwac-marf" / "1.1.0.json").read_text(encoding="utf-8"))
    raw["carried_from"][0]["fields"]["no_such_field"] = "referrer_name"
    with pytest.raises(FormDefinitionError, match=r"carried_from\[0\]\.fields\.no_such_field"):
        parse_form(raw)
