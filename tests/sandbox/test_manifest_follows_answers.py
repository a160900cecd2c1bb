"""The sandbox checks a referral's manifest against the answers the form asks: every document listed must
be named under one of the form's attachment questions that is still asked, and ``attachment_names`` may
name only listed documents (``sandbox/payload_check.py``, with ``domain.attachment_references``).

Found with ``tests/sync/test_hidden_documents_not_sent.py``: the check looked under "Other documents" only,
so a referral sending the completed assessment ("Attach the completed assessment") was refused.
"""

from __future__ import annotations

import uuid

from sandbox_testing.sample_referral import answers_document, manifest_entry, submission, valid_answers

REPORT, ASSESSMENT = b"%PDF-1.4 report", b"%PDF-1.4 assessment"


def _post(sandbox, answers, entries, **extra):
    body = submission(answers_document(answers, **extra), attachments=entries)
    return sandbox.session().post(f"{sandbox.url}/v1/referrals", json=body,
                                  headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=10)


def _paths(response) -> list[str]:
    return [error["path"] for error in response.json()["errors"]]


def test_a_document_under_any_attachment_question_asked_is_accepted(sandbox):
    report, assessment = manifest_entry(REPORT), manifest_entry(ASSESSMENT)
    answers = valid_answers() | {"attachments": [report["id"]], "assessment_tool_used": "yes",
                                 "assessment_tool_attachments": [assessment["id"]]}
    names = {report["id"]: "report.pdf", assessment["id"]: "gcp2.pdf"}
    response = _post(sandbox, answers, [report, assessment], attachment_names=names)
    assert response.status_code == 201, response.text
    assert sorted(response.json()["attachments_pending"]) == sorted([report["id"], assessment["id"]])


def test_a_document_named_only_under_a_hidden_question_is_refused(sandbox):
    assessment = manifest_entry(ASSESSMENT)
    answers = valid_answers() | {"assessment_tool_used": "no", "assessment_tool_attachments": [assessment["id"]]}
    response = _post(sandbox, answers, [assessment])
    assert response.status_code == 422 and _paths(response) == ["attachments"]


def test_names_of_documents_not_listed_are_refused(sandbox):
    report = manifest_entry(REPORT)
    answers = valid_answers() | {"attachments": [report["id"]]}
    names = {report["id"]: "report.pdf", str(uuid.uuid4()): "not-listed.pdf"}
    response = _post(sandbox, answers, [report], attachment_names=names)
    assert response.status_code == 422 and _paths(response) == ["attachment_names"]
