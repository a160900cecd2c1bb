"""Wrong passphrases tried in parallel by several processes meet the same delay as one after another.

Before: every process read "no failures yet" at the same moment, so 8 attempts were all checked in
~15 s where the sequence takes ~510 s, and one crashed on the temporary file name the others shared.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

from referral_desktop.store import create_store
from referral_desktop.store.throttle import FREE_ATTEMPTS, UnlockThrottle

from .conftest import PASSPHRASE

ATTEMPT = """
import json, sys, time
from pathlib import Path
from referral_desktop.store import open_store
start = float(sys.argv[2])
while time.time() < start:
    time.sleep(0.001)
try:
    open_store(Path(sys.argv[1]), "a wrong passphrase " + sys.argv[3])
    print(json.dumps({"result": "opened"}))
except Exception as exc:
    print(json.dumps({"result": type(exc).__name__}))
"""


def test_parallel_wrong_passphrases_are_tried_one_at_a_time(tmp_path):
    profile = tmp_path / "profile"
    create_store(profile, PASSPHRASE).close()
    start = time.time() + 3.0  # every process is ready and waiting by then
    processes = [
        subprocess.Popen([sys.executable, "-c", ATTEMPT, str(profile), repr(start), str(n)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n in range(6)
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err[-2000:]
        results.append(json.loads(out.strip().splitlines()[-1])["result"])
    tried = results.count("WrongPassphrase")
    # The free attempts, then one that starts the delay; every later one is refused without being tried.
    assert tried == FREE_ATTEMPTS + 1, results
    assert results.count("UnlockThrottled") == len(results) - tried, results
    assert UnlockThrottle(profile / "unlock-throttle.json", lambda: None).failures() == tried
    assert not [p for p in profile.iterdir() if p.name.startswith(".")]  # no partial file left
