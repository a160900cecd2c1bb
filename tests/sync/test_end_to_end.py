"""End to end against the sandbox started as a separate process over HTTPS, with the real encrypted
store: the happy path through the CLI, exactly once under every injected fault, rejections mapped to
answer paths, attachments, and no personal data in any log or output."""

from __future__ import annotations

import logging
import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sync_testing.e2e import (
    PASSPHRASE,
    PDF,
    SENTINEL,
    SENTINEL_FILENAME,
    draft,
    run_cli,
    valid_answers,
    write_policy,
)

from referral_desktop.policy import load_policy
from referral_desktop.store import create_store, open_store
from referral_desktop.sync.outbox_worker import OutboxWorker
from referral_desktop.sync.payload import canonical_json
from referral_desktop.sync.queueing import QueueRefused, queue_referral

pytestmark = pytest.mark.usefixtures("sandbox_faults_cleared")

TODAY = date.today()


@pytest.fixture
def captured_logs():
    """Every log record from the app's packages at DEBUG, unfiltered (the filter is a last defence;
    the code itself must not log values)."""
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            text = record.getMessage()
            if record.exc_info:
                text += logging.Formatter().formatException(record.exc_info)
            records.append(text)

    handler = Keep(logging.DEBUG)
    loggers = [logging.getLogger(n) for n in ("referral_desktop", "urllib3", "requests")]
    old = [(lg, lg.level) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.DEBUG)
    yield records
    for lg, level in old:
        lg.removeHandler(handler)
        lg.setLevel(level)


def upload_wait(result, clock) -> float:
    """Seconds from the test clock's now to an upload's next attempt."""
    return (result.next_attempt_at - clock.now).total_seconds()


def held_by_server(sandbox, referral_id):
    return [r for r in sandbox.referrals() if r["referral_id"] == referral_id]


# ------------------------------------------------------------------------------------------- happy path


def test_import_queue_send_acknowledge_decide_through_the_cli(tmp_path, sandbox):
    write_policy(tmp_path / "policy", sandbox)
    store = create_store(tmp_path / "profile", PASSPHRASE)
    rid = draft(store)  # "import": a draft made from a complete answers document
    store.close()

    queued = run_cli(tmp_path, "queue", rid)
    assert queued.returncode == 0, queued.stderr
    assert f"{rid}\tqueued\t(encrypted to iART's key)" in queued.stdout

    sent = run_cli(tmp_path, "send")
    assert sent.returncode == 0, sent.stderr
    [server_copy] = held_by_server(sandbox, rid)
    reference = server_copy["iart_reference"]
    assert f"{rid}\treceived\t{reference}" in sent.stdout
    assert server_copy["payload_content_type"] == "application/jose"

    sandbox.cli("acknowledge", reference)
    status = run_cli(tmp_path, "status")
    assert status.returncode == 0, status.stderr
    assert f"{rid}\tacknowledged\t{reference}\t-" in status.stdout

    sandbox.cli("decide", reference, "--outcome", "early_help_and_prevention")
    status = run_cli(tmp_path, "status")
    # Decided, then purged straight away under the retention policy: the receipt (reference, outcome) stays.
    assert f"{rid}\tpurged\t{reference}\tearly_help_and_prevention" in status.stdout

    again = run_cli(tmp_path, "send")
    assert again.returncode == 0 and "Nothing to send." in again.stdout
    assert len(held_by_server(sandbox, rid)) == 1 and held_by_server(sandbox, rid)[0]["replays"] == 0

    for result in (queued, sent, status, again):
        assert SENTINEL not in result.stdout + result.stderr
    log_dir = Path(os.environ["REFERRAL_DESKTOP_LOG_DIR"])  # where the commands' log file goes in tests
    logged = "".join(p.read_text(errors="replace") for p in log_dir.rglob("*") if p.is_file())
    assert rid in logged  # the commands did log (ids)...
    assert SENTINEL not in logged  # ...and never a value

    reopened = open_store(tmp_path / "profile", PASSPHRASE)
    try:
        final = reopened.referrals.get(rid)
        assert str(final.state) == "purged" and final.iart_reference == reference
        assert final.outcome == "early_help_and_prevention"
        assert SENTINEL not in repr(final)
        audit = [(e.event, e.detail) for e in reopened.audit.list(rid)]
        assert ("status_changed", "acknowledged") in audit and ("status_changed", "decided") in audit
    finally:
        reopened.close()


def test_invalid_referral_is_refused_with_its_messages(tmp_path, sandbox):
    write_policy(tmp_path / "policy", sandbox)
    store = create_store(tmp_path / "profile", PASSPHRASE)
    answers = valid_answers()
    answers["children"][0]["nhs_number"] = "943 476 5918"  # wrong check digit
    del answers["referrer_email"]
    rid = draft(store, answers)
    store.close()
    result = run_cli(tmp_path, "queue", rid)
    assert result.returncode == 1
    assert "children[0].nhs_number:" in result.stderr and "referrer_email:" in result.stderr
    assert "943 476 5918" not in result.stdout + result.stderr
    assert SENTINEL not in result.stdout + result.stderr


def test_queue_refuses_in_process_too(rig):
    store, policy, worker, clock = rig
    answers = valid_answers()
    answers["route"] = None
    rid = draft(store, answers)
    with pytest.raises(QueueRefused) as info:
        queue_referral(store, rid, policy, TODAY)
    assert "route" in {e.path for e in info.value.errors}
    assert str(store.referrals.get(rid).state) == "draft"
    assert store.outbox.get(rid) is None


# ------------------------------------------------------------------------------------ exactly once


FAULTS = {
    "drop_after_commit": {"kind": "drop_after_commit"},
    "drop_before": {"kind": "drop_before"},
    "error_500": {"kind": "error", "status": 500},
    "unavailable_503_retry_after": {"kind": "unavailable", "retry_after": 7},
    "rate_limited_429": {"kind": "rate_limited", "retry_after": 3},
    "timeout_after_commit": {"kind": "slow_answer", "latency_ms": 3500},
    "captive_portal": {"kind": "captive_portal"},
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_exactly_once_under_fault(rig, sandbox, fault, captured_logs):
    store, policy, worker, clock = rig
    rid = draft(store)
    queue_referral(store, rid, policy, TODAY)
    sandbox.set_faults([{"endpoint": "submit", "times": 1, **FAULTS[fault]}])

    [first] = worker.send_due()
    assert first.state == "retrying", first
    assert str(store.referrals.get(rid).state) == "retrying"
    assert store.referrals.get(rid).iart_reference is None
    if fault.endswith("retry_after") or fault.startswith("rate_limited"):
        wanted = FAULTS[fault]["retry_after"]
        assert first.next_attempt_at >= clock.now + timedelta(seconds=wanted)
    assert worker.send_due() == []  # backing off

    clock.advance()
    [second] = worker.send_due()
    assert second.state == "received", second
    held = held_by_server(sandbox, rid)
    assert len(held) == 1
    assert held[0]["iart_reference"] == second.iart_reference == store.referrals.get(rid).iart_reference
    assert store.outbox.get(rid) is None
    assert all(SENTINEL not in line for line in captured_logs)


def test_exactly_once_when_the_server_restarts_between_attempts(rig, sandbox):
    store, policy, worker, clock = rig
    rid = draft(store)
    queue_referral(store, rid, policy, TODAY)
    sandbox.set_faults([{"endpoint": "submit", "kind": "drop_after_commit", "times": 1}])
    [first] = worker.send_due()
    assert first.state == "retrying"
    sandbox.stop()
    clock.advance()
    [down] = worker.send_due()
    assert down.state == "retrying" and down.error_code in ("network", "timeout")
    sandbox.restart()
    clock.advance()
    [third] = worker.send_due()
    assert third.state == "received"
    [held] = held_by_server(sandbox, rid)
    assert held["iart_reference"] == third.iart_reference


def test_one_bad_referral_does_not_block_the_others(rig, sandbox):
    store, policy, worker, clock = rig
    good = [draft(store) for _ in range(3)]
    for rid in good:
        queue_referral(store, rid, policy, TODAY)
    # A referral whose frozen bytes the server refuses (as if the server's rules were stricter).
    answers = valid_answers()
    answers["children"][0]["nhs_number"] = "943 476 5918"
    answers["referrer_email"] = "not an email"
    bad = draft(store, answers)
    document = {"form_id": "cwac-marf", "form_version": "1.0.0", "answers": answers}
    store.referrals.freeze(bad, canonical_json(document), "application/json")
    store.outbox.enqueue(bad)

    results = {r.referral_id: r for r in worker.send_due()}
    assert results[bad].state == "rejected"
    assert {path for path, _ in results[bad].reasons} >= {"children[0].nhs_number", "referrer_email"}
    assert all(results[g].state == "received" for g in good)

    rejected = store.referrals.get(bad)
    assert str(rejected.state) == "draft"
    paths = {tuple(r)[0] for r in rejected.rejection_reasons}
    assert {"children[0].nhs_number", "referrer_email"} <= paths
    assert store.outbox.get(bad) is None
    assert held_by_server(sandbox, bad) == []
    # The counts readable without the passphrase were rewritten when the batch ended.
    from referral_desktop.store import unsent_summary

    counts = unsent_summary(store.files.profile_dir)
    assert (counts.drafts, counts.waiting_to_send) == (1, 0)


def test_attachment_is_uploaded_streamed_and_resumes(rig, sandbox):
    store, policy, worker, clock = rig
    rid = draft(store)
    data = PDF + bytes(range(256)) * 40_000  # ~10 MB
    att = store.attachments.add(rid, SENTINEL_FILENAME, data, allowed_types=("application/pdf",), max_bytes=50 * 2**20)
    answers = valid_answers()
    answers["attachments"] = [att.id]
    store.referrals.save_answers(rid, answers)
    queue_referral(store, rid, policy, TODAY)
    # The first chunk's connection is dropped: the upload stops and waits for its own backoff.
    sandbox.set_faults([{"endpoint": "upload", "kind": "drop_before", "times": 1}])
    [result] = worker.send_due()
    assert result.state == "received"
    [upload] = worker.upload_due()
    assert upload.state in ("pending", "uploading") and upload.next_attempt_at > clock.now
    [held] = held_by_server(sandbox, rid)
    assert held["attachments_total"] == 1 and held["attachments_complete"] == 0
    assert worker.upload_due() == []  # not due yet
    clock.advance(upload_wait(upload, clock))
    [upload] = worker.upload_due()
    assert upload.state == "uploaded"
    [held] = held_by_server(sandbox, rid)
    assert held["attachments_complete"] == 1
    assert store.uploads.get(att.id).state == "uploaded"
    stored = sandbox.data_dir
    assert any(p.stat().st_size == len(data) for p in stored.rglob("*") if p.is_file() and att.id in str(p))


def test_no_personal_data_in_sandbox_output(sandbox):
    assert SENTINEL not in sandbox.output()


# ------------------------------------------------------------------------------------ iART's messages


def test_request_info_message_is_polled_and_kept_in_the_store(rig, sandbox, captured_logs):
    store, policy, worker, clock = rig
    rid = draft(store)
    queue_referral(store, rid, policy, TODAY)
    [sent] = worker.send_due()
    reference = sent.iart_reference
    first = f"Please send the latest school report for {SENTINEL}."
    sandbox.cli("request-info", reference, "--message", first)
    changes = []
    worker.on_change(lambda referral_id, state: changes.append((referral_id, state)))

    [update] = worker.poll_statuses()
    assert (update.state, update.changed, update.new_message) == ("info_requested", True, True)
    assert str(store.referrals.get(rid).state) == "info_requested"
    [kept] = store.referrals.messages(rid)
    assert kept.text == first and kept.sent_at.tzinfo is not None
    assert changes == [(rid, "info_requested")]

    # Polling again: the changes feed has nothing new, so nothing is kept twice and nobody is told.
    assert worker.poll_statuses() == []
    assert len(store.referrals.messages(rid)) == 1
    assert changes == [(rid, "info_requested")]

    # iART asks again while the state stays info_requested: the new message is kept, newest first.
    second = "And the name of the child's GP, please."
    sandbox.cli("request-info", reference, "--message", second)
    [third] = worker.poll_statuses()
    assert (third.changed, third.new_message) == (False, True)
    assert [m.text for m in store.referrals.messages(rid)] == [second, first]
    assert changes[-1] == (rid, "info_requested")

    # The decision purges the personal data, messages included.
    sandbox.cli("decide", reference, "--outcome", "early_help_and_prevention")
    worker.run_once()
    assert str(store.referrals.get(rid).state) == "purged"
    assert store.referrals.messages(rid) == []
    assert all(SENTINEL not in line for line in captured_logs)
    assert SENTINEL not in sandbox.output()


def test_sandbox_requiring_a_client_certificate_takes_only_clients_that_present_one(tmp_path):
    """Mutual TLS end to end: the sandbox started with --require-client-cert refuses the sender without
    the certificate (nothing reaches it; the referral is kept for a retry) and accepts it with one."""
    from referral_desktop.sandbox.launcher import running_sandbox

    with running_sandbox(tmp_path / "iart-mtls", extra_args=["--require-client-cert"]) as sandbox:
        facts = sandbox.facts
        store = create_store(tmp_path / "profile", PASSPHRASE)
        try:
            without = load_policy(write_policy(tmp_path / "without", sandbox, timeout=2.0))
            rid = draft(store)
            queue_referral(store, rid, without, TODAY)
            worker = OutboxWorker.from_policy(store, without)
            [refused] = worker.send_due()
            worker.close()
            # With TLS 1.3 the server checks the certificate after the client's side of the handshake and
            # the client often sees only the connection closed; it is still named (needs IT), never "network".
            assert (refused.state, refused.error_code, refused.needs_it) == ("retrying", "tls", True), refused
            assert "client_cert" in refused.message and "Could not reach" not in refused.message
            [entry] = store.outbox.list()
            assert entry.last_error_code == "tls" and entry.next_attempt_at is not None  # queued, backing off
            assert sandbox.referrals() == []

            with_cert = load_policy(write_policy(
                tmp_path / "with", sandbox, timeout=2.0,
                client_cert=facts["client_cert_file"], client_key=facts["client_key_file"],
            ))
            store.outbox.mark(rid, next_attempt_at=datetime.now(UTC) - timedelta(seconds=1))  # due again
            worker = OutboxWorker.from_policy(store, with_cert)
            [sent] = worker.send_due()
            worker.close()
            assert sent.state == "received" and sent.iart_reference
            assert [r["referral_id"] for r in sandbox.referrals()] == [rid]
        finally:
            store.close()
