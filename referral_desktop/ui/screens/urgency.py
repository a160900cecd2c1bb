"""New referral, step one: is a child in immediate danger? If so, phone first — before any form.

Why: the council's guidance says the online route must not be used where a child's immediate safety is
at risk. "Yes" shows who to call now in large type; the professional can record the call (when, to
whom, the reference given) and carry on to write it up, which is normal practice. The answers chosen
here become the first answers of the new draft, with "About you" pre-filled from the profile.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, cast

from PySide6.QtCore import QDateTime, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from referral_desktop.ui.app_context import AppContext
from referral_desktop.ui.display_format import uk_local
from referral_desktop.ui.screens.who_to_call import WhoToCallPanel
from referral_desktop.ui.theme import heading, primary
from referral_desktop.ui.wheel_guard import GuardedComboBox, GuardedDateTimeEdit
from referral_desktop.ui.widgets.button_row import ButtonRow
from referral_desktop.ui.widgets.labelled_field import LabelledField
from referral_desktop.ui.widgets.radio_keys import ArrowKeysChoose
from referral_desktop.ui.widgets.scroll_page import ScrollPage

log = logging.getLogger(__name__)

FORM_ID = "cwac-marf"
# Field ids of the phone-call record in the form definition (Before you start section).
IMMEDIATE_DANGER = "immediate_danger"
PHONE_MADE = "phone_referral_made"
PHONE_WHEN = "phone_referral_datetime"
PHONE_SERVICE = "phone_referral_service"
PHONE_PERSON = "phone_referral_contact_name"
PHONE_REFERENCE = "phone_referral_reference"
# "Have you discussed this with iART?": a call to iART recorded here is that discussion.
IART_DISCUSSED = "iart_discussed"
IART_WHEN = "iart_discussion_datetime"
IART_WORKER = "iart_worker_name"
FALLBACK_SERVICES = (("iart", "iART (Integrated Access and Referral Team)"), ("edt", "Emergency Duty Team"),
                     ("police", "999 or the police"), ("other", "Another service"))


def phone_services() -> list[tuple[str, str]]:
    """The 'who did you phone' options, from the form definition (so codes always match)."""
    try:
        from referral_desktop.domain.form_catalog import latest_form
        from referral_desktop.domain.form_definition import Field

        form = latest_form(FORM_ID)
        field = form.find(PHONE_SERVICE)
        options = form.options_for(field) if isinstance(field, Field) else []
        if options:
            return [(o.code, o.label) for o in options]
    except Exception as exc:
        log.warning("form options unavailable: %s", type(exc).__name__)
    return list(FALLBACK_SERVICES)


def initial_answers(immediate_danger: str, call: dict[str, str] | None, profile: dict[str, Any]) -> dict[str, Any]:
    """The first answers of a new draft: triage, the call if one was made, and 'About you'."""
    answers: dict[str, Any] = {IMMEDIATE_DANGER: immediate_danger}
    if call:
        answers.update({PHONE_MADE: "yes", PHONE_WHEN: call["when"], PHONE_SERVICE: call["service"]})
        if call.get("person"):
            answers[PHONE_PERSON] = call["person"]
        if call.get("reference"):
            answers[PHONE_REFERENCE] = call["reference"]
        if call["service"] == "iart":  # the same conversation: not asked for twice
            answers.update({IART_DISCUSSED: "yes", IART_WHEN: call["when"]})
            if call.get("person"):
                answers[IART_WORKER] = call["person"]
    for key, value in (profile or {}).items():
        if key.startswith("referrer_") and value:
            answers[key] = value
    if profile and "referrer_type" not in answers:
        answers["referrer_type"] = "professional"
    return answers


class UrgencyScreen(QWidget):
    """Emits ``start_draft(answers)`` to create the draft and open the editor, or ``cancelled``."""

    start_draft = Signal(dict)
    cancelled = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("urgencyScreen")
        self.context = context
        self.profile: dict[str, Any] = {}
        self.pages = QStackedWidget(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self._build_question()
        self._build_call_page()
        context.runner.run_with_store(lambda store: store.profile.get()).owned_by(self).success(self._got_profile).failure(
            lambda e: log.warning("profile not read: %s", type(e).__name__)
        )

    def _got_profile(self, profile: dict | None) -> None:
        self.profile = dict(profile or {})

    # --- the question ---------------------------------------------------------------------------
    def _build_question(self) -> None:
        page = ScrollPage()
        title = QLabel("New referral")
        heading(title)
        page.column.addWidget(title)
        question = QLabel("Is any child in immediate danger, or at risk of significant harm right now?")
        heading(question, 2)
        page.column.addWidget(question)
        hint = QLabel("If so, do not use this form first: phone. You can write the referral up afterwards.")
        hint.setWordWrap(True)
        page.column.addWidget(hint)
        self.yes = QRadioButton("Yes", objectName="urgentYes")
        self.no = QRadioButton("No", objectName="urgentNo")
        self.group = QButtonGroup(self)
        for button in (self.yes, self.no):
            button.setAccessibleDescription(question.text())
            self.group.addButton(button)
            page.column.addWidget(button)
        ArrowKeysChoose(self.group)
        self.question_error = QLabel(objectName="urgencyError")
        self.question_error.setProperty("role", "error")
        self.question_error.setVisible(False)
        page.column.addWidget(self.question_error)
        row = QHBoxLayout()
        self.continue_button = QPushButton("Continue", objectName="urgencyContinue")
        primary(self.continue_button)
        self.continue_button.setDefault(True)
        cancel = QPushButton("Cancel", objectName="urgencyCancel")
        row.addWidget(self.continue_button)
        row.addWidget(cancel)
        row.addStretch(1)
        page.column.addLayout(row)
        self.continue_button.clicked.connect(self._answered)
        cancel.clicked.connect(self.cancelled)
        self.pages.addWidget(page)
        self.setFocusProxy(self.yes)

    def _answered(self) -> None:
        if self.yes.isChecked():
            self.call_panel.refresh()
            self.pages.setCurrentIndex(1)
            # Focus the numbers to call first: a screen reader reads them out (named "Who to call now:
            # ..."); the form to record the call comes after them in Tab order.
            self.call_panel.services.setFocus()
        elif self.no.isChecked():
            self.start_draft.emit(initial_answers("no", None, self.profile))
        else:
            self.question_error.setText("Error: Select yes if any child is in immediate danger")
            self.question_error.setVisible(True)
            self.yes.setFocus()

    # --- phone first ----------------------------------------------------------------------------
    def _build_call_page(self) -> None:
        page = ScrollPage(max_width=900)
        title = QLabel("Phone now — do not wait to write the referral")
        heading(title)
        page.column.addWidget(title)
        self.call_panel = WhoToCallPanel(self.context, large=True)
        self.call_panel.all_button.setVisible(False)
        page.column.addWidget(self.call_panel)
        record = QLabel("After the call: record it")
        heading(record, 2)
        page.column.addWidget(record)
        explain = QLabel("A written referral after a phone call is normal practice. Record the call, then "
                         "continue to write it up.")
        explain.setWordWrap(True)
        page.column.addWidget(explain)
        self.call_when = GuardedDateTimeEdit()
        self.call_when.setObjectName("callWhen")
        self.call_when.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.call_when.setCalendarPopup(False)
        self.call_when_row = LabelledField("When did you call?", self.call_when, "Day/month/year and 24-hour time")
        page.column.addWidget(self.call_when_row)
        self.call_service = GuardedComboBox()
        self.call_service.setObjectName("callService")
        self.call_service.addItem("Choose a service", "")
        for code, label in phone_services():
            self.call_service.addItem(label, code)
        self.call_service_row = LabelledField("Who did you phone?", self.call_service, "The service you spoke to.")
        page.column.addWidget(self.call_service_row)
        self.call_person = QLineEdit(objectName="callPerson")
        page.column.addWidget(LabelledField("Name of the person you spoke to (optional)", self.call_person))
        self.call_reference = QLineEdit(objectName="callReference")
        page.column.addWidget(LabelledField("Reference given (optional)", self.call_reference))
        self.follow_up_button = QPushButton("Continue to the written referral", objectName="writeFollowUp")
        primary(self.follow_up_button)
        later = QPushButton("Back to referrals", objectName="urgencyLater")
        page.column.addWidget(ButtonRow(self.follow_up_button, later))
        self.follow_up_button.clicked.connect(self._follow_up)
        later.clicked.connect(self.cancelled)
        self.pages.addWidget(page)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        now = uk_local(self.context.clock())
        self.call_when.setDateTime(QDateTime(now.year, now.month, now.day, now.hour, now.minute, 0))

    def _follow_up(self) -> None:
        service = self.call_service.currentData()
        self.call_service_row.set_error("" if service else "Select who you phoned")
        if not service:
            self.call_service.setFocus()
            return
        moment = self.call_when.dateTime()
        when = moment.toString("yyyy-MM-ddTHH:mm")
        picked = cast(datetime, moment.toPython())  # a QDateTime's is a datetime; the stubs say object
        if picked > uk_local(self.context.clock()).replace(tzinfo=None, second=59):
            self.call_when_row.set_error("Enter a time in the past")
            self.call_when.setFocus()
            return
        self.call_when_row.set_error("")
        call = {"when": when, "service": service, "person": self.call_person.text().strip(),
                "reference": self.call_reference.text().strip()}
        self.start_draft.emit(initial_answers("yes", call, self.profile))
