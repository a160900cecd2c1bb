"""First run: choose a passphrase (rules explained as you type), then the referrer profile.

Why: the passphrase is the only key to the encrypted store and cannot be recovered, so the rules are
shown while typing rather than after a refusal; the profile pre-fills "About you" in every referral.
Creating the store derives a key (~200 ms) on the store thread, never on the GUI thread.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from referral_desktop.ui.accessibility import StatusLabel, protect_password, set_description
from referral_desktop.ui.app_context import AppContext
from referral_desktop.ui.profile_gateway import EARLIER_COPIES_HINT, ProfileGateway
from referral_desktop.ui.theme import heading, primary
from referral_desktop.ui.widgets.labelled_field import LabelledField, say_errors
from referral_desktop.ui.widgets.profile_form import ProfileForm
from referral_desktop.ui.widgets.scroll_page import ScrollPage

if TYPE_CHECKING:
    from referral_desktop.ui.screens.missing_store import MissingStorePage

log = logging.getLogger(__name__)

ADVICE = (
    "Your referrals are kept on this computer in an encrypted store. Choose a passphrase of at least 12 "
    "characters: three random words, like 'lantern orbit meadow', work well. Nobody, not even IT, can "
    "recover it if you forget it."
)


SET_UP_TITLE = "Set up Referral Desktop"
MISSING_TITLE = "Your store file is missing"


class FirstRunScreen(QWidget):
    """Emits ``finished`` once the store exists and the profile is saved (the store is then open)."""

    finished = Signal()
    title_changed = Signal(str)  # the missing-store page and the set-up pages have different names

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.gateway = ProfileGateway(context.profile_dir, context.clock)
        self.pages = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.pages)
        self._build_passphrase_page()
        self._build_profile_page()
        self.window_title = ""  # the class's title ("Set up Referral Desktop") unless a copy is offered
        self.missing_page: MissingStorePage | None = None  # shown when store.db is missing, copies left
        self._offer_missing_store_copy()
        self._rules_timer = QTimer(self, singleShot=True, interval=150)
        self._rules_timer.timeout.connect(self._explain_rules)

    # --- page 1: passphrase ---------------------------------------------------------------------
    def _build_passphrase_page(self) -> None:
        page = ScrollPage()
        title = QLabel(SET_UP_TITLE)
        heading(title)
        page.column.addWidget(title)
        self.intro = QLabel(ADVICE)
        self.intro.setWordWrap(True)
        page.column.addWidget(self.intro)
        self.passphrase = QLineEdit(objectName="passphrase", echoMode=QLineEdit.EchoMode.Password)
        protect_password(self.passphrase)
        self.passphrase_row = LabelledField("Choose a passphrase", self.passphrase,
                                            "At least 12 characters. Avoid common phrases and names.")
        page.column.addWidget(self.passphrase_row)
        self.rules = StatusLabel(objectName="passphraseRules")  # read as shown, announced as it changes
        self.rules.setWordWrap(True)
        page.column.addWidget(self.rules)
        self.confirm = QLineEdit(objectName="confirmPassphrase", echoMode=QLineEdit.EchoMode.Password)
        protect_password(self.confirm)
        self.confirm_row = LabelledField("Type the passphrase again", self.confirm)
        page.column.addWidget(self.confirm_row)
        buttons = QHBoxLayout()
        self.create_button = QPushButton("Create encrypted store", objectName="createStore")
        primary(self.create_button)
        self.create_button.setDefault(True)
        buttons.addWidget(self.create_button)
        self.create_buttons = QHBoxLayout()
        buttons.addLayout(self.create_buttons)
        buttons.addStretch(1)
        page.column.addLayout(buttons)
        self.status = StatusLabel(objectName="firstRunStatus")  # "could not be created": said as shown
        self.status.setWordWrap(True)
        page.column.addWidget(self.status)
        self.passphrase.textChanged.connect(lambda _t: self._rules_timer.start())
        self.passphrase.returnPressed.connect(self.confirm.setFocus)
        self.confirm.returnPressed.connect(self._create)
        self.create_button.clicked.connect(self._create)
        self._explain_rules_text([])
        self.pages.addWidget(page)

    def _explain_rules(self) -> None:
        text = self.passphrase.text()
        self._explain_rules_text(self.gateway.passphrase_problems(text) if text else [])

    def _explain_rules_text(self, problems: list[str]) -> None:
        if not self.passphrase.text():
            self.rules.setText("As you type, this says whether the passphrase is strong enough.")
        elif problems:
            self.rules.setText("Not yet:\n" + "\n".join(f"✗ {p}" for p in problems))
        else:
            self.rules.setText("✓ This passphrase is strong enough.")
        set_description(self.passphrase, self.rules.text())  # behind an error shown for it ("Error: ...")

    def _create(self) -> None:
        passphrase, confirm = self.passphrase.text(), self.confirm.text()
        problems = self.gateway.passphrase_problems(passphrase)
        mismatch = "" if passphrase == confirm else "The passphrases do not match. Type the same passphrase twice"
        # Focus goes to the first field in error and the error is said: Enter in the second field leaves
        # focus there, where its changed description alone is never read out.
        if say_errors([(self.passphrase_row, problems[0] if problems else ""),
                       (self.confirm_row, mismatch if not problems else "")]):
            return
        self.create_button.setEnabled(False)
        self.status.setText("Creating the encrypted store…")
        self.context.runner.run(self.gateway.create, passphrase).success(
            lambda store: self._created(store, passphrase)
        ).failure(self._create_failed)

    def _created(self, store: object, passphrase: str) -> None:
        self.context.runner.store = store
        self.context.passphrase_accepted(passphrase)
        self.passphrase.clear()
        self.confirm.clear()
        self.status.clear()
        self.pages.setCurrentIndex(1)
        self.profile_form.inputs["referrer_name"].setFocus()

    def _create_failed(self, error: BaseException) -> None:
        self.create_button.setEnabled(True)
        reasons = getattr(error, "reasons", None)
        if reasons:
            self.status.clear()
            say_errors([(self.passphrase_row, str(list(reasons)[0]))])
        else:
            log.warning("store creation failed: %s", type(error).__name__)
            self.status.setText("The store could not be created. Check there is free disk space, then try again.")

    # --- before page 1, when store.db is missing but copies of it exist ---------------------------
    def _offer_missing_store_copy(self) -> None:
        taken = self.gateway.missing_store_copy_time()
        if taken is None:
            return
        from referral_desktop.ui.screens.missing_store import MissingStorePage

        page = MissingStorePage(self.context, taken)
        self.missing_page = page
        page.restored.connect(self.finished)  # the copy holds the profile already
        page.start_again.connect(self._start_again)
        self.pages.addWidget(page)
        self.intro.setText(ADVICE + " Creating the new store moves the copies of your earlier store to "
                           f"{self.context.profile_dir / EARLIER_COPIES_HINT}: they are kept, not deleted.")
        back = QPushButton("Back to restoring the copy", objectName="backToCopy")
        back.clicked.connect(lambda: self._show_missing_page(page))
        self._show_missing_page(page)
        self.create_buttons.addWidget(back)

    def _show_missing_page(self, page: QWidget) -> None:
        self.pages.setCurrentWidget(page)
        self.setFocusProxy(page)
        page.setFocus()
        self.window_title = MISSING_TITLE
        self.title_changed.emit(MISSING_TITLE)

    def _start_again(self) -> None:
        self.window_title = SET_UP_TITLE
        self.title_changed.emit(SET_UP_TITLE)
        self.pages.setCurrentIndex(0)
        self.setFocusProxy(self.passphrase)
        self.passphrase.setFocus()

    # --- page 2: profile ------------------------------------------------------------------------
    def _build_profile_page(self) -> None:
        page = ScrollPage()
        title = QLabel("About you")
        heading(title)
        page.column.addWidget(title)
        intro = QLabel("iART does not accept anonymous referrals. These details fill in 'About you' in "
                       "each new referral; you can change them there or in Settings.")
        intro.setWordWrap(True)
        page.column.addWidget(intro)
        self.profile_form = ProfileForm()
        page.column.addWidget(self.profile_form)
        row = QHBoxLayout()
        self.save_profile_button = QPushButton("Save and continue", objectName="saveProfile")
        primary(self.save_profile_button)
        row.addWidget(self.save_profile_button)
        row.addStretch(1)
        page.column.addLayout(row)
        self.save_profile_button.clicked.connect(self._save_profile)
        self.pages.addWidget(page)

    def _save_profile(self) -> None:
        if not self.profile_form.check():
            return
        values = self.profile_form.values()
        self.save_profile_button.setEnabled(False)
        self.context.runner.run_with_store(lambda store: store.profile.set(values)).success(
            lambda _r: self.finished.emit()
        ).failure(self._profile_failed)

    def _profile_failed(self, error: BaseException) -> None:
        self.save_profile_button.setEnabled(True)
        log.warning("profile save failed: %s", type(error).__name__)
        say_errors([(self.profile_form.rows["referrer_name"], "Your details could not be saved. Try again.")])
