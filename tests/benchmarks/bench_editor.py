"""Editor benchmark (not collected by pytest): opening time and the GUI thread's longest stall.

    .venv/bin/python tests/benchmarks/bench_editor.py

Prints the median of several runs of opening the editor on a full referral (target < 300 ms), and the
longest time the GUI thread was busy in one go while 200 characters are typed into a long-text field
with autosave on against a real SQLCipher store (target < 50 ms). Typing comes in bursts with pauses
longer than the autosave delay, so saves really happen while typing.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QCoreApplication  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from referral_desktop.domain.form_catalog import load_form  # noqa: E402
from referral_desktop.store import create_store  # noqa: E402
from referral_desktop.ui.editor import EditorScreen  # noqa: E402
from referral_desktop.ui.editor.demo_answers import current_demo_version, full_answers  # noqa: E402
from referral_desktop.ui.task_runner import StoreTaskRunner  # noqa: E402

RUNS = 7
PASSPHRASE = "correct horse battery staple violet"


def _idle(app: QApplication) -> None:
    for _ in range(3):
        app.processEvents()


def bench_open(app, form, runner, referral) -> list[float]:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        editor = EditorScreen(form, referral, runner)
        editor.resize(1200, 860)
        editor.show()
        _idle(app)
        times.append(time.perf_counter() - started)
        editor.flush()
        editor.close()
        editor.deleteLater()
        _idle(app)
    return times


def bench_typing(app, form, runner, referral) -> tuple[float, int]:
    editor = EditorScreen(form, referral, runner)
    editor.resize(1200, 860)
    editor.show()
    editor.go_to(editor._section_index("concerns"))
    _idle(app)
    edit = editor.row_for("concern_details").input.edit
    edit.setFocus()
    edit.moveCursor(edit.textCursor().MoveOperation.End)
    text = ("The child said she was hungry again today and had not eaten since lunch yesterday. " * 3)[:200]
    longest = 0.0
    for n, char in enumerate(text):
        started = time.perf_counter()
        QTest.keyClick(edit, char)
        app.processEvents()
        longest = max(longest, time.perf_counter() - started)
        time.sleep(0.02)  # a fast typist
        if n % 40 == 39:  # a pause: the autosave fires and its result comes back
            end = time.perf_counter() + 0.6
            while time.perf_counter() < end:
                started = time.perf_counter()
                app.processEvents()
                longest = max(longest, time.perf_counter() - started)
                time.sleep(0.001)
    end = time.perf_counter() + 0.8
    while time.perf_counter() < end:
        started = time.perf_counter()
        app.processEvents()
        longest = max(longest, time.perf_counter() - started)
        time.sleep(0.001)
    runner.wait_idle()
    saves = editor.autosaver.saves_started
    assert runner.run_sync(lambda: runner.store.referrals.get(referral.id)).answers["concern_details"].endswith(text)
    editor.close()
    return longest, saves


def main() -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    form = load_form("cwac-marf", current_demo_version())
    with tempfile.TemporaryDirectory() as folder:
        runner = StoreTaskRunner()
        runner.store = runner.run_sync(create_store, Path(folder) / "profile", PASSPHRASE)
        referral = runner.run_sync(lambda: runner.store.referrals.create_draft(form.form_id, form.version, full_answers()))
        opens = bench_open(app, form, runner, referral)
        print(f"open editor on a full referral: median {statistics.median(opens) * 1000:.0f} ms "
              f"(min {min(opens) * 1000:.0f}, max {max(opens) * 1000:.0f}, {RUNS} runs; target < 300 ms)")
        stalls = []
        for _ in range(3):
            referral = runner.run_sync(lambda current=referral: runner.store.referrals.get(current.id))
            longest, saves = bench_typing(app, form, runner, referral)
            stalls.append(longest)
        print(f"longest GUI-thread stall typing 200 characters with autosave ({saves} saves per run): "
              f"median {statistics.median(stalls) * 1000:.1f} ms (max {max(stalls) * 1000:.1f}; target < 50 ms)")
        runner.shutdown()
    QCoreApplication.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
