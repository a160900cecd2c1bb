"""A referral iART decides while one of its own documents is still held back is purged only after that
document has arrived, and it arrives exactly once.

Through the real pieces: the encrypted store, the worker's scheduler rounds (uploads, status polling,
purging, in their order) and the sandbox as a separate process over TLS, with 503 + Retry-After injected
on every upload until the fault is cleared. Before the purge waited for a referral's own documents, the
round that recorded the decision purged the referral and deleted the document iART never received."""

from __future__ import annotations

from datetime import date

import pytest
from sync_testing.e2e import PDF, SENTINEL, SENTINEL_FILENAME, draft, valid_answers

from referral_desktop.sync.queueing import queue_referral

pytestmark = pytest.mark.usefixtures("sandbox_faults_cleared")

DATA = PDF.replace(b"%%EOF", f"{SENTINEL} report body\n%%EOF".encode()) + bytes(range(256)) * 40


def _round(worker, clock, seconds: float) -> None:
    """One round of the background loop after ``seconds`` (every job that is due by then runs)."""
    clock.advance(seconds)
    worker.scheduler.run_due_jobs()


def _server_file(sandbox, rid: str, aid: str) -> bytes:
    path = sandbox.data_dir / "attachments" / rid / f"{aid}.bin"
    return path.read_bytes() if path.exists() else b""


def test_a_referral_decided_while_its_document_is_held_back_is_purged_only_once_it_arrives(rig, sandbox, logs):
    store, policy, worker, clock = rig
    rid = draft(store)
    att = store.attachments.add(rid, SENTINEL_FILENAME, DATA, allowed_types=("application/pdf",),
                                max_bytes=2**20)
    answers = valid_answers()
    answers["attachments"] = [att.id]
    store.referrals.save_answers(rid, answers)
    queue_referral(store, rid, policy, date.today())
    sandbox.set_faults([{"endpoint": "upload", "kind": "unavailable", "retry_after": 600}])  # until cleared

    [sent] = worker.send_due()
    assert sent.state == "received"
    reference = sent.iart_reference
    [held_back] = worker.upload_due()
    assert held_back.state == "pending" and held_back.next_attempt_at is not None

    sandbox.cli("acknowledge", reference, check=False)  # (a sandbox may have acknowledged it already)
    sandbox.cli("decide", reference, "--outcome", "early_help_and_prevention")
    _round(worker, clock, 30)  # the poll records the decision, the purge runs; the upload is not due yet
    assert str(store.referrals.get(rid).state) == "decided"
    assert store.attachments.read(att.id) == DATA  # not deleted unsent
    assert store.uploads.get(att.id).state == "pending"

    _round(worker, clock, 700)  # the upload is tried again and refused again; the purge still waits
    assert store.uploads.get(att.id).attempts == 2
    assert str(store.referrals.get(rid).state) == "decided"
    assert store.attachments.read(att.id) == DATA
    assert _server_file(sandbox, rid, att.id) == b""

    sandbox.clear_faults()
    for _ in range(3):  # the upload goes, then the next purge takes the referral with everything
        _round(worker, clock, 700)
        if str(store.referrals.get(rid).state) == "purged":
            break
    assert str(store.referrals.get(rid).state) == "purged"
    assert store.attachments.list(rid) == [] and store.uploads.for_referral(rid) == []
    assert store.receipts.get(rid).outcome == "early_help_and_prevention"

    _round(worker, clock, 3600)  # and nothing of it is sent again afterwards
    assert _server_file(sandbox, rid, att.id) == DATA  # iART has it, whole
    [held] = [r for r in sandbox.referrals() if r["referral_id"] == rid]
    assert (held["attachments_total"], held["attachments_complete"], held["replays"]) == (1, 1, 0)
    log = (sandbox.data_dir / "logs" / "sandbox.log").read_text(encoding="utf-8")
    path = f"/v1/referrals/{rid}/attachments/{att.id}"
    assert [line.rsplit(" ", 1)[-1] for line in log.splitlines() if f'"PUT {path} ' in line] == ["200"]  # one PUT
    assert log.count(f"attachment {att.id} complete") == 1  # completed once
    for line in logs:
        assert SENTINEL not in line
    assert SENTINEL not in sandbox.output()
