"""PDF benchmark (not collected by pytest): how long saving a PDF holds the GUI thread in one go.

    .venv/bin/python tests/benchmarks/bench_pdf.py [--runs 5]

The PDFs are laid out and painted on the GUI thread (``ui/printed_page.py`` says why), in steps between
which the window runs its events. Through the real entry points, against a real SQLCipher store: the
window's Export on the longest realistic referral (``longest_referral.py``: every long answer at the
form's maximum, six children, four carers, eight professionals; 47 pages), on the demo family's referral
as it is (a few pages), and the privacy notice's "Print or save as PDF". A zero-interval heartbeat timer
on the GUI thread ticks whenever the window gets to run its events; the longest gap between two ticks,
from the click until "saved", is the longest hold. Each is printed as a ratio to the anchor, laying out
and painting one page (a receipt) at once, measured in the same run; and beside it the hold the same
copy would cost laid out in one go (``render_pdf``). Target: the longest hold under ~100 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from referral_desktop.store import create_store  # noqa: E402
from referral_desktop.ui.editor.demo_answers import DEMO_FORM_ID, full_answers  # noqa: E402
from referral_desktop.ui.export_pdf import ExportFlow  # noqa: E402
from referral_desktop.ui.printed_page import PrintedPage, render_pdf  # noqa: E402
from referral_desktop.ui.receipt_export import receipt_html, receipt_rows  # noqa: E402
from referral_desktop.ui.screens.privacy_notice import PrivacyNoticeScreen  # noqa: E402
from referral_desktop.ui.task_runner import StoreTaskRunner  # noqa: E402
from tests.benchmarks.longest_referral import longest_answers, longest_page, longest_referral  # noqa: E402

PASSPHRASE = "correct horse battery staple violet"


def held(start: Any, finished: list[Any]) -> tuple[float, float]:
    """(longest gap between heartbeat ticks, wall time) from ``start()`` until ``finished`` is not empty."""
    ticks: list[float] = []
    heartbeat = QTimer()
    heartbeat.setInterval(0)
    heartbeat.timeout.connect(lambda: ticks.append(time.perf_counter()))
    loop = QEventLoop()
    watch = QTimer()
    watch.setInterval(1)
    watch.timeout.connect(lambda: loop.quit() if finished else None)
    heartbeat.start()
    watch.start()
    began = time.perf_counter()
    ticks.append(began)
    start()
    loop.exec()
    ended = time.perf_counter()
    heartbeat.stop()
    watch.stop()
    ticks.append(ended)
    return max(b - a for a, b in zip(ticks, ticks[1:], strict=False)), ended - began


def anchor_one_page(runs: int) -> float:
    """Median time to lay out and paint a one-page receipt at once."""
    when = longest_referral(*longest_answers()).created_at
    record = SimpleNamespace(iart_reference="IART-2026-000123", form_id=DEMO_FORM_ID, form_version="1.1.0",
                             created_at=when, sent_at=when, received_at=when, decided_at=when, outcome=None)
    page = PrintedPage(receipt_html(receipt_rows(record, 7)), title="Referral receipt")
    render_pdf(page)  # fonts found once
    times = []
    for _ in range(runs * 2):
        started = time.perf_counter()
        render_pdf(page)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def export_copy(runner: StoreTaskRunner, referral_id: str, target: Path) -> tuple[float, float]:
    window = QWidget()
    done: list[Path] = []
    flow = ExportFlow(SimpleNamespace(runner=runner), window, done=done.append,  # type: ignore[arg-type]
                      failed=lambda message: sys.exit(f"export failed: {message}"),
                      choose_path=lambda _suggested: str(target))

    def start() -> None:
        flow.start(referral_id)
        assert flow.warning is not None
        next(b for b in flow.warning.buttons() if b.objectName() == "exportProceed").click()

    result = held(start, done)
    window.deleteLater()
    return result


def save_notice(runner: StoreTaskRunner, target: Path) -> tuple[float, float]:
    screen = PrivacyNoticeScreen(SimpleNamespace(runner=runner, policy=None))  # type: ignore[arg-type]
    saved: list[str] = []
    screen.saved.connect(saved.append)
    result = held(lambda: screen._save(path=str(target)), saved)
    screen.deleteLater()
    return result


def report(name: str, results: list[tuple[float, float]], anchor: float, in_one_go: float | None = None) -> None:
    holds = [hold for hold, _ in results]
    walls = [wall for _, wall in results]
    line = (f"{name}: longest GUI-thread hold median {statistics.median(holds) * 1000:.1f} ms "
            f"(max {max(holds) * 1000:.1f}), ratio {statistics.median(holds) / anchor:.2f} to one page; "
            f"click to saved {statistics.median(walls) * 1000:.0f} ms")
    if in_one_go is not None:
        line += f"; laid out in one go it would hold {in_one_go * 1000:.0f} ms (ratio {in_one_go / anchor:.2f})"
    print(line)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    app = QApplication.instance() or QApplication(sys.argv[:1])
    anchor = anchor_one_page(runs)
    print(f"anchor: one page (a receipt) laid out and painted at once, median {anchor * 1000:.1f} ms")
    with tempfile.TemporaryDirectory() as folder:
        runner = StoreTaskRunner()
        runner.store = runner.run_sync(create_store, Path(folder) / "profile", PASSPHRASE)
        version, answers = longest_answers()
        longest = runner.run_sync(lambda: runner.store.referrals.create_draft(DEMO_FORM_ID, version, answers))
        demo = runner.run_sync(lambda: runner.store.referrals.create_draft(DEMO_FORM_ID, version, full_answers()))
        in_one_go = statistics.median(_timed(lambda: render_pdf(longest_page())) for _ in range(3))
        pages = render_pdf(longest_page()).pages
        report(f"longest referral ({pages} pages)",
               [export_copy(runner, str(longest.id), Path(folder) / f"long-{n}.pdf") for n in range(runs)],
               anchor, in_one_go)
        report("demo referral", [export_copy(runner, str(demo.id), Path(folder) / f"demo-{n}.pdf")
                                 for n in range(runs)], anchor)
        report("privacy notice", [save_notice(runner, Path(folder) / f"notice-{n}.pdf") for n in range(runs)], anchor)
        runner.shutdown()
    app.processEvents()
    return 0


def _timed(work: Any) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


if __name__ == "__main__":
    raise SystemExit(main())
