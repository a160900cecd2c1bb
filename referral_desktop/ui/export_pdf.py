"""Export a referral as PDF: warn that the file is not encrypted, ask where, write off the GUI thread.

Why: rule 9 — personal information never goes by plain email; the PDF is the fallback for secure email
(CJSM) or the professional's records, and it leaves the encrypted store, so the warning comes first and
the suggested file name carries no personal data.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget

from referral_desktop.ui.accessibility import announce
from referral_desktop.ui.app_context import AppContext
from referral_desktop.ui.display_format import uk_local
from referral_desktop.ui.pdf_save_dialog import ask_pdf_path
from referral_desktop.ui.printed_page import write_pdf
from referral_desktop.ui.referral_document import reference_line, referral_html, suggested_file_name
from referral_desktop.ui.widgets.message_box import MessageBox

log = logging.getLogger(__name__)

WARNING = (
    "The PDF file will not be encrypted. Anyone who gets a copy can read everything in it.\n\n"
    "Send it only by secure email (CJSM) or keep it somewhere only you can reach. "
    "Never send it by ordinary email. Delete it when you no longer need it."
)


def confirm_unencrypted(parent: QWidget | None) -> QMessageBox:
    """The warning dialog (returned so tests can see and answer it)."""
    box = MessageBox(QMessageBox.Icon.Warning, "This copy is not encrypted", WARNING, parent=parent)
    box.setObjectName("exportWarning")
    proceed = box.addButton("Save an unencrypted PDF…", QMessageBox.ButtonRole.AcceptRole)
    proceed.setObjectName("exportProceed")
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    return box


def suggested_name(store: Any, referral_id: str) -> str:
    """Store-thread work: the file name to offer (the iART reference and today's date)."""
    referral = store.referrals.get(referral_id)
    return suggested_file_name(referral.iart_reference, uk_local(datetime.now(UTC)).date())


def export_referral(store: Any, referral_id: str, path: Path) -> Path:
    """Store-thread work: read, render, write, record in the audit log (no values logged)."""
    referral = store.referrals.get(referral_id)
    try:
        from referral_desktop.domain.form_catalog import load_form

        form = load_form(referral.form_id, referral.form_version)
    except Exception as exc:
        log.warning("form for export unavailable: %s", type(exc).__name__)
        form = None
    write_pdf(referral_html(referral, form), path, title="Multi-Agency Referral Form",
              running_line=f"Multi-Agency Referral Form – {reference_line(referral.iart_reference)}")
    try:
        store.audit.record("exported", referral_id=referral_id)
    except Exception as exc:
        log.info("export not audited: %s", type(exc).__name__)
    return path


def write_where_chosen(runner: Any, choose_path: Callable[[str], str], suggested: str,
                       write: Callable[[Any, str, Path], Path], referral_id: str,
                       done: Callable[[Path], object], failed: Callable[[], object]) -> None:
    """Ask where (``suggested`` offered), then ``write(store, id, path)`` on the store thread; nothing
    happens if the person cancels. Shared by the full copy and the receipt. A name typed with another
    ending ("copy.v2") gets ".pdf" after it, never in place of it (that named another file)."""
    chosen = choose_path(suggested)
    if not chosen:
        return
    path = Path(chosen)
    if path.suffix.lower() != ".pdf":
        path = path.with_name(path.name + ".pdf")
    runner.run_with_store(write, referral_id, path).success(done).failure(lambda e: failed())


class ExportFlow:
    """Warning → save dialog → background write → ``done(path)`` or ``failed(message)``."""

    def __init__(self, context: AppContext, parent: QWidget | None,
                 done: Callable[[Path], object], failed: Callable[[str], object],
                 choose_path: Callable[[str], str] | None = None) -> None:
        self.context = context
        self.parent = parent
        self.done = done
        self.failed = failed
        self.choose_path = choose_path or self._ask_path
        self.warning: QMessageBox | None = None

    def start(self, referral_id: str) -> None:
        self.warning = confirm_unencrypted(self.parent)
        self.warning.buttonClicked.connect(lambda button: self._answered(button, referral_id))
        self.warning.open()

    def _answered(self, button: Any, referral_id: str) -> None:
        if button.objectName() != "exportProceed":
            return
        self.context.runner.run_with_store(suggested_name, referral_id).success(
            lambda name: self._save_as(name, referral_id)
        ).failure(lambda e: self.failed("The referral could not be read. Try again."))

    def _save_as(self, suggested: str, referral_id: str) -> None:
        write_where_chosen(self.context.runner, self.choose_path, suggested, export_referral, referral_id,
                           self._written, lambda: self.failed(
                               "The PDF could not be written. Choose another folder and try again."))

    def _ask_path(self, suggested: str) -> str:
        return ask_pdf_path(self.parent, "Save unencrypted PDF", str(Path.home() / suggested))

    def _written(self, path: Path) -> None:
        # Heard, not only shown (the window writes it in its status bar for a few seconds); without the
        # file's name, which may be anything typed in the save dialog.
        if self.parent is not None:
            announce(self.parent, "The referral is saved as a PDF. It is not encrypted.")
        self.done(path)
