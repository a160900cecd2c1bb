"""Export a referral as PDF: warn that the file is not encrypted, ask where, then read, lay out and write.

Why: rule 9 — personal information never goes by plain email; the PDF is the fallback for secure email
(CJSM) or the professional's records, and it leaves the encrypted store, so the warning comes first and
the suggested file name carries no personal data. The store is read and the HTML built on the runner's
thread, the pages are laid out and painted into memory on the GUI thread in short steps (``printed_page``
says why), and the runner writes the file: three hops, one per thread's part.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget

from referral_desktop.private_files import write_private_atomically
from referral_desktop.ui.accessibility import announce
from referral_desktop.ui.app_context import AppContext
from referral_desktop.ui.display_format import uk_local
from referral_desktop.ui.pdf_save_dialog import ask_pdf_path
from referral_desktop.ui.printed_page import PrintedPage, RenderedPdf, render_in_steps
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


def referral_copy(store: Any, referral_id: str) -> PrintedPage:
    """Store-thread work: read the referral and its form, and build the copy's HTML (plain Python)."""
    referral = store.referrals.get(referral_id)
    try:
        from referral_desktop.domain.form_catalog import load_form

        form = load_form(referral.form_id, referral.form_version)
    except Exception as exc:
        log.warning("form for export unavailable: %s", type(exc).__name__)
        form = None
    return PrintedPage(referral_html(referral, form), title="Multi-Agency Referral Form",
                       running_line=f"Multi-Agency Referral Form – {reference_line(referral.iart_reference)}")


def save_printed(store: Any, referral_id: str, path: Path, pdf: bytes) -> Path:
    """Store-thread work: write the laid-out PDF (whole, 0600, or not at all) and record the export in the
    audit log (no values logged). Shared by the copy and the receipt."""
    # Written whole or not at all: QPdfWriter writing to the file itself said nothing when a write failed,
    # and on a full disk the copy was reported written while the folder held its first 20 KB, unencrypted.
    write_private_atomically(path, pdf)
    try:
        store.audit.record("exported", referral_id=referral_id)
    except Exception as exc:  # noqa: BLE001 - the file is written; the audit entry is a courtesy
        log.info("export not audited: %s", type(exc).__name__)
    return path


def chosen_pdf_path(chosen: str) -> Path:
    """The path to write: a name typed with another ending ("copy.v2") gets ".pdf" after it, never in place
    of it (that named another file, which the save dialog had not asked about)."""
    path = Path(chosen)
    if path.suffix.lower() != ".pdf":
        path = path.with_name(path.name + ".pdf")
    return path


def write_where_chosen(runner: Any, choose_path: Callable[[str], str], suggested: str,
                       prepare: Callable[[Any, str], PrintedPage], referral_id: str,
                       done: Callable[[Path], object], failed: Callable[[], object],
                       owner: QWidget | None = None, saving: Callable[[], object] | None = None) -> None:
    """Ask where (``suggested`` offered); nothing happens if the person cancels. Then ``prepare(store, id)``
    on the store thread, the pages laid out on the GUI thread (``saving()`` first: it may take a moment),
    and the file written on the store thread; ``done(path)`` or ``failed()``. Shared by the full copy and
    the receipt; ``owner`` destroyed while the page is read or laid out (the screen left) stops it there, and
    nothing is written; destroyed while the file is written, the file is written and nothing is called
    back."""
    chosen = choose_path(suggested)
    if not chosen:
        return
    path = chosen_pdf_path(chosen)

    def write(pdf: RenderedPdf) -> None:
        runner.run_with_store(save_printed, referral_id, path, pdf.data).owned_by(owner).success(
            lambda _path: done(path)).failure(lambda e: failed())

    def lay_out(page: PrintedPage) -> None:
        if saving is not None:
            saving()
        render_in_steps(page, owner, write, failed)

    runner.run_with_store(prepare, referral_id).owned_by(owner).success(lay_out).failure(lambda e: failed())


class ExportFlow:
    """Warning → save dialog → read, lay out, write → ``done(path)`` or ``failed(message)``; ``saving()``
    when the pages are being laid out (the window says so in its status line; this flow announces it)."""

    def __init__(self, context: AppContext, parent: QWidget | None,
                 done: Callable[[Path], object], failed: Callable[[str], object],
                 choose_path: Callable[[str], str] | None = None,
                 saving: Callable[[], object] | None = None) -> None:
        self.context = context
        self.parent = parent
        self.done = done
        self.failed = failed
        self.saving = saving
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
        write_where_chosen(self.context.runner, self.choose_path, suggested, referral_copy, referral_id,
                           self._written, lambda: self.failed(
                               "The PDF could not be written. Choose another folder and try again."),
                           owner=self.parent, saving=self._saving)

    def _saving(self) -> None:
        # A long referral takes a second or so to lay out (the window runs meanwhile): said, so that a
        # second press of Export, or leaving, is not the only way to find out whether anything happens.
        if self.parent is not None:
            announce(self.parent, "Saving the PDF…")
        if self.saving is not None:
            self.saving()

    def _ask_path(self, suggested: str) -> str:
        return ask_pdf_path(self.parent, "Save unencrypted PDF", str(Path.home() / suggested))

    def _written(self, path: Path) -> None:
        # Heard, not only shown (the window writes it in its status bar for a few seconds); without the
        # file's name, which may be anything typed in the save dialog.
        if self.parent is not None:
            announce(self.parent, "The referral is saved as a PDF. It is not encrypted.")
        self.done(path)
