"""One sender event updating the home table (not collected by pytest; run it directly):

    .venv/bin/python tests/benchmarks/bench_home_update.py

The home model with 50,000 referrals; the time of ``update_summary`` for one referral (as each state
change the sender reports does), median of 2,000 events on random rows. Anchor, in the same run: the
same on a model of 50 referrals; with the id -> row map the ratio stays near 1 (a scan of every row
grew with the list: 12.5 ms at 50,000). Target: < 1 ms. Timed twice: with every column, and in the narrow
layout of 200 % text on a laptop, where the list's proxy drops the columns that layout gives up.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtWidgets import QApplication  # noqa: E402

from referral_desktop.ui.screens.referral_columns import NARROW_HIDDEN  # noqa: E402
from referral_desktop.ui.screens.referral_filter import ReferralFilter  # noqa: E402
from referral_desktop.ui.screens.referral_table_model import ReferralTableModel  # noqa: E402
from tests.ui.conftest import FIXED_NOW  # noqa: E402
from tests.ui.test_home_model import summaries  # noqa: E402

EVENTS = 2000


def per_event(count: int, dropped: frozenset[int] = frozenset()) -> float:
    model = ReferralTableModel(lambda: FIXED_NOW)
    proxy = ReferralFilter()  # as on the home screen: the proxy listens to every change
    proxy.setSourceModel(model)
    proxy.set_hidden_columns(dropped)
    rows = summaries(count)
    model.set_summaries(rows)
    rng = random.Random(count)
    picks = [rows[rng.randrange(count)] for _ in range(EVENTS)]
    times = []
    for summary in picks:
        started = time.perf_counter()
        model.update_summary(summary)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    QApplication.instance() or QApplication(sys.argv[:1])
    for layout, dropped in (("every column", frozenset()), ("narrow layout", frozenset(NARROW_HIDDEN))):
        anchor = per_event(50, dropped)
        big = per_event(50_000, dropped)
        print(f"{layout}: one update, 50 referrals (anchor):  {anchor * 1000:7.3f} ms (median of {EVENTS})")
        print(f"{layout}: one update, 50,000 referrals:       {big * 1000:7.3f} ms (target < 1 ms)")
        print(f"{layout}: ratio:                              {big / anchor:7.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
