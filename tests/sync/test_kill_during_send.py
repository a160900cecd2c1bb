"""The sending process killed with SIGKILL at random points, then restarted, again and again: in the
end every referral is held by the server exactly once and recorded as received with the server's
reference. (A few rounds by default; many with --run-slow.)"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from sync_testing.e2e import PASSPHRASE, draft, write_policy

from referral_desktop.policy import load_policy
from referral_desktop.sandbox.launcher import running_sandbox
from referral_desktop.store import create_store, open_store
from referral_desktop.sync.outbox_worker import OutboxWorker
from referral_desktop.sync.queueing import queue_referral
from referral_desktop.sync.replying import queue_reply

CHILD = Path(__file__).parent / "sync_testing" / "send_child.py"
pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL semantics")


def _start_child(profile: Path, policy: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(__file__).resolve().parents[2]), os.environ.get("PYTHONPATH", "")]))
    process = subprocess.Popen(
        [sys.executable, str(CHILD), str(profile), str(policy)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    process.stdin.write(PASSPHRASE + "\n")
    process.stdin.flush()
    # The default pool of 4: several referrals are in flight when a kill lands.
    assert process.stdout.readline().strip() == "ready pool=4", process.stderr.read()
    return process


def _faults(endpoint: str, latency_ms: int, latency_probability: float) -> list[dict]:
    """Latency and random faults on ``endpoint`` widen the windows in which a kill can land."""
    return [
        {"endpoint": endpoint, "kind": "latency", "latency_ms": latency_ms, "probability": latency_probability},
        {"endpoint": endpoint, "kind": "drop_after_commit", "probability": 0.15},
        {"endpoint": endpoint, "kind": "unavailable", "retry_after": 0, "probability": 0.1},
    ]


def _kill_then_finish(sandbox, profile: Path, policy_file: Path, rng: random.Random, rounds: int) -> int:
    """SIGKILL a sending child at a random moment ``rounds`` times, then clear the faults and let one child
    finish; returns how many kills landed (a child may have finished before its kill)."""
    kills = 0
    for _ in range(rounds):
        child = _start_child(profile, policy_file)
        time.sleep(rng.uniform(0.0, 0.6))
        if child.poll() is None:
            child.kill()  # SIGKILL
            kills += 1
        child.wait(10)
    sandbox.clear_faults()
    child = _start_child(profile, policy_file)  # finally let it finish
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    assert out.strip().endswith("done")
    return kills


def _kill_rounds(tmp_path: Path, referrals: int, rounds: int, seed: int) -> None:
    rng = random.Random(seed)
    with running_sandbox(tmp_path / "iart") as sandbox:
        policy_file = write_policy(tmp_path / "policy", sandbox)
        policy = load_policy(policy_file)
        profile = tmp_path / "profile"
        store = create_store(profile, PASSPHRASE)
        ids = [draft(store) for _ in range(referrals)]
        for rid in ids:
            queue_referral(store, rid, policy, date.today())
        store.close()
        sandbox.set_faults(
            _faults("submit", latency_ms=15, latency_probability=0.5),
            seed=seed,
        )
        kills = _kill_then_finish(sandbox, profile, policy_file, rng, rounds)

        held = {r["referral_id"]: r for r in sandbox.referrals()}
        assert sorted(held) == sorted(ids)  # never a loss, never a stranger
        assert len(sandbox.referrals()) == referrals  # never a duplicate
        store = open_store(profile, PASSPHRASE)
        try:
            for rid in ids:
                referral = store.referrals.get(rid)
                assert str(referral.state) == "received", (rid, referral.state)
                assert referral.iart_reference == held[rid]["iart_reference"]
            assert store.outbox.list() == []
        finally:
            store.close()
        assert kills >= 1


def test_sigkill_while_sending_never_loses_or_duplicates(tmp_path):
    _kill_rounds(tmp_path, referrals=12, rounds=4, seed=1)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [2, 3, 4])
def test_sigkill_many_times(tmp_path, seed):
    _kill_rounds(tmp_path, referrals=40, rounds=25, seed=seed)


def _reply_kill_rounds(tmp_path: Path, referrals: int, rounds: int, seed: int,
                       latency_ms: int = 15, latency_probability: float = 0.5) -> None:
    """The same for replies: sent referrals, one reply queued on each, the sender killed again and again;
    in the end iART holds each reply exactly once and the store records each as sent. (With few replies
    and little latency a child can finish before the kill lands in every round; the short default run
    uses a latency that keeps the first child busy longer than the longest wait before its kill.)"""
    rng = random.Random(seed)
    with running_sandbox(tmp_path / "iart") as sandbox:
        policy_file = write_policy(tmp_path / "policy", sandbox)
        policy = load_policy(policy_file)
        profile = tmp_path / "profile"
        store = create_store(profile, PASSPHRASE)
        ids = [draft(store) for _ in range(referrals)]
        for rid in ids:
            queue_referral(store, rid, policy, date.today())
        worker = OutboxWorker.from_policy(store, policy)
        try:
            assert {r.state for r in worker.send_due()} == {"received"}
        finally:
            worker.close()
        replies = {queue_reply(store, rid, policy, f"Reply {n}").reply_id: rid for n, rid in enumerate(ids)}
        store.close()
        sandbox.set_faults(
            _faults("messages", latency_ms, latency_probability),
            seed=seed,
        )
        kills = _kill_then_finish(sandbox, profile, policy_file, rng, rounds)

        held = [m for r in sandbox.referrals() for m in sandbox.conversation(r["iart_reference"])]
        assert sorted(m["message_id"] for m in held) == sorted(replies)  # each once, none lost
        store = open_store(profile, PASSPHRASE)
        try:
            for reply_id, rid in replies.items():
                reply = store.replies.get(reply_id)
                assert (reply.state, reply.referral_id) == ("sent", rid)
            assert store.replies.outgoing() == []
        finally:
            store.close()
        assert kills >= 1


def test_sigkill_while_sending_replies_never_loses_or_duplicates(tmp_path):
    _reply_kill_rounds(tmp_path, referrals=6, rounds=3, seed=5, latency_ms=150, latency_probability=1.0)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [6, 7])
def test_sigkill_many_times_while_sending_replies(tmp_path, seed):
    _reply_kill_rounds(tmp_path, referrals=20, rounds=20, seed=seed)
