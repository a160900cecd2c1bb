"""The conversation with iART on a referral's page: iART's messages and the referrer's replies in
order, each reply's state, and a reply box.

Why its own module: the referral's page (``referral_detail``) only hands it the referral and what the
store holds; everything about replies lives here. The reply box autosaves into the encrypted store a
moment after typing stops (and before sending), so a closed window, a lock or a crash loses nothing;
"Send reply" freezes the text once and queues it (:func:`referral_desktop.sync.replying.queue_reply`),
and the sender delivers it exactly once when iART can be reached. Nothing the user typed is replaced by a
refresh: the box is filled from the store only when the page opens on a referral. Documents chosen
for the reply are kept with the draft in the store at once (:mod:`reply_documents`) and go with it.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from referral_desktop.domain.api_contract import REPLY_MAX_CHARACTERS
from referral_desktop.sync.errors import NEEDS_IT_CODES
from referral_desktop.ui.accessibility import StatusLabel, announce
from referral_desktop.ui.app_context import AppContext
from referral_desktop.ui.contacts_place import CONTACTS_MENU_PATH
from referral_desktop.ui.display_format import format_datetime
from referral_desktop.ui.editor.character_count import CharacterCount
from referral_desktop.ui.editor.error_message import ErrorMessage
from referral_desktop.ui.screens.reply_documents import ReplyDocuments, documents_html
from referral_desktop.ui.theme import heading

log = logging.getLogger(__name__)

#: Referral states in which the reply box is offered: iART holds the referral and has not decided. Once
#: iART decides, the retention purge removes the referral's details (a draft reply with them), so a box
#: there would invite text that is about to disappear; the page says to phone iART instead.
REPLYABLE = ("received", "acknowledged", "info_requested")
#: What the reply box says of a reply left unsent: the purge removes it with the referral's details when
#: iART decides (``store/retention.py``), and it cannot be sent after the decision.
UNSENT_WARNING = ("If iART decides before you press Send reply, the reply is removed from this computer with the "
                  "referral's details and never reaches iART.")
#: Why replies are closed, and what to do instead: once iART has decided, or once the retention purge took a
#: referral iART had not decided (the retention period ended), which is not to be called a decision.
_INSTEAD = (f"If you have something new to tell iART about this child, phone them ({CONTACTS_MENU_PATH}) or make "
            "a new referral.")
AFTER_DECISION = f"iART has decided, so replies are closed. {_INSTEAD}"
AFTER_RETENTION = (f"The referral's details were removed under the retention policy, so replies are closed. "
                   f"{_INSTEAD}")
#: How long a draft reply the store refused waits before it is tried again.
RETRY_MS = 5000
#: How long typing must pause before the draft reply is saved.
AUTOSAVE_AFTER_MS = 800


def reply_state_text(reply: Any) -> str:
    """Where a reply stands, in words (no personal data)."""
    state = reply.state
    if state == "sent":
        text = f"Sent on {format_datetime(reply.sent_at)}" if reply.sent_at else "Sent"
        if reply.read_at:
            text += f" · Read by iART on {format_datetime(reply.read_at)}"
        return text
    if state == "refused":
        return "Not accepted by iART — write it again below if it is still needed"
    if state == "sending":
        return "Sending…"
    if state == "retrying" and reply.last_error_code in NEEDS_IT_CODES:
        return "Waiting to send — IT must check this computer's connection to iART"
    if state == "retrying" and reply.next_attempt_at:
        return f"Waiting to send — trying again on {format_datetime(reply.next_attempt_at)}"
    return "Waiting to send — it goes as soon as iART can be reached"


def _when(item: Any) -> datetime:
    if hasattr(item, "state"):  # a reply
        return item.sent_at or item.queued_at or item.created_at
    return item.sent_at


def conversation_html(
    messages: Sequence[Any], replies: Sequence[Any], documents: Mapping[str, Sequence[Any]] | None = None,
    progress: Mapping[str, Any] | None = None, failures: Mapping[str, str | None] | None = None,
) -> str:
    """Both sides oldest first (drafts are in the reply box, not here), each reply with its documents,
    "1 of 2 documents sent" and each document given up on (``failures``); every text escaped."""
    documents, progress = documents or {}, progress or {}
    items = sorted(
        [*messages, *(r for r in replies if r.state != "draft")],
        key=lambda item: (_when(item), getattr(item, "sequence", None) or 0),
    )
    blocks = []
    for item in items:
        text = html.escape(str(item.text)).replace("\n", "<br>")
        if hasattr(item, "state"):
            attached = documents_html(item, documents.get(item.id, ()), progress.get(item.id), failures)
            blocks.append(
                f"<p><b>You replied</b>, {format_datetime(item.queued_at or item.created_at)}<br>{text}{attached}<br>"
                f"<i>{html.escape(reply_state_text(item))}</i></p>"
            )
        else:
            blocks.append(f"<p><b>iART</b>, {format_datetime(item.sent_at)}<br>{text}</p>")
    return "".join(blocks)


def _save_draft(store: Any, referral_id: str, text: str) -> Any:
    if not text.strip() and store.replies.draft(referral_id) is None:
        return None  # nothing typed yet: no empty draft
    return store.replies.save_draft(referral_id, text)


def _count_unsaved(store: Any, referral_id: str) -> bool:
    return bool(store.receipts.count_unsaved_reply(referral_id))


def _queue(store: Any, referral_id: str, policy: Any, text: str) -> Any:
    from referral_desktop.sync.replying import queue_reply

    return queue_reply(store, referral_id, policy, text)



def _no_messages_text(state: str, messages_removed: int | None) -> str:
    """What the conversation says with no message to show. "Will appear here" only while iART may still
    write (once it has received the referral): a returned referral has nothing to reply to, after a decision
    replies are closed, and after the purge the messages were removed, not absent
    (the receipt counts them; a count of 0 may be a receipt older than the count, so it claims nothing)."""
    if state == "purged":
        if messages_removed:
            n, it, was = ((f"{messages_removed} messages", "They", "were") if messages_removed > 1
                          else ("1 message", "It", "was"))
            return f"{n} {was} exchanged with iART. {it} {was} removed from this computer with the referral's details."
        return ("No messages with iART are kept on this computer: the referral's details were removed under the "
                "retention policy.")
    if state == "decided":
        return "No messages were exchanged with iART."
    if state == "rejected":  # returned: a draft again, with iART's reasons above; no reply box
        return ("No messages. iART returned this referral, so there is nothing to reply to: fix the answers above "
                "and send it again.")
    if state not in REPLYABLE:  # not received yet: no reply box until it is
        return ("No messages yet. Once iART has received the referral, its questions and your replies will appear "
                "here.")
    return "No messages yet. iART's questions and your replies will appear here."

class ConversationPanel(QWidget):
    """Heading, the conversation, and (once iART holds the referral) the reply box."""

    reply_queued = Signal(str)  # referral id

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conversationPanel")
        self.context = context
        self.referral_id = ""
        self._filled_for = ""
        self._kept = ""  # the draft's text as the store holds it (filled from it, or last saved)
        self._sending = False  # a reply is being queued (Send reply pressed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("Conversation with iART")
        heading(title, 2)
        layout.addWidget(title)
        self.view = QLabel(objectName="conversation")
        self.view.setWordWrap(True)
        self.view.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.view.setAccessibleName("Conversation with iART")
        layout.addWidget(self.view)
        self.after_decision = QLabel(AFTER_DECISION, objectName="repliesClosed")
        self.after_decision.setWordWrap(True)
        self.after_decision.setVisible(False)
        layout.addWidget(self.after_decision)

        self.reply_box = QWidget(objectName="replyBox")
        box = QVBoxLayout(self.reply_box)
        box.setContentsMargins(0, 8, 0, 0)
        label = QLabel("Reply to iART")
        heading(label, 3)
        box.addWidget(label)
        hint = QLabel(
            "Answer iART's question, or tell them something new since you referred (for example, the "
            "family has moved). It is saved on this computer as you type. Press Send reply when it is ready: it "
            "goes to iART as soon as iART can be reached."
        )
        hint.setWordWrap(True)
        box.addWidget(hint)
        # Before it happens: the retention purge removes a draft with the referral's details once iART
        # decides (the receipt then counts it and the page says so), so the box says it while it is open.
        self.unsent_warning = QLabel(UNSENT_WARNING, objectName="replyUnsentWarning")
        self.unsent_warning.setWordWrap(True)
        box.addWidget(self.unsent_warning)
        self.error = ErrorMessage()
        self.editor = QPlainTextEdit(objectName="replyText")
        self.editor.setAccessibleName("Reply to iART")
        self.editor.setAccessibleDescription(f"{hint.text()} {UNSENT_WARNING}")
        self.editor.setTabChangesFocus(True)
        self.editor.setMinimumHeight(110)
        label.setBuddy(self.editor)
        self.count = CharacterCount(REPLY_MAX_CHARACTERS, threshold=0.75)
        answer = QHBoxLayout()  # GOV.UK: the error bar runs beside the message and the box
        answer.addWidget(self.error.bar)
        column = QVBoxLayout()
        self.documents = ReplyDocuments(context)
        for widget in (self.error, self.editor, self.count, self.documents):
            column.addWidget(widget)
        answer.addLayout(column, 1)
        box.addLayout(answer)
        row = QHBoxLayout()
        self.send_button = QPushButton("Send reply", objectName="sendReply")
        self.send_button.clicked.connect(self.send)
        row.addWidget(self.send_button)
        self.saved = StatusLabel()
        self.saved.setObjectName("replySaved")
        self.saved.setWordWrap(True)
        row.addWidget(self.saved, 1)
        box.addLayout(row)
        layout.addWidget(self.reply_box)
        self.reply_box.setVisible(False)

        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_AFTER_MS)
        self._autosave.timeout.connect(self.save_now)
        self.editor.textChanged.connect(self._typed)

    # ------------------------------------------------------------------------------------ showing

    def show_conversation(
        self, referral_id: str, state: str, messages: Sequence[Any], replies: Sequence[Any],
        documents: Mapping[str, Sequence[Any]] | None = None, progress: Mapping[str, Any] | None = None,
        failures: Mapping[str, str | None] | None = None, messages_removed: int | None = None,
        decided: bool = True,
    ) -> None:
        """Called by the referral's page with what it read from the store (``documents`` and
        ``progress``: each reply's documents and how many iART holds, by reply id; ``failures``: why
        each document given up on was, by attachment id; ``messages_removed``: a purged referral's
        receipt's count of messages exchanged; ``decided``: False for a referral purged without iART's
        decision)."""
        if referral_id != self.referral_id and self._autosave.isActive():
            self.save_now()  # the page moved to another referral: keep what was typed for this one
        if state == "purged" and self._filled_for == referral_id and self._typed_unsaved():
            self._count_lost_typing(referral_id)
        self.referral_id = referral_id
        shown = conversation_html(messages, replies, documents, progress, failures)
        self.view.setTextFormat(Qt.TextFormat.RichText if shown else Qt.TextFormat.PlainText)
        self.view.setText(shown or _no_messages_text(state, messages_removed))
        self.reply_box.setVisible(state in REPLYABLE)
        self.after_decision.setText(AFTER_DECISION if decided or state != "purged" else AFTER_RETENTION)
        self.after_decision.setVisible(state in ("decided", "purged"))
        if self._filled_for != referral_id:  # fill the box once per referral, never over typing
            self._filled_for = referral_id
            draft = next((r for r in replies if r.state == "draft"), None)
            held = self.context.held_answers.take_reply(referral_id) if self.context.held_answers else None
            self.editor.blockSignals(True)
            self.editor.setPlainText(held if held is not None else draft.text if draft else "")
            self.editor.blockSignals(False)
            self._kept = draft.text if draft else ""
            if held is not None and state in REPLYABLE:  # words the store refused as the page went: save them
                self._autosave.start()
            self.documents.show_documents(referral_id, (documents or {}).get(draft.id, []) if draft else [])
            self.count.update_count(len(self.editor.toPlainText()), quiet=True)
            self.saved.setText("")
            self.error.show_error(None, [self.editor])

    # ------------------------------------------------------------------------------------ editing

    def hideEvent(self, event) -> None:  # noqa: N802 - leaving the page (or the lock): keep what was typed
        if not event.spontaneous() and self._typed_unsaved() and self.reply_box.isVisibleTo(self):
            self._hand_over_unsaved()  # the page goes, and with it this box's save and its failure
        elif self._autosave.isActive():
            self.save_now()  # the window minimised: the box stays
        super().hideEvent(event)

    def _hand_over_unsaved(self) -> None:
        """The page is left (or the app locks) with words the store does not hold yet: they go to the
        window's keeper of held words (``ui/held_answers.py``), which saves them whether or not this page
        is still there, tries again while the store refuses them, and gives them back if the page is
        opened first. (The box's own save died with the page: its failure was never heard, and the words
        were lost.)"""
        self._autosave.stop()
        text = self.editor.toPlainText()
        if self.context.held_answers is None:
            from referral_desktop.ui.held_answers import HeldAnswers

            self.context.held_answers = HeldAnswers(self.context.runner)
        self.context.held_answers.hold_reply(self.referral_id, text)
        self._kept = text

    def _typed(self) -> None:
        self.count.update_count(len(self.editor.toPlainText()))
        self._autosave.start()

    def save_now(self) -> None:
        """Save the draft reply now (after a pause in typing, before sending, when leaving)."""
        self._autosave.stop()
        if not self.referral_id or not self.reply_box.isVisibleTo(self):
            return
        text = self.editor.toPlainText()
        self.context.runner.run_with_store(_save_draft, self.referral_id, text).owned_by(self).success(
            lambda reply: self._draft_saved(reply, text)
        ).failure(lambda exc: self._save_failed(exc))

    def _save_failed(self, exc: BaseException) -> None:
        log.warning("draft reply not saved (%s)", type(exc).__name__)
        self.saved.setText("The draft reply could not be saved yet. It is kept here and saving is tried again.")
        QTimer.singleShot(RETRY_MS, self, lambda: self.save_now() if self._typed_unsaved() else None)

    def _draft_saved(self, reply: Any, text: str = "") -> None:
        if reply is not None:  # None: nothing typed yet, so no draft was made
            self._kept = text
            self.saved.setText("Draft reply saved on this computer")

    def _typed_unsaved(self) -> bool:
        """Words in the box that the store does not hold (typed within the autosave's pause)."""
        text = self.editor.toPlainText()
        return bool(text.strip()) and text != self._kept

    def _count_lost_typing(self, referral_id: str) -> None:
        """The purge removed the referral's details while words typed in the box waited for their autosave:
        they can no longer be saved (a reply cannot go after iART's decision), and when nothing of the
        reply had been saved the purge counted none. The receipt counts it now, and the screens are told
        (the page shows it, the notification says it once), as after the purge's own count."""
        self._autosave.stop()
        self._kept = self.editor.toPlainText()  # counted once, however often the page is read again
        events = self.context.sync_events  # told even if the page is left meanwhile
        self.context.runner.run_with_store(_count_unsaved, referral_id).success(
            lambda counted: events.emit_state(referral_id, "purged") if counted else None
        ).failure(lambda exc: log.info("unsaved reply not counted (%s)", type(exc).__name__))

    def send(self) -> None:
        if self._sending:  # pressed again while the reply is being queued
            return
        text = self.editor.toPlainText()
        problem = None
        if not text.strip():
            problem = "Write your reply before sending it"
        elif len(text) > REPLY_MAX_CHARACTERS:
            problem = f"Your reply must be {REPLY_MAX_CHARACTERS:,} characters or fewer"
        self.error.show_error(problem, [self.editor])
        if problem:
            self.editor.setFocus()
            announce(self.editor, problem, assertive=True)
            return
        self._autosave.stop()
        referral_id = self.referral_id
        policy = self.context.policy_now()
        # Not disabled while queuing: Qt moves focus off a disabled button (to "Export as PDF…", said by a
        # screen reader as the person pressed Send reply), and it stayed there.
        self._sending = True
        self.context.runner.run_with_store(_queue, referral_id, policy, text).owned_by(self).success(
            lambda _queued: self._queued(referral_id)
        ).failure(self._not_queued)

    def _queued(self, referral_id: str) -> None:
        self._sending = False
        self.editor.blockSignals(True)
        self.editor.clear()
        self.editor.blockSignals(False)
        self.count.update_count(0, quiet=True)
        attached = len(self.documents.documents)
        self.documents.clear()
        with_documents = f" with {attached} document{'s' if attached != 1 else ''}" if attached else ""
        self.saved.setText(f"Reply queued{with_documents} — it is sent as soon as iART can be reached")
        worker = self.context.sync_worker
        if worker is not None and hasattr(worker, "nudge"):
            worker.nudge()
        self.reply_queued.emit(referral_id)

    def _not_queued(self, exc: BaseException) -> None:
        self._sending = False
        log.info("reply not queued (%s)", type(exc).__name__)
        message = str(exc) if type(exc).__name__ in ("ReplyRefused", "PayloadKeyError") else (
            "The reply could not be queued. It is kept in the box; try again."
        )
        self.error.show_error(message, [self.editor])
        announce(self.editor, message, assertive=True)
