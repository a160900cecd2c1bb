"""A process killed with SIGKILL while saving reopens with the last completed save intact.

A child process autosaves as fast as it can (each save one transaction, ~8 KB of answers plus an audit
entry) and prints each save's number after ``save_answers`` returns. The parent kills it at a random
moment, reopens the store, and checks that the saved counter is at least the last number printed
(at most one more: a save can commit just before the print), and that ``integrity_check`` and
``cipher_integrity_check`` pass. A few dozen kills by default; hundreds with ``--run-slow``.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from referral_desktop.store import create_store, open_store

from .conftest import PASSPHRASE

CHILD = r"""
import sys
from referral_desktop.store import open_store
store = open_store(sys.argv[1], sys.argv[2])
referral_id = sys.argv[3]
start = store.referrals.get(referral_id).answers.get("counter", 0)
print("ready", flush=True)
filler = "lorem ipsum dolor " * 450
i = start
while True:
    i += 1
    store.referrals.save_answers(referral_id, {"counter": i, "notes": filler, "children": [{"given_names": "A" * (i % 50)}]})
    sys.stdout.write(f"{i}\n")
    sys.stdout.flush()
"""


def _kill_rounds(profile, rounds: int) -> None:
    store = create_store(profile, PASSPHRASE)
    referral_id = store.referrals.create_draft("cwac-marf", "1.0.0", {"counter": 0}).id
    store.close()
    rng = random.Random(20260302)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    last_confirmed = 0
    for round_no in range(rounds):
        # Unbuffered binary pipes: a buffered readline() could read numbers printed after "ready" into
        # its buffer, where communicate() (which reads the pipe's descriptor) never sees them, and the
        # test would then blame the store for saves it did confirm.
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(profile), PASSPHRASE, referral_id],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0, env=env,
        )
        assert child.stdout.readline().strip() == b"ready", child.stderr.read()
        time.sleep(rng.uniform(0.0, 0.12))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate(timeout=30)
        numbers = [int(line) for line in out.split() if line.isdigit()]
        if numbers:
            last_confirmed = numbers[-1]
        reopened = open_store(profile, PASSPHRASE)
        try:
            counter = reopened.referrals.get(referral_id).answers["counter"]
            assert last_confirmed <= counter <= last_confirmed + 1, (round_no, last_confirmed, counter)
            last_confirmed = counter
            report = reopened.check()
            assert report.integrity_problems == [], round_no
            assert report.cipher_integrity_problems == [], round_no
        finally:
            reopened.close()
    assert last_confirmed > rounds  # the children really were saving when killed


def test_sigkill_while_saving_keeps_the_last_completed_save(tmp_path):
    _kill_rounds(tmp_path / "profile", 24)


@pytest.mark.slow
def test_sigkill_while_saving_many_times(tmp_path):
    _kill_rounds(tmp_path / "profile", 300)
