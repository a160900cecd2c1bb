"""Snapshot benchmark: what a rolling encrypted snapshot costs on a store of 1,000 referrals (~8 KB each).

Run: ``.venv/bin/python tests/benchmarks/bench_snapshot.py [--referrals N] [--runs R]``. Not a test.
Prints medians over R runs of: the snapshot through the real entry point (``store.snapshots.take()``,
i.e. ``VACUUM INTO`` a keyed copy, fsync, rename, rotation), and as the anchor, measured in the same run,
a plain copy of the same ``store.db`` with fsync — the least any copy of the file can cost. Also the
snapshot's size against the store file's, and the autosave that takes the hourly snapshot against an
ordinary autosave (the worst save someone editing meets once an hour).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).parent))

from bench_core import PASSPHRASE, example_document, fill  # noqa: E402

from referral_desktop.store import create_store  # noqa: E402
from referral_desktop.store.snapshots import list_snapshots  # noqa: E402


class SteppingClock:
    """Real time, plus however far the benchmark moves it on (to make the hourly snapshot due)."""

    def __init__(self) -> None:
        from referral_desktop.store.timestamps import utc_now

        self._now = utc_now
        self.offset = timedelta(0)

    def __call__(self):  # noqa: ANN204
        return self._now() + self.offset


def plain_copy(source: Path, target: Path) -> float:
    t = time.perf_counter()
    with open(source, "rb") as src, open(target, "wb") as out:
        shutil.copyfileobj(src, out)
        out.flush()
        os.fsync(out.fileno())
    elapsed = time.perf_counter() - t
    target.unlink()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--referrals", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    document = example_document()
    with tempfile.TemporaryDirectory(prefix="bench-snapshot-") as tmp:
        profile = Path(tmp) / "profile"
        clock = SteppingClock()
        store = create_store(profile, PASSPHRASE, clock=clock)
        ids = fill(store, document, args.referrals)
        with store.read() as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store_bytes = (profile / "store.db").stat().st_size
        snapshot_times, copy_times, sizes = [], [], []
        for _ in range(args.runs):
            copy_times.append(plain_copy(profile / "store.db", Path(tmp) / "plain-copy.db"))
            clock.offset += timedelta(seconds=1)
            t = time.perf_counter()
            taken = store.snapshots.take()
            snapshot_times.append(time.perf_counter() - t)
            assert taken is not None
            sizes.append(taken.path.stat().st_size)
        answers = store.referrals.get(ids[0]).answers
        ordinary, with_snapshot = [], []
        for n in range(args.runs):
            answers = {**answers, "referrer_role": f"Role {n}"}
            t = time.perf_counter()
            store.referrals.save_answers(ids[0], answers)
            ordinary.append(time.perf_counter() - t)
            clock.offset += timedelta(hours=1, minutes=1)  # the next save takes the hourly snapshot
            answers = {**answers, "referrer_role": f"Role {n} again"}
            t = time.perf_counter()
            store.referrals.save_answers(ids[0], answers)
            with_snapshot.append(time.perf_counter() - t)
        kept = len(list_snapshots(profile))
        store.close()
    snap, anchor = statistics.median(snapshot_times), statistics.median(copy_times)
    print(f"store of {args.referrals} referrals: {store_bytes / 1e6:.1f} MB")
    print(f"snapshot (VACUUM INTO keyed copy, fsync, rotate), median of {args.runs}: {snap * 1000:.0f} ms")
    print(f"anchor: plain copy of store.db with fsync, same run: {anchor * 1000:.0f} ms")
    print(f"ratio snapshot / plain copy: {snap / anchor:.2f}")
    print(f"snapshot size: {statistics.median(sizes) / 1e6:.1f} MB, {statistics.median(sizes) / store_bytes:.2f} "
          f"of the store file; {kept} kept, so {kept * statistics.median(sizes) / 1e6:.1f} MB on disk")
    print(f"autosave, ordinary / taking the hourly snapshot (medians): {statistics.median(ordinary) * 1000:.1f} / "
          f"{statistics.median(with_snapshot) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
