"""Reconnect benchmark (not collected by pytest; run it directly):

    .venv/bin/python tests/benchmarks/bench_reconnect.py            # outages of 15 s and 60 s (~3 min)
    .venv/bin/python tests/benchmarks/bench_reconnect.py --long     # and 180 s (~4 min more)

For each outage: the sandbox iART API is stopped; a referral is queued in each of two real encrypted
stores, each with its own sender running the app's loop (``run_forever``, default settings) on its own
thread; after the outage the API is started again on the same port. One sender is nudged the moment
the API answers (as the operating system's network signal or Send now would), the other is not. The
figure is the time from the API answering to the referral recorded as received; the anchor, measured
in the same run, is how long the API itself took to start (process start to its first answer), and the
ratio is (start to received) / (start to answering). Targets: nudged <= 3 s after the API answers,
not nudged <= 15 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[0] / "sync"))

from sync_testing.e2e import PASSPHRASE, draft, write_policy  # noqa: E402

from referral_desktop.policy import load_policy  # noqa: E402
from referral_desktop.sandbox.launcher import running_sandbox  # noqa: E402
from referral_desktop.store import create_store  # noqa: E402
from referral_desktop.sync.outbox_worker import OutboxWorker  # noqa: E402
from referral_desktop.sync.queueing import queue_referral  # noqa: E402


class Sender:
    """A real store with one queued referral and the app's sending loop on a thread."""

    def __init__(self, folder: Path, policy_file: Path) -> None:
        policy = load_policy(policy_file)
        self.store = create_store(folder, PASSPHRASE)
        self.referral_id = draft(self.store)
        self.received_at: float | None = None
        self.worker = OutboxWorker.from_policy(self.store, policy)
        self.worker.on_change(self._changed)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.worker.run_forever, args=(self.stop,), daemon=True)
        self.policy = policy

    def _changed(self, referral_id: str, state: str) -> None:
        if referral_id == self.referral_id and state == "received" and self.received_at is None:
            self.received_at = time.perf_counter()

    def start(self) -> None:
        queue_referral(self.store, self.referral_id, self.policy, date.today())
        self.worker.nudge()  # a new item queued (the API is down: the probe fails)
        self.thread.start()

    def close(self) -> None:
        self.stop.set()
        self.worker.nudge()
        self.thread.join(20)
        self.store.close()


def one_outage(tmp: Path, sandbox, policy_file: Path, outage: float) -> tuple[float, float, float]:
    sandbox.stop()
    nudged = Sender(tmp / f"nudged-{outage:.0f}", policy_file)
    waiting = Sender(tmp / f"waiting-{outage:.0f}", policy_file)
    nudged.start()
    waiting.start()
    time.sleep(outage)
    started = time.perf_counter()
    sandbox.restart()  # returns once the API accepts connections (its ready file)
    answering = time.perf_counter()
    nudged.worker.nudge()
    deadline = time.time() + 120
    while (nudged.received_at is None or waiting.received_at is None) and time.time() < deadline:
        time.sleep(0.02)
    for sender in (nudged, waiting):
        sender.close()
    if nudged.received_at is None or waiting.received_at is None:
        raise RuntimeError("a referral was not received within two minutes of the API answering")
    return answering - started, nudged.received_at - answering, waiting.received_at - answering


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--long", action="store_true", help="also a 3-minute outage")
    parser.add_argument("--outages", type=float, nargs="*", help="outage lengths in seconds (default 15 60)")
    args = parser.parse_args()
    outages = args.outages or [15.0, 60.0] + ([180.0] if args.long else [])
    with tempfile.TemporaryDirectory(prefix="bench-reconnect-") as folder:
        tmp = Path(folder)
        with running_sandbox(tmp / "iart", extra_args=["--log-level", "WARNING"]) as sandbox:
            policy_file = write_policy(tmp / "policy", sandbox)
            print("outage | API start (anchor) | received after the API answered: nudged / not nudged | "
                  "ratio to the anchor: nudged / not nudged")
            for outage in outages:
                anchor, nudged, waiting = one_outage(tmp, sandbox, policy_file, outage)
                print(f"{outage:5.0f} s | {anchor:6.2f} s | {nudged:6.2f} s / {waiting:6.2f} s "
                      f"(targets <= 3 s / <= 15 s) | {(anchor + nudged) / anchor:5.2f} / "
                      f"{(anchor + waiting) / anchor:5.2f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
