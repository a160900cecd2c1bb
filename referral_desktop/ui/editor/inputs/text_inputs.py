"""Text-like inputs: one line (text, telephone, email, postcode, NHS number, UPN, integer) and long text.

All of them store the text exactly as typed (the interfaces' encodings), except integer, which stores an
int once the box holds digits. None of them cuts text at its limit: the character count says how far over
it is and validation keeps the section from being done until it fits. Widths follow the GOV.UK habit of sizing a box to the answer expected, so
a postcode box looks like it wants a postcode.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QScrollArea, QSizePolicy, QVBoxLayout, QWidget
from shiboken6 import isValid

from referral_desktop.ui.editor.character_count import CharacterCount
from referral_desktop.ui.editor.inputs.base import FieldInput
from referral_desktop.ui.editor.inputs.one_line_edit import OneLineEdit
from referral_desktop.ui.editor.inputs.read_only_answer import ReadOnlyAnswer
from referral_desktop.ui.editor.pending_layout import settle_pending_layout

#: A long-text box is never shorter than this many lines, and grows with its content beyond it.
LONG_TEXT_MIN_LINES = 5

# Expected answer length in characters, per field type: the box is drawn about that wide.
_WIDTH_CHARS = {
    "telephone": 20,
    "email": 34,
    "postcode": 10,
    "nhs_number": 14,
    "upn": 16,
    "integer": 6,
}


class LineInput(FieldInput):
    """A single QLineEdit; ``kind`` is the field type and picks the width and input hints."""

    def __init__(self, kind: str, max_length: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._kind = kind
        self.edit = OneLineEdit(self)
        self.edit.setObjectName(f"input_{kind}")
        # Shown only once the text reaches the limit (a name rarely does); never cuts the text.
        self.count = CharacterCount(max_length, threshold=1.0, parent=self) if max_length else None
        if kind == "integer":
            self.edit.setValidator(QIntValidator(0, 2_000_000_000, self.edit))
            self.edit.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        elif kind == "telephone":
            self.edit.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        elif kind == "email":
            self.edit.setInputMethodHints(Qt.InputMethodHint.ImhEmailCharactersOnly)
        elif kind in ("postcode", "upn"):
            self.edit.setInputMethodHints(Qt.InputMethodHint.ImhPreferUppercase)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        layout = QHBoxLayout()
        layout.setContentsMargins(0, 0, 0, 0)
        # The box takes the room first, up to its expected answer's width, and the space after it only
        # what is left (with equal shares an email box stopped at Qt's default ~13 characters and cut the
        # start of an ordinary address); on a narrow page it shrinks with the page.
        layout.addWidget(self.edit, 1)
        # Once the referral can no longer be changed: the answer's words in place of the box (read_only_answer.py).
        self.answer = ReadOnlyAnswer(self)
        self.answer.setObjectName(f"answer_{kind}")
        self.answer.hide()
        layout.addWidget(self.answer, 1)
        chars = _WIDTH_CHARS.get(kind)
        if chars:
            self.edit.setMaximumWidth(self.edit.fontMetrics().horizontalAdvance("M") * chars)
            layout.addStretch(0)
        column.addLayout(layout)
        if self.count is not None:
            column.addWidget(self.count)
        self.edit.textChanged.connect(self._count)
        self.edit.textEdited.connect(self._on_edited)

    def _count(self, text: str) -> None:
        if self.count is not None:
            self.count.update_count(len(text.strip()), quiet=self._loading)  # as stored and checked

    def _on_edited(self, text: str) -> None:
        self._emit(self._encode(text))

    def _encode(self, text: str) -> Any:
        if self._kind == "integer":
            stripped = text.strip()
            if not stripped:
                return None
            try:
                return int(stripped)
            except ValueError:
                return stripped
        return text

    def _show_value(self, value: Any) -> None:
        text = "" if value is None else str(value)
        if self.edit.text() != text:
            self.edit.setText(text)
        self.answer.show_text(text)

    def focus_target(self) -> QWidget:
        return self.answer if self.answer.isVisibleTo(self) else self.edit

    def describe(self, name: str, description: str) -> None:
        for widget in (self.edit, self.answer):
            widget.setAccessibleName(name)
            widget.setAccessibleDescription(description)

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)
        self.answer.show_text(self.edit.text())
        self.edit.setVisible(not read_only)
        self.answer.setVisible(read_only)
        if self.count is not None:
            self.count.set_locked(read_only)


class LongTextInput(FieldInput):
    """A QPlainTextEdit where Tab moves on (keyboard users must be able to leave it), with the character
    count below it; the box grows with its content, so what was written is read on the page rather than
    through a small window with its own scroll bar."""

    def __init__(self, max_length: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QPlainTextEdit(self)
        self.edit.setObjectName("input_long_text")
        self.edit.setTabChangesFocus(True)
        self.edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.edit.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.count = CharacterCount(max_length, parent=self) if max_length else None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.edit)
        # Once the referral can no longer be changed: the answer's words, as tall as their lines (this box
        # kept a line to type on below them).
        self.answer = ReadOnlyAnswer(self)
        self.answer.setObjectName("answer_long_text")
        self.answer.hide()
        layout.addWidget(self.answer)
        if self.count is not None:
            layout.addWidget(self.count)
        self._fit_height()
        self.edit.document().documentLayout().documentSizeChanged.connect(lambda _size: self._fit_height())
        self.edit.textChanged.connect(self._on_changed)
        # The box has no scroll bar of its own, so the page must follow the text cursor: after a long
        # paste, or typing on at the end of a long answer, it was below the window. Once the box has
        # taken its new height (the next turn of the event loop).
        self.edit.cursorPositionChanged.connect(lambda: QTimer.singleShot(0, self._show_cursor))

    def _show_cursor(self) -> None:
        if not (isValid(self.edit) and self.edit.hasFocus()):
            return
        page = self.parentWidget()
        while page is not None and not isinstance(page, QScrollArea):
            page = page.parentWidget()
        inner = page.widget() if page is not None else None
        if page is None or inner is None:
            return
        settle_pending_layout()  # the box's new height, then the page's
        cursor = self.edit.cursorRect()
        centre = self.edit.viewport().mapTo(inner, cursor.center())
        page.ensureVisible(centre.x(), centre.y(), 0, cursor.height())

    def _fit_height(self) -> None:
        """As tall as its wrapped lines and one more to type on (``LONG_TEXT_MIN_LINES`` at the least: room
        to write), plus the frame."""
        lines = max(LONG_TEXT_MIN_LINES, int(self.edit.document().documentLayout().documentSize().height()) + 1)
        margins = self.edit.contentsMargins()
        frame = self.edit.document().documentMargin() * 2 + margins.top() + margins.bottom() + 4
        height = int(self.edit.fontMetrics().lineSpacing() * lines + frame)
        if self.edit.height() != height:
            self.edit.setFixedHeight(height)
            QTimer.singleShot(0, self._show_cursor)  # the text moved under the cursor's feet

    def _on_changed(self) -> None:
        text = self.edit.toPlainText()
        if self.count is not None:
            # What the check counts: the spaces and line breaks around the text are not part of the answer.
            self.count.update_count(len(text.strip()), quiet=self._loading)
        if not self._loading:
            self._emit(text)

    def _show_value(self, value: Any) -> None:
        text = "" if value is None else str(value)
        if self.edit.toPlainText() != text:
            self.edit.setPlainText(text)
        self.answer.show_text(text)

    def focus_target(self) -> QWidget:
        return self.answer if self.answer.isVisibleTo(self) else self.edit

    def describe(self, name: str, description: str) -> None:
        for widget in (self.edit, self.answer):
            widget.setAccessibleName(name)
            widget.setAccessibleDescription(description)

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)
        self.answer.show_text(self.edit.toPlainText())
        self.edit.setVisible(not read_only)
        self.answer.setVisible(read_only)
        if self.count is not None:
            self.count.set_locked(read_only)
