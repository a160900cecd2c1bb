"""Documents with a reply, end to end: the real encrypted store, the worker's reply and upload jobs and
the sandbox as a separate process over HTTPS. A reply with two documents arrives once with both, under
injected faults too (on the reply and on the uploads); a file the form's rules refuse is refused before
anything is queued; no file name or content reaches a log, the sandbox's output or a command's output."""

from __future__ import annotations

import os
import random
from datetime import date

import pytest
from sync_testing.e2e import (
    PASSPHRASE,
    PDF,
    SENTINEL,
    SENTINEL_FILENAME,
    draft,
    profile_with_sent_referral,
    run_cli,
    sent_referral,
    write_policy,
)

from referral_desktop.policy import load_policy
from referral_desktop.sandbox.launcher import running_sandbox
from referral_desktop.store import create_store, open_store
from referral_desktop.store.errors import AttachmentRefused
from referral_desktop.sync.outbox_worker import OutboxWorker
from referral_desktop.sync.queueing import queue_referral
from referral_desktop.sync.replying import attach_to_reply, queue_reply

pytestmark = pytest.mark.usefixtures("sandbox_faults_cleared")

TODAY = date.today()
REPLY = f"The school's letter and the plan are attached ({SENTINEL})."
LETTER = PDF.replace(b"%%EOF", f"{SENTINEL} letter body\n%%EOF".encode())
PLAN = b"\x89PNG\r\n\x1a\n" + f"{SENTINEL} plan body".encode() * 40


def reply_with_documents(store, policy, rid, tmp_path) -> tuple[str, list[str]]:
    letter, plan = tmp_path / SENTINEL_FILENAME, tmp_path / f"{SENTINEL} plan.png"
    letter.write_bytes(LETTER)
    plan.write_bytes(PLAN)
    store.replies.save_draft(rid, REPLY)
    ids = [attach_to_reply(store, rid, policy, path).id for path in (letter, plan)]
    return queue_reply(store, rid, policy).reply_id, ids


def held_documents(sandbox, reference, rid) -> list[tuple[str, bool, bytes]]:
    [held] = [m for m in sandbox.conversation(reference) if m["direction"] == "to_iart"]
    return [
        (d["name"], d["complete"],
         (sandbox.data_dir / "attachments" / rid / f"{d['attachment_id']}.bin").read_bytes() if d["complete"] else b"")
        for d in held["documents"]
    ]


FAULTS = {
    "reply_drop_after_commit": [{"endpoint": "messages", "kind": "drop_after_commit", "times": 1}],
    "reply_503_retry_after": [{"endpoint": "messages", "kind": "unavailable", "retry_after": 7, "times": 1}],
    "reply_captive_portal": [{"endpoint": "messages", "kind": "captive_portal", "times": 1}],
    "upload_drop_after_commit": [{"endpoint": "upload", "kind": "drop_after_commit", "times": 1}],
    "upload_503_retry_after": [{"endpoint": "upload", "kind": "unavailable", "retry_after": 7, "times": 2}],
}


@pytest.mark.parametrize("fault", [None, *sorted(FAULTS)])
def test_a_reply_with_documents_arrives_exactly_once(rig, sandbox, tmp_path, logs, fault):
    store, policy, worker, clock = rig
    rid, reference = sent_referral(store, policy, worker)
    reply_id, ids = reply_with_documents(store, policy, rid, tmp_path)
    assert store.uploads.reply_progress(rid)[reply_id].sentence() == "0 of 2 documents sent"
    if fault:
        sandbox.set_faults(FAULTS[fault])

    for _ in range(6):  # the worker's rounds, the clock moved past every backoff between them; no status
        worker.run_once(poll=False)  # poll, so a lost answer is settled by the replay (the feed: below)
        clock.advance(seconds=600)
    assert store.replies.get(reply_id).state == "sent"
    assert store.uploads.reply_progress(rid)[reply_id].sentence() == "2 of 2 documents sent"
    assert store.uploads.waiting_count() == 0

    [held] = [m for m in sandbox.conversation(reference) if m["direction"] == "to_iart"]
    assert held["message_id"] == reply_id and held["text"] == REPLY
    assert held["replays"] == (1 if fault == "reply_drop_after_commit" else 0)
    assert sorted(held_documents(sandbox, reference, rid)) == sorted([
        (SENTINEL_FILENAME, True, LETTER), (f"{SENTINEL} plan.png", True, PLAN),
    ])
    assert sorted(d["attachment_id"] for d in held["documents"]) == sorted(ids)
    for line in logs:
        assert SENTINEL not in line
    assert SENTINEL not in sandbox.output()


def test_a_reply_learnt_sent_from_the_feed_still_uploads_its_documents(rig, sandbox, tmp_path):
    store, policy, worker, clock = rig
    rid, reference = sent_referral(store, policy, worker)
    reply_id, _ids = reply_with_documents(store, policy, rid, tmp_path)
    sandbox.set_faults([{"endpoint": "messages", "kind": "drop_after_commit", "times": 1},
                        {"endpoint": "upload", "kind": "unavailable", "retry_after": 1, "times": 10}])
    assert worker.send_due_replies()[0].state == "retrying"
    worker.poll_statuses()  # the feed lists the reply: iART holds it, and waits for both documents
    assert store.replies.get(reply_id).state == "sent"
    assert store.uploads.reply_progress(rid)[reply_id].sentence() == "0 of 2 documents sent"
    sandbox.clear_faults()
    clock.advance(seconds=600)
    uploads = worker.upload_due()
    assert store.uploads.reply_progress(rid)[reply_id].sentence() == "2 of 2 documents sent"
    # What `send` reports for a reply sent in an earlier run whose documents went in this one.
    from referral_desktop.commands.sync_commands import _reply_documents_of

    now, earlier = _reply_documents_of(store, [], uploads)
    assert now == {} and {k: v.sentence() for k, v in earlier.items()} == {reply_id: "2 of 2 documents sent"}
    assert [c for _n, c, _b in held_documents(sandbox, reference, rid)] == [True, True]


def test_a_refused_file_is_refused_with_a_clear_message_before_anything_is_queued(rig, sandbox, tmp_path):
    store, policy, worker, clock = rig
    rid, reference = sent_referral(store, policy, worker)
    notes = tmp_path / f"{SENTINEL} notes.txt"
    notes.write_text(f"{SENTINEL} plain text is not an allowed type", encoding="utf-8")
    with pytest.raises(AttachmentRefused) as refused:
        attach_to_reply(store, rid, policy, notes)
    assert str(refused.value) == (  # the policy's default types, less plain text (no content check knows it)
        "The selected file must be a PDF, PNG, JPG, Word document (DOCX) or OpenDocument text (ODT)"
    )
    big = tmp_path / "big.pdf"
    big.write_bytes(PDF + b"\0" * 2048)
    small = load_policy(write_policy(tmp_path / "small", sandbox, attachment_max_bytes=1024))
    with pytest.raises(AttachmentRefused, match="must be smaller than 1 KB"):
        attach_to_reply(store, rid, small, big)
    assert store.replies.draft(rid) is None or store.attachments.for_reply(store.replies.draft(rid).id) == []
    assert store.replies.outgoing() == []
    assert worker.send_due_replies() == []


def test_the_reply_command_attaches_checks_and_never_prints_names(tmp_path, sandbox):
    rid, reference = profile_with_sent_referral(tmp_path, sandbox)
    text_file = tmp_path / "reply.txt"
    text_file.write_text(REPLY + "\n", encoding="utf-8")
    letter, notes = tmp_path / SENTINEL_FILENAME, tmp_path / f"{SENTINEL}.txt"
    letter.write_bytes(LETTER)
    notes.write_text("plain text", encoding="utf-8")

    refused = run_cli(tmp_path, "reply", rid, "--text-file", str(text_file), "--attach", str(letter), "--attach", str(notes))
    assert refused.returncode == 1
    assert refused.stderr.strip().endswith(
        "--attach 2: The selected file must be a PDF, PNG, JPG, Word document (DOCX) or OpenDocument text (ODT). "
        "Nothing was queued."
    )
    assert run_cli(tmp_path, "send").stdout.strip() == "Nothing to send."

    queued = run_cli(tmp_path, "reply", rid, "--text-file", str(text_file), "--attach", str(letter))
    assert queued.returncode == 0, queued.stderr
    reply_id, state, _how, documents = queued.stdout.strip().split("\t")
    assert (state, documents) == ("queued", "1 document")
    sent = run_cli(tmp_path, "send")
    assert sent.returncode == 0, sent.stderr
    assert f"reply\t{reply_id}\tsent\t1 of 1 document sent" in sent.stdout
    assert held_documents(sandbox, reference, rid) == [(SENTINEL_FILENAME, True, LETTER)]
    for output in (refused.stdout, refused.stderr, queued.stdout, queued.stderr, sent.stdout, sent.stderr):
        assert SENTINEL not in output


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL semantics")
def test_sigkill_while_sending_replies_with_documents_never_loses_or_duplicates(tmp_path):
    """Sent referrals, a reply with two documents queued on each, the sender killed again and again while
    it sends the replies and uploads the documents (latency and faults on both): in the end iART holds
    each reply once with both documents whole, and the store records every document as sent."""
    from .test_kill_during_send import _faults, _kill_then_finish

    rng = random.Random(11)
    with running_sandbox(tmp_path / "iart") as sandbox:
        policy_file = write_policy(tmp_path / "policy", sandbox)
        policy = load_policy(policy_file)
        profile = tmp_path / "profile"
        store = create_store(profile, PASSPHRASE)
        ids = [draft(store) for _ in range(3)]
        for rid in ids:
            queue_referral(store, rid, policy, TODAY)
        worker = OutboxWorker.from_policy(store, policy)
        try:
            assert {r.state for r in worker.send_due()} == {"received"}
        finally:
            worker.close()
        replies = {}
        for n, rid in enumerate(ids):
            folder = tmp_path / f"files{n}"
            folder.mkdir()
            replies[reply_with_documents(store, policy, rid, folder)[0]] = rid
        store.close()
        sandbox.set_faults(_faults("messages", 150, 1.0) + _faults("upload", 100, 1.0), seed=11)
        kills = _kill_then_finish(sandbox, profile, policy_file, rng, 3)

        for reply_id, rid in replies.items():
            reference = next(r["iart_reference"] for r in sandbox.referrals() if r["referral_id"] == rid)
            [held] = sandbox.conversation(reference)
            assert held["message_id"] == reply_id  # once, under its own key
            assert sorted(held_documents(sandbox, reference, rid)) == sorted([
                (SENTINEL_FILENAME, True, LETTER), (f"{SENTINEL} plan.png", True, PLAN),
            ])
        store = open_store(profile, PASSPHRASE)
        try:
            for reply_id, rid in replies.items():
                assert store.replies.get(reply_id).state == "sent"
                assert store.uploads.reply_progress(rid)[reply_id].sentence() == "2 of 2 documents sent"
        finally:
            store.close()
        assert kills >= 1
