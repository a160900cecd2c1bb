"""The store file is missing but copies of it exist: offer the copy before anything new is created.

Why: ``store.db`` can disappear (deleted by a cleanup script, a bad copy, a sync tool) while the rolling
snapshots in ``snapshots/`` survive. Treated as a first run, the app would invite the professional to
create a new, empty store, and that store's snapshots would rotate the earlier copies out: the only copy
of unsent referrals and drafts lost. So the first-run screen opens on this page when copies exist: it
says plainly what is missing and what is left, restores the copy (opened with its passphrase and checked
page by page, as the damaged-store restore does) as the main action, and leaves "start again" possible
but deliberate; a new store sets the earlier copies aside (``snapshots-of-an-earlier-store/``), never
deletes them.
"""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from referral_desktop.ui.accessibility import StatusLabel, announce, protect_password, set_description
from referral_desktop.ui.app_context import AppContext
from referral_desktop.ui.display_format import format_datetime, format_day_and_time
from referral_desktop.ui.profile_gateway import EARLIER_COPIES_HINT, ProfileGateway
from referral_desktop.ui.theme import heading, primary
from referral_desktop.ui.widgets.labelled_field import LabelledField
from referral_desktop.ui.widgets.scroll_page import ScrollPage

log = logging.getLogger(__name__)


class MissingStorePage(ScrollPage):
    """Emits ``restored`` once the copy is in place and open, ``start_again`` when the user chooses an
    empty store instead."""

    restored = Signal()
    start_again = Signal()

    def __init__(self, context: AppContext, taken: datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent, max_width=640)
        self.context = context
        self.taken = taken
        self.gateway = ProfileGateway(context.profile_dir, context.clock)
        title = QLabel("Your store file is missing")
        heading(title)
        self.column.addWidget(title)
        self.message = QLabel(objectName="missingStoreMessage")
        self.message.setWordWrap(True)
        self.message.setText(
            "The encrypted store that holds your referrals is missing from this computer, but a copy of it "
            f"from {format_datetime(taken)} exists. Restore the copy to get back the drafts and referrals in "
            "it: anything saved after that time is not in it."
        )
        self.column.addWidget(self.message)
        self.passphrase = QLineEdit(objectName="copyPassphrase", echoMode=QLineEdit.EchoMode.Password)
        protect_password(self.passphrase)
        self.field = LabelledField("Passphrase", self.passphrase, "The passphrase you used with that copy.")
        self.column.addWidget(self.field)
        row = QHBoxLayout()
        self.restore_button = QPushButton(f"Restore the copy from {format_day_and_time(taken)}", objectName="restoreCopy")
        primary(self.restore_button)
        self.restore_button.setDefault(True)
        # Wide enough for the whole label at any text size (200 %): a date cut short says something else.
        self.body.setMaximumWidth(max(640, self.restore_button.sizeHint().width() + 24))
        row.addWidget(self.restore_button)
        row.addStretch(1)
        self.column.addLayout(row)
        self.status = StatusLabel(objectName="missingStoreStatus")
        self.status.setWordWrap(True)
        self.column.addWidget(self.status)
        self.column.addSpacing(18)
        self.start_again_note = QLabel(
            "Only if you do not need what is in the copy: you can start again with a new, empty store. The "
            f"copies are then kept, not deleted, in {context.profile_dir / EARLIER_COPIES_HINT}."
        )
        self.start_again_note.setWordWrap(True)
        self.column.addWidget(self.start_again_note)
        again = QHBoxLayout()
        self.start_again_button = QPushButton("Start again with an empty store", objectName="startAgain")
        again.addWidget(self.start_again_button)
        again.addStretch(1)
        self.column.addLayout(again)
        # The page's message (why the store is missing) and the hint, kept behind any error ("Error: ...").
        set_description(self.passphrase, f"{self.message.text()} {self.field.hint_text}")
        self.passphrase.returnPressed.connect(self.restore)
        self.restore_button.clicked.connect(self.restore)
        self.start_again_button.clicked.connect(self.start_again)
        self._retry = QTimer(self, singleShot=True)
        self._retry.timeout.connect(self._may_retry)
        self.setFocusProxy(self.passphrase)
        self._announced = False

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self.passphrase.setFocus()
        if not self._announced:  # heard once, whatever has focus: the screen is not the one expected
            self._announced = True
            announce(self, f"Your store file is missing. {self.message.text()}", assertive=True)

    def restore(self) -> None:
        if not self.restore_button.isEnabled():
            return
        passphrase = self.passphrase.text()
        if not passphrase:
            self.field.say_error("Enter the passphrase of the copy")
            return
        self.field.set_error("")
        self.restore_button.setEnabled(False)
        self.start_again_button.setEnabled(False)
        self.status.setText("Checking and restoring the copy…")
        self.context.runner.run(self.gateway.restore_and_open, passphrase).owned_by(self).success(
            lambda store: self._restored(store, passphrase)
        ).failure(self._failed)

    def _restored(self, store: object, passphrase: str) -> None:
        self.context.passphrase_accepted(getattr(store, "raw_key", None) or passphrase)
        self.context.runner.store = store
        self.passphrase.clear()
        self.status.setText("The copy is restored.")
        self.restored.emit()

    def _failed(self, error: BaseException) -> None:
        self.start_again_button.setEnabled(True)
        name = type(error).__name__
        self.passphrase.selectAll()
        self.passphrase.setFocus()
        if name in ("WrongPassphrase", "UnlockThrottled"):
            wait = float(getattr(error, "retry_after_seconds", 0) or getattr(error, "wait_seconds", 0) or 0)
            first = ("The passphrase does not open the copy. Nothing was changed" if name == "WrongPassphrase"
                     else "Too many wrong passphrases")
            self.field.say_error(first)
            if wait > 0:
                seconds = max(1, round(wait))
                self.status.setText(f"You can try again in {seconds} second{'s' if seconds != 1 else ''}.")
                self._retry.start(int(wait * 1000))
            else:
                self._may_retry()
            return
        self.restore_button.setEnabled(True)
        if name == "StoreDamaged":
            self.status.setText("The copy is damaged too and was not restored. Contact your IT service desk "
                                "before starting again.")
        else:
            log.warning("restoring a missing store failed: %s", name)
            self.status.setText("The copy could not be restored. Nothing was changed. Try again, or contact "
                                "your IT service desk.")

    def _may_retry(self) -> None:
        self.restore_button.setEnabled(True)
        self.status.setText("You can try again now.")
