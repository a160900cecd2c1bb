"""Attachment uploads against the real sandbox over TLS, with the real encrypted store: every upload
fault converges with the server's file matching and the store saying "uploaded"; Retry-After is
honoured; a mismatch that keeps repeating stops after a bounded number of tries; ``send`` resumes an
upload a SIGKILL interrupted and says "1 of 1 document sent" only when it is true."""

from __future__ import annotations

import hashlib
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from sync_testing.e2e import PASSPHRASE, PDF, SENTINEL, write_policy
from sync_testing.e2e import run_cli as e2e_run_cli
from sync_testing.uploads import DATA, queued_with_attachment, server_file, server_pending, upload_until_settled

from referral_desktop.policy import load_policy
from referral_desktop.store import create_store, open_store
from referral_desktop.store.attachment_uploads import DAMAGED_HERE, REFUSED_BY_SERVER
from referral_desktop.sync.jobs.uploads import MAX_MISMATCHES, UPLOAD_CHUNK_BYTES
from referral_desktop.sync.outbox_worker import OutboxWorker

pytestmark = pytest.mark.usefixtures("sandbox_faults_cleared")

# ------------------------------------------------------------------------------------- every fault

UPLOAD_FAULTS = {
    "drop_before": {"kind": "drop_before"},
    "drop_after_commit": {"kind": "drop_after_commit"},
    "error_500": {"kind": "error", "status": 500},
    "unavailable_503_retry_after": {"kind": "unavailable", "retry_after": 120},
    "slow_answer_beyond_timeout": {"kind": "slow_answer", "latency_ms": 2500},
}


@pytest.mark.parametrize("fault", sorted(UPLOAD_FAULTS))
def test_every_upload_fault_converges(rig, sandbox, fault):
    store, policy, worker, clock = rig
    rid, att = queued_with_attachment(store, policy)
    # The second upload request (the first chunk's PUT after the offset check) and the next one fail.
    sandbox.set_faults([
        {"endpoint": "upload", "kind": "latency", "latency_ms": 0, "times": 1},
        {"endpoint": "upload", "times": 2, **UPLOAD_FAULTS[fault]},
    ])
    [sent] = worker.send_due()
    assert sent.state == "received"
    [first] = worker.upload_due()
    assert first.state in ("pending", "uploading"), first
    assert store.uploads.get(att.id).state in ("pending", "uploading")
    assert first.next_attempt_at > clock.now  # its own backoff, not the status poll's
    if fault == "unavailable_503_retry_after":
        assert first.next_attempt_at >= clock.now + timedelta(seconds=120)  # Retry-After honoured
    assert worker.upload_due() == []  # not due yet
    assert server_pending(sandbox, rid) == [att.id]

    history = upload_until_settled(worker, clock)
    assert history and history[-1][0].state == "uploaded", history
    assert server_file(sandbox, rid, att.id) == DATA
    assert server_pending(sandbox, rid) == []
    entry = store.uploads.get(att.id)
    assert (entry.state, entry.server_offset) == ("uploaded", len(DATA))
    assert store.uploads.progress()[rid].sentence() == "1 of 1 document sent"


def test_an_interrupted_upload_resumes_at_the_servers_offset(rig, sandbox):
    store, policy, worker, clock = rig
    rid, att = queued_with_attachment(store, policy)
    # HEAD, two chunks accepted, then the third chunk's connection drops.
    sandbox.set_faults([
        {"endpoint": "upload", "kind": "latency", "latency_ms": 0, "times": 3},
        {"endpoint": "upload", "kind": "drop_before", "times": 1},
    ])
    worker.send_due()
    [first] = worker.upload_due()
    assert first.state == "uploading"
    entry = store.uploads.get(att.id)
    assert entry.server_offset == 2 * UPLOAD_CHUNK_BYTES == len(server_file(sandbox, rid, att.id))
    upload_until_settled(worker, clock)
    assert server_file(sandbox, rid, att.id) == DATA


def test_the_status_poll_reconciles_with_what_the_server_holds(rig, sandbox):
    store, policy, worker, clock = rig
    rid, att = queued_with_attachment(store, policy, PDF)
    worker.send_due()
    # The upload completes at the server but the process "dies" before recording it.
    sandbox.session().put(f"{sandbox.url}/v1/referrals/{rid}/attachments/{att.id}", data=PDF, timeout=10)
    assert store.uploads.get(att.id).state == "pending"
    worker.poll_statuses()
    assert store.uploads.get(att.id).state == "uploaded"
    assert worker.upload_due() == []


# ------------------------------------------------------------------------------- mismatches stop


def test_a_damaged_copy_is_never_sent_and_stops_after_the_bound(rig, sandbox):
    store, policy, worker, clock = rig
    rid, att = queued_with_attachment(store, policy)
    worker.send_due()
    with store.write() as conn:  # a page that decrypts to other bytes than were attached
        conn.execute("UPDATE attachment_chunks SET data = zeroblob(length(data)) WHERE attachment_id = ? AND seq = 1",
                     (att.id,))
    history = upload_until_settled(worker, clock, rounds=MAX_MISMATCHES + 3)
    assert len(history) == MAX_MISMATCHES
    assert [round_[0].state for round_ in history] == ["pending"] * (MAX_MISMATCHES - 1) + ["failed"]
    entry = store.uploads.get(att.id)
    assert (entry.state, entry.failure, entry.mismatches) == ("failed", DAMAGED_HERE, MAX_MISMATCHES)
    assert server_file(sandbox, rid, att.id) == b""  # not one byte sent
    assert store.uploads.next_due_at() is None  # never tried again
    assert store.uploads.progress()[rid].sentence() == "0 of 1 document sent; 1 could not be sent"


def test_bytes_the_server_keeps_refusing_stop_after_the_bound(rig, sandbox):
    store, policy, worker, clock = rig
    rid, att = queued_with_attachment(store, policy)
    worker.send_due()
    db = sqlite3.connect(sandbox.data_dir / "sandbox.sqlite3", timeout=10)
    with db:  # the server's manifest disagrees with the bytes (as a corrupting proxy would make it)
        db.execute("UPDATE attachments SET sha256 = ? WHERE attachment_id = ?", ("0" * 64, att.id))
    db.close()
    history = upload_until_settled(worker, clock, rounds=MAX_MISMATCHES + 3)
    assert len(history) == MAX_MISMATCHES  # the whole file went MAX_MISMATCHES times, then it stopped
    entry = store.uploads.get(att.id)
    assert (entry.state, entry.failure) == ("failed", REFUSED_BY_SERVER)
    assert server_pending(sandbox, rid) == [att.id]


# ---------------------------------------------------------------------------------------- the CLI


def run_cli(tmp_path, *args, wait=True):
    if wait:
        return e2e_run_cli(tmp_path, *args, timeout=120)
    command = [
        sys.executable, "-m", "referral_desktop", "--profile", str(tmp_path / "profile"),
        "--policy", str(tmp_path / "policy" / "policy.toml"), *args, "--passphrase-stdin",
    ]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    process.stdin.write(PASSPHRASE + "\n")
    process.stdin.flush()
    return process


def _cli_profile(tmp_path, sandbox, data):
    policy = load_policy(write_policy(tmp_path / "policy", sandbox, timeout=2.0))
    store = create_store(tmp_path / "profile", PASSPHRASE)
    try:
        rid, att = queued_with_attachment(store, policy, data)
    finally:
        store.close()
    return rid, att


def test_send_says_documents_are_still_going_and_exits_1_until_they_are_sent(tmp_path, sandbox):
    rid, att = _cli_profile(tmp_path, sandbox, DATA)
    sandbox.set_faults([{"endpoint": "upload", "kind": "error", "status": 500}])
    sent = run_cli(tmp_path, "send")
    assert sent.returncode == 1, sent.stdout + sent.stderr
    reference = next(r["iart_reference"] for r in sandbox.referrals() if r["referral_id"] == rid)
    assert f"{rid}\treceived\t{reference}\t0 of 1 document sent; next attempt" in sent.stdout
    assert "0 of 1 sent." in sent.stdout
    status = run_cli(tmp_path, "status")
    assert status.returncode == 1
    assert f"{rid}\treceived\t{reference}\t" in status.stdout and "\t0 of 1 document sent" in status.stdout
    assert server_pending(sandbox, rid) == [att.id]  # the server agrees
    listed = run_cli(tmp_path, "list")
    assert "0 of 1 document sent" in listed.stdout

    sandbox.clear_faults()
    deadline = time.monotonic() + 30
    attempts = []
    while (again := run_cli(tmp_path, "send")).returncode != 0 and time.monotonic() < deadline:
        attempts.append(again)
        time.sleep(1)
    # Until its backoff is over the document waits, and send says so (never "Nothing to send.").
    assert all("0 of 1 document sent; next attempt" in a.stdout for a in attempts)
    assert again.returncode == 0, again.stdout
    assert f"{rid}\treceived\t{reference}\t1 of 1 document sent" in again.stdout
    assert server_file(sandbox, rid, att.id) == DATA and server_pending(sandbox, rid) == []
    status = run_cli(tmp_path, "status")
    assert status.returncode == 0 and "\t1 of 1 document sent" in status.stdout
    for result in (sent, status, listed, again):
        assert SENTINEL not in result.stdout + result.stderr


def test_send_resumes_an_upload_killed_midway(tmp_path, sandbox):
    data = PDF + bytes(range(256)) * 24_000  # ~6 MB: six chunks
    rid, att = _cli_profile(tmp_path, sandbox, data)
    # Each upload request takes a while, so the process can be killed between chunks.
    sandbox.set_faults([{"endpoint": "upload", "kind": "latency", "latency_ms": 400}])
    process = run_cli(tmp_path, "send", wait=False)
    deadline = time.monotonic() + 60
    while len(server_file(sandbox, rid, att.id)) < 2 * UPLOAD_CHUNK_BYTES and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    held = len(server_file(sandbox, rid, att.id))
    assert 0 < held < len(data)
    sandbox.clear_faults()

    resumed = run_cli(tmp_path, "send")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert server_file(sandbox, rid, att.id) == data
    assert hashlib.sha256(server_file(sandbox, rid, att.id)).hexdigest() == att.sha256
    store = open_store(tmp_path / "profile", PASSPHRASE)
    try:
        assert store.uploads.get(att.id).state == "uploaded"
        assert str(store.referrals.get(rid).state) == "received"
    finally:
        store.close()


def test_the_background_loop_uploads_on_its_own_after_sending(tmp_path, sandbox):
    # The uploads job is registered with the scheduler: the app's loop needs no status poll to upload.
    import threading

    policy = load_policy(write_policy(tmp_path / "policy", sandbox, timeout=2.0))
    store = create_store(tmp_path / "profile", PASSPHRASE)
    worker = OutboxWorker.from_policy(store, policy, status_interval=timedelta(hours=1))
    rid, att = queued_with_attachment(store, policy)
    sandbox.set_faults([{"endpoint": "upload", "kind": "unavailable", "retry_after": 1, "times": 1}])
    stop = threading.Event()
    loop = threading.Thread(target=worker.run_forever, args=(stop,), daemon=True)
    loop.start()
    try:
        deadline = time.monotonic() + 30
        while server_file(sandbox, rid, att.id) != DATA and time.monotonic() < deadline:
            time.sleep(0.2)
        assert server_file(sandbox, rid, att.id) == DATA
    finally:
        stop.set()
        worker.nudge()  # the loop sleeps on its one wake event: without this, join waited out its 30 s
        loop.join(timeout=30)
    assert not loop.is_alive()
    assert store.uploads.get(att.id).state == "uploaded"
    store.close()
