"""The save dialog of every PDF: a name typed without ".pdf" gets it from the dialog, which then asks before
replacing a file of that name. ``QFileDialog.getSaveFileName`` returned "copy" as typed; the app added
".pdf" after the dialog had checked "copy", and an earlier "copy.pdf" was replaced without a word."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QMessageBox

from referral_desktop.ui.pdf_save_dialog import ask_pdf_path

pytestmark = pytest.mark.gui


def _answer_dialog(typed: str, seen: list[str], replace: bool) -> None:
    """Once the save dialog is up: type ``typed`` and press Save; if it asks about replacing a file, write
    down its words and answer."""
    def type_and_save() -> None:
        dialog = next((w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible()), None)
        if dialog is None:
            QTimer.singleShot(20, type_and_save)
            return
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        name.setText(typed)
        QTimer.singleShot(0, answer_question)
        dialog.accept()

    def answer_question() -> None:
        box = next((w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()), None)
        if box is None:
            return
        seen.append(box.text())
        box.button(QMessageBox.StandardButton.Yes if replace else QMessageBox.StandardButton.No).click()
        if not replace:  # the dialog stays open for another name: cancel it
            dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible())
            QTimer.singleShot(0, dialog.reject)

    QTimer.singleShot(0, type_and_save)


def test_a_name_typed_without_pdf_is_given_it_by_the_dialog(qtbot, tmp_path):
    seen: list[str] = []
    _answer_dialog("copy", seen, replace=False)
    chosen = ask_pdf_path(None, "Save unencrypted PDF", str(tmp_path / "referral-not-yet-sent-2026-11-24.pdf"))
    assert Path(chosen) == tmp_path / "copy.pdf"
    assert seen == []


def test_replacing_an_earlier_copy_is_asked_about_by_its_real_name(qtbot, tmp_path):
    (tmp_path / "copy.pdf").write_bytes(b"%PDF an earlier copy")
    seen: list[str] = []
    _answer_dialog("copy", seen, replace=False)
    chosen = ask_pdf_path(None, "Save unencrypted PDF", str(tmp_path / "referral-not-yet-sent-2026-11-24.pdf"))
    assert len(seen) == 1 and "copy.pdf" in seen[0] and "already exists" in seen[0], seen
    assert chosen == ""  # "No", then cancelled: nothing is written
    assert (tmp_path / "copy.pdf").read_bytes() == b"%PDF an earlier copy"


def test_replacing_is_the_persons_choice(qtbot, tmp_path):
    (tmp_path / "copy.pdf").write_bytes(b"%PDF an earlier copy")
    seen: list[str] = []
    _answer_dialog("copy", seen, replace=True)
    chosen = ask_pdf_path(None, "Save unencrypted PDF", str(tmp_path / "referral.pdf"))
    assert len(seen) == 1 and Path(chosen) == tmp_path / "copy.pdf"
