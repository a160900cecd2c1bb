"""Issue 14's end-to-end round with a real kill: iART asks for information → the app's sender hears it
and the notification says so (no personal data) → the professional writes the reply and presses Send →
the app is killed (SIGKILL: no clean-up, no store close) before the reply goes → the app starts again →
the reply arrives at iART exactly once, with its text intact, and the store records it as sent.

The app is a child process (``sync_testing/conversation_child.py``) with the real encrypted store and the
real sender; iART is the sandbox over TLS on loopback."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sync_testing.e2e import PASSPHRASE, SENTINEL, draft, write_policy

from referral_desktop.policy import load_policy
from referral_desktop.store import create_store, open_store
from referral_desktop.sync.outbox_worker import OutboxWorker
from referral_desktop.sync.queueing import queue_referral

CHILD = Path(__file__).parent / "sync_testing" / "conversation_child.py"
ROOT = Path(__file__).resolve().parents[2]
QUESTION = "Does the family know about the referral?"
REPLY = f"Yes: mother agreed on the phone; {SENTINEL} starts at the new school on Monday."

pytestmark = [pytest.mark.skipif(os.name != "posix", reason="SIGKILL semantics"),
              pytest.mark.usefixtures("sandbox_faults_cleared")]


def _app(profile: Path, policy_file: Path, mode: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(profile), str(policy_file), mode],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    child.stdin.write(PASSPHRASE + "\n")
    child.stdin.flush()
    return child


def _line(child: subprocess.Popen) -> str:
    line = child.stdout.readline()
    assert line, child.stderr.read() if child.poll() is not None else "the child said nothing"
    return line.rstrip("\n")


def test_a_reply_queued_then_killed_before_sending_arrives_once_after_restart(tmp_path, sandbox):
    policy_file = write_policy(tmp_path / "policy", sandbox)
    policy = load_policy(policy_file)
    profile = tmp_path / "profile"
    store = create_store(profile, PASSPHRASE)
    rid = draft(store)
    queue_referral(store, rid, policy, date.today())
    worker = OutboxWorker.from_policy(store, policy)
    try:
        [received] = worker.send_due()
    finally:
        worker.close()
        store.close()
    reference = received.iart_reference
    sandbox.cli("request-info", reference, "--message", QUESTION)
    text_file = tmp_path / "reply.txt"
    text_file.write_text(REPLY, encoding="utf-8")

    app = _app(profile, policy_file, "listen")
    try:
        assert _line(app) == "ready"
        app.stdin.write("poll\n")
        app.stdin.flush()
        assert _line(app) == f"notify {reference}: iART asked for more information"  # no personal data
        assert _line(app) == "polled"
        app.stdin.write(f"reply {rid} {text_file}\n")
        app.stdin.flush()
        word, reply_id = _line(app).split()
        assert word == "queued"
        # The app is idle with its store open, the reply queued (fsynced) and not sent.
        assert [m for m in sandbox.conversation(reference) if m["direction"] == "to_iart"] == []
    finally:
        app.kill()  # SIGKILL: nothing closed, nothing flushed by the app
        app.wait(10)
    assert app.returncode == -9

    restarted = _app(profile, policy_file, "resume")
    out, err = restarted.communicate(timeout=60)
    assert restarted.returncode == 0, err
    assert out.strip().endswith("done")
    assert SENTINEL not in out + err

    held = [m for m in sandbox.conversation(reference) if m["direction"] == "to_iart"]
    assert [(m["message_id"], m["text"], m["replays"]) for m in held] == [(reply_id, REPLY, 0)]  # once
    store = open_store(profile, PASSPHRASE)
    try:
        reply = store.replies.get(reply_id)
        assert (reply.state, reply.referral_id, reply.text) == ("sent", rid, REPLY)
        assert reply.payload_content_type == "application/jose"  # frozen to iART's key before the kill
        assert store.replies.outgoing() == []
    finally:
        store.close()
