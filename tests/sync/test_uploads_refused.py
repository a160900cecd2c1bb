"""An upload iART refuses with its own final word stops for good after a few tries; anything else
(a proxy's page, a bare status, a 404 on HEAD, which has no body) is retried on the backoff as before;
a 413 from iART halves the chunks first.

Against the real sandbox over TLS with the real encrypted store. The sandbox's ``refuse`` fault answers
an upload's PUT while its HEAD answers as usual (``method``), with iART's problem document or with a
proxy's HTML page; the fault's ``times`` left over counts the PUTs it refused, so "exactly N tries" is
checked at the server's side. Before this, every one of these refusals was retried for ever (and held
the referral's purge meanwhile, while the page said "still being sent")."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest
from sync_testing.e2e import SENTINEL_FILENAME
from sync_testing.uploads import DATA, queued_with_attachment, server_file, server_pending, upload_until_settled

from referral_desktop.store.attachment_uploads import REFUSED_FOR_GOOD
from referral_desktop.sync.jobs.uploads import MAX_REFUSALS, MIN_CHUNK_BYTES, UPLOAD_CHUNK_BYTES
from referral_desktop.ui import notifications

pytestmark = pytest.mark.usefixtures("sandbox_faults_cleared")

#: More refusals than the job will ever ask for: what is left shows how many PUTs were refused.
PLENTY = 20


def _faults_left(sandbox) -> list[int]:
    with sandbox.operator_session() as s:
        rules = s.get(f"{sandbox.url}/v1/_sandbox/faults", timeout=10).json()["rules"]
    return [rule["times"] for rule in rules]


def _put_statuses(sandbox, rid: str, aid: str) -> list[str]:
    """The status of each PUT of this upload the sandbox handled (faulted ones never reach its log)."""
    log = (sandbox.data_dir / "logs" / "sandbox.log").read_text(encoding="utf-8")
    path = f"/v1/referrals/{rid}/attachments/{aid}"
    return [line.rsplit(" ", 1)[-1] for line in log.splitlines() if f'"PUT {path} ' in line]


def _sent(rig):
    store, policy, worker, clock = rig
    rid, att = queued_with_attachment(store, policy)
    [sent] = worker.send_due()
    assert sent.state == "received"
    return rid, att


def _assert_given_up_after_exactly_the_bound(rig, sandbox, rid, att, history):
    store = rig[0]
    assert len(history) == MAX_REFUSALS  # tried MAX_REFUSALS times, then never again
    assert [round_[0].state for round_ in history] == ["pending"] * (MAX_REFUSALS - 1) + ["failed"]
    entry = store.uploads.get(att.id)
    assert (entry.state, entry.failure, entry.refusals, entry.mismatches) == (
        "failed", REFUSED_FOR_GOOD, MAX_REFUSALS, 0)
    assert store.uploads.next_due_at() is None and store.uploads.waiting_count() == 0
    assert store.uploads.progress()[rid].sentence() == "0 of 1 document sent; 1 could not be sent"
    assert server_file(sandbox, rid, att.id) == b""


# ----------------------------------------------------------------------------- iART's final word


@pytest.mark.parametrize(("status", "problem_type"), [
    (422, "urn:iart:problem:validation"),
    (409, "urn:iart:problem:idempotency-conflict"),
    (404, "urn:iart:problem:not-found"),
])
def test_iarts_own_refusal_of_the_put_gives_the_upload_up_after_exactly_the_bound(rig, sandbox, status, problem_type):
    store, _policy, worker, clock = rig
    rid, att = _sent(rig)
    sandbox.set_faults([{"endpoint": "upload", "method": "PUT", "kind": "refuse", "status": status,
                         "problem_type": problem_type, "times": PLENTY}])
    history = upload_until_settled(worker, clock, rounds=MAX_REFUSALS + 3)
    _assert_given_up_after_exactly_the_bound(rig, sandbox, rid, att, history)
    assert _faults_left(sandbox) == [PLENTY - MAX_REFUSALS]  # one PUT per try, each refused
    assert store.uploads.get(att.id).last_error_code == f"rejected_{status}"
    assert server_pending(sandbox, rid) == [att.id]  # iART still lists it: the page says to phone


def test_a_document_iart_no_longer_knows_is_given_up_though_head_has_no_body(rig, sandbox):
    """HEAD answers a bare 404 (a HEAD answer has no body); the client asks again with GET, whose
    answer carries iART's "not found" problem document: iART's word, so it counts as a refusal."""
    _store, _policy, worker, clock = rig
    rid, att = _sent(rig)
    db = sqlite3.connect(sandbox.data_dir / "sandbox.sqlite3", timeout=10)
    with db:  # iART no longer holds the document (say, withdrawn at its end)
        db.execute("DELETE FROM attachments WHERE attachment_id = ?", (att.id,))
    db.close()
    history = upload_until_settled(worker, clock, rounds=MAX_REFUSALS + 3)
    _assert_given_up_after_exactly_the_bound(rig, sandbox, rid, att, history)
    assert _put_statuses(sandbox, rid, att.id) == []  # nothing was sent to an address iART does not know


# ------------------------------------------------------------------- nobody's final word: retried


@pytest.mark.parametrize("status", [404, 413, 422])
def test_a_proxys_refusal_without_iarts_problem_document_is_retried_never_given_up(rig, sandbox, status):
    store, _policy, worker, clock = rig
    rid, att = _sent(rig)
    tries = MAX_REFUSALS + 2
    sandbox.set_faults([{"endpoint": "upload", "method": "PUT", "kind": "refuse", "status": status,
                         "times": tries}])  # an HTML error page, as a proxy in between sends
    history = upload_until_settled(worker, clock, rounds=tries)
    assert len(history) == tries and all(round_[0].state == "pending" for round_ in history)
    entry = store.uploads.get(att.id)
    assert (entry.state, entry.failure, entry.refusals, entry.attempts) == ("pending", None, 0, tries)
    assert entry.chunk_bytes is None  # a proxy's 413 does not shrink the chunks
    assert _faults_left(sandbox) == [0]
    history = upload_until_settled(worker, clock)  # the proxy lets it through again
    assert history[-1][0].state == "uploaded"
    assert server_file(sandbox, rid, att.id) == DATA and server_pending(sandbox, rid) == []


def test_a_head_404_from_a_proxy_is_asked_again_and_the_upload_goes_on(rig, sandbox):
    store, _policy, worker, clock = rig
    rid, att = _sent(rig)
    sandbox.set_faults([{"endpoint": "upload", "method": "HEAD", "kind": "refuse", "status": 404, "times": 1}])
    [result] = worker.upload_due()
    assert result.state == "uploaded"  # GET answered where to start; nothing counted against it
    entry = store.uploads.get(att.id)
    assert (entry.state, entry.refusals) == ("uploaded", 0)
    assert server_file(sandbox, rid, att.id) == DATA


def test_a_404_from_a_proxy_to_both_head_and_get_is_retried(rig, sandbox):
    store, _policy, worker, clock = rig
    rid, att = _sent(rig)
    tries = MAX_REFUSALS + 1
    sandbox.set_faults([{"endpoint": "upload", "method": method, "kind": "refuse", "status": 404, "times": tries}
                        for method in ("HEAD", "GET")])
    history = upload_until_settled(worker, clock, rounds=tries)
    assert all(round_[0].state == "pending" for round_ in history)
    entry = store.uploads.get(att.id)
    assert (entry.state, entry.refusals, entry.last_error_code) == ("pending", 0, "wrong_address")  # needs IT
    assert upload_until_settled(worker, clock)[-1][0].state == "uploaded"
    assert server_file(sandbox, rid, att.id) == DATA


# ------------------------------------------------------------------------------- 413: smaller chunks


def test_iarts_413_at_the_smallest_chunk_counts_as_a_refusal(rig, sandbox):
    store, _policy, worker, clock = rig
    rid, att = _sent(rig)
    sandbox.set_faults([{"endpoint": "upload", "method": "PUT", "kind": "refuse", "status": 413,
                         "problem_type": "urn:iart:problem:too-large", "times": PLENTY}])
    history = upload_until_settled(worker, clock, rounds=MAX_REFUSALS + 3)
    _assert_given_up_after_exactly_the_bound(rig, sandbox, rid, att, history)
    halvings = (UPLOAD_CHUNK_BYTES // MIN_CHUNK_BYTES).bit_length() - 1  # 1 MiB -> 64 KiB: 4 halvings
    # The first try went down to the floor (1 + halvings PUTs); the others start there (1 PUT each).
    assert _faults_left(sandbox) == [PLENTY - (1 + halvings) - (MAX_REFUSALS - 1)]
    assert store.uploads.get(att.id).chunk_bytes == MIN_CHUNK_BYTES


@pytest.fixture(scope="module")
def small_chunk_sandbox(tmp_path_factory):
    """A sandbox whose chunk limit is below the client's chunk size: its own 413 with a problem document."""
    from referral_desktop.sandbox.launcher import start_sandbox

    sb = start_sandbox(tmp_path_factory.mktemp("iart-small") / "data",
                       extra_args=("--max-chunk-bytes", str(300 * 1024)))
    yield sb
    sb.stop()


@pytest.fixture
def small_chunk_rig(tmp_path, small_chunk_sandbox):
    from sync_testing.e2e import worker_rig

    with worker_rig(tmp_path, small_chunk_sandbox, timeout=5.0) as built:
        yield built


def test_iarts_413_halves_the_chunks_and_the_upload_arrives_once_whole(small_chunk_rig, small_chunk_sandbox):
    store, _policy, worker, _clock = small_chunk_rig
    sandbox = small_chunk_sandbox
    rid, att = _sent(small_chunk_rig)
    [result] = worker.upload_due()  # in the same try: 1 MiB and 512 KiB refused, 256 KiB taken
    assert result.state == "uploaded"
    assert server_file(sandbox, rid, att.id) == DATA and server_pending(sandbox, rid) == []
    entry = store.uploads.get(att.id)
    assert (entry.state, entry.chunk_bytes, entry.refusals, entry.server_offset) == (
        "uploaded", 256 * 1024, 0, len(DATA))
    statuses = _put_statuses(sandbox, rid, att.id)
    assert statuses[:2] == ["413", "413"] and set(statuses[2:]) == {"200"}
    assert len(statuses) - 2 == -(-len(DATA) // (256 * 1024))  # each byte sent once, in 256 KiB chunks
    log = (sandbox.data_dir / "logs" / "sandbox.log").read_text(encoding="utf-8")
    assert log.count(f"attachment {att.id} complete") == 1
    [held] = [r for r in sandbox.referrals() if r["referral_id"] == rid]
    assert (held["attachments_total"], held["attachments_complete"]) == (1, 1)


# ------------------------------------------------------------------------------------------ the purge


def test_a_decided_referral_waits_for_its_refused_document_only_until_it_is_given_up(rig, sandbox):
    """Through the worker's rounds (uploads, status polling, purging, in their order): the decision is
    recorded while the upload is still to be tried again, so the purge waits; the round that gives it up
    lets the next purge take the referral, where before it was held for ever."""
    store, _policy, worker, clock = rig
    rid, att = _sent(rig)
    sandbox.set_faults([{"endpoint": "upload", "method": "PUT", "kind": "refuse", "status": 422,
                         "problem_type": "urn:iart:problem:validation", "times": PLENTY}])
    [first] = worker.upload_due()
    assert first.state == "pending" and store.uploads.get(att.id).refusals == 1
    reference = store.referrals.get(rid).iart_reference
    sandbox.cli("acknowledge", reference, check=False)  # (a sandbox may have acknowledged it already)
    sandbox.cli("decide", reference, "--outcome", "early_help_and_prevention")
    clock.advance(1)
    worker.scheduler.run_due_jobs()  # the poll records the decision; the purge waits for the document
    assert str(store.referrals.get(rid).state) == "decided" and store.attachments.list(rid)
    known = notifications.read_one(store, rid)  # what the notifier knows, as after the decision
    changes: list[str] = []
    worker.on_change(lambda referral_id, _state: changes.append(referral_id))
    for _ in range(2 * MAX_REFUSALS):  # each round: the upload when due, then the poll and the purge
        if str(store.referrals.get(rid).state) == "purged":
            break
        due = store.uploads.next_due_at()  # none once given up: then the purge's own interval
        clock.advance_to(max(due, clock.now) if due else clock.now + timedelta(minutes=10))
        clock.advance(1)
        worker.scheduler.run_due_jobs()
    assert str(store.referrals.get(rid).state) == "purged"
    assert _faults_left(sandbox) == [PLENTY - MAX_REFUSALS]  # given up after exactly the bound, then purged
    assert store.attachments.list(rid) == [] and store.uploads.for_referral(rid) == []
    assert store.receipts.get(rid).outcome == "early_help_and_prevention"
    # The notifier hears of the change the give-up made, and in the app reads it after this round's purge:
    # the news is told from the receipt's count (reference only, no file name), and only once (marked told).
    assert rid in changes
    after, lost = notifications.read_change(store, rid, True)
    told = notifications.news(known, after, lost)
    assert told == f"{reference}: a document could not be sent. Open the referral to see what to do."
    assert SENTINEL_FILENAME not in told and notifications.news(after, *notifications.read_change(store, rid, True)) is None
