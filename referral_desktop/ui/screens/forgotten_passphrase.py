"""Forgotten passphrase: nothing can be recovered; reset only after seeing what would be lost.

Why: a reset destroys every referral on this computer, including unsent ones. The dialog reads the unsent
counts (kept outside the encrypted store for exactly this moment) and asks for a typed word, not a
click, so the reset is never an accident.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QWidget

from referral_desktop.ui.app_context import AppContext
from referral_desktop.ui.profile_gateway import ProfileGateway
from referral_desktop.ui.screens.unlock import WRONG_OR_DAMAGED_START
from referral_desktop.ui.theme import heading
from referral_desktop.ui.widgets.dialog_body import fit_dialog, scrolling_body
from referral_desktop.ui.widgets.labelled_field import LabelledField, say_errors
from referral_desktop.ui.widgets.message_box import fit_button_icons

log = logging.getLogger(__name__)

CONFIRM_WORD = "RESET"


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


class ForgottenPassphraseDialog(QDialog):
    """Accepted only once the store has been reset."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Forgotten passphrase")
        self.setObjectName("forgottenDialog")
        self.context = context
        self.gateway = ProfileGateway(context.profile_dir, context.clock)
        layout, outer = scrolling_body(self)  # wraps and scrolls at any text size; buttons stay in view
        title = QLabel("Your passphrase cannot be recovered")
        heading(title, 2)
        layout.addWidget(title)
        explain = QLabel(
            "Referrals on this computer are encrypted with your passphrase. Nobody — not you, not IT, not "
            "iART — can open them without it. The only way forward is to reset: this deletes everything "
            "stored on this computer and you start again with a new passphrase. Referrals already received "
            "by iART are safe with iART."
        )
        explain.setWordWrap(True)
        layout.addWidget(explain)
        self.damage_note = QLabel(
            f"{WRONG_OR_DAMAGED_START}. If you are sure you typed it correctly, do not reset: IT may be able "
            "to restore a copy of the store.",
            objectName="damageNote",
        )
        self.damage_note.setWordWrap(True)
        layout.addWidget(self.damage_note)
        try:
            drafts, waiting = self.gateway.unsent_counts()
        except Exception as exc:  # counts unavailable: say so rather than claim zero
            log.warning("unsent counts unavailable: %s", type(exc).__name__)
            drafts = waiting = -1
        self.counts = QLabel(objectName="unsentCounts")
        self.counts.setWordWrap(True)
        if drafts < 0:
            self.counts.setText("It is not known how many unsent referrals would be lost.")
        elif drafts == 0 and waiting == 0:
            self.counts.setText("There are no unsent referrals on this computer.")
        else:
            self.counts.setText(
                "Warning: resetting will permanently delete "
                f"{_plural(drafts, 'draft', 'drafts')} and "
                f"{_plural(waiting, 'referral waiting to send', 'referrals waiting to send')}. "
                "If you might still remember your passphrase, cancel and try again."
            )
        self.counts.setProperty("role", "error")
        layout.addWidget(self.counts)
        self.confirm = QLineEdit(objectName="resetConfirm")
        self.confirm_row = LabelledField(f"To reset, type {CONFIRM_WORD}", self.confirm,
                                         "Capital letters, exactly as shown.")
        layout.addWidget(self.confirm_row)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.reset_button = self.buttons.addButton("Delete everything and reset", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.reset_button.setObjectName("resetButton")
        self.reset_button.setEnabled(False)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setDefault(True)
        outer.addWidget(self.buttons)
        self.confirm.textChanged.connect(lambda t: self.reset_button.setEnabled(t.strip() == CONFIRM_WORD))
        self.buttons.rejected.connect(self.reject)
        self.reset_button.clicked.connect(self._reset)
        fit_dialog(self)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        """Opens on Cancel, not on the scroll area (first in the Tab order; a screen reader's "filler", no
        control): the least destructive choice in a dialog that deletes everything, and in view at any text
        size while the text stays at its top. A screen reader entering the dialog reads its title and the
        text of its labels (Orca: the labels no control is labelled by), then "Cancel, push button"."""
        fit_button_icons(self, self.buttons.buttons())  # Cancel's cross at the text's size, as in a message box
        super().showEvent(event)
        if self.focusWidget() is None:  # first shown (a hidden widget cannot take focus before)
            self.cancel_button.setFocus()

    def _reset(self) -> None:
        if self.confirm.text().strip() != CONFIRM_WORD:
            say_errors([(self.confirm_row, f"Type {CONFIRM_WORD} to confirm")])
            return
        self.reset_button.setEnabled(False)
        runner = self.context.runner

        def do_reset() -> None:
            if runner.store is not None:
                runner.store.close()
                runner.store = None
            self.gateway.reset()

        runner.run(do_reset).success(lambda _r: self.accept()).failure(self._failed)

    def _failed(self, error: BaseException) -> None:
        log.warning("reset failed: %s", type(error).__name__)
        self.reset_button.setEnabled(True)
        # Focus was on the button (disabled while resetting): the field takes it, and the error is said.
        say_errors([(self.confirm_row, "The store could not be reset. Close other copies of the app and try again")])
