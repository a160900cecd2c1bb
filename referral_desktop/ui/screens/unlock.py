"""Unlock: the passphrase opens the store; wrong ones say so and wait, counting down, without blocking.

Why: the store slows down wrong guesses (``retry_after``); the screen shows the wait as a live count so
the professional knows it is not frozen. Used at start-up and again after auto-lock, when the store is
still open for sending and the passphrase is only checked (``relock=True``).
"""

from __future__ import annotations

import logging
import math
import time

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QWidget

from referral_desktop.ui.accessibility import StatusLabel, protect_password
from referral_desktop.ui.app_context import AppContext
from referral_desktop.ui.profile_gateway import ProfileGateway
from referral_desktop.ui.theme import heading, primary
from referral_desktop.ui.widgets.button_row import ButtonRow
from referral_desktop.ui.widgets.labelled_field import LabelledField
from referral_desktop.ui.widgets.scroll_page import ScrollPage

log = logging.getLogger(__name__)

#: The store's own sentence (``store.errors``), repeated here because ui must not import the store.
WRONG_OR_DAMAGED_START = "The passphrase is wrong, or the start of the file is damaged: contact IT before resetting"


class UnlockScreen(ScrollPage):
    """Emits ``unlocked`` (store open, or passphrase checked when re-locking) or ``reset_requested``."""

    unlocked = Signal()
    forgotten_requested = Signal()

    def __init__(self, context: AppContext, relock: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent, max_width=560)
        self.context = context
        self.relock = relock
        self.gateway = ProfileGateway(context.profile_dir, context.clock)
        self._wait_until = 0.0
        self._countdown = QTimer(self, interval=250)
        self._countdown.timeout.connect(self._tick)

        title = QLabel("Locked" if relock else "Unlock Referral Desktop")
        heading(title)
        self.column.addWidget(title)
        intro = QLabel(
            "Referral Desktop locked itself to keep referrals private. Sending carries on while it is locked."
            if relock
            else "Enter your passphrase to open your referrals."
        )
        intro.setWordWrap(True)
        self.column.addWidget(intro)
        self.passphrase = QLineEdit(objectName="unlockPassphrase", echoMode=QLineEdit.EchoMode.Password)
        protect_password(self.passphrase)
        self.field = LabelledField("Passphrase", self.passphrase)
        self.column.addWidget(self.field)
        self.unlock_button = QPushButton("Unlock", objectName="unlockButton")
        primary(self.unlock_button)
        self.unlock_button.setDefault(True)
        self.forgot_button = QPushButton("Forgotten passphrase", objectName="forgottenButton")
        self.forgot_button.setFlat(True)
        self.column.addWidget(ButtonRow(self.unlock_button, self.forgot_button))
        self.restore_button = QPushButton(objectName="restoreButton")
        self.restore_button.hide()  # offered only when the store is damaged and a copy exists
        self.restore_button.clicked.connect(self.restore)
        self.column.addWidget(self.restore_button)
        self.status = StatusLabel(objectName="unlockStatus")  # "You can try again in 4 seconds", as shown
        # Plain text, set as a property (0 = Qt.PlainText): touching the Qt namespace costs ~30 ms before
        # the first paint (tests/ui/test_startup.py), as in widgets/scroll_page.py.
        self.status.setProperty("textFormat", 0)
        self.status.setWordWrap(True)
        self.column.addWidget(self.status)
        self.unlock_button.clicked.connect(self.attempt)
        self.passphrase.returnPressed.connect(self.attempt)
        self.forgot_button.clicked.connect(self.forgotten_requested)
        self.setFocusProxy(self.passphrase)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self.passphrase.setFocus()

    def attempt(self) -> None:
        if self._waiting() or not self.unlock_button.isEnabled():
            return
        passphrase = self.passphrase.text()
        if not passphrase:
            self.field.say_error("Enter your passphrase")
            return
        self.field.set_error("")
        self.unlock_button.setEnabled(False)
        self.status.setText("Checking…")
        work = self.gateway.verify if self.relock else self.gateway.open
        self.context.runner.run(work, passphrase).owned_by(self).success(
            lambda store: self._opened(store, passphrase)
        ).failure(self._failed)

    def _opened(self, store: object, passphrase: str) -> None:
        # The key derived while unlocking opens the sender's connection without deriving it again.
        self.context.passphrase_accepted(getattr(store, "raw_key", None) or passphrase)
        self.passphrase.clear()
        self.status.clear()
        self.unlock_button.setEnabled(True)
        if not self.relock:
            self.context.runner.store = store
        self.unlocked.emit()

    def _failed(self, error: BaseException) -> None:
        self.unlock_button.setEnabled(True)
        name = type(error).__name__
        self.passphrase.selectAll()
        self.passphrase.setFocus()
        if name == "WrongPassphrase":
            # A damaged first page fails exactly like a wrong key: say both, so nobody resets over damage.
            self.field.say_error(WRONG_OR_DAMAGED_START)
            self._start_wait(getattr(error, "retry_after_seconds", None) or getattr(error, "retry_after", 0))
        elif name == "UnlockThrottled":
            self.field.say_error("Too many wrong passphrases")
            self._start_wait(getattr(error, "wait_seconds", 0) or getattr(error, "retry_after_seconds", 0))
        elif name == "StoreDamaged":
            self._offer_restore()
        elif name == "StoreNotFound":
            self.status.setText("There is no store in this profile folder.")
        else:
            log.warning("unlock failed: %s", name)
            self.status.setText("The store could not be opened. Try again.")

    # --- a damaged store --------------------------------------------------------------------------
    def _offer_restore(self) -> None:
        # Imported here, as only a damaged store needs dates: time zones cost start-up time before the
        # unlock screen's first paint (tests/ui/test_startup.py).
        from referral_desktop.ui.display_format import format_datetime, format_day_and_time

        taken = self.gateway.newest_snapshot_time() if not self.relock else None
        if taken is None:
            self.status.setText("The store on this computer is damaged and cannot be opened. Contact your IT "
                                "service desk; do not reset it unless they tell you to.")
            return
        self.status.setText(
            "The store on this computer is damaged and cannot be opened. Do not reset it. You can restore the "
            f"copy from {format_datetime(taken)}: anything saved after that is not in it. The damaged store "
            "is kept for IT."
        )
        self.restore_button.setText(f"Restore the copy from {format_day_and_time(taken)}")
        self.restore_button.show()

    def restore(self) -> None:
        passphrase = self.passphrase.text()
        if not passphrase:
            self.field.say_error("Enter your passphrase")
            return
        self.restore_button.setEnabled(False)
        self.status.setText("Restoring the copy…")
        self.context.runner.run(self.gateway.restore_and_open, passphrase).owned_by(self).success(
            lambda store: self._restored(store, passphrase)
        ).failure(self._restore_failed)

    def _restored(self, store: object, passphrase: str) -> None:
        self.restore_button.hide()
        self.restore_button.setEnabled(True)
        self._opened(store, passphrase)

    def _restore_failed(self, error: BaseException) -> None:
        self.restore_button.setEnabled(True)
        name = type(error).__name__
        if name in ("WrongPassphrase", "UnlockThrottled"):
            self._failed(error)
            return
        log.warning("restore failed: %s", name)
        self.restore_button.hide()
        self.status.setText("The copy could not be restored either. Contact your IT service desk; do not "
                            "reset the store.")

    # --- retry countdown ------------------------------------------------------------------------
    def _start_wait(self, seconds: float | None) -> None:
        seconds = float(seconds or 0)
        if seconds <= 0:
            self.status.clear()
            return
        self._wait_until = time.monotonic() + seconds
        self.unlock_button.setEnabled(False)
        self._countdown.start()
        self._tick()

    def _waiting(self) -> bool:
        return time.monotonic() < self._wait_until

    def remaining_seconds(self) -> int:
        return max(0, math.ceil(self._wait_until - time.monotonic()))

    def _tick(self) -> None:
        left = self.remaining_seconds()
        if left <= 0:
            self._countdown.stop()
            self.unlock_button.setEnabled(True)
            self.status.setText("You can try again now.")
            return
        unit = "second" if left == 1 else "seconds"
        self.status.setText(f"You can try again in {left} {unit}.")
