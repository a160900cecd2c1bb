"""Every PDF the app writes is laid out and painted on the GUI thread, through the real export actions.

Why: the copy, the receipt and the privacy notice's PDF were laid out on the store runner's thread
(``QTextDocument``, ``QPdfWriter``, ``QPainter``) while the GUI thread ran. Qt allows that (its text
classes are reentrant, a QPainter may paint a printer-like device in another thread), but PySide makes
and looks up its Python wrappers and types in one unguarded table: a segfault was traced last session to
wrappers being made on two threads at once ("Qt and threads" in the README). Here each Qt object of the
export records the thread that makes it; the store reads and the file's writing stay on the runner."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtGui import QPainter, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QWidget

from referral_desktop.ui import printed_page
from tests.ui.conftest import create_store_now, real_store_available

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]


@pytest.fixture
def qt_threads(monkeypatch) -> list[tuple[str, int]]:
    """(class, thread id) for each QTextDocument, QPdfWriter and QPainter the printed page makes."""
    made: list[tuple[str, int]] = []

    def recording(base):
        class Recording(base):
            def __init__(self, *args):
                made.append((base.__name__, threading.get_ident()))
                super().__init__(*args)

        return Recording

    for base in (QTextDocument, QPdfWriter, QPainter):
        monkeypatch.setattr(printed_page, base.__name__, recording(base))
    return made


def _made_on_gui_thread(made: list[tuple[str, int]]) -> None:
    assert {name for name, _ in made} == {"QTextDocument", "QPdfWriter", "QPainter"}
    assert {thread for _, thread in made} == {threading.main_thread().ident}, made


def test_the_referral_copy_is_laid_out_on_the_gui_thread(qtbot, context, tmp_path, qt_threads, announced):
    from referral_desktop.ui.export_pdf import ExportFlow

    store = create_store_now(context)
    referral = context.runner.run_sync(
        lambda: store.referrals.create_draft("cwac-marf", "1.0.0", {"immediate_danger": "no",
                                                                  "referrer_name": "Alex Example"}))
    done: list[Path] = []
    window = QWidget()
    qtbot.addWidget(window)
    flow = ExportFlow(context, window, done=done.append, failed=pytest.fail,
                      choose_path=lambda _suggested: str(tmp_path / "copy.pdf"))
    flow.start(str(referral.id))
    next(b for b in flow.warning.buttons() if b.objectName() == "exportProceed").click()
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    assert (tmp_path / "copy.pdf").read_bytes().startswith(b"%PDF")
    _made_on_gui_thread(qt_threads)


def test_the_receipt_is_laid_out_on_the_gui_thread(qtbot, context, tmp_path, qt_threads):
    from referral_desktop.ui.receipt_export import ReceiptFlow
    from tests.ui.test_purged_refused_reply_documents import _purged_with_a_refused_reply

    store = create_store_now(context)
    referral_id = context.runner.run_sync(lambda: _purged_with_a_refused_reply(store))
    done: list[Path] = []
    window = QWidget()
    qtbot.addWidget(window)
    ReceiptFlow(context.runner, window, done=done.append, failed=pytest.fail,
                choose_path=lambda _suggested: str(tmp_path / "receipt.pdf")).start(referral_id)
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    assert (tmp_path / "receipt.pdf").read_bytes().startswith(b"%PDF")
    _made_on_gui_thread(qt_threads)


def test_the_privacy_notice_is_laid_out_on_the_gui_thread(qtbot, context, tmp_path, qt_threads):
    from referral_desktop.ui.screens.privacy_notice import PrivacyNoticeScreen

    screen = PrivacyNoticeScreen(context)
    qtbot.addWidget(screen)
    qt_threads.clear()  # the screen shows a Markdown notice through a QTextDocument of its own
    with qtbot.waitSignal(screen.saved, timeout=20_000):
        screen._save(path=str(tmp_path / "notice.pdf"))
    assert (tmp_path / "notice.pdf").read_bytes().startswith(b"%PDF")
    _made_on_gui_thread(qt_threads)


def test_a_copy_that_cannot_be_written_is_told_plainly_and_saving_is_no_longer_said(qtbot, context, tmp_path,
                                                                                     announced, monkeypatch):
    """Through the window's own Export: "Saving the PDF…" is said and shown while the pages are laid out;
    the folder then refuses the file (a folder already has its name), and the window says so in words that
    hold none of the answers, and stops saying "Saving"."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from referral_desktop.ui.export_pdf import ExportFlow
    from referral_desktop.ui.main_window import MainWindow

    store = create_store_now(context)
    referral = context.runner.run_sync(
        lambda: store.referrals.create_draft("cwac-marf", "1.0.0", {"immediate_danger": "no",
                                                                  "referrer_name": "SENTINEL Alex"}))
    folder = tmp_path / "chosen"
    (folder / "copy.pdf").mkdir(parents=True)
    monkeypatch.setattr(ExportFlow, "_ask_path", lambda _flow, _suggested: str(folder / "copy.pdf"))
    told: list[str] = []
    status_when_told: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        told.append(box.text())
        status_when_told.append(window.statusBar().currentMessage())
        box.button(QMessageBox.StandardButton.Ok).click()

    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    window.export_referral(str(referral.id))
    QTimer.singleShot(0, answer)
    next(b for b in window.export_flow.warning.buttons() if b.objectName() == "exportProceed").click()
    qtbot.waitUntil(lambda: bool(told), timeout=20_000)
    assert told == ["The PDF could not be written. Choose another folder and try again."]
    assert status_when_told == [""]
    assert "Saving the PDF…" in announced
    assert not [text for text in announced if "saved as a PDF" in text or "SENTINEL" in text]
    assert [path.name for path in folder.iterdir()] == ["copy.pdf"] and (folder / "copy.pdf").is_dir()  # no part left


def test_the_window_runs_its_events_while_a_long_copy_is_laid_out(qtbot):
    """A 47-page copy took about 420 ms to lay out and paint in one go; in steps, a zero timer started with
    it fires many times before it is done (how long each step holds: tests/benchmarks/bench_pdf.py)."""
    from PySide6.QtCore import QTimer

    from tests.benchmarks.longest_referral import longest_page

    page = longest_page()
    ticks: list[int] = []
    heartbeat = QTimer()
    heartbeat.setInterval(0)
    heartbeat.timeout.connect(lambda: ticks.append(1))
    done: list[printed_page.RenderedPdf] = []
    heartbeat.start()
    printed_page.render_in_steps(page, None, done.append, pytest.fail)
    qtbot.waitUntil(lambda: bool(done), timeout=30_000)
    heartbeat.stop()
    assert done[0].pages >= 20 and done[0].data.startswith(b"%PDF")
    assert len(ticks) >= 10, f"the window ran its events {len(ticks)} times while {done[0].pages} pages were laid out"


def test_a_copy_whose_screen_is_closed_while_it_is_laid_out_stops_and_says_nothing(qtbot):
    """The screen that asked is gone (left, or the window closed): the steps stop with it, nothing is
    called back and nothing is kept."""
    from tests.benchmarks.longest_referral import longest_page

    owner = QWidget()
    called: list[object] = []
    printed_page.render_in_steps(longest_page(), owner, called.append, lambda: called.append("failed"))
    qtbot.wait(30)  # a step or two
    assert printed_page._under_way
    owner.deleteLater()
    qtbot.waitUntil(lambda: not printed_page._under_way, timeout=5_000)
    qtbot.wait(200)
    assert called == []


def test_a_screen_left_while_its_pdf_is_written_is_not_called_back(qtbot, context, tmp_path, monkeypatch):
    """The layout is done and the runner is writing the file when the person leaves the screen (its
    receipt's page, the copy's window): the file is still written whole, and nothing is called back on
    the screen that is gone (a "Saved" on a deleted page)."""
    from referral_desktop.ui import export_pdf

    store = create_store_now(context)
    referral = context.runner.run_sync(
        lambda: store.referrals.create_draft("cwac-marf", "1.0.0", {"immediate_danger": "no"}))
    writing, may_finish = threading.Event(), threading.Event()
    real_save = export_pdf.save_printed

    def slow_save(*args):
        writing.set()
        may_finish.wait(10)
        return real_save(*args)

    monkeypatch.setattr(export_pdf, "save_printed", slow_save)
    owner = QWidget()
    called: list[object] = []
    export_pdf.write_where_chosen(
        context.runner, lambda _suggested: str(tmp_path / "receipt.pdf"), "receipt.pdf",
        lambda _store, _id: printed_page.PrintedPage("<p>Referral receipt</p>"), str(referral.id),
        done=called.append, failed=lambda: called.append("failed"), owner=owner)
    qtbot.waitUntil(writing.is_set, timeout=10_000)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(owner), timeout=5_000)
    may_finish.set()
    qtbot.waitUntil(lambda: (tmp_path / "receipt.pdf").exists(), timeout=10_000)
    qtbot.wait(200)
    assert called == []
