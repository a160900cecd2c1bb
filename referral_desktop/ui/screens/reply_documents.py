"""Documents with a reply to iART: chosen in the reply box (offline), listed with a "Remove" button each,
and, once sent, counted in the conversation ("1 of 2 documents sent").

Why its own module: the conversation panel owns the text and the queueing; this owns the documents.
They follow the form's attachment rules (types by content, the size limit, from the deployment policy),
checked by :func:`referral_desktop.sync.replying.attach_to_reply` on the store thread, so a file the
rules refuse is refused when it is chosen, with the store's sentence shown by the one error component
and announced, never when the reply is sent. A chosen file is kept encrypted in the store with the draft
reply at once, so nothing is lost if the app closes before the reply is sent.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from referral_desktop.ui.accessibility import announce
from referral_desktop.ui.app_context import AppContext
from referral_desktop.ui.documents_status import given_up_line
from referral_desktop.ui.editor.error_message import ErrorMessage
from referral_desktop.ui.editor.inputs.attachment_input import human_size
from referral_desktop.ui.widgets.empty_layout import empty_layout
from referral_desktop.ui.widgets.plain_label import plain_label

log = logging.getLogger(__name__)

#: The file dialog's filter (the content check decides; this only narrows what the dialog shows first).
_DIALOG_FILTER = "Documents and images (*.pdf *.png *.jpg *.jpeg *.docx *.odt);;All files (*)"


def load_reply_documents(store: Any, referral_id: str, replies: Sequence[Any]) -> dict[str, Any]:
    """Each reply's documents and, per reply, how many iART holds (store thread)."""
    attachments = getattr(store, "attachments", None)
    uploads = getattr(store, "uploads", None)
    if attachments is None or not hasattr(attachments, "for_reply"):
        return {}
    documents = {r.id: list(attachments.for_reply(r.id)) for r in replies}
    progress = uploads.reply_progress(referral_id) if uploads is not None else {}
    failures = uploads.given_up(referral_id) if uploads is not None else {}
    return {"reply_documents": {k: v for k, v in documents.items() if v}, "reply_progress": progress,
            "reply_failures": failures}


def documents_html(reply: Any, documents: Sequence[Any], progress: Any | None,
                   failures: Mapping[str, str | None] | None = None) -> str:
    """The line under a reply in the conversation: its documents' names and where they stand, and each
    one given up on (``failures``: why, by attachment id) with what the user can do."""
    if not documents:
        return ""
    names = ", ".join(html.escape(d.filename) for d in documents)
    if reply.state == "sent" and progress is not None:
        where = progress.sentence()
        if progress.waiting:
            where += " — the rest go in the background whenever there is a connection"
    elif reply.state == "refused":
        where = "not sent"
    else:
        count = len(documents)
        where = f"{count} document{'s' if count != 1 else ''}, sent after the reply"
    given_up = "".join(f"<br>{given_up_line(d.filename, (failures or {})[d.id], 'reply')}"
                       for d in documents if d.id in (failures or {}))
    return f"<br>Documents: {names} ({html.escape(where)}){given_up}"


def _attach(store: Any, referral_id: str, policy: Any, path: Path) -> Any:
    from referral_desktop.sync.replying import attach_to_reply

    return attach_to_reply(store, referral_id, policy, path)


def _remove(store: Any, attachment_id: str) -> None:
    store.attachments.remove(attachment_id)


class ReplyDocuments(QWidget):
    """The draft reply's documents: "Attach a file…", one row per document with "Remove", and errors."""

    changed = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replyDocuments")
        self.context = context
        self.referral_id = ""
        self.documents: list[Any] = []
        self._row_widgets: list[QWidget] = []
        self.error = ErrorMessage(self)
        self.error.bar.hide()  # the reply box's own bar marks the question
        self.rows = QVBoxLayout()
        self.rows.setSpacing(2)
        self.attach_button = QPushButton("Attach a file…", objectName="attachToReply")
        self.attach_button.setAccessibleName("Attach a file to your reply")
        self.attach_button.clicked.connect(self._choose_files)
        self.hint = plain_label("")
        self.hint.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.attach_button)
        top.addWidget(self.hint, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.error)
        layout.addLayout(self.rows)
        layout.addLayout(top)

    def _describe_rules(self) -> None:
        """The hint beside the button, from the policy (read when a referral's page opens, never while the
        window is being built: start-up must not wait for the policy)."""
        from referral_desktop.store.attachments import DEFAULT_ALLOWED_TYPES, DEFAULT_MAX_BYTES, rules_sentence
        from referral_desktop.sync.replying import attachment_rules

        try:
            policy = self.context.policy_now()
        except Exception as exc:  # an unusable policy is reported by the app itself; the hint uses defaults
            log.info("policy unavailable for the reply documents hint (%s)", type(exc).__name__)
            policy = None
        rules = attachment_rules(policy)
        sentence = "Optional: " + rules_sentence(
            rules.get("allowed_types", DEFAULT_ALLOWED_TYPES), rules.get("max_bytes", DEFAULT_MAX_BYTES)
        )
        self.hint.setText(sentence)
        self.attach_button.setAccessibleDescription(sentence)

    # ------------------------------------------------------------------------------------ showing

    def show_documents(self, referral_id: str, documents: Sequence[Any]) -> None:
        """The draft reply's documents as the store holds them (when the page opens on a referral)."""
        self.referral_id = referral_id
        self.documents = list(documents)
        self._describe_rules()
        self.error.show_error(None, [self.attach_button])
        self._render()

    def clear(self) -> None:
        """The reply was queued with its documents: the box starts empty."""
        self.documents = []
        self._render()

    def _render(self) -> None:
        old_rows, self._row_widgets = self._row_widgets, []
        empty_layout(self.rows)  # deleted later: still in the focus chain, so skipped below
        previous = self._control_before_attaching(old_rows)
        for info in self.documents:
            row = QWidget(self)
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            line.addWidget(plain_label(f"{info.filename} — {human_size(info.size)}", row), 1)
            button = QPushButton("Remove", row)
            button.setAccessibleName(f"Remove {info.filename}")
            button.clicked.connect(lambda _checked=False, a=info.id: self.remove(a))
            line.addWidget(button)
            self.rows.addWidget(row)
            self._row_widgets.append(row)
            # Tab reaches each "Remove" in the order shown, just before "Attach a file…" (a new button
            # would otherwise go to the end of the window's chain, after every other control of the page).
            if previous is not None:
                QWidget.setTabOrder(previous, button)
                previous = button
        if self._row_widgets and previous is not None:
            QWidget.setTabOrder(previous, self.attach_button)

    def _control_before_attaching(self, old_rows: Sequence[QWidget]) -> QWidget | None:
        """The control Tab reaches just before "Attach a file…" (the reply's text, on the page), leaving
        out the rows being replaced; None when there is none (the order is then left as it is)."""
        widget = self.attach_button.previousInFocusChain()
        while widget is not None and widget is not self.attach_button:
            if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and not any(
                row is widget or row.isAncestorOf(widget) for row in old_rows
            ):
                return widget
            widget = widget.previousInFocusChain()
        return None

    # ----------------------------------------------------------------------------------- changing

    def _choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Choose files to send with your reply", "", _DIALOG_FILTER)
        if names:
            self.add_files([Path(name) for name in names])

    def add_files(self, paths: Sequence[Path]) -> None:
        """Check and keep each file with the draft reply (store thread); refusals are shown and announced."""
        self.error.show_error(None, [self.attach_button])
        policy = self.context.policy_now()
        for path in paths:
            task = self.context.runner.run_with_store(_attach, self.referral_id, policy, Path(path))
            task.owned_by(self).success(self._added).failure(self._refused)

    def _added(self, info: Any) -> None:
        self.documents.append(info)
        self._render()
        self.changed.emit()
        announce(self.attach_button, self._count_sentence("attached"))  # no file name in an announcement

    def _refused(self, error: BaseException) -> None:
        if type(error).__name__ == "AttachmentRefused":
            text = str(error.args[0]) if error.args else "The selected file cannot be attached"
        elif isinstance(error, OSError):
            text = "The selected file could not be read"
        else:
            log.warning("reply document not attached: %s", type(error).__name__)
            text = "The selected file could not be attached"
        self.show_problem(text)

    def show_problem(self, text: str) -> None:
        self.error.show_error(text, [self.attach_button])
        announce(self.attach_button, text, assertive=True)

    def remove(self, attachment_id: str) -> None:
        task = self.context.runner.run_with_store(_remove, attachment_id).owned_by(self)
        task.success(lambda _r: self._removed(attachment_id))
        task.failure(lambda _e: self.show_problem("The file could not be removed. Try again."))

    def _removed(self, attachment_id: str) -> None:
        self.documents = [d for d in self.documents if d.id != attachment_id]
        self._render()
        self.changed.emit()
        self.attach_button.setFocus()  # the removed row's button is gone: focus goes somewhere sensible
        announce(self.attach_button, self._count_sentence("removed"))

    def _count_sentence(self, what: str) -> str:
        count = len(self.documents)
        return f"File {what}. Your reply has {count} file{'s' if count != 1 else ''} attached."

