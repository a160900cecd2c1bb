"""The confirmation page after "Send referral": what happened, iART's reference, what happens next.

Why: a status bar message that vanishes after 15 s ("Referral queued") left people unsure whether the
referral had gone, so some phoned iART and some sent it again. GOV.UK ends a transaction with a
confirmation page; this one tells the truth at each moment and updates itself as the sender reports:

* received by iART: a green panel "Referral sent" with the iART reference in large type, when iART
  received it and when their decision is expected (the end of the next working day);
* not sent yet (offline, or the server busy): a panel "Referral saved and waiting to send" that says why
  and when the next attempt is, and that it will go by itself; if IT must act, it says so;
* always: who to phone if the situation changes (999 first, then whoever is open now), and a link to
  the referral's own page.
"""

from __future__ import annotations

import html
import logging
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from referral_desktop.ui.accessibility import announce
from referral_desktop.ui.app_context import AppContext
from referral_desktop.ui.display_format import format_datetime
from referral_desktop.ui.documents_status import document_lines, load_documents
from referral_desktop.ui.editor.link_button import LinkButton
from referral_desktop.ui.referral_states import state_value
from referral_desktop.ui.screens.who_to_call import open_services, services_html
from referral_desktop.ui.theme import heading
from referral_desktop.ui.waiting_reason import for_it_text, needs_it, waiting_text
from referral_desktop.ui.widgets.scroll_page import ScrollPage

log = logging.getLogger(__name__)

RECEIVED_STATES = frozenset({"received", "acknowledged", "info_requested", "decided", "purged"})


def load_confirmation(store: Any, referral_id: str) -> dict[str, Any]:
    """The referral's state, reference and dates, and its outbox entry (store thread). No answers leave."""
    referral = store.referrals.get(referral_id)
    return {
        "state": state_value(referral.state),
        "reference": referral.iart_reference,
        "initials": referral.child_initials,
        "received_at": referral.received_at,
        "decision_due": referral.decision_due,
        "rejected": bool(getattr(referral, "rejection_reasons", None)),
        "entry": store.outbox.get(referral_id),
        **load_documents(store, referral_id),
    }


class SentConfirmationScreen(ScrollPage):
    view_requested = Signal(str)  # referral id
    back_requested = Signal()
    title_changed = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, max_width=760)
        self.setObjectName("sentConfirmation")
        self.context = context
        self.referral_id = ""
        self.panel = QFrame(objectName="confirmationPanel")
        panel_layout = QVBoxLayout(self.panel)
        panel_layout.setContentsMargins(24, 20, 24, 20)
        self.panel_title = QLabel(objectName="confirmationTitle")
        heading(self.panel_title, 1)
        self.panel_title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.panel_body = QLabel(objectName="confirmationBody")
        self._reference: str | None = None  # the iART reference in the panel (HTML-escaped), if shown
        self._services: list[tuple[str, str, str, str, str]] | None = None  # the numbers to phone, once shown
        self._sizes_timer = QTimer(self, singleShot=True, interval=0)
        self._sizes_timer.timeout.connect(self._show_sizes_again)
        self.panel_body.setWordWrap(True)
        self.panel_body.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.panel_body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                                | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        panel_layout.addWidget(self.panel_title)
        panel_layout.addWidget(self.panel_body)
        self.column.addWidget(self.panel)
        next_title = QLabel("What happens next")
        heading(next_title, 2)
        self.column.addWidget(next_title)
        self.next_text = QLabel(objectName="whatHappensNext")
        self.next_text.setWordWrap(True)
        self.column.addWidget(self.next_text)
        change_title = QLabel("If the situation changes")
        heading(change_title, 2)
        self.column.addWidget(change_title)
        self.phone_text = QLabel(objectName="whoToPhone")
        self.phone_text.setWordWrap(True)
        self.phone_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.column.addWidget(self.phone_text)
        self.view_link = LinkButton("View this referral", accessible_name="View this referral")
        self.view_link.setObjectName("viewReferral")
        self.view_link.clicked.connect(lambda: self.view_requested.emit(self.referral_id))
        self.column.addWidget(self.view_link)
        row = QHBoxLayout()
        self.back_button = QPushButton("Back to your referrals", objectName="confirmationBack")
        self.back_button.clicked.connect(self.back_requested)
        row.addWidget(self.back_button)
        # Given focus as it opens (the window gives a new screen focus), the page passes it to its action:
        # a screen reader said "filler" twice for the unnamed page and its scroll area before the button.
        self.setFocusProxy(self.back_button)
        row.addStretch(1)
        self.column.addLayout(row)
        context.sync_events.state_changed.connect(self._state_changed)
        self.state = ""
        self._announced_title = ""

    def _state_changed(self, referral_id: str, _state: str) -> None:
        if referral_id == self.referral_id:
            self.load(referral_id)

    def load(self, referral_id: str) -> None:
        self.referral_id = referral_id
        self.context.runner.run_with_store(load_confirmation, referral_id).owned_by(self).success(
            self.show_confirmation
        ).failure(lambda e: log.warning("confirmation not loaded: %s", type(e).__name__))

    def _panel_style(self, received: bool) -> None:
        if received:  # GOV.UK's confirmation panel: white on green (#00703c, 5.9:1)
            self.panel.setStyleSheet("QFrame#confirmationPanel { background: #00703c; }"
                                     "QFrame#confirmationPanel QLabel { color: #ffffff; }")
        else:
            self.panel.setStyleSheet("QFrame#confirmationPanel { border: 4px solid palette(window-text); }")

    def _show_reference(self) -> None:
        """Twice the text's size at any text size (a fixed 24 pt was no larger than the text at 200 %); it
        fits the panel's line at 1366 px and 200 %, and wraps at its hyphens only in a narrower window."""
        points = 2 * self.panel_body.font().pointSizeF()
        self.panel_body.setText(f"Your iART reference is<br><span style='font-size:{points:.0f}pt; "
                                f"font-weight:bold'>{self._reference}</span>")

    def _show_phone_numbers(self) -> None:
        if self._services is None:
            return
        self.phone_text.setText(
            "If you think a child is in immediate danger, or the situation changes before iART decides, "
            "phone now:" + services_html(self._services, large=False, base_points=self.phone_text.font().pointSizeF())
        )

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        """The text size changed while open (ui/text_size.py): the reference twice the new size, the numbers
        to phone sized over it. (Qt's rich text takes no size relative to the label's: "200%" was the
        text's own size.)"""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "_sizes_timer"):
            self._sizes_timer.start()  # once the labels inside have their new font too

    def _show_sizes_again(self) -> None:
        if self._reference is not None:
            self._show_reference()
        self._show_phone_numbers()

    def show_confirmation(self, info: dict[str, Any]) -> None:
        self._reference = None
        state = info["state"]
        self.state = state
        now = self.context.clock()
        received = state in RECEIVED_STATES
        self._panel_style(received)
        who = f" for {html.escape(info['initials'])}" if info.get("initials") else ""
        if received:
            documents = info.get("documents")
            if documents is None or documents.complete:
                self.panel_title.setText("Referral sent")
            elif documents.waiting:  # not called sent while a document is still going
                self.panel_title.setText("Referral received; documents still being sent")
            else:
                self.panel_title.setText("Referral received without all its documents")
            self._reference = html.escape(info["reference"] or "")
            self._show_reference()
            due = info.get("decision_due")
            lines = [f"iART received your referral{who} on {format_datetime(info['received_at'])}."]
            lines += document_lines(info)
            if due is not None:
                lines.append(f"They aim to decide by <b>{format_datetime(due)}</b> (the end of the next working "
                             f"day). Their decision will show on your list of referrals.")
            lines.append("Quote the reference if you phone iART about this child.")
            said = f"Your iART reference is {info['reference'] or ''}."
            if due is not None:
                said += f" They aim to decide by {format_datetime(due)}."
        elif state == "draft" and info.get("rejected"):
            self.panel_title.setText("iART returned this referral")
            self.panel_body.setText("It needs changes before it can be accepted.")
            lines = ["Open the referral to see iART's reasons, fix the answers and send it again."]
            said = f"{self.panel_body.text()} {lines[0]}"
        else:
            entry = info.get("entry")
            code = getattr(entry, "last_error_code", None)
            self.panel_title.setText("Sending your referral to iART" if state == "sending"  # not "waiting"
                                     else "Cannot send: IT must check" if needs_it(code)
                                     else "Referral saved and waiting to send")
            # Not "has not reached iART": after a timeout or a dropped answer iART may hold it already (the
            # next attempt gets the same reference); what is known is that iART has not confirmed it.
            self.panel_body.setText("It is stored encrypted on this computer. iART has not confirmed receiving it yet.")
            online = getattr(self.context.sync_worker, "online", None)
            waiting = waiting_text(entry, online, now, state)
            said = f"{self.panel_body.text()} {waiting}"
            lines = [html.escape(waiting),
                     "You do not need to send it again. Keep Referral Desktop open, or open it again later: "
                     "this page and your list of referrals show iART's reference once it arrives."]
            if needs_it(code) and state != "sending":  # what IT should check, not only that IT must
                lines.append(html.escape(for_it_text(self.context.sync_worker)))
        self.next_text.setText("<br><br>".join(lines))
        self._services = open_services(self.context)
        self._show_phone_numbers()
        self.panel_title.setAccessibleName(self.panel_title.text())
        self.title_changed.emit(self.panel_title.text())
        self._announce(f"{self.panel_title.text()}. {said}")

    def _announce(self, text: str) -> None:
        """Say what happened when the page shows it, and again only when the panel's title changes (waiting
        to sent): after "Send referral" focus is on "Back to your referrals", and a screen reader said only
        that button. No initials: only the title, the reference, the decision due and why it waits."""
        title = self.panel_title.text()
        if title != self._announced_title:
            self._announced_title = title
            announce(self, text)
