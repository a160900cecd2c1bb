"""Crash reports: an uncaught exception in a Qt slot shows the short error window, writes a report with
the stack and exception types but no values, and the event loop carries on."""

from __future__ import annotations

import os
import sys

import pytest

from referral_desktop.diagnostics.crash_report import KEEP, format_crash_report, write_crash_report

SENTINEL = "Zebedee Quibblesworth 943 476 5919"


def _raise_with_values(answers: dict) -> None:
    child_name = answers["given_names"]  # a local holding a value: must not reach the report
    try:
        int(child_name)
    except ValueError as inner:
        raise RuntimeError(f"could not use {child_name}") from inner


def _exc_info():
    try:
        _raise_with_values({"given_names": SENTINEL})
    except RuntimeError:
        return sys.exc_info()
    raise AssertionError("expected an exception")


def test_report_has_frames_and_types_but_no_values(tmp_path):
    kind, error, tb = _exc_info()
    path = write_crash_report(kind, error, tb, folder=tmp_path / "crash", where="test")
    text = path.read_text(encoding="utf-8")
    assert "RuntimeError: [message withheld]" in text
    assert "While handling ValueError" in text
    assert "_raise_with_values" in text and "test_doctor_crash_report.py" in text
    assert SENTINEL not in text and "Zebedee" not in text and "943 476 5919" not in text
    assert "version:" in text and "frozen: no" in text
    if os.name == "posix":
        assert (path.stat().st_mode & 0o777) == 0o600
        assert ((tmp_path / "crash").stat().st_mode & 0o777) == 0o700


def test_old_reports_are_pruned(tmp_path):
    kind, error, tb = _exc_info()
    for _ in range(KEEP + 5):
        write_crash_report(kind, error, tb, folder=tmp_path)
    assert len(list(tmp_path.glob("crash-*.txt"))) == KEEP


def test_writing_never_raises(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    kind, error, tb = _exc_info()
    assert write_crash_report(kind, error, tb, folder=blocker / "crash") is None


def test_format_without_traceback():
    from datetime import UTC, datetime

    text = format_crash_report(KeyError, KeyError(SENTINEL), None, now=datetime(2026, 1, 1, tzinfo=UTC))
    assert "KeyError: [message withheld]" in text and SENTINEL not in text


@pytest.mark.gui
@pytest.mark.qt_no_exception_capture
def test_exception_in_a_qt_slot_shows_the_window_writes_a_report_and_the_loop_carries_on(qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from referral_desktop.ui.excepthook import ErrorReporter

    monkeypatch.setenv("REFERRAL_DESKTOP_LOG_DIR", str(tmp_path / "logs"))
    app = QApplication.instance()
    reporter = ErrorReporter(app).install()
    later = []
    try:
        QTimer.singleShot(0, lambda: _raise_with_values({"given_names": SENTINEL}))
        qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible(), timeout=5000)
        QTimer.singleShot(0, lambda: later.append("ran"))
        qtbot.waitUntil(lambda: later == ["ran"], timeout=5000)  # the event loop is not stuck
        assert "RuntimeError" in reporter.dialog.text() and SENTINEL not in reporter.dialog.text()
        reporter.dialog.button(QMessageBox.StandardButton.Ok).click()
        qtbot.waitUntil(lambda: reporter.dialog is None, timeout=5000)
    finally:
        reporter.uninstall()
    reports = list((tmp_path / "logs" / "crash-reports").glob("crash-*.txt"))
    assert len(reports) == 1
    text = reports[0].read_text(encoding="utf-8")
    assert "where: gui" in text and "_raise_with_values" in text and SENTINEL not in text


@pytest.mark.gui
def test_exception_escaping_a_background_thread_is_reported_without_values(qtbot, tmp_path, monkeypatch):
    import threading

    from PySide6.QtWidgets import QApplication

    from referral_desktop.ui.excepthook import ErrorReporter

    monkeypatch.setenv("REFERRAL_DESKTOP_LOG_DIR", str(tmp_path / "logs"))
    reporter = ErrorReporter(QApplication.instance()).install()
    try:
        worker = threading.Thread(target=_raise_with_values, args=({"given_names": SENTINEL},))
        worker.start()
        worker.join(timeout=10)
    finally:
        reporter.uninstall()
    assert threading.excepthook is not reporter.thread_hook
    reports = list((tmp_path / "logs" / "crash-reports").glob("crash-*.txt"))
    assert len(reports) == 1
    text = reports[0].read_text(encoding="utf-8")
    assert "where: background thread" in text and "_raise_with_values" in text and SENTINEL not in text
    assert reporter.dialog is None  # no window for a failure the professional did not cause on screen
