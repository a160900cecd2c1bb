"""Validation of whole referrals: every rule passing and failing, the examples, date edges, never raising."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from referral_desktop.bundled_data import forms_dir
from referral_desktop.domain.form_catalog import load_form
from referral_desktop.domain.validation import ValidationResult, validate

EXAMPLES = forms_dir() / "examples"
EXPECTED = json.loads((EXAMPLES / "expected-errors.json").read_text(encoding="utf-8"))
TODAY = date.fromisoformat(EXPECTED["today"])  # a Monday


@pytest.fixture(scope="module")
def marf():
    return load_form("cwac-marf", "1.0.0")


def _example(name: str) -> dict:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))["answers"]


@pytest.fixture()
def route_a() -> dict:
    return _example("valid-route-a.json")


@pytest.fixture()
def route_b() -> dict:
    return _example("valid-route-b.json")


def _paths(result: ValidationResult) -> list[str]:
    return [error.path for error in result.errors]


# -- the examples --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["valid-route-a.json", "valid-route-b.json", "valid-route-c.json", "valid-demo-referral.json"]
)
def test_valid_examples_pass(marf, name):
    document = json.loads((EXAMPLES / name).read_text(encoding="utf-8"))
    assert (document["form_id"], document["form_version"]) == ("cwac-marf", "1.0.0")
    result = validate(marf, document["answers"], today=TODAY)
    assert result.errors == []
    assert result.is_valid
    # still valid on the real day (the examples do not go stale)
    assert validate(marf, document["answers"], today=date.today()).is_valid


def test_every_invalid_example_is_listed():
    on_disk = {p.name for p in EXAMPLES.glob("invalid-*.json")}
    assert on_disk == set(EXPECTED["expected"])
    assert len(on_disk) >= 20


@pytest.mark.parametrize("name", sorted(EXPECTED["expected"]))
def test_each_invalid_example_breaks_exactly_one_rule(marf, name):
    result = validate(marf, _example(name), today=TODAY)
    assert _paths(result) == [EXPECTED["expected"][name]], result.as_pairs()
    assert not result.is_valid


# -- rules, passing and failing -------------------------------------------------------------------


def test_route_b_and_c_need_taf_and_assessment_tool(marf, route_a, route_b):
    # route a: no TAF needed
    assert validate(marf, route_a, today=TODAY).is_valid
    for route in ("b", "c"):
        answers = copy.deepcopy(route_a)
        answers.update(route=route, continuum_level="3")
        if route == "c":
            answers["statutory_notification_type"] = "private_fostering"
        paths = _paths(validate(marf, answers, today=TODAY))
        assert {"taf_in_place", "assessment_tool_used"} <= set(paths), paths
    # TAF details required once there is a TAF
    answers = copy.deepcopy(route_b)
    for key in ("etaf_reference", "taf_lead_name", "taf_lead_agency"):
        answers.pop(key)
    for key in ("assessment_tool_name", "assessment_tool_date", "assessment_tool_outcome"):
        answers.pop(key)
    assert _paths(validate(marf, answers, today=TODAY)) == [
        "etaf_reference", "taf_lead_name", "taf_lead_agency",
        "assessment_tool_name", "assessment_tool_date", "assessment_tool_outcome",
    ]


def test_other_assessment_tool_needs_a_name(marf, route_b):
    route_b["assessment_tool_name"] = "other"
    assert _paths(validate(marf, route_b, today=TODAY)) == ["assessment_tool_other_name"]
    route_b["assessment_tool_other_name"] = "Invented Tool"
    assert validate(marf, route_b, today=TODAY).is_valid


def test_consent(marf, route_a, route_b):
    for key in ("consent_given_by", "consent_date", "consent_method", "consent_scope"):
        route_a.pop(key)
    assert _paths(validate(marf, route_a, today=TODAY)) == [
        "consent_given_by", "consent_date", "consent_method", "consent_scope"]
    route_a["consent_obtained"] = "no"
    assert _paths(validate(marf, route_a, today=TODAY)) == ["no_consent_reason"]
    route_a["no_consent_reason"] = "other"
    assert _paths(validate(marf, route_a, today=TODAY)) == ["no_consent_explanation"]
    route_a["no_consent_explanation"] = "Invented: asking would alert the adult of concern."
    assert validate(marf, route_a, today=TODAY).is_valid
    # without consent only on route a
    route_b.update(consent_obtained="no", no_consent_reason="not_obtainable")
    result = validate(marf, route_b, today=TODAY)
    assert _paths(result) == ["consent_obtained"]
    assert "route a" in result.errors[0].message
    assert result.errors_for_section("consent") == result.errors


def test_family_told(marf, route_a):
    route_a["family_told"] = "no"
    assert _paths(validate(marf, route_a, today=TODAY)) == ["family_not_told_reason"]
    route_a["family_not_told_reason"] = "Invented: telling them could put the child at risk."
    assert validate(marf, route_a, today=TODAY).is_valid


def test_privacy_notice(marf, route_a):
    route_a["privacy_notice_shared"] = "no"
    assert _paths(validate(marf, route_a, today=TODAY)) == ["privacy_notice_not_shared_reason"]
    route_a["privacy_notice_not_shared_reason"] = "Invented: first contact by phone."
    assert validate(marf, route_a, today=TODAY).is_valid
    route_a["privacy_notice_shared"] = "yes"
    route_a["privacy_notice_method"] = "carrier_pigeon"
    assert validate(marf, route_a, today=TODAY).as_pairs() == [
        ("privacy_notice_method", "Select how you shared the privacy notice")]


def test_iart_discussion_recorded(marf, route_a):
    route_a.pop("iart_discussion_datetime")
    assert _paths(validate(marf, route_a, today=TODAY)) == ["iart_discussion_datetime"]
    route_a["iart_discussion_datetime"] = "2025-06-03T09:00"  # tomorrow
    assert validate(marf, route_a, today=TODAY).as_pairs() == [
        ("iart_discussion_datetime", "The date and time of the discussion must be in the past")]
    route_a["iart_discussion_datetime"] = "2025-06-02T23:59"  # later today is accepted
    assert validate(marf, route_a, today=TODAY).is_valid
    route_a["iart_discussion_datetime"] = "2025-02-30T09:00"
    assert validate(marf, route_a, today=TODAY).as_pairs() == [
        ("iart_discussion_datetime", "Date and time of the discussion must be a real date and time, like 27 3 2026 and 14:30")]
    route_a.pop("iart_discussed")
    assert validate(marf, route_a, today=TODAY).as_pairs() == [
        ("iart_discussed", "Select yes if you have discussed this referral with iART")]


def test_immediate_danger_needs_the_phone_call_recorded(marf, route_a):
    route_a["immediate_danger"] = "yes"
    assert _paths(validate(marf, route_a, today=TODAY)) == ["phone_referral_made"]
    route_a["phone_referral_made"] = "yes"
    assert _paths(validate(marf, route_a, today=TODAY)) == [
        "phone_referral_datetime", "phone_referral_service", "phone_referral_contact_name"]
    route_a.update(phone_referral_datetime="2025-06-01T22:40", phone_referral_service="edt",
                   phone_referral_contact_name="Duty worker (invented)")
    assert validate(marf, route_a, today=TODAY).is_valid


def test_referrer_fully_identified(marf, route_a):
    for key in ("referrer_name", "referrer_role", "referrer_organisation", "referrer_address",
                "referrer_postcode", "referrer_telephone", "referrer_email"):
        answers = copy.deepcopy(route_a)
        answers[key] = ""
        assert _paths(validate(marf, answers, today=TODAY)) == [key]
    # a member of the public has no role or organisation, but is still identified
    public = copy.deepcopy(route_a)
    public.update(referrer_type="member_of_public", referral_source="1B")
    for key in ("referrer_role", "referrer_organisation", "dsl_consulted", "dsl_name"):
        public.pop(key)
    assert validate(marf, public, today=TODAY).is_valid
    public["referrer_type"] = "anonymous"
    assert validate(marf, public, today=TODAY).as_pairs() == [
        ("referrer_type",
         "Select whether you are a professional, a member of the public, the person concerned or a carer")]


def test_route_and_level_consistency(marf, route_a, route_b):
    route_a["continuum_level"] = "3"
    assert _paths(validate(marf, route_a, today=TODAY)) == ["continuum_level"]
    route_b["continuum_level"] = "4"
    assert validate(marf, route_b, today=TODAY).is_valid
    route_b["continuum_level"] = "1"
    assert _paths(validate(marf, route_b, today=TODAY)) == ["continuum_level"]
    route_b["continuum_level"] = 3  # wrong encoding
    assert validate(marf, route_b, today=TODAY).as_pairs() == [
        ("continuum_level", "Select a Continuum of Need level")]


def test_at_least_one_and_at_most_twelve_children(marf, route_a):
    route_a.pop("children")
    assert validate(marf, route_a, today=TODAY).as_pairs() == [("children", "Add at least one child")]
    child = _example("valid-route-a.json")["children"][0]
    route_a["children"] = [copy.deepcopy(child) for _ in range(12)]
    assert validate(marf, route_a, today=TODAY).is_valid
    route_a["children"].append(copy.deepcopy(child))
    assert _paths(validate(marf, route_a, today=TODAY)) == ["children"]


def _child(marf, route_a, **changes):
    route_a["children"][0].update(changes)
    return validate(marf, route_a, today=TODAY).as_pairs()


def test_date_of_birth_edges(marf, route_a):
    assert _child(marf, route_a, date_of_birth="2025-06-02") == []  # born today
    assert _child(marf, route_a, date_of_birth="2025-06-03") == [
        ("children[0].date_of_birth", "Enter a date of birth in the past")]
    assert _child(marf, route_a, date_of_birth="2007-06-03") == []  # 18 tomorrow: still 17
    assert _child(marf, route_a, date_of_birth="2007-06-02") == [  # 18 today
        ("children[0].date_of_birth", "The child must be under 18: check the date of birth")]
    assert _child(marf, route_a, date_of_birth="2016-02-30") == [
        ("children[0].date_of_birth", "Date of birth must be a real date, like 27 3 2016")]
    assert _child(marf, route_a, date_of_birth="12/04/2016") == [
        ("children[0].date_of_birth", "Date of birth must be a real date, like 27 3 2016")]


def test_leap_day_birthdays():
    marf = load_form("cwac-marf", "1.0.0")
    answers = _example("valid-route-a.json")
    answers["children"][0]["date_of_birth"] = "2008-02-29"
    # On 28 February 2026 a leap-day child is still 17; on 1 March 2026 they are 18.
    assert validate(marf, answers, today=date(2026, 2, 28)).is_valid
    assert _paths(validate(marf, answers, today=date(2026, 3, 1))) == ["children[0].date_of_birth"]


def test_date_of_birth_or_estimated_age(marf, route_a):
    route_a["children"][0].pop("date_of_birth")
    assert validate(marf, route_a, today=TODAY).as_pairs() == [
        ("children[0].date_of_birth", "Enter a date of birth, or an estimated age if you do not know it")]
    assert _child(marf, route_a, estimated_age=9) == []
    assert _child(marf, route_a, estimated_age=18) == [("children[0].estimated_age", "Estimated age must be 17 or under")]
    assert _child(marf, route_a, estimated_age="9") == [
        ("children[0].estimated_age", "Estimated age must be a whole number")]
    assert _child(marf, route_a, estimated_age=9, date_of_birth="2016-04-12") == [
        ("children[0].estimated_age", "Give either a date of birth or an estimated age, not both")]


def test_unborn_child_expected_delivery_date(marf, route_a):
    unborn = {"unborn": "yes", "family_name": "Example", "child_address": "Invented address"}
    route_a["children"].append(unborn)
    assert _paths(validate(marf, route_a, today=TODAY)) == ["children[1].expected_delivery_date"]
    for edd, ok in [("2025-06-02", True), ("2026-04-02", True), ("2026-04-03", False), ("2025-06-01", False)]:
        unborn["expected_delivery_date"] = edd
        assert validate(marf, route_a, today=TODAY).is_valid is ok, edd
    unborn["expected_delivery_date"] = "2027-01-01"
    assert validate(marf, route_a, today=TODAY).as_pairs() == [
        ("children[1].expected_delivery_date", "The expected date of delivery must be within the next 10 months")]
    # month-end clamping: 10 months after 31 August is 30 June
    unborn["expected_delivery_date"] = "2026-06-30"
    assert validate(marf, route_a, today=date(2025, 8, 31)).is_valid
    unborn["expected_delivery_date"] = "2026-07-01"
    assert not validate(marf, route_a, today=date(2025, 8, 31)).is_valid


def test_hidden_questions_are_not_validated(marf, route_a):
    # A date of birth left over from before the baby was marked unborn is hidden, so not checked.
    route_a["children"].append({"unborn": "yes", "family_name": "Example", "child_address": "Invented",
                                "expected_delivery_date": "2025-09-01", "date_of_birth": "not a date",
                                "upn": "nonsense"})
    # Leftover answers of a hidden branch: statutory notification type on route a, consent reason with consent.
    route_a.update(statutory_notification_type="nonsense", no_consent_reason="nonsense",
                   iart_worker_name="Robin Placeholder")
    assert validate(marf, route_a, today=TODAY).is_valid


def test_identifier_messages(marf, route_a):
    assert _child(marf, route_a, nhs_number="943476591") == [
        ("children[0].nhs_number", "Enter an NHS number with 10 digits")]
    assert _child(marf, route_a, nhs_number="0000000000") == [
        ("children[0].nhs_number", "Enter a real NHS number: check each digit against the child's records")]
    assert _child(marf, route_a, nhs_number="94347G5919") == [
        ("children[0].nhs_number", "NHS number must only include numbers")]
    assert _child(marf, route_a, nhs_number="9990000018") == [
        ("children[0].nhs_number", "Enter a real NHS number: numbers starting 999 are only for testing")]
    assert validate(marf, route_a, today=TODAY, test_deployment=True).is_valid
    route_a["children"][0]["nhs_number"] = "943 476 5919"
    assert _child(marf, route_a, upn="B80120000500") == [("children[0].upn", "Enter a UPN with 13 characters")]
    assert _child(marf, route_a, upn="A801200005001") == [
        ("children[0].upn", "Enter a real UPN: the first letter does not match the rest")]
    assert _child(marf, route_a, upn="", child_postcode="ZZ99 3VZ") == []
    assert _child(marf, route_a, child_postcode="CH1 2NC") == [
        ("children[0].child_postcode", "Enter the child's postcode in the correct format, like CH1 2NU")]


def test_contact_details(marf, route_a):
    route_a["referrer_email"] = "pat.sample@"
    route_a["referrer_telephone"] = "+1 212 555 0123"
    assert validate(marf, route_a, today=TODAY).as_pairs() == [
        ("referrer_telephone", "Enter your telephone number in the correct format, like 01244 977277 or +44 1244 977277"),
        ("referrer_email", "Enter your email address in the correct format, like name@example.com"),
    ]


def test_text_limits(marf, route_a):
    route_a["referrer_name"] = "x" * 101
    route_a["concern_details"] = "y" * 10_001
    assert validate(marf, route_a, today=TODAY).as_pairs() == [
        ("referrer_name", "Your full name must be 100 characters or fewer"),
        ("concern_details", "What you are worried about must be 10000 characters or fewer"),
    ]


def test_choices_and_attachments(marf, route_b):
    route_b["concern_categories"] = ["neglect", "made_up"]
    route_b["assessment_tool_attachments"] = ["not-a-uuid"]
    assert validate(marf, route_b, today=TODAY).as_pairs() == [
        ("concern_categories", "Select at least one kind of concern"),
        ("assessment_tool_attachments", "Attach the completed assessment again: a file reference could not be read"),
    ]
    route_b["concern_categories"] = []
    route_b["assessment_tool_attachments"] = ["3F2B8C1E-6D4A-4C1B-9A57-0E2D5B7C9F10"]
    assert _paths(validate(marf, route_b, today=TODAY)) == ["concern_categories"]
    route_b["concern_categories"] = ["neglect"]
    known = {"3f2b8c1e-6d4a-4c1b-9a57-0e2d5b7c9f10"}
    assert validate(marf, route_b, today=TODAY, known_attachments=known).is_valid
    assert _paths(validate(marf, route_b, today=TODAY, known_attachments=set())) == ["assessment_tool_attachments"]


def test_errors_carry_sections_and_follow_form_order(marf):
    result = validate(marf, {}, today=TODAY)
    assert result.errors[0].path == "immediate_danger"
    assert result.errors[0].section_id == "before_you_start"
    sections = [s.id for s in marf.sections]
    order = [sections.index(e.section_id) for e in result.errors]
    assert order == sorted(order)
    assert "children" in _paths(result)
    assert {e.section_id for e in result.errors} >= {"before_you_start", "about_you", "children", "declarations"}


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (None, [("answers", "The answers could not be read: they must be a JSON object of named answers")]),
        ([], [("answers", "The answers could not be read: they must be a JSON object of named answers")]),
        ("text", [("answers", "The answers could not be read: they must be a JSON object of named answers")]),
    ],
)
def test_unreadable_answers(marf, answers, expected):
    assert validate(marf, answers, today=TODAY).as_pairs() == expected


def test_malformed_groups(marf, route_a):
    route_a["children"] = {"0": {}}
    assert _paths(validate(marf, route_a, today=TODAY)) == ["children"]
    route_a["children"] = ["a child", None]
    assert _paths(validate(marf, route_a, today=TODAY)) == ["children[0]", "children[1]"]


def test_messages_never_echo_values(marf, route_a):
    secret = "Zebedee-Sentinel-4711"
    for key in list(route_a):
        if isinstance(route_a[key], str):
            route_a[key] = secret
    for key in list(route_a["children"][0]):
        route_a["children"][0][key] = secret
    result = validate(marf, route_a, today=TODAY)
    assert not result.is_valid
    assert all(secret not in error.message and secret not in error.path for error in result.errors)


# -- never raises ---------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=25,
)


def _field_keys(marf):
    return st.sampled_from([f.id for f in marf.iter_fields()] + [g.id for g in marf.iter_groups()])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_arbitrary_json_never_crashes(data):
    marf = load_form("cwac-marf", "1.0.0")
    answers = data.draw(
        json_values
        | st.dictionaries(_field_keys(marf), json_values, max_size=30)
        | st.dictionaries(
            _field_keys(marf),
            st.lists(st.dictionaries(_field_keys(marf), json_values, max_size=10), max_size=3) | json_values,
            max_size=30,
        )
    )
    today = data.draw(st.dates())
    result = validate(marf, answers, today=today, test_deployment=data.draw(st.booleans()))
    assert isinstance(result, ValidationResult)
    for error in result.errors:
        assert isinstance(error.path, str) and isinstance(error.message, str) and error.message
        assert error.message != "The answers could not be checked completely: save the referral and try again"


@settings(max_examples=200, deadline=None)
@given(name=st.sampled_from(["valid-route-a.json", "valid-route-b.json", "valid-route-c.json"]),
       key=st.sampled_from(["route", "continuum_level", "consent_obtained", "children", "taf_in_place",
                            "immediate_danger", "referrer_type", "concern_categories", "attachments"]),
       value=json_values)
def test_mutated_examples_never_crash(name, key, value):
    marf = load_form("cwac-marf", "1.0.0")
    answers = _example(name)
    answers[key] = value
    result = validate(marf, answers, today=TODAY)
    assert all(e.message != "The answers could not be checked completely: save the referral and try again"
               for e in result.errors)


def test_extreme_days_do_not_crash(marf, route_a):
    for today in (date.min, date.max, date(1, 12, 31), date(9999, 1, 1)):
        assert isinstance(validate(marf, route_a, today=today), ValidationResult)


# -- speed ----------------------------------------------------------------------------------------


def test_a_full_referral_with_six_children_validates_repeatably(marf):
    """Validation of a large referral is deterministic and raises nothing (its speed is measured by
    tests/benchmarks/bench_core.py against an anchor, not timed here)."""
    answers = _example("valid-route-c.json")
    child = answers["children"][0]
    answers["children"] = [copy.deepcopy(child) for _ in range(6)]
    answers["professionals"] = answers["professionals"] * 6
    first = validate(marf, answers, today=TODAY)
    again = validate(marf, answers, today=TODAY)
    assert first.as_pairs() == again.as_pairs()
