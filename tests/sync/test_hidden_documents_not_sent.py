"""A document goes to iART only when an answer the form still asks refers to it: one attached under a
question that later answers hid (or one no answer refers to) stays with the draft, for if the question
comes back, but is neither listed in the manifest, nor uploaded, nor named in the payload.

Found beside ``test_hidden_answers_not_sent.py``: the manifest was built from every document stored for the
referral. Attach the completed assessment, then answer "No" to "Have you used an evidence-based assessment
tool?": the hidden answer was left out of the frozen payload, but the document stayed in the manifest, and
iART (the sandbox) refused the whole referral ("The manifest lists an attachment the answers do not").
"""

from __future__ import annotations

import json
from datetime import date
from types import SimpleNamespace

import pytest
from sync_testing.e2e import PDF, draft, valid_answers
from sync_testing.uploads import server_file, upload_until_settled

from referral_desktop.store import create_store
from referral_desktop.sync.queueing import queue_referral

pytestmark = pytest.mark.usefixtures("sandbox_faults_cleared")

PASSPHRASE = "lantern orbit meadow 42"
PLAIN = SimpleNamespace(test_deployment=False, iart_public_key=None)  # frozen as plain JSON, to read back
REPORT = PDF + b"report"
ASSESSMENT = PDF + b"SENTINEL-assessment-bytes"
STRAY = PDF + b"SENTINEL-stray-bytes"


def _add(store, rid, name, data):
    return store.attachments.add(rid, name, data, allowed_types=("application/pdf",)).id


def _with_hidden_document(store, rid):
    """The report under "Other documents" (always asked); the assessment attached while "Have you used an
    evidence-based assessment tool?" was Yes, then the answer changed to No; a third document no answer
    refers to. Returns (report, assessment, stray) ids."""
    report = _add(store, rid, "report.pdf", REPORT)
    assessment = _add(store, rid, "SENTINEL-gcp2.pdf", ASSESSMENT)
    stray = _add(store, rid, "SENTINEL-stray.pdf", STRAY)
    answers = store.referrals.get(rid).answers
    answers.update(attachments=[report], assessment_tool_used="no", assessment_tool_attachments=[assessment])
    store.referrals.save_answers(rid, answers)
    return report, assessment, stray


def test_a_document_under_a_hidden_question_is_not_sent_and_the_referral_is_received(rig, sandbox):
    store, policy, worker, clock = rig
    rid = draft(store)
    report, assessment, stray = _with_hidden_document(store, rid)
    queue_referral(store, rid, policy, date.today())
    [result] = worker.send_due()
    assert result.state == "received", result
    [held] = [r for r in sandbox.referrals() if r["referral_id"] == rid]
    assert held["attachments_total"] == 1  # the manifest lists the report only
    assert [u.attachment_id for u in store.uploads.for_referral(rid)] == [report]
    assert store.uploads.progress([rid])[rid].total == 1
    upload_until_settled(worker, clock)
    assert store.uploads.get(report).state == "uploaded" and server_file(sandbox, rid, report) == REPORT
    assert server_file(sandbox, rid, assessment) == b"" and server_file(sandbox, rid, stray) == b""
    assert store.uploads.progress([rid])[rid].uploaded == 1
    # Once iART holds the referral it can never be edited again, so nothing will ever send or show the
    # documents it was sent without: their bytes go (the draft's answers keep the ids, like hidden answers).
    assert [a.id for a in store.attachments.list(rid)] == [report]
    assert store.referrals.get(rid).answers["assessment_tool_attachments"] == [assessment]


def test_exactly_once_with_a_document_left_out(rig, sandbox):
    """iART commits the referral and the answer is lost: the retry is a replay with the same manifest
    (the documents left out were fixed at freezing, not worked out again), so iART answers with the same
    reference instead of a conflict; the documents left out are kept until that answer is recorded."""
    store, policy, worker, clock = rig
    rid = draft(store)
    report, assessment, stray = _with_hidden_document(store, rid)
    queue_referral(store, rid, policy, date.today())
    sandbox.set_faults([{"endpoint": "submit", "kind": "drop_after_commit", "times": 1}])
    [first] = worker.send_due()
    assert first.state == "retrying", first
    assert {a.id for a in store.attachments.list(rid)} == {report, assessment, stray}
    clock.advance()
    [second] = worker.send_due()
    assert second.state == "received", second
    [held] = [r for r in sandbox.referrals() if r["referral_id"] == rid]
    assert held["iart_reference"] == second.iart_reference and held["attachments_total"] == 1
    assert held["replays"] == 1
    assert [a.id for a in store.attachments.list(rid)] == [report]


def test_a_visible_assessment_document_is_sent_and_accepted(rig, sandbox):
    """The other side: with the assessment tool used, its document is in the manifest and iART takes it
    (the sandbox used to look for documents under "Other documents" only, and refused this referral)."""
    store, policy, worker, clock = rig
    rid = draft(store)
    report, assessment, _stray = _with_hidden_document(store, rid)
    answers = store.referrals.get(rid).answers
    answers["assessment_tool_used"] = "yes"
    store.referrals.save_answers(rid, answers)
    queue_referral(store, rid, policy, date.today())
    [result] = worker.send_due()
    assert result.state == "received", result
    assert sorted(u.attachment_id for u in store.uploads.for_referral(rid)) == sorted([report, assessment])
    upload_until_settled(worker, clock)
    assert server_file(sandbox, rid, assessment) == ASSESSMENT


def test_the_payload_names_only_the_documents_sent_and_the_draft_keeps_the_others(tmp_path):
    store = create_store(tmp_path / "profile", PASSPHRASE)
    try:
        rid = draft(store, valid_answers())
        report, assessment, stray = _with_hidden_document(store, rid)
        queue_referral(store, rid, PLAIN, date(2026, 11, 24))
        payload = store.referrals.frozen(rid).frozen_payload
        assert json.loads(payload)["attachment_names"] == {report: "report.pdf"}
        assert b"SENTINEL" not in payload
        assert [a.id for a in store.attachments.to_send(rid)] == [report]
        # Until iART holds it, every document stays: a referral iART turns back is corrected as a draft,
        # and the assessment is there again if its question comes back.
        assert {a.id for a in store.attachments.list(rid)} == {report, assessment, stray}
        store.referrals.set_state(rid, "sending")
        store.referrals.reject(rid, [("children[0].nhs_number", "Enter a real NHS number")])
        answers = store.referrals.get(rid).answers
        answers["assessment_tool_used"] = "yes"
        store.referrals.save_answers(rid, answers)
        assert store.attachments.read(assessment) == ASSESSMENT
        queue_referral(store, rid, PLAIN, date(2026, 11, 24))
        payload = store.referrals.frozen(rid).frozen_payload
        assert json.loads(payload)["attachment_names"] == {report: "report.pdf", assessment: "SENTINEL-gcp2.pdf"}
        assert {a.id for a in store.attachments.to_send(rid)} == {report, assessment}
    finally:
        store.close()


def test_no_document_no_names(tmp_path):
    """A referral without documents is frozen as before: no ``attachment_names`` at all."""
    store = create_store(tmp_path / "profile", PASSPHRASE)
    try:
        rid = draft(store, valid_answers())
        queue_referral(store, rid, PLAIN, date(2026, 11, 24))
        assert "attachment_names" not in json.loads(store.referrals.frozen(rid).frozen_payload)
    finally:
        store.close()
