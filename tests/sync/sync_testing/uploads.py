"""Shared steps of the upload tests against the sandbox: a queued referral with one document, what the
server holds of it, and the uploads job run as the scheduler would."""

from __future__ import annotations

from datetime import date

from referral_desktop.sync.queueing import queue_referral
from sync_testing.e2e import PDF, SENTINEL_FILENAME, draft, valid_answers

#: Several chunks, so a fault can land mid-file.
DATA = PDF + bytes(range(256)) * 10_000  # ~2.5 MB


def queued_with_attachment(store, policy, data=DATA):
    rid = draft(store)
    att = store.attachments.add(rid, SENTINEL_FILENAME, data, allowed_types=("application/pdf",),
                                max_bytes=50 * 2**20)
    answers = valid_answers()
    answers["attachments"] = [att.id]
    store.referrals.save_answers(rid, answers)
    queue_referral(store, rid, policy, date.today())
    return rid, att


def server_file(sandbox, rid, aid):
    path = sandbox.data_dir / "attachments" / rid / f"{aid}.bin"
    return path.read_bytes() if path.exists() else b""


def server_pending(sandbox, rid):
    report = sandbox.session().get(f"{sandbox.url}/v1/referrals/{rid}/status", timeout=10).json()
    return report["attachments_pending"]


def upload_until_settled(worker, clock, rounds=10):
    """Run the uploads job as the scheduler would: whenever the next upload is due. Returns each round's results."""
    history = []
    for _ in range(rounds):
        due = worker.store.uploads.next_due_at()
        if due is None:
            break
        clock.advance_to(due)
        history.append(worker.upload_due())
    return history
