"""Form 1.1.0 is right in law and in practice: one test per finding of issue 9.

Each test checks 1.1.0 and, where 1.0.0 was wrong, shows that the same check fails on 1.0.0, so the
test could not pass by accident. Examples live in ``forms/examples/1.1.0/``.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import date

import pytest
from stdnum.gb import upn as stdnum_upn

from referral_desktop.bundled_data import forms_dir
from referral_desktop.domain.contacts import iter_all_numbers, load_contacts
from referral_desktop.domain.form_catalog import (
    latest_form,
    load_form,
    set_form_contacts,
)
from referral_desktop.domain.form_definition import Field, RepeatGroup
from referral_desktop.domain.form_text import placeholders, render_form
from referral_desktop.domain.validation import validate

EXAMPLES = forms_dir() / "examples" / "1.1.0"
EXPECTED = json.loads((EXAMPLES / "expected-errors.json").read_text(encoding="utf-8"))
TODAY = date.fromisoformat(EXPECTED["today"])


@pytest.fixture(scope="module")
def new():
    return load_form("cwac-marf", "1.1.0")


@pytest.fixture(scope="module")
def old():
    return load_form("cwac-marf", "1.0.0")


def example(name: str) -> dict:
    document = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    assert (document["form_id"], document["form_version"]) == ("cwac-marf", "1.1.0")
    return document["answers"]


def paths(form, answers) -> list[str]:
    return [error.path for error in validate(form, answers, today=TODAY).errors]


def raw_text(version: str) -> str:
    return (forms_dir() / "cwac-marf" / f"{version}.json").read_text(encoding="utf-8")


# -- the examples ----------------------------------------------------------------------------------


def test_new_referrals_use_1_1_0():
    assert latest_form("cwac-marf").version == "1.1.0"


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("valid-*.json")))
def test_valid_examples_pass(new, name):
    assert paths(new, example(name)) == []
    assert validate(new, example(name), today=date.today()).is_valid


def test_every_invalid_example_is_listed():
    assert {p.name for p in EXAMPLES.glob("invalid-*.json")} == set(EXPECTED["expected"])


@pytest.mark.parametrize("name", sorted(EXPECTED["expected"]))
def test_each_invalid_example_breaks_exactly_one_rule(new, name):
    assert paths(new, example(name)) == [EXPECTED["expected"][name]]


# -- 1. statutory notifications ---------------------------------------------------------------------


def test_route_c_private_fostering_needs_no_taf_tool_or_consent(new, old):
    answers = example("valid-route-c-private-fostering.json")
    for absent in ("taf_in_place", "assessment_tool_used", "consent_obtained", "family_agreement",
                   "lawful_basis", "iart_discussed", "concern_details", "privacy_notice_shared"):
        assert absent not in answers
    assert answers["statutory_notification_type"] == "private_fostering"
    assert paths(new, answers) == []
    refused = paths(old, answers)  # 1.0.0 refused the council's own statutory notifications
    assert {"taf_in_place", "assessment_tool_used", "consent_obtained"} <= set(refused)


def test_route_c_still_needs_the_notification_the_referrer_and_the_child(new):
    answers = example("valid-route-c-private-fostering.json")
    for key in ("statutory_notification_details", "referrer_name", "children"):
        broken = {k: v for k, v in answers.items() if k != key}
        assert key in paths(new, broken)


def test_statutory_notification_types_include_ss85_86_and_intention_to_adopt(new, old):
    codes = {o.code for o in new.code_lists["statutory_notification_types"].options}
    assert {"private_fostering", "accommodated_3_months", "intention_to_adopt"} <= codes
    assert "85" in new.code_lists["statutory_notification_types"].source
    assert "intention_to_adopt" not in {o.code for o in old.code_lists["statutory_notification_types"].options}


# -- 2. consent is not the legal basis -------------------------------------------------------------


def test_lawful_basis_and_family_agreement_replace_consent(new, old):
    assert new.find("consent_obtained") is None
    assert {o.code for o in new.options_for(new.find("family_agreement"))} == {"agreed", "refused", "not_asked"}
    reasons = {o.code for o in new.options_for(new.find("not_asked_reason"))}
    assert reasons == {"increase_risk", "prejudice_crime", "could_not_contact", "cannot_give", "other"}
    assert "public_task" in {o.code for o in new.options_for(new.find("lawful_basis"))}
    assert old.find("lawful_basis") is None


def test_not_asked_for_another_reason_needs_an_explanation(new):
    answers = example("valid-route-a.json") | {"not_asked_reason": "other"}
    assert paths(new, answers) == ["not_asked_explanation"]


def test_route_b_needs_the_familys_agreement_route_a_does_not(new):
    route_b = example("valid-route-b.json")
    assert paths(new, route_b | {"family_agreement": "refused", "refusal_details": "Said no"}) == ["family_agreement"]
    route_a = example("valid-route-a.json")
    for agreement in ({"family_agreement": "refused", "refusal_details": "Said no"},
                      {"family_agreement": "not_asked", "not_asked_reason": "prejudice_crime"}):
        assert paths(new, route_a | agreement) == []


def test_agreed_but_not_told_is_questioned(new):
    answers = example("valid-route-b.json") | {"family_told": "no", "family_not_told_reason": "Not yet"}
    assert paths(new, answers) == ["family_told"]


def _all_text(form) -> str:
    data = form.model_dump(by_alias=True, exclude_none=True)
    return json.dumps(data, ensure_ascii=False)


def test_no_text_says_sharing_without_consent_is_only_for_significant_harm(new, old):
    overstatement = re.compile(r"only (?:be )?(?:share|for|when)[^.]*significant harm", re.IGNORECASE)
    assert overstatement.search(_all_text(old))  # 1.0.0 stated the law too strongly
    assert not overstatement.search(_all_text(new))
    sharing = next(s for s in new.sections if s.id == "information_sharing")
    assert "Schedule 1" in sharing.description and "well-being" in sharing.description
    assert "usually not the legal basis" in sharing.description


# -- 3. out-of-hours follow-ups ---------------------------------------------------------------------


def test_out_of_hours_edt_follow_up_needs_no_iart_discussion(new, old):
    answers = example("valid-edt-out-of-hours.json")
    assert answers["phone_referral_service"] == "edt" and "iart_discussed" not in answers
    assert paths(new, answers) == []
    assert "iart_discussed" in paths(old, answers)


@pytest.mark.parametrize("service", ["iart", "police"])
def test_a_phone_referral_to_iart_or_the_police_also_counts_as_discussing_first(new, service):
    answers = example("valid-edt-out-of-hours.json") | {"phone_referral_service": service}
    assert paths(new, answers) == []
    other = example("valid-edt-out-of-hours.json") | {"phone_referral_service": "other"}
    assert paths(new, other) == ["iart_discussed"]


def test_the_form_says_edt_does_not_see_online_referrals_and_iart_reads_them_in_working_hours(new):
    before = next(s for s in new.sections if s.id == "before_you_start")
    assert "does not see online referrals" in before.description
    assert "iART reads online referrals in working hours" in before.description
    assert "Monday to Thursday 8:30am to 5pm" in before.description  # filled from contacts.json, the GOV.UK way


# -- 4. members of the public ------------------------------------------------------------------------


def test_member_of_the_public_is_told_to_phone_and_who_is_acknowledged(new):
    section = next(s for s in new.sections if s.id == "not_a_professional")
    text = section.description
    assert "for professionals" in text
    assert "acknowledged only when they come from the person concerned, a parent or carer, or a professional" in text
    for number in ("0300 123 7047", "01244 977277", "999", "101"):
        assert number in text


def test_member_of_the_public_sees_only_what_they_can_answer(new, old):
    answers = example("valid-member-of-public.json")
    assert paths(new, answers) == []
    # route, level, TAF, referral source and consent are never asked of them
    for key in ("route", "continuum_level", "taf_in_place", "referral_source", "lawful_basis", "family_agreement"):
        assert key not in answers
    assert {"route", "continuum_level", "referral_source"} <= set(paths(old, answers))


def test_choosing_to_phone_instead_stops_the_online_form(new):
    assert paths(new, example("valid-member-of-public.json") | {"public_continue": "no"}) == ["public_continue"]


def test_anonymous_is_not_offered_as_a_referral_source(new, old):
    assert "9" in {o.code for o in old.code_lists["referral_source"].options}
    assert "9" not in {o.code for o in new.code_lists["referral_source"].options}


# -- 5 and 6. numbers from the contacts in force -------------------------------------------------------


def test_no_contact_number_is_typed_into_the_form_text():
    directory = load_contacts()
    numbers = {n.number for _, n in iter_all_numbers(directory)} | {"0845 458 0000"}
    typed_old = [n for n in numbers if n in raw_text("1.0.0")]
    assert typed_old  # 1.0.0 had the iART number in a hint and a rule message
    text = raw_text("1.1.0")
    assert [n for n in numbers if re.search(rf"(?<![\d ]){re.escape(n)}(?![\d])", text)] == []


def test_every_placeholder_names_a_real_contact(new):
    form = load_form("cwac-marf", "1.1.0")
    directory = load_contacts()
    ids = {s.id for s in directory.services}
    raw = json.loads(raw_text("1.1.0"))
    from referral_desktop.domain.form_definition_parsing import parse_form

    found = placeholders(parse_form(raw))
    assert {"iart", "edt", "emergency", "police"} <= {cid for cid, _ in found}
    assert {cid for cid, _ in found} <= ids
    assert "{contact:" not in _all_text(form)


def test_a_policy_override_of_the_iart_number_reaches_hints_and_messages():
    directory = load_contacts({"services": {"iart": {"numbers": [{"number": "0300 123 0000"}]}}})
    previous = set_form_contacts(directory)
    try:
        form = load_form("cwac-marf", "1.1.0")
        assert "0300 123 0000" in form.find("iart_discussed").hint
        rule = next(r for r in form.rules if r.id == "iart_discussion_recorded")
        assert "0300 123 0000" in rule.message and "0300 123 7047" not in rule.message
        answers = example("valid-route-a.json") | {"iart_discussed": "no"}
        messages = [e.message for e in validate(form, answers, today=TODAY).errors]
        assert any("0300 123 0000" in m for m in messages)
    finally:
        set_form_contacts(previous)


def test_who_did_you_phone_offers_999_and_the_police(new):
    labels = {o.code: o.label for o in new.options_for(new.find("phone_referral_service"))}
    assert labels["police"] == "999 or the police"


def test_rendering_a_form_without_placeholders_gives_the_same_object(old):
    assert render_form(old, load_contacts()) is old


# -- 7. UPNs of new authorities ---------------------------------------------------------------------------


def test_upn_from_authority_838_passes_where_1_0_0_refused_it(new, old):
    answers = example("valid-route-a.json")
    assert answers["children"][0]["upn"][1:4] == "838"
    assert paths(new, answers) == []
    assert not stdnum_upn.is_valid(answers["children"][0]["upn"])  # the check 1.0.0 relied on refused it


# -- 8. unborn babies ---------------------------------------------------------------------------------------


def test_an_unborn_baby_is_asked_only_what_can_be_known(new, old):
    unknowable = {"ethnicity": "WBRI", "disability": ["NONE"], "sen": "no", "child_school": "x", "nhs_number": "1",
                  "upn": "1", "gender": "x", "religion": "x", "school_attendance": "x",
                  "parental_responsibility": "x"}
    answers = example("valid-route-c-private-fostering.json")
    unborn = {"unborn": "yes", "family_name": "Example", "expected_delivery_date": "2025-09-01",
              "child_address": "5 Example Close"}
    answers = answers | {"children": [answers["children"][0], unborn | unknowable]}
    # hidden questions are neither shown nor checked, so nonsense in them raises nothing
    assert paths(new, answers) == []
    assert "children[1].nhs_number" in paths(old, answers)  # 1.0.0 asked an unborn baby for an NHS number


# -- 9. code lists ------------------------------------------------------------------------------------------


def test_code_lists_follow_the_cin_census(new, old):
    source_5a = {o.code: o.label for o in new.code_lists["referral_source"].options}["5A"]
    assert "adult social care" in source_5a and "children's" not in source_5a
    factors = {o.code: o.census_code for o in new.code_lists["assessment_factors"].options}
    assert factors["physical_abuse_by_child"] == "18B" and factors["physical_abuse_by_adult"] == "18C"
    assert factors["sexual_abuse_by_child"] == "19B" and factors["sexual_abuse_by_adult"] == "19C"
    assert factors["neglect"] == "16A" and factors["child_criminal_exploitation"] == "24A"
    assert factors["radicalisation"] is None  # not a census factor
    assert "physical_abuse" in {o.code for o in old.code_lists["assessment_factors"].options}
    tools = {o.code for o in new.code_lists["assessment_tools"].options}
    assert "early_help_assessment" not in tools
    assert all(code_list.source for code_list in new.code_lists.values())


# -- what was missing ---------------------------------------------------------------------------------------


def test_the_missing_questions_are_asked(new, old):
    children = new.find("children")
    assert isinstance(children, RepeatGroup)
    per_child = {f.id for f in children.fields}
    assert {"parental_responsibility", "social_care_involved", "social_care_status", "allocated_worker",
            "school_attendance", "religion"} <= per_child
    assert new.find("religion").required is False and new.find("religion").required_when is None
    assert new.find("carer_parental_responsibility") is None
    for field_id in ("risk_outside_household", "risk_person_why", "police_informed", "crime_reference",
                     "parents_views", "child_knows", "child_views", "informant_protected", "informant_details",
                     "previous_addresses", "other_local_authorities"):
        assert new.find(field_id) is not None, field_id
        assert old.find(field_id) is None, field_id


def test_the_protected_informant_is_marked_confidential(new):
    confidential = {f.id for f in new.iter_fields() if f.confidential}
    assert confidential == {"informant_protected", "informant_details"}
    informant = new.find("informant_details")
    assert isinstance(informant, Field)
    assert "never shown on anything the family could receive" in new.find("informant_protected").hint


def test_a_1_1_0_answer_to_a_new_question_is_checked(new):
    answers = copy.deepcopy(example("valid-route-a.json"))
    answers["children"][0]["social_care_involved"] = "yes"
    answers["children"][0]["social_care_status"] = "child_protection_plan"
    assert paths(new, answers) == []
    answers["children"][0]["social_care_status"] = "nonsense"
    assert paths(new, answers) == ["children[0].social_care_status"]


def test_the_published_answers_schema_flags_the_protected_informant_to_iart(new):
    from referral_desktop.domain.answers import answers_schema

    properties = answers_schema(new)["properties"]["answers"]["properties"]
    assert properties["informant_details"]["x-confidential"] is True
    assert properties["informant_protected"]["x-confidential"] is True
    assert "x-confidential" not in properties["concern_details"]
