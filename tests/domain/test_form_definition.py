"""The definition format: loading, helpers, broken definitions named by place, published schema, conditions."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from referral_desktop.bundled_data import forms_dir
from referral_desktop.domain.conditions import evaluate, is_answered
from referral_desktop.domain.field_types import FieldType
from referral_desktop.domain.form_catalog import (
    FormDefinitionError,
    UnknownForm,
    available_forms,
    latest_form,
    load_form,
    resolve_form,
)
from referral_desktop.domain.form_definition import FormDefinition, RepeatGroup, definition_json_schema
from referral_desktop.domain.form_definition_parsing import load_form_file, parse_form

MARF = forms_dir() / "cwac-marf" / "1.0.0.json"


@pytest.fixture(scope="module")
def marf() -> FormDefinition:
    return load_form("cwac-marf", "1.0.0")


@pytest.fixture()
def raw() -> dict:
    return json.loads(MARF.read_text(encoding="utf-8"))


def test_catalog_finds_the_marf(marf):
    assert available_forms() == {"cwac-marf": ["1.0.0", "1.1.0"]}
    assert latest_form("cwac-marf") is load_form("cwac-marf", "1.1.0")  # cached
    assert resolve_form("cwac-marf@1.0.0") is marf
    assert marf.key == "cwac-marf@1.0.0"


@pytest.mark.parametrize("spec", ["nope", "cwac-marf@9.9.9", "../etc@1.0.0", "cwac-marf@1.0"])
def test_unknown_forms(spec):
    with pytest.raises(UnknownForm):
        resolve_form(spec)


FIXED_IDS = {
    "immediate_danger": FieldType.YES_NO,
    "route": FieldType.SINGLE_CHOICE,
    "continuum_level": FieldType.SINGLE_CHOICE,
    "given_names": FieldType.TEXT,
    "family_name": FieldType.TEXT,
    "date_of_birth": FieldType.DATE,
    "unborn": FieldType.YES_NO,
    "expected_delivery_date": FieldType.DATE,
    "nhs_number": FieldType.NHS_NUMBER,
    "upn": FieldType.UPN,
    "referrer_type": FieldType.SINGLE_CHOICE,
    "referrer_name": FieldType.TEXT,
    "referrer_role": FieldType.TEXT,
    "referrer_organisation": FieldType.TEXT,
    "referrer_address": FieldType.LONG_TEXT,
    "referrer_postcode": FieldType.POSTCODE,
    "referrer_telephone": FieldType.TELEPHONE,
    "referrer_email": FieldType.EMAIL,
    "consent_obtained": FieldType.YES_NO,
    "attachments": FieldType.ATTACHMENT,
}


def test_fixed_ids_other_areas_rely_on(marf):
    for field_id, kind in FIXED_IDS.items():
        field = marf.find(field_id)
        assert field is not None, field_id
        assert field.type == kind, field_id
    children = marf.find("children")
    assert isinstance(children, RepeatGroup)
    assert (children.min_items, children.max_items) == (1, 12)
    assert marf.group_for("nhs_number") is children
    assert marf.group_for("route") is None
    assert marf.section_for("nhs_number").id == "children"
    assert [o.code for o in marf.options_for(marf.find("route"))] == ["a", "b", "c"]
    assert [o.code for o in marf.options_for(marf.find("continuum_level"))] == ["1", "2", "3", "4"]
    assert [o.code for o in marf.options_for(marf.find("immediate_danger"))] == ["yes", "no"]


def test_marf_covers_every_section_of_the_product(marf):
    assert [s.id for s in marf.sections] == [
        "before_you_start", "about_you", "route_and_level", "children", "household", "professionals",
        "concerns", "early_help", "consent", "privacy_notice", "declarations",
    ]
    groups = {g.id for g in marf.iter_groups()}
    assert groups == {"children", "carers", "household_members", "professionals"}
    factors = {o.code for o in marf.code_lists["assessment_factors"].options}
    assert {"radicalisation", "neglect", "child_criminal_exploitation", "female_genital_mutilation"} <= factors
    assert {o.code for o in marf.code_lists["ethnicity"].options} >= {"WBRI", "REFU", "NOBT"}
    assert len(marf.code_lists["referral_source"].options) == 22
    assert {o.code for o in marf.code_lists["disability"].options} == {
        "AUT", "BEH", "COMM", "CON", "DDA", "HAND", "HEAR", "INC", "LD", "MOB", "NONE", "PC", "VIS"}
    assert [o.code for o in marf.options_for(marf.find("referrer_type"))] == [
        "professional", "member_of_public", "person_concerned", "carer"]
    assert [o.code for o in marf.options_for(marf.find("no_consent_reason"))] == [
        "increased_risk", "prejudice_crime", "not_obtainable", "other"]
    assert [o.code for o in marf.options_for(marf.find("privacy_notice_method"))] == [
        "paper", "electronic", "read_aloud"]


def test_every_field_has_a_helpful_hint(marf):
    for field in marf.iter_fields():
        assert field.hint and len(field.hint) >= 10, field.id
    for group in marf.iter_groups():
        assert group.hint, group.id


def test_field_ids_are_unique_across_the_form(raw):
    bad = copy.deepcopy(raw)
    bad["sections"][4]["items"][0]["fields"][0]["id"] = "given_names"
    with pytest.raises(FormDefinitionError) as caught:
        parse_form(bad)
    assert "sections[4].items[0].fields[0].id: the field id 'given_names' is used more than once" in str(caught.value)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["sections"][2]["items"][0].__setitem__("options", []),
         "sections[2].items[0].options: must not be empty"),
        (lambda d: d["sections"][3]["items"][0]["fields"][4].__setitem__("visible_when", {"equals": {"field": "nope", "value": "x"}}),
         "sections[3].items[0].fields[4].visible_when: refers to an unknown field 'nope'"),
        (lambda d: d["sections"][0]["items"][1].__setitem__("visible_when", {"equals": {"field": "route"}}),
         "sections[0].items[1].visible_when.equals.value: is missing"),
        (lambda d: d["sections"][0]["items"][1].__setitem__("required_when", {"maybe": "route"}),
         "sections[0].items[1].required_when: must be an object with exactly one of"),
        (lambda d: d["sections"][0]["items"][0].__setitem__("type", "colour"),
         "sections[0].items[0].type: input should be"),
        (lambda d: d["sections"][0]["items"][0].__setitem__("lable", "x"),
         "sections[0].items[0].lable: is not a known setting"),
        (lambda d: d["sections"][0]["items"][0].pop("label"), "sections[0].items[0].label: is missing"),
        (lambda d: d["sections"][1]["items"][8].__setitem__("code_list", "nope"),
         "sections[1].items[8].code_list: there is no code list 'nope'"),
        (lambda d: d["rules"][0].__setitem__("path", "nope"), "rules[0].path: refers to an unknown field 'nope'"),
        (lambda d: d["rules"][0]["check"].__setitem__("not", {"answered": "route"}),
         "rules[0].check: must be an object with exactly one of"),
        (lambda d: d.__setitem__("version", "1"), "version: string should match pattern"),
        (lambda d: d["sections"][3]["items"][0].__setitem__("min_items", 20),
         "sections[3].items[0].min_items: must not be more than max_items"),
    ],
)
def test_broken_definitions_name_the_place(raw, change, expected):
    bad = copy.deepcopy(raw)
    change(bad)
    with pytest.raises(FormDefinitionError) as caught:
        parse_form(bad, source="1.0.0.json")
    message = str(caught.value)
    assert message.startswith("1.0.0.json: ")
    assert expected.lower() in message.lower(), message
    assert "Traceback" not in message and "pydantic" not in message.lower()


def test_broken_files(tmp_path: Path):
    (tmp_path / "bad.json").write_text('{"form_id": "x",\n  oops}', encoding="utf-8")
    with pytest.raises(FormDefinitionError, match=r"bad.json: is not valid JSON \(line 2, column 3"):
        load_form_file(tmp_path / "bad.json")
    (tmp_path / "list.json").write_text("[]", encoding="utf-8")
    with pytest.raises(FormDefinitionError, match="must be a JSON object"):
        load_form_file(tmp_path / "list.json")
    with pytest.raises(FormDefinitionError, match="cannot be read"):
        load_form_file(tmp_path / "missing.json")


def test_file_name_must_match_the_declared_version(tmp_path: Path, raw):
    (tmp_path / "cwac-marf").mkdir()
    (tmp_path / "cwac-marf" / "2.0.0.json").write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(FormDefinitionError, match="the file name must match"):
        load_form("cwac-marf", "2.0.0", root=tmp_path)


def test_published_definition_schema_is_up_to_date():
    published = json.loads((forms_dir() / "form-definition.schema.json").read_text(encoding="utf-8"))
    assert published == definition_json_schema(), (
        "Regenerate forms/form-definition.schema.json: python -c 'import json; from "
        "referral_desktop.domain.form_definition import definition_json_schema as s; "
        "print(json.dumps(s(), indent=2, ensure_ascii=False))' > forms/form-definition.schema.json"
    )


def test_definition_round_trips_through_json(marf):
    again = FormDefinition.model_validate_json(marf.model_dump_json(by_alias=True, exclude_none=True))
    assert again.model_dump() == marf.model_dump()


# -- conditions ----------------------------------------------------------------------------------


def _cond(data: dict):
    from pydantic import TypeAdapter

    from referral_desktop.domain.form_conditions import Condition

    return TypeAdapter(Condition).validate_python(data)


def test_conditions():
    route_bc = _cond({"in": {"field": "route", "values": ["b", "c"]}})
    assert evaluate(route_bc, {"route": "b"})
    assert not evaluate(route_bc, {"route": "a"})
    assert not evaluate(route_bc, {})
    assert evaluate(_cond({"not": {"equals": {"field": "unborn", "value": "yes"}}}), {}, {"unborn": "no"})
    # the item is looked up first
    assert evaluate(_cond({"equals": {"field": "unborn", "value": "yes"}}), {"unborn": "no"}, {"unborn": "yes"})
    both = _cond({"all": [{"answered": "a"}, {"any": [{"answered": "b"}, {"equals": {"field": "c", "value": 1}}]}]})
    assert evaluate(both, {"a": "x", "c": 1})
    assert not evaluate(both, {"a": "x", "c": "1"})  # types are not coerced
    assert not evaluate(both, {"a": " ", "b": "y"})  # only spaces is not an answer
    # multiple choice: equals means "is chosen"
    assert evaluate(_cond({"equals": {"field": "cats", "value": "neglect"}}), {"cats": ["neglect", "other"]})
    assert not evaluate(_cond({"equals": {"field": "flag", "value": True}}), {"flag": 1})
    assert evaluate(None, {})


@pytest.mark.parametrize("answers", [None, [], "x", 3, {"route": {"nested": []}}, {"route": [[1]]}])
def test_conditions_never_raise(answers):
    assert evaluate(_cond({"in": {"field": "route", "values": ["b"]}}), answers, item=answers) in (True, False)


def test_is_answered():
    assert not any(is_answered(v) for v in (None, "", "   ", [], {}))
    assert all(is_answered(v) for v in ("x", 0, False, ["a"]))
