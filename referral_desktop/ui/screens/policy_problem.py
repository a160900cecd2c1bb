"""Shown in place of the unlock screen when the deployment policy cannot be used.

Why: the policy is read after the first paint (start-up speed), and an app opened from a desktop icon
has no console, so a policy IT installed but the app cannot use must be explained on screen: which
setting, in which file, and who to tell. No referral is opened under defaults the deployment did not
choose; quitting from here ends the app with status 1, as the command line expects.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from referral_desktop.ui.accessibility import announce
from referral_desktop.ui.app_context import AppContext
from referral_desktop.ui.screens.who_to_call import WhoToCallPanel
from referral_desktop.ui.theme import heading
from referral_desktop.ui.widgets.scroll_page import ScrollPage


class PolicyProblemScreen(ScrollPage):
    quit_requested = Signal()

    def __init__(self, context: AppContext, message: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, max_width=640)
        self.setObjectName("policyProblem")
        title = QLabel("Referral Desktop cannot start")
        heading(title)
        self.column.addWidget(title)
        intro = QLabel(
            "The settings your IT team installed on this computer (the deployment policy) cannot be used, "
            "so Referral Desktop will not open your referrals. Nothing has been changed or lost: drafts and "
            "referrals waiting to send stay safely on this computer."
        )
        intro.setWordWrap(True)
        self.column.addWidget(intro)
        self.details = QLabel(message, objectName="policyProblemDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                             | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.details.setAccessibleName("What is wrong with the policy")
        self.column.addWidget(self.details)
        advice = QLabel(
            "Please tell your IT service desk and quote the message above. If you are worried that a child "
            "may be at risk of harm now, do not wait for the app — telephone:"
        )
        advice.setWordWrap(True)
        self.column.addWidget(advice)
        # The bundled contacts and hours (the policy's overrides are what cannot be read); 999 always.
        self.who_to_call = WhoToCallPanel(context)
        self.who_to_call.all_button.hide()
        self.column.addWidget(self.who_to_call)
        row = QHBoxLayout()
        self.quit_button = QPushButton("Quit", objectName="policyProblemQuit")
        self.quit_button.setDefault(True)
        self.quit_button.clicked.connect(self.quit_requested)
        row.addWidget(self.quit_button)
        row.addStretch(1)
        self.column.addLayout(row)
        self.setFocusProxy(self.quit_button)
        # Focus is on Quit: said alone, it told a screen-reader user nothing of why, whom to tell or whom to
        # phone. The page is announced once when shown (as the missing-store page is), and Quit says why.
        self.quit_button.setAccessibleDescription("Referral Desktop cannot start: the deployment policy cannot "
                                                  "be used. Tell your IT service desk.")
        self._heard = " ".join((title.text() + ".", intro.text(), message, advice.text(),
                                self.who_to_call.services.accessibleName() + "."))
        self._announced = False

    def showEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().showEvent(event)
        if not self._announced:
            self._announced = True
            announce(self, self._heard, assertive=True)
