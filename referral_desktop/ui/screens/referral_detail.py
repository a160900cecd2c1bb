"""One referral after it has left the editor: what happened to it, when, and what iART said.

Why: after sending, the professional's questions are "did it arrive?", "when will they decide?", "what
did they decide?" and, when iART returned it, "what must I fix?". Each rejection reason links back to
its question in the editor.
"""

from __future__ import annotations

import html
import logging
import math
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from referral_desktop.domain.form_definition import RepeatGroup
from referral_desktop.ui.accessibility import announce
from referral_desktop.ui.app_context import AppContext
from referral_desktop.ui.display_format import format_datetime
from referral_desktop.ui.documents_status import document_lines, load_documents, never_reached_line
from referral_desktop.ui.editor.check_answers import declaration_section
from referral_desktop.ui.iart_refusal_words import MANIFEST_WORDS, is_about_the_manifest, path_and_message
from referral_desktop.ui.receipt_export import RECEIPT_STATES, ReceiptFlow
from referral_desktop.ui.referral_states import (
    AWAITING_DECISION,
    GROUPS,
    NO_REFERENCE,
    outcome_label,
    state_label,
    state_value,
)
from referral_desktop.ui.refused_replies import refused_replies_line
from referral_desktop.ui.removed_drafts import removed_draft_line
from referral_desktop.ui.screens.conversation_panel import ConversationPanel
from referral_desktop.ui.screens.detail_summary import INSET, WARNING, DetailSummary
from referral_desktop.ui.screens.referral_table_model import _is_overdue, state_words
from referral_desktop.ui.screens.reply_documents import load_reply_documents
from referral_desktop.ui.screens.sent_answers import SentAnswers
from referral_desktop.ui.theme import heading
from referral_desktop.ui.waiting_reason import for_it_text, needs_it, waiting_text
from referral_desktop.ui.widgets.empty_layout import empty_layout
from referral_desktop.ui.widgets.page_header import PageHeader
from referral_desktop.ui.widgets.plain_label import plain_label
from referral_desktop.ui.widgets.scroll_page import ScrollPage

log = logging.getLogger(__name__)

WAITING_STATES = GROUPS["waiting"]

EVENT_LABELS = {
    "created": "Started",
    "edited": "Edited",
    "validated": "Checked",
    "queued": "Queued to send",
    "frozen": "Ready to send",
    "sent": "Sent",
    "received": "Received by iART",
    "acknowledged": "Acknowledged by iART",
    "decided": "Decided by iART",
    "rejected": "Returned by iART",
    "exported": "Exported as PDF",
    "purged": "Personal details removed (receipt kept)",
    "message_received": "Message from iART",
    "reply_queued": "Reply queued to send",
    "reply_sent": "Reply sent to iART",
    "reply_refused": "Reply not accepted by iART",
}


def load_detail(store: Any, referral_id: str) -> dict[str, Any]:
    """Everything the screen shows, read on the store thread."""
    referral = store.referrals.get(referral_id)
    try:
        events = list(store.audit.list(referral_id))
    except Exception as exc:
        log.info("no audit for detail: %s", type(exc).__name__)
        events = []
    read_messages = getattr(store.referrals, "messages", None)
    messages = list(read_messages(referral_id)) if callable(read_messages) else []
    outbox = getattr(store, "outbox", None)
    entry = outbox.get(referral_id) if outbox is not None else None
    replies = getattr(store, "replies", None)
    reply_list = list(replies.list(referral_id)) if replies is not None else []
    receipts = getattr(store, "receipts", None)  # after the purge: what it counted of the documents
    receipt = receipts.get(referral_id) if receipts is not None and state_value(referral.state) == "purged" else None
    return {"referral": referral, "events": events, "messages": messages, "outbox": entry, "form": _form_of(referral),
            "replies": reply_list, "receipt": receipt, **load_documents(store, referral_id),
            **load_reply_documents(store, referral_id, reply_list)}


def _check_page_path(form: Any) -> str:
    """A path that opens the editor on its check page (the first declaration's; the editor shows the
    declarations there), or "" (where the draft was left) when the form has none or is not loaded."""
    section = declaration_section(form) if form is not None else None
    fields = [item for item in section.items if not isinstance(item, RepeatGroup)] if section is not None else []
    return fields[0].id if fields else ""


def _form_of(referral: Any) -> Any:
    """The form the referral was written on (for "What you sent"), or None if it cannot be loaded."""
    try:
        from referral_desktop.domain.form_catalog import load_form

        return load_form(referral.form_id, referral.form_version)
    except Exception as exc:  # noqa: BLE001 - the page still shows the rest
        log.info("form for the detail page unavailable: %s", type(exc).__name__)
        return None


#: What the receipt kept after the purge holds (``store/retention.py``): nothing from the form but the
#: child's initials, and counts only.
RECEIPT_HOLDS = ("the iART reference, the child's initials, the dates, the outcome, how many messages were "
                 "exchanged, and how many documents and replies did not reach iART (counts only)")
#: What the page says once iART has decided: the retention rule removes the details, a receipt stays.
RETENTION_TEXT = {
    "decided": "iART has decided. Under the retention policy the referral's details (answers, documents, "
               "messages and any reply you had not sent) will be removed from this computer once everything still on its way to iART has "
               f"arrived; a receipt stays with {RECEIPT_HOLDS}.",
    "purged": "The referral's details (answers, documents, messages and any reply you had not sent) were "
              "removed from this computer under "
              f"the retention policy. This receipt remains: {RECEIPT_HOLDS}.",
}


def _event_time(event: Any) -> Any:
    for name in ("at", "time", "recorded_at", "timestamp", "created_at"):
        value = getattr(event, name, None) if not isinstance(event, dict) else event.get(name)
        if value is not None:
            return value
    return None


def _event_name(event: Any) -> str:
    value = event.get("event") if isinstance(event, dict) else getattr(event, "event", "")
    return str(getattr(value, "value", value) or "")


class ReferralDetailScreen(ScrollPage):
    fix_requested = Signal(str, str)  # referral id, field path
    export_requested = Signal(str)
    back_requested = Signal()
    title_changed = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, max_width=860)
        self.setObjectName("detailScreen")
        self.context = context
        self.referral_id = ""
        self.title = QLabel("Referral")
        heading(self.title)
        # Given focus, the page reads its heading (the page itself is an unnamed "filler" to a screen
        # reader); the heading is no Tab stop, so Tab goes on to "Back to referrals".
        self.setFocusProxy(self.title)
        self.back_button = QPushButton("Back to referrals", objectName="detailBack")
        self.back_button.clicked.connect(self.back_requested)
        self.header = PageHeader(self.title, self.back_button)
        self.column.addWidget(self.header)
        self.summary = DetailSummary()  # the facts, then each warning and note a paragraph of its own
        self.column.addWidget(self.summary)
        self.reasons_box = QWidget(objectName="rejectionReasons")
        self.reasons_layout = QVBoxLayout(self.reasons_box)
        self.reasons_layout.setContentsMargins(0, 0, 0, 0)
        self.column.addWidget(self.reasons_box)
        self.sent_title = QLabel("What you sent")
        heading(self.sent_title, 2)
        self.column.addWidget(self.sent_title)
        self.sent_answers = SentAnswers()
        self.column.addWidget(self.sent_answers)
        timeline_title = QLabel("What has happened")
        heading(timeline_title, 2)
        self.column.addWidget(timeline_title)
        self.timeline = QTextBrowser(objectName="timeline")
        self.timeline.setAccessibleName("Timeline")
        # As tall as its events: a fixed box inside the scrolling page cut the last event in half at 200 %
        # text and needed a scroll bar of its own once there were more than a few.
        self.timeline.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.timeline.document().documentLayout().documentSizeChanged.connect(self._fit_timeline)
        self.column.addWidget(self.timeline)
        self.conversation = ConversationPanel(self.context)  # iART's messages, replies, the reply box
        self.conversation.reply_queued.connect(self.load)
        self.column.addWidget(self.conversation)
        row = QHBoxLayout()
        self.export_button = QPushButton("Export as PDF…", objectName="exportPdf")
        self.export_button.clicked.connect(self._export)
        self.receipt_only = False
        self.receipt_flow: ReceiptFlow | None = None
        self.choose_receipt_path = None  # tests answer the save dialog here
        row.addWidget(self.export_button)
        self.export_status = QLabel(objectName="exportStatus")
        self.export_status.setTextFormat(Qt.TextFormat.PlainText)
        row.addWidget(self.export_status)
        row.addStretch(1)
        self.column.addLayout(row)
        # A status poll can bring a new message (or state) while the screen is open.
        context.sync_events.state_changed.connect(self._state_changed)

    def _export(self) -> None:
        if not self.receipt_only:
            self.export_requested.emit(self.referral_id)  # the full copy, after the warning
            return
        self.receipt_flow = ReceiptFlow(
            self.context.runner, self,
            done=self._receipt_saved, failed=self._receipt_not_saved,
            choose_path=self.choose_receipt_path,
        )
        self.receipt_flow.start(self.referral_id)

    # Written beside the button and announced (focus stays on it, so a screen reader read neither); the
    # announcement leaves out the file's name, which may be anything typed in the save dialog.
    def _receipt_saved(self, path: Path) -> None:
        self.export_status.setText(f"Saved {Path(path).name}.")
        announce(self, "The receipt is saved as a PDF.")

    def _receipt_not_saved(self, message: str) -> None:
        self.export_status.setText(message)
        announce(self, message, assertive=True)

    def _state_changed(self, referral_id: str, _state: str) -> None:
        if referral_id == self.referral_id:
            self.load(referral_id)

    def load(self, referral_id: str) -> None:
        self.referral_id = referral_id
        self.context.runner.run_with_store(load_detail, referral_id).owned_by(self).success(self.show_detail).failure(
            lambda e: self.summary.setText("This referral could not be read.")
        )

    def show_detail(self, detail: dict[str, Any]) -> None:
        referral = detail["referral"]
        self.referral_id = str(referral.id)
        state = state_value(referral.state)
        if state == "draft" and getattr(referral, "rejection_reasons", None):
            state = "rejected"  # returned by iART: a draft again, with reasons to fix
        reference = referral.iart_reference or NO_REFERENCE
        initials = getattr(referral, "child_initials", None)
        who = f"Referral for {initials}" if initials else "Referral"
        decided = bool(referral.outcome or getattr(referral, "decided_at", None))
        # Purged without a decision (the retention period ended first): not "Decided", as the list says.
        said = state_words(state, decided)
        self.title.setText(f"{who} — {said}")
        self.header.fit()
        self.title_changed.emit(who)
        due = referral.decision_due
        overdue = state in AWAITING_DECISION and _is_overdue(due, self.context.clock())
        lines = [
            f"<b>State:</b> {html.escape(said)}",
            f"<b>iART reference:</b> {html.escape(reference)}",
            f"<b>Started:</b> {format_datetime(referral.created_at)}",
        ]
        if referral.sent_at:
            lines.append(f"<b>Sent:</b> {format_datetime(referral.sent_at)}")
        received_at = getattr(referral, "received_at", None)
        if received_at:  # in the receipt's words; it was only in the timeline and on the receipt
            lines.append(f"<b>Received by iART:</b> {format_datetime(received_at)}")
        decided_at = getattr(referral, "decided_at", None)
        if referral.outcome or decided_at:  # beside the outcome, when it was decided; the expected day is past
            if decided_at:
                lines.append(f"<b>Decided:</b> {format_datetime(decided_at)}")
        elif due:
            flag = " — <b>⚠ Overdue</b>: the expected decision time has passed" if overdue else ""
            lines.append(f"<b>Decision expected by:</b> {format_datetime(due)}{flag}")
        # Under the facts, each a paragraph of its own: warnings (GOV.UK warning text), then notes (inset text).
        paragraphs: list[tuple[str, str]] = []
        if state == "info_requested":
            paragraphs.append((WARNING, "<b>iART has asked for more information</b> — see “Conversation with "
                                        "iART” below, where you can reply."))
        if referral.outcome:
            lines.append(f"<b>Outcome:</b> {html.escape(outcome_label(referral.outcome))}")
        if referral.iart_reference:  # "2 of 3 documents sent": not fully sent until they all are
            documents = document_lines(detail)  # the count, then a warning for each document given up on
            lines += documents[:1]
            paragraphs += [(WARNING, line) for line in documents[1:]]
        receipt = detail.get("receipt")  # purged: the receipt's counts of what never reached iART
        paragraphs += [(WARNING, line) for line in (never_reached_line(receipt, reference),
                                                    refused_replies_line(receipt, reference),
                                                    removed_draft_line(receipt, reference)) if line]
        if state in WAITING_STATES:
            online = getattr(self.context.sync_worker, "online", None)
            why = waiting_text(detail.get("outbox"), online, self.context.clock(), state)
            label = "Now" if state == "sending" else "Why it is waiting"  # an attempt under way is not a wait
            paragraphs.append((INSET, f"<b>{label}:</b> {html.escape(why)}"))
            if needs_it(getattr(detail.get("outbox"), "last_error_code", None)) and state != "sending":
                paragraphs.append((INSET, html.escape(for_it_text(self.context.sync_worker))))
        if state in RETENTION_TEXT:
            paragraphs.append((INSET, html.escape(RETENTION_TEXT[state])))
        # After a decision the export is the receipt only (reference, dates, outcome; nothing personal, so no
        # "not encrypted" warning): the answers' copy was a fallback for a referral iART might not get.
        self.receipt_only = state in RECEIPT_STATES
        self.export_button.setText("Save the receipt as PDF…" if self.receipt_only else "Export as PDF…")
        self.summary.show_summary(lines, paragraphs)
        self._show_reasons(referral, detail.get("form"))
        sent = state not in ("draft", "rejected", "purged") and bool(referral.answers) and detail.get("form")
        self.sent_title.setVisible(bool(sent))
        self.sent_answers.setVisible(bool(sent))
        if sent:
            self.sent_answers.show_answers(detail["form"], referral.answers, received=bool(referral.iart_reference))
        self._show_timeline(referral, detail.get("events", []))
        self.conversation.show_conversation(
            self.referral_id, state, detail.get("messages") or [], detail.get("replies") or [],
            detail.get("reply_documents"), detail.get("reply_progress"), detail.get("reply_failures"),
            getattr(receipt, "messages_exchanged", None), decided=decided,
        )

    def _show_reasons(self, referral: Any, form: Any = None) -> None:
        empty_layout(self.reasons_layout)
        reasons = [path_and_message(reason) for reason in getattr(referral, "rejection_reasons", None) or []]
        if not reasons:
            self.reasons_box.setVisible(False)
            return
        self.reasons_box.setVisible(True)
        # iART's refusal of the documents' list is about no answer (``iart_refusal_words``): said in words, with
        # "Send it again", which opens the check page, where Send is and which names the question.
        to_fix = [reason for reason in reasons if not is_about_the_manifest(*reason)]
        title = QLabel("iART returned this referral. Fix these answers, then send it again:" if to_fix
                       else "iART returned this referral:")
        heading(title, 3)
        self.reasons_layout.addWidget(title)
        for path, message in reasons:
            action, target = "Fix", path
            if is_about_the_manifest(path, message):
                action, message, target = "Send it again", MANIFEST_WORDS, _check_page_path(form)
            row = QHBoxLayout()
            label = plain_label(f"• {message}")
            label.setWordWrap(True)
            fix = QPushButton(action, objectName=f"fix_{path}")
            fix.setAccessibleName(f"{action}: {message}")
            fix.clicked.connect(lambda _c=False, p=target: self.fix_requested.emit(self.referral_id, p))
            row.addWidget(label, 1)
            row.addWidget(fix)
            holder = QWidget()
            holder.setLayout(row)
            self.reasons_layout.addWidget(holder)

    def _fit_timeline(self, *_size: Any) -> None:
        margins = self.timeline.contentsMargins()  # the frame
        height = math.ceil(self.timeline.document().size().height()) + margins.top() + margins.bottom()
        if self.timeline.height() != height:
            self.timeline.setFixedHeight(height)

    def _show_timeline(self, referral: Any, events: list[Any]) -> None:
        items: list[tuple[Any, str]] = []
        for event in events:
            name = _event_name(event)
            if name in ("edited", "unlocked", "locked", "validated", "profile_changed", "passphrase_changed",
                        "attachment_added", "attachment_removed", "reply_drafted", "reply_discarded"):
                continue
            if name == "status_changed":
                detail = event.get("detail") if isinstance(event, dict) else getattr(event, "detail", None)
                label = state_label(detail) if detail else "Status changed"
            else:
                label = EVENT_LABELS.get(name, name.replace("_", " ").capitalize())
            items.append((_event_time(event), label))
        if not items:
            items.append((referral.created_at, "Started"))
            if referral.sent_at:
                items.append((referral.sent_at, "Sent"))
            if getattr(referral, "received_at", None):
                items.append((referral.received_at, "Received by iART"))
        rows = "".join(
            f"<tr><td style='padding-right:16px; white-space:nowrap'>{format_datetime(when)}</td><td>{html.escape(what)}</td></tr>"
            for when, what in items
        )
        self.timeline.setHtml(f"<table>{rows}</table>")
