"""Which documents a referral sends: those named by an answer the form still asks, at the top level and
inside each repeated item (``domain.attachment_references``)."""

from __future__ import annotations

import copy
import json

import pytest

from referral_desktop.bundled_data import forms_dir
from referral_desktop.domain.attachment_references import left_out_documents, named_documents, sent_documents
from referral_desktop.domain.form_catalog import load_form
from referral_desktop.domain.form_definition_parsing import parse_form

REPORT = "0b5e6f1c-1d2e-4f3a-8b4c-5d6e7f8a9b0c"
ASSESSMENT = "1c6f7a2d-2e3f-4a4b-9c5d-6e7f8a9b0c1d"
EHCP = "2d7a8b3e-3f4a-4b5c-8d6e-7f8a9b0c1d2e"


def _answers() -> dict:
    path = forms_dir() / "examples" / "1.1.0" / "valid-route-a.json"
    return copy.deepcopy(json.loads(path.read_text(encoding="utf-8"))["answers"])


@pytest.fixture(scope="module")
def marf():
    return load_form("cwac-marf", "1.1.0")


@pytest.fixture(scope="module")
def marf_with_child_documents():
    """1.1.0 with an attachment question inside each child, asked only when the child has special
    educational needs (no bundled form has one yet; the rule must hold when one does)."""
    data = json.loads((forms_dir() / "cwac-marf" / "1.1.0.json").read_text(encoding="utf-8"))
    [children] = [item for section in data["sections"] for item in section["items"] if item["id"] == "children"]
    at = [f["id"] for f in children["fields"]].index("sen_details") + 1
    children["fields"].insert(at, {
        "id": "ehcp_document", "type": "attachment", "label": "Attach the EHC plan (optional)",
        "error_name": "the EHC plan", "visible_when": {"equals": {"field": "sen", "value": "yes"}},
    })
    return parse_form(data)


def test_a_document_under_a_hidden_question_is_not_sent(marf):
    answers = _answers()
    answers.update(attachments=[REPORT], assessment_tool_used="yes", assessment_tool_attachments=[ASSESSMENT])
    assert sent_documents(marf, answers) == [REPORT, ASSESSMENT]
    answers["assessment_tool_used"] = "no"  # "Attach the completed assessment" is no longer asked
    assert sent_documents(marf, answers) == [REPORT]
    assert named_documents(marf, answers) == [REPORT, ASSESSMENT]  # the draft still names it


def test_a_hidden_section_hides_its_documents(marf):
    """Early help is not asked on route c: the assessment's document goes with the section."""
    answers = _answers()
    answers.update(assessment_tool_used="yes", assessment_tool_attachments=[ASSESSMENT])
    assert sent_documents(marf, answers) == [ASSESSMENT]
    answers["route"] = "c"
    assert sent_documents(marf, answers) == []


def test_a_document_under_a_question_hidden_inside_one_child(marf_with_child_documents):
    answers = _answers()
    first = answers["children"][0]
    first.update(sen="yes", sen_details="EHC plan", ehcp_document=[EHCP])
    answers["children"].append(dict(first, ehcp_document=[REPORT]))
    assert sent_documents(marf_with_child_documents, answers) == [EHCP, REPORT]
    first["sen"] = "no"  # the first child's question is hidden; the second child's is not
    assert sent_documents(marf_with_child_documents, answers) == [REPORT]


def test_each_document_once_in_the_forms_order_and_ids_compared_in_lower_case(marf):
    answers = _answers()
    answers.update(attachments=[REPORT.upper(), REPORT], assessment_tool_used="yes",
                   assessment_tool_attachments=[ASSESSMENT])
    assert sent_documents(marf, answers) == [REPORT, ASSESSMENT]


def test_answers_that_are_not_lists_of_ids_name_nothing(marf):
    answers = _answers()
    answers.update(attachments="not a list", children=["not an item"])
    assert sent_documents(marf, answers) == []


def test_what_is_left_out_is_counted_per_question_no_longer_asked(marf, marf_with_child_documents):
    answers = _answers()
    answers.update(attachments=[REPORT], assessment_tool_used="no", assessment_tool_attachments=[ASSESSMENT, EHCP])
    assert [(field.id, n) for field, n in left_out_documents(marf, answers)] == [("assessment_tool_attachments", 2)]
    answers["assessment_tool_attachments"] = [REPORT]  # also named under "Other documents": it is sent
    assert left_out_documents(marf, answers) == []
    answers = _answers()  # two children, neither with special educational needs, each with a document
    first = answers["children"][0]
    first.update(sen="no", ehcp_document=[EHCP])
    answers["children"].append(dict(first, ehcp_document=[ASSESSMENT]))
    assert [(f.id, n) for f, n in left_out_documents(marf_with_child_documents, answers)] == [("ehcp_document", 2)]
