"""A referral frozen before version 18, with a document only a hidden question names, is received exactly once.

Found after ``test_hidden_documents_not_sent.py``: version 18 marks the documents a referral goes without
when it is *frozen*, and a referral frozen before then kept every document in its manifest. Its payload
(frozen after hidden answers stopped being sent) does not name the assessment attached under "Attach the
completed assessment" before "Have you used an evidence-based assessment tool?" was changed to No, so iART
(the sandbox) refused the whole referral: "The manifest lists an attachment the answers do not", shown to
the person as iART wrote it. Such a referral, still waiting to send when the app is updated, now has the
documents its answers do not name left out before its next attempt, once (``sync/frozen_before_left_out.py``).

The store is built as the app left it: the rows today's code writes, frozen the way version 17 froze (the
payload names no document, every document is in the manifest), then the columns versions 18 and 19 added
are dropped and ``schema_versions`` is cut back, so opening it runs the real migrations.
"""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from sync_testing.clock import ManualClock
from sync_testing.e2e import PASSPHRASE, PDF, valid_answers, write_policy
from sync_testing.uploads import server_file, upload_until_settled

from referral_desktop.domain.form_catalog import load_form
from referral_desktop.domain.validation import visible_answers
from referral_desktop.policy import load_policy
from referral_desktop.store import create_store, open_store
from referral_desktop.store.connection import connect_keyed
from referral_desktop.sync.outbox_worker import OutboxWorker
from referral_desktop.sync.payload import answers_document, freeze_document

pytestmark = pytest.mark.usefixtures("sandbox_faults_cleared")

REPORT = PDF + b"report"
ASSESSMENT = PDF + b"SENTINEL-assessment-bytes"
#: The columns each later version added, dropped to build a store as the version before it left it.
ADDED_BY = {18: ("attachments", "left_out"), 19: ("referral_documents", "left_out_worked_out")}


def _frozen_as_version_17_did(store, policy, *, tool_used: str) -> tuple[str, str, str]:
    """A complete referral with a report under "Other documents" and an assessment attached before the tool
    question was changed to ``tool_used``: frozen and queued as version 17 did (visible answers only, no
    ``attachment_names``, every document left in the manifest). Returns (referral, report, assessment)."""
    referral = store.referrals.create_draft("cwac-marf", "1.0.0", valid_answers())
    rid = str(referral.id)
    report = store.attachments.add(rid, "report.pdf", REPORT, allowed_types=("application/pdf",)).id
    assessment = store.attachments.add(rid, "SENTINEL-gcp2.pdf", ASSESSMENT, allowed_types=("application/pdf",)).id
    answers = store.referrals.get(rid).answers
    answers.update(attachments=[report], assessment_tool_used=tool_used, assessment_tool_attachments=[assessment])
    store.referrals.save_answers(rid, answers)
    form = load_form("cwac-marf", "1.0.0")
    document = answers_document("cwac-marf", "1.0.0", visible_answers(form, answers))
    frozen = freeze_document(document, policy.iart_public_key)
    store.referrals.freeze(rid, frozen.data, frozen.content_type)  # no sent_documents: all of them go
    store.outbox.enqueue(rid)
    return rid, report, assessment


def _as_left_by(profile, version: int) -> None:
    """Cut the closed store back to ``version``: drop the later versions' columns and their records."""
    conn = connect_keyed(profile / "store.db", PASSPHRASE)
    try:
        for later, (table, column) in ADDED_BY.items():
            present = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
            if later > version and column in present:
                conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        conn.execute("DELETE FROM schema_versions WHERE version > ?", (version,))
        conn.commit()
    finally:
        conn.close()


@contextmanager
def _upgraded(tmp_path, sandbox, version: int, *, tool_used: str = "no"):
    """(store, worker, clock, ids): the referral frozen and queued by the app at ``version``, the store
    opened (and migrated) by this one, the sender pointed at the sandbox."""
    policy = load_policy(write_policy(tmp_path / "policy", sandbox, timeout=2.0))
    clock = ManualClock()
    profile = tmp_path / "profile"
    old = create_store(profile, PASSPHRASE, clock=clock)
    try:
        ids = _frozen_as_version_17_did(old, policy, tool_used=tool_used)
    finally:
        old.close()
    _as_left_by(profile, version)
    store = open_store(profile, PASSPHRASE, clock=clock)
    worker = OutboxWorker.from_policy(store, policy, clock=clock)
    try:
        yield store, worker, clock, ids
    finally:
        worker.close()
        store.close()


@pytest.mark.parametrize("version", [17, 18])
def test_frozen_before_version_18_it_is_received_without_the_hidden_questions_document(tmp_path, sandbox, version):
    with _upgraded(tmp_path, sandbox, version) as (store, worker, clock, (rid, report, assessment)):
        [result] = worker.send_due()
        assert result.state == "received", result  # was: rejected, "The manifest lists an attachment ..."
        [held] = [r for r in sandbox.referrals() if r["referral_id"] == rid]
        assert held["attachments_total"] == 1 and held["replays"] == 0
        upload_until_settled(worker, clock)
        assert server_file(sandbox, rid, report) == REPORT and server_file(sandbox, rid, assessment) == b""
        # As for a referral frozen today: the document it went without is deleted once iART has it.
        assert [a.id for a in store.attachments.list(rid)] == [report]
        assert store.uploads.progress([rid])[rid].total == 1


def test_the_answer_lost_the_retry_is_a_replay_not_a_conflict(tmp_path, sandbox):
    """iART commits it and the answer is lost: the retry sends the manifest the first attempt fixed (the
    documents left out are worked out once, not at each attempt), so iART answers with the same reference."""
    with _upgraded(tmp_path, sandbox, 17) as (store, worker, clock, (rid, report, assessment)):
        sandbox.set_faults([{"endpoint": "submit", "kind": "drop_after_commit", "times": 1}])
        [first] = worker.send_due()
        assert first.state == "retrying", first
        assert {a.id for a in store.attachments.to_send(rid)} == {report}  # fixed before the attempt
        assert {a.id for a in store.attachments.list(rid)} == {report, assessment}  # kept until iART has it
        clock.advance()
        [second] = worker.send_due()
        assert second.state == "received", second
        [held] = [r for r in sandbox.referrals() if r["referral_id"] == rid]
        assert held["iart_reference"] == second.iart_reference and held["replays"] == 1
        assert held["attachments_total"] == 1


def test_a_referral_frozen_before_whose_documents_are_all_named_keeps_its_manifest(tmp_path, sandbox):
    """Nothing changes for one whose answers name every document: its manifest is the one it was frozen with."""
    with _upgraded(tmp_path, sandbox, 17, tool_used="yes") as (store, worker, clock, (rid, report, assessment)):
        [result] = worker.send_due()
        assert result.state == "received", result
        [held] = [r for r in sandbox.referrals() if r["referral_id"] == rid]
        assert held["attachments_total"] == 2
        upload_until_settled(worker, clock)
        assert server_file(sandbox, rid, assessment) == ASSESSMENT


def test_killed_between_leaving_out_and_sending_the_next_start_sends_that_manifest(tmp_path, sandbox):
    """The process dies after the commit that left the document out and before the attempt marked the
    referral "sending": on the next start nothing is worked out again (the record says it was done), and the
    manifest that commit fixed is the one sent, once."""
    from referral_desktop.sync.frozen_before_left_out import leave_out_what_its_answers_do_not_name

    with _upgraded(tmp_path, sandbox, 17) as (store, worker, clock, (rid, report, assessment)):
        assert leave_out_what_its_answers_do_not_name(store, store.referrals.frozen(rid)) == 1  # then killed
        assert store.referrals.frozen(rid).left_out_worked_out is True
        assert str(store.referrals.get(rid).state.value) == "queued"  # not yet "sending"
    store = open_store(tmp_path / "profile", PASSPHRASE, clock=clock)  # the next start
    policy = load_policy(tmp_path / "policy" / "policy.toml")
    worker = OutboxWorker.from_policy(store, policy, clock=clock)
    try:
        assert leave_out_what_its_answers_do_not_name(store, store.referrals.frozen(rid)) == 0  # done once
        [result] = worker.send_due()
        assert result.state == "received", result
        [held] = [r for r in sandbox.referrals() if r["referral_id"] == rid]
        assert held["attachments_total"] == 1 and held["replays"] == 0
        assert [a.id for a in store.attachments.list(rid)] == [report]
    finally:
        worker.close()
        store.close()
