"""Settings: your details, passphrase, auto-lock time (never above the policy's ceiling), and versions.

Why: details change (a new role, a new school); the passphrase should be changeable without losing
work (the store re-keys); the auto-lock can only be made stricter than IT's policy. The "about" lines
help IT answer "which version are you on?" without looking at any personal data.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Signal, qVersion
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from referral_desktop import __version__ as app_version
from referral_desktop.ui.accessibility import StatusLabel, protect_password
from referral_desktop.ui.app_context import AppContext
from referral_desktop.ui.notifications import notifications_enabled, set_notifications_enabled
from referral_desktop.ui.theme import heading
from referral_desktop.ui.wheel_guard import GuardedSpinBox
from referral_desktop.ui.widgets.labelled_field import LabelledField, say_errors
from referral_desktop.ui.widgets.profile_form import ProfileForm
from referral_desktop.ui.widgets.scroll_page import ScrollPage

log = logging.getLogger(__name__)


def sqlcipher_version(store: Any = None) -> str:
    """``PRAGMA cipher_version`` (of an in-memory database, so no key is needed)."""
    try:
        import sqlcipher3

        connection = sqlcipher3.connect(":memory:")
        try:
            row = connection.execute("PRAGMA cipher_version").fetchone()
        finally:
            connection.close()
        return str(row[0]) if row else "unknown"
    except Exception as exc:
        log.info("cipher version unavailable: %s", type(exc).__name__)
        return "unknown"


def form_version() -> str:
    try:
        from referral_desktop.domain.form_catalog import latest_form

        return latest_form("cwac-marf").version
    except Exception as exc:
        log.info("form version unavailable: %s", type(exc).__name__)
        return "unknown"


def about_lines(cipher: str) -> list[str]:
    return [
        f"Referral Desktop {app_version}",
        f"Qt {qVersion()} (PySide6 {pyside_version}), Python {sys.version.split()[0]}",
        f"SQLCipher {cipher}",
        f"Referral form version {form_version()}",
    ]


class SettingsScreen(ScrollPage):
    back_requested = Signal()
    auto_lock_changed = Signal(int)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, max_width=720)
        self.setObjectName("settingsScreen")
        self.context = context
        top = QHBoxLayout()
        title = QLabel("Settings")
        heading(title)
        top.addWidget(title, 1)
        back = QPushButton("Back to referrals", objectName="settingsBack")
        back.clicked.connect(self.back_requested)
        top.addWidget(back)
        self.column.addLayout(top)
        self.setFocusProxy(back)  # focus on opening: the page's first control, not the page (an unnamed filler)

        self._section("Your details", "Used to fill in 'About you' in new referrals.")
        self.profile_form = ProfileForm()
        self.column.addWidget(self.profile_form)
        self.profile_status = StatusLabel(objectName="profileStatus")  # read out as it changes
        self.save_profile = QPushButton("Save your details", objectName="saveSettingsProfile")
        self.save_profile.clicked.connect(self._save_profile)
        self._button_row(self.save_profile, self.profile_status)

        self._section("Passphrase", "Changing it re-encrypts the store. Nothing is lost.")
        self.old_pass = QLineEdit(objectName="oldPassphrase", echoMode=QLineEdit.EchoMode.Password)
        protect_password(self.old_pass)
        self.new_pass = QLineEdit(objectName="newPassphrase", echoMode=QLineEdit.EchoMode.Password)
        protect_password(self.new_pass)
        self.new_pass2 = QLineEdit(objectName="newPassphrase2", echoMode=QLineEdit.EchoMode.Password)
        protect_password(self.new_pass2)
        self.old_row = LabelledField("Current passphrase", self.old_pass)
        self.new_row = LabelledField("New passphrase", self.new_pass, "At least 12 characters; three random words work well.")
        self.new2_row = LabelledField("Type the new passphrase again", self.new_pass2)
        for row in (self.old_row, self.new_row, self.new2_row):
            self.column.addWidget(row)
        self.pass_status = StatusLabel(objectName="passphraseStatus")
        self.change_button = QPushButton("Change passphrase", objectName="changePassphrase")
        self.change_button.clicked.connect(self._change_passphrase)
        self._button_row(self.change_button, self.pass_status)

        ceiling = context.auto_lock_ceiling()
        self._section("Auto-lock", f"Your organisation allows at most {ceiling} minutes.")
        self.auto_lock = GuardedSpinBox()
        self.auto_lock.setObjectName("autoLockMinutes")
        self.auto_lock.setRange(1, ceiling)
        self.auto_lock.setSuffix(" minutes")
        self.auto_lock.setValue(context.auto_lock_minutes())
        self.column.addWidget(LabelledField("Lock after this long without use", self.auto_lock))
        self.auto_lock.valueChanged.connect(self._auto_lock_chosen)

        self._section(
            "Notifications",
            "When iART acknowledges a referral, asks for more information or decides, and when a document or a "
            "reply you sent could not reach iART, the app tells you in the notification area, even when its "
            "window is hidden. Only the iART reference is shown.",
        )
        self.notifications = QCheckBox("Show notifications about your referrals", objectName="notificationsEnabled")
        self.notifications.setChecked(notifications_enabled(context.settings))
        self.notifications.toggled.connect(lambda on: set_notifications_enabled(context.settings, on))
        self.column.addWidget(self.notifications)

        self._section("About", "")
        self.about = QLabel("\n".join(about_lines("…")), objectName="aboutText")
        self.about.setWordWrap(True)
        self.column.addWidget(self.about)

    def _section(self, text: str, hint: str) -> None:
        label = QLabel(text)
        heading(label, 2)
        self.column.addWidget(label)
        if hint:
            hint_label = QLabel(hint)
            hint_label.setWordWrap(True)
            self.column.addWidget(hint_label)

    def _button_row(self, button: QPushButton, status: QLabel) -> None:
        row = QHBoxLayout()
        row.addWidget(button)
        status.setWordWrap(True)
        row.addWidget(status, 1)
        self.column.addLayout(row)

    def load(self) -> None:
        runner = self.context.runner
        runner.run_with_store(lambda store: store.profile.get()).owned_by(self).success(
            lambda p: self.profile_form.set_values(dict(p or {}))
        ).failure(lambda e: self.profile_status.setText("Your details could not be read."))
        runner.run(sqlcipher_version).owned_by(self).success(lambda v: self.about.setText("\n".join(about_lines(v))))

    def _save_profile(self) -> None:
        if not self.profile_form.check():
            return
        values = self.profile_form.values()
        self.context.runner.run_with_store(lambda store: store.profile.set(values)).owned_by(self).success(
            lambda _r: self._profile_status("Saved.")
        ).failure(lambda e: self._profile_status("Your details could not be saved. Try again."))

    def _profile_status(self, text: str) -> None:
        self.profile_status.clear()  # said again when saved again
        self.profile_status.setText(text)

    def _change_passphrase(self) -> None:
        old, new, again = self.old_pass.text(), self.new_pass.text(), self.new_pass2.text()
        from referral_desktop.ui.profile_gateway import ProfileGateway

        problems = ProfileGateway(self.context.profile_dir, self.context.clock).passphrase_problems(new)
        if say_errors([(self.old_row, "" if old else "Enter your current passphrase"),
                       (self.new_row, problems[0] if problems else ""),
                       (self.new2_row, "" if new == again else "The new passphrases do not match")]):
            return
        self.change_button.setEnabled(False)
        self.pass_status.setText("Re-encrypting…")
        self.context.runner.run_with_store(lambda store: store.change_passphrase(old, new)).owned_by(self).success(
            self._changed
        ).failure(self._change_failed)

    def _changed(self, _result: Any) -> None:
        for edit in (self.old_pass, self.new_pass, self.new_pass2):
            edit.clear()
        self.change_button.setEnabled(True)
        self.pass_status.setText("Passphrase changed. Use the new one next time.")

    def _change_failed(self, error: BaseException) -> None:
        self.change_button.setEnabled(True)
        self.pass_status.clear()
        if type(error).__name__ in ("WrongPassphrase", "UnlockThrottled"):
            say_errors([(self.old_row, "The current passphrase is not right")])
            self.old_pass.selectAll()  # typed again from scratch, as on the unlock screen
        elif reasons := getattr(error, "reasons", None):
            say_errors([(self.new_row, str(list(reasons)[0]))])
        else:
            log.warning("passphrase change failed: %s", type(error).__name__)
            self.pass_status.setText("The passphrase could not be changed. Try again.")

    def _auto_lock_chosen(self, minutes: int) -> None:
        self.context.set_auto_lock_minutes(minutes)
        self.auto_lock_changed.emit(self.context.auto_lock_minutes())
