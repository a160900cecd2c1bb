"""Old drafts: a quiet notice on home and a dialog that offers drafts untouched for 90 days for deletion.

Why: PRODUCT §4 — drafts untouched for 90 days are *offered* for deletion, never deleted silently. The
notice says in words how many there are; the dialog lists them by the child's initials and two dates
only (no other personal data), all ticked; nothing is deleted until the user confirms that it cannot be
undone. "Keep them" hides the notice until the next unlock (home is rebuilt on every unlock). The store
records each deletion in the audit log.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from referral_desktop.ui.accessibility import announce
from referral_desktop.ui.app_context import AppContext
from referral_desktop.ui.display_format import format_date
from referral_desktop.ui.theme import heading
from referral_desktop.ui.widgets.message_box import MessageBox

log = logging.getLogger(__name__)

#: PRODUCT §4: drafts untouched this long are offered for deletion.
STALE_DRAFT_DAYS = 90
NO_INITIALS = "No name yet"


def _drafts(n: int) -> str:
    return f"{n} draft" if n == 1 else f"{n} drafts"


def notice_text(count: int) -> str:
    verb = "has" if count == 1 else "have"
    return f"{_drafts(count)} {verb} not been changed for {STALE_DRAFT_DAYS} days."


def delete_stale_drafts(store: Any, ids: Sequence[str], now: datetime) -> int:
    """Store-thread work: delete those of ``ids`` that are still drafts untouched for 90 days.

    Checked again here, so a draft edited or sent since the list was shown is never deleted. Returns
    how many were deleted; ``delete_draft`` writes the audit entry for each.
    """
    still_stale = {summary.id for summary in store.referrals.stale_drafts(now, days=STALE_DRAFT_DAYS)}
    deleted = 0
    for referral_id in ids:
        if referral_id in still_stale:
            store.referrals.delete_draft(referral_id)
            deleted += 1
    skipped = len(ids) - deleted
    log.info("old drafts deleted: %d, skipped: %d", deleted, skipped)
    return deleted


class OldDraftsNotice(QFrame):
    """One line of text and a "Review old drafts" button; hidden when there is nothing to say."""

    review_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("oldDraftsNotice")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        self.text = QLabel(objectName="oldDraftsText")
        self.text.setWordWrap(True)
        row.addWidget(self.text, 1)
        self.review_button = QPushButton("Review old drafts", objectName="reviewOldDrafts")
        self.review_button.setAccessibleDescription(
            f"Lists drafts not changed for {STALE_DRAFT_DAYS} days, so you can delete or keep them"
        )
        row.addWidget(self.review_button)
        self.review_button.clicked.connect(self.review_requested)
        self.setVisible(False)

    def show_count(self, count: int) -> None:
        self.text.setText(notice_text(count))
        self.review_button.setVisible(True)
        self.setAccessibleName(self.text.text())
        self.setVisible(True)

    def show_message(self, message: str) -> None:
        """A one-off outcome ("2 old drafts deleted."), without the button; announced, since focus goes back
        to the list, which says nothing of it."""
        self.text.setText(message)
        self.review_button.setVisible(False)
        self.setAccessibleName(message)
        self.setVisible(True)
        announce(self, message)


class OldDraftsDialog(QDialog):
    """The drafts, each with a ticked checkbox; delete the ticked ones (after confirmation) or keep them.

    Emits ``deleted(count)`` after the store has deleted them and ``kept`` for "Keep them". Escape
    closes without deciding anything (the notice stays).
    """

    deleted = Signal(int)
    kept = Signal()

    def __init__(self, context: AppContext, drafts: Sequence[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("oldDraftsDialog")
        self.setWindowTitle("Old drafts")
        self.context = context
        self.drafts = list(drafts)
        self.confirmation: QMessageBox | None = None
        layout = QVBoxLayout(self)
        title = QLabel(f"Drafts not changed for {STALE_DRAFT_DAYS} days", objectName="oldDraftsTitle")
        heading(title, 2)
        layout.addWidget(title)
        explain = QLabel(
            f"These drafts have not been changed for {STALE_DRAFT_DAYS} days. Untick any you still need, "
            "then delete the rest, or keep them all."
        )
        explain.setWordWrap(True)
        layout.addWidget(explain)

        grid_holder = QWidget()
        grid = QGridLayout(grid_holder)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(24)
        for column, text in enumerate(("Child's initials", "Created", "Last changed")):
            header = QLabel(text)
            font = header.font()
            font.setBold(True)
            header.setFont(font)
            grid.addWidget(header, 0, column)
        self.checkboxes: list[QCheckBox] = []
        for row, draft in enumerate(self.drafts, start=1):
            initials = draft.child_initials or NO_INITIALS
            created, changed = format_date(draft.created_at), format_date(draft.updated_at)
            box = QCheckBox(initials, objectName=f"oldDraft{row}")
            box.setChecked(True)
            box.setAccessibleName(f"Draft for {initials}, created {created}, last changed {changed}")
            box.setProperty("referral_id", draft.id)
            box.toggled.connect(self._ticks_changed)
            self.checkboxes.append(box)
            grid.addWidget(box, row, 0)
            grid.addWidget(QLabel(created), row, 1)
            grid.addWidget(QLabel(changed), row, 2)
        grid.setColumnStretch(3, 1)
        grid.setRowStretch(len(self.drafts) + 1, 1)  # rows stay together at the top
        self.list_area = QScrollArea(objectName="oldDraftsList")
        self.list_area.setWidgetResizable(True)
        self.list_area.setFrameShape(QFrame.Shape.NoFrame)
        self.list_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not an unnamed Tab stop
        self.list_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.list_area.setWidget(grid_holder)
        # Up to eight rows without scrolling (measured in the current font); more rows scroll.
        full_height = grid_holder.sizeHint().height() + 4
        rows = len(self.drafts) + 1
        self.list_area.setMinimumHeight(full_height * min(rows, 9) // rows)
        if rows <= 9:
            self.list_area.setMaximumHeight(full_height)
        self.list_area.setMinimumWidth(grid_holder.sizeHint().width() + 4)
        layout.addWidget(self.list_area, 1)

        self.error = QLabel(objectName="oldDraftsError")
        self.error.setWordWrap(True)
        self.error.setProperty("role", "error")
        self.error.setVisible(False)
        layout.addWidget(self.error)
        layout.addSpacing(8)

        self.buttons = QDialogButtonBox()
        self.delete_button = self.buttons.addButton("Delete the ticked drafts", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.delete_button.setObjectName("deleteOldDrafts")
        self.delete_button.setAutoDefault(False)
        self.keep_button = self.buttons.addButton("Keep them", QDialogButtonBox.ButtonRole.RejectRole)
        self.keep_button.setObjectName("keepOldDrafts")
        self.keep_button.setAccessibleDescription("Keeps every draft and hides the notice until you next unlock")
        layout.addWidget(self.buttons)
        self.delete_button.clicked.connect(self.ask_to_delete)
        self.keep_button.clicked.connect(self._keep)

        chain: list[QWidget] = [*self.checkboxes, self.delete_button, self.keep_button]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        (self.checkboxes[0] if self.checkboxes else self.keep_button).setFocus()
        width = max(480, self.sizeHint().width())
        # As tall as the wrapped text needs at that width (at 200 % text too), no taller.
        height = layout.totalHeightForWidth(width) if layout.hasHeightForWidth() else self.sizeHint().height()
        self.resize(width, max(height, self.minimumSizeHint().height()))

    def ticked_ids(self) -> list[str]:
        return [box.property("referral_id") for box in self.checkboxes if box.isChecked()]

    def _ticks_changed(self) -> None:
        n = len(self.ticked_ids())
        self.delete_button.setEnabled(n > 0)
        self.delete_button.setText("Delete the ticked drafts" if n != 1 else "Delete the ticked draft")

    def _keep(self) -> None:
        self.kept.emit()
        self.reject()

    def ask_to_delete(self) -> QMessageBox | None:
        """The confirmation (returned so tests can see and answer it); deletes only on "Delete"."""
        ids = self.ticked_ids()
        if not ids:
            return None
        box = MessageBox(QMessageBox.Icon.Warning, f"Delete {_drafts(len(ids))}?",
                          f"Delete {_drafts(len(ids))}? This cannot be undone.", parent=self)
        box.setObjectName("confirmDeleteOldDrafts")
        proceed = box.addButton(f"Delete {_drafts(len(ids))}", QMessageBox.ButtonRole.DestructiveRole)
        proceed.setObjectName("confirmDelete")
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.buttonClicked.connect(lambda button: self._confirmed(button, ids))
        self.confirmation = box
        box.open()
        return box

    def _confirmed(self, button: QAbstractButton, ids: list[str]) -> None:
        self.confirmation = None
        if button.objectName() != "confirmDelete":
            self.delete_button.setFocus()
            return
        self.delete_button.setEnabled(False)
        self.keep_button.setEnabled(False)
        self.error.setVisible(False)
        self.context.runner.run_with_store(delete_stale_drafts, ids, self.context.clock()).owned_by(self).success(
            self._done
        ).failure(self._failed)

    def _done(self, count: int) -> None:
        self.deleted.emit(count)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        log.warning("deleting old drafts failed: %s", type(error).__name__)
        self.error.setText("Error: the drafts could not be deleted. Try again.")
        self.error.setVisible(True)
        self.keep_button.setEnabled(True)
        self._ticks_changed()
        self.delete_button.setFocus()
