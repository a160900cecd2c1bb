"""Deleting one draft from home: a "Delete draft" button, the Delete key and the list's context menu.

Why confirmed, and why by initials: deleting a draft deletes everything typed about a child, and home
lists many drafts that look alike. The confirmation names the child's initials and the date it was last
changed, says it cannot be undone, and has Cancel as its default, so Enter alone never deletes. Only
drafts can be deleted here (anything sent belongs to iART's record and the retention policy); the store
writes the deletion to the audit log.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QMenu, QMessageBox, QPushButton, QTableView

from referral_desktop.ui.display_format import format_datetime
from referral_desktop.ui.screens import referral_table_model
from referral_desktop.ui.screens.referral_table_model import ID_ROLE, STATE_ROLE
from referral_desktop.ui.widgets.message_box import MessageBox

log = logging.getLogger(__name__)

DELETABLE_STATES = frozenset({"draft"})


class DraftDeleter(QObject):
    """Owns the button, shortcut and menu for the table it is given; emits ``deleted`` after a deletion."""

    deleted = Signal(str)  # the referral id
    failed = Signal(str)  # a message for the user, without personal data

    def __init__(self, table: QTableView, rows: Any, runner: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._table = table
        self._rows = rows  # the source model's row list, looked up by id (the proxy hides the rest)
        self._runner = runner
        self.confirmation: QMessageBox | None = None
        self.button = QPushButton("Delete draft", objectName="deleteDraft")
        self.button.setToolTip("Delete the selected draft (Delete key)")
        self.button.setEnabled(False)
        self.button.clicked.connect(self.ask)
        shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), table, activated=self.ask)
        shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._menu)
        table.selectionModel().selectionChanged.connect(lambda *_: self._selection_changed())

    def _selected(self) -> tuple[str, str] | None:
        indexes = self._table.selectionModel().selectedRows()
        if not indexes:
            return None
        return indexes[0].data(ID_ROLE), indexes[0].data(STATE_ROLE)

    def _selection_changed(self) -> None:
        selected = self._selected()
        self.button.setEnabled(selected is not None and selected[1] in DELETABLE_STATES)

    def _menu(self, position: QPoint) -> None:
        index = self._table.indexAt(position)
        if not index.isValid():
            return
        self._table.selectRow(index.row())
        menu = QMenu(self._table)
        action = QAction("Delete draft…", menu)
        action.setEnabled(index.data(STATE_ROLE) in DELETABLE_STATES)
        action.triggered.connect(self.ask)
        menu.addAction(action)
        menu.popup(self._table.viewport().mapToGlobal(position))
        self.menu = menu  # tests look at it

    def _row(self, referral_id: str) -> Any:
        return next((row for row in self._rows() if row.referral_id == referral_id), None)

    def ask(self) -> QMessageBox | None:
        """Open the confirmation for the selected draft (returned so tests can answer it)."""
        selected = self._selected()
        if selected is None or selected[1] not in DELETABLE_STATES:
            return None
        referral_id = selected[0]
        row = self._row(referral_id)
        # The list's own no-name mark, read here (not a copy of it): a draft without a name is asked about as such.
        no_name = ("", referral_table_model.NO_NAME_SHOWN)
        initials = row.initials if row is not None and row.initials not in no_name else None
        who = f"the draft referral for {initials}" if initials else "this draft referral (no child's name yet)"
        changed = f", last changed on {format_datetime(row.updated)}" if row is not None and row.updated else ""
        box = MessageBox(
            QMessageBox.Icon.Warning, "Delete draft?",
            f"Delete {who}{changed}?\n\nEverything typed in it is deleted from this computer. This cannot be undone.",
            parent=self._table.window(),
        )
        box.setObjectName("confirmDeleteDraft")
        proceed = box.addButton("Delete draft", QMessageBox.ButtonRole.DestructiveRole)
        proceed.setObjectName("confirmDelete")
        proceed.setProperty("destructive", True)  # GOV.UK: destructive actions are red, and confirmed
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.buttonClicked.connect(lambda button: self._answered(button, referral_id))
        self.confirmation = box
        box.open()
        return box

    def _answered(self, button: QAbstractButton, referral_id: str) -> None:
        self.confirmation = None
        if button.objectName() != "confirmDelete":
            self._table.setFocus()
            return
        task = self._runner.run_with_store(lambda store: store.referrals.delete_draft(referral_id))
        task.owned_by(self).success(lambda _r: self.deleted.emit(referral_id)).failure(self._failed)

    def _failed(self, error: BaseException) -> None:
        log.warning("deleting a draft failed: %s", type(error).__name__)
        self.failed.emit("Error: the draft could not be deleted. Try again.")
