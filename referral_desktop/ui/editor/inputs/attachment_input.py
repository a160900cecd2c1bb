"""Attachments: add by the native file dialog or by dropping files, listed with size, removable in a draft.

The store checks each file's type by its content and its size (``attachments.add`` raises
``AttachmentRefused`` with a message written for people); the panel shows that message next to the
question. Reading the file and writing it to the encrypted store both run on the store worker, so a
large scan never freezes the window. The answer is the list of attachment ids.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from referral_desktop.ui.accessibility import announce
from referral_desktop.ui.editor.editor_context import EditorContext
from referral_desktop.ui.editor.error_message import ErrorMessage
from referral_desktop.ui.editor.inputs.base import FieldInput
from referral_desktop.ui.editor.wrap_anywhere_label import WrapAnywhereLabel
from referral_desktop.ui.widgets.empty_layout import empty_layout

log = logging.getLogger(__name__)


class AttachmentProblem(Exception):
    """A file the panel refuses before it reaches the store (too large to even read)."""


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _short_type(content_type: str | None) -> str:
    if not content_type:
        return "file"
    return {"application/pdf": "PDF", "image/png": "PNG image", "image/jpeg": "JPEG image"}.get(
        content_type, content_type.split("/")[-1].upper()
    )


class AttachmentInput(FieldInput):
    """The attachment question's panel; ``add_files(paths)`` is what the dialog and drops call."""

    def __init__(self, context: EditorContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._ids: list[str] = []
        self._infos: dict[str, Any] = {}
        self._removes: list[QPushButton] = []  # each file's "Remove", in the list's order
        self._read_only = context.read_only
        self.setAcceptDrops(True)
        self.add_button = QPushButton("Add a file…", self)
        self.add_button.clicked.connect(self._choose_files)
        self.drop_hint = QLabel("or drag files here", self)
        self.drop_hint.setWordWrap(True)  # beside "Add a file…" on a narrow page at large text
        self.message = ErrorMessage(self)
        self.message.bar.hide()  # the question's own bar is the field row's
        self.rows = QVBoxLayout()
        self.rows.setSpacing(2)
        self.empty_label = QLabel("No files attached.", self)
        top = QHBoxLayout()
        top.addWidget(self.add_button)
        top.addWidget(self.drop_hint)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.message)
        layout.addLayout(self.rows)
        layout.addWidget(self.empty_label)
        layout.addLayout(top)
        self.set_read_only(context.read_only)

    # -- FieldInput -------------------------------------------------------------------------------------
    def _show_value(self, value: Any) -> None:
        self._ids = [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
        self._render()
        if self._ids and any(i not in self._infos for i in self._ids):
            self._load_infos()

    def focus_target(self) -> QWidget:
        return self.add_button

    def describe(self, name: str, description: str) -> None:
        self.add_button.setAccessibleName(f"{name}: add a file")
        self.add_button.setAccessibleDescription(description)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.add_button.setVisible(not read_only)
        self.drop_hint.setVisible(not read_only)
        self.setAcceptDrops(not read_only)
        self._render()

    # -- store work ---------------------------------------------------------------------------------------
    def _load_infos(self) -> None:
        referral_id = self._context.referral_id
        task = self._context.runner.run_with_store(lambda store: list(store.attachments.list(referral_id)))
        task.success(self._on_infos).failure(lambda error: self._show_message("The attached files could not be listed."))

    def _on_infos(self, infos: list[Any]) -> None:
        self._infos.update({info.id: info for info in infos})
        self._render()

    def add_files(self, paths: list[Path]) -> None:
        """Add each file through the store (type and size checked there); messages appear above the list."""
        if self._read_only:
            return
        self.message.show_error(None, [self.add_button])
        context = self._context

        def add(store: Any, path: Path) -> Any:
            size = path.stat().st_size
            if size > context.max_bytes:
                raise AttachmentProblem(f"The selected file must be smaller than {human_size(context.max_bytes)}")
            return store.attachments.add(
                context.referral_id,
                path.name,
                path.read_bytes(),
                allowed_types=list(context.allowed_types),
                max_bytes=context.max_bytes,
            )

        for path in paths:
            task = context.runner.run_with_store(add, Path(path))
            task.success(self._on_added).failure(self._on_refused)

    def _on_added(self, info: Any) -> None:
        self._infos[info.id] = info
        self._ids.append(info.id)
        self._render()
        self._emit(list(self._ids))
        # Focus is on "Add a file…", whose name does not change: say it (never the file's name, which
        # may name the child; the list on screen shows it).
        announce(self.add_button, "File attached.")

    def _on_refused(self, error: BaseException) -> None:
        # AttachmentRefused (store) and AttachmentProblem carry messages written for people; anything
        # else is unexpected and gets a general sentence (its text may not be suitable to show).
        if type(error).__name__ in ("AttachmentRefused", "AttachmentProblem"):
            text = str(error.args[0]) if error.args else "The selected file cannot be attached"
        elif isinstance(error, OSError):
            text = "The selected file could not be read"
        else:
            log.warning("attachment add failed: %s", type(error).__name__)
            text = "The selected file could not be attached"
        self._show_message(text)

    def _show_message(self, text: str) -> None:
        """Shown above the list and said at once: focus is on "Add a file…" (the file dialog gives it
        back), and a screen reader does not read the focused button's changed description by itself."""
        self.message.show_error(text, [self.add_button])
        announce(self.add_button, text, assertive=True)

    def remove(self, attachment_id: str) -> None:
        if self._read_only:
            return
        task = self._context.runner.run_with_store(lambda store: store.attachments.remove(attachment_id))
        task.success(lambda _r: self._on_removed(attachment_id))
        task.failure(lambda _e: self._show_message("The file could not be removed. Try again."))

    def _on_removed(self, attachment_id: str) -> None:
        position = self._ids.index(attachment_id) if attachment_id in self._ids else -1
        focused = QApplication.focusWidget()
        had_focus = focused is not None and self.isAncestorOf(focused)
        if attachment_id in self._ids:
            self._ids.remove(attachment_id)
        self._infos.pop(attachment_id, None)
        self._render()
        self._emit(list(self._ids))
        if had_focus and position >= 0:
            # The focused "Remove" went with its row: focus would be lost, and the next Tab start from the
            # window's first control. It moves to the file now in that place, or to "Add a file…".
            target = self._removes[min(position, len(self._removes) - 1)] if self._removes else self.add_button
            target.setFocus(Qt.FocusReason.OtherFocusReason)
        announce(self.add_button, "File removed.")

    # -- display --------------------------------------------------------------------------------------------
    def _render(self) -> None:
        empty_layout(self.rows)
        self._removes = []
        for attachment_id in self._ids:
            info = self._infos.get(attachment_id)
            row = QWidget(self)
            line = QHBoxLayout(row)
            line.setContentsMargins(0, 0, 0, 0)
            if info is None:
                text = "Attached file (loading…)"
                name = "attached file"
            else:
                name = info.filename
                text = f"{info.filename} — {_short_type(getattr(info, 'content_type', None))}, {human_size(info.size)}"
            # A long file name wraps, inside a word too (at 800 px and 200 % text a name on one line took
            # 1,700 px and the page scrolled sideways); selectable and copied whole, as before.
            label = WrapAnywhereLabel(text, row, selectable=True)
            line.addWidget(label, 1)
            if not self._read_only:
                button = QPushButton("Remove", row)
                button.setAccessibleName(f"Remove {name}")
                button.clicked.connect(lambda _checked=False, a=attachment_id: self.remove(a))
                line.addWidget(button)
                self._removes.append(button)
            self.rows.addWidget(row)
        self.empty_label.setVisible(not self._ids)

    def _choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, "Choose files to attach", "", "Documents and images (*.pdf *.png *.jpg *.jpeg *.docx);;All files (*)"
        )
        if names:
            self.add_files([Path(name) for name in names])

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 (Qt name)
        if not self._read_only and event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 (Qt name)
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.add_files(paths)
