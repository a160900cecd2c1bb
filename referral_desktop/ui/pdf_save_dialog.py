"""The save dialog for every PDF the app writes (a referral's copy, a receipt, the privacy notice).

Why not ``QFileDialog.getSaveFileName``: it has no default suffix. A name typed without ".pdf" ("copy")
came back as typed; the app then added ".pdf" itself, after the dialog's "already exists, replace it?"
question had been asked about "copy", so an earlier "copy.pdf" was replaced without a word. Here the
dialog adds ".pdf" itself, and asks about the name it will really write.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QWidget


def ask_pdf_path(parent: QWidget | None, caption: str, start: str) -> str:
    """The path chosen (ending ".pdf" unless typed with another ending), or "" if the person cancelled."""
    dialog = QFileDialog(parent, caption, start, "PDF files (*.pdf)")
    dialog.setObjectName("savePdfDialog")
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setDefaultSuffix("pdf")
    if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
        return ""
    return dialog.selectedFiles()[0]
