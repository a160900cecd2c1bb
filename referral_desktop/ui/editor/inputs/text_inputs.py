"""Text-like inputs: one line (text, telephone, email, postcode, NHS number, UPN, integer) and long text.

All of them store the text exactly as typed (the interfaces' encodings), except integer, which stores an
int once the box holds digits. Widths follow the GOV.UK habit of sizing a box to the answer expected, so
a postcode box looks like it wants a postcode.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPlainTextEdit, QSizePolicy, QWidget

from referral_desktop.ui.editor.inputs.base import FieldInput

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
        self.edit = QLineEdit(self)
        self.edit.setObjectName(f"input_{kind}")
        if max_length:
            self.edit.setMaxLength(max_length)
        if kind == "integer":
            self.edit.setValidator(QIntValidator(0, 2_000_000_000, self.edit))
            self.edit.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        elif kind == "telephone":
            self.edit.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
        elif kind == "email":
            self.edit.setInputMethodHints(Qt.InputMethodHint.ImhEmailCharactersOnly)
        elif kind in ("postcode", "upn"):
            self.edit.setInputMethodHints(Qt.InputMethodHint.ImhPreferUppercase)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        chars = _WIDTH_CHARS.get(kind)
        if chars:
            self.edit.setMaximumWidth(self.edit.fontMetrics().horizontalAdvance("M") * chars)
            layout.addStretch(1)
        self.edit.textEdited.connect(self._on_edited)

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

    def focus_target(self) -> QWidget:
        return self.edit

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)


class LongTextInput(FieldInput):
    """A QPlainTextEdit where Tab moves on (keyboard users must be able to leave it)."""

    def __init__(self, max_length: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._max_length = max_length
        self.edit = QPlainTextEdit(self)
        self.edit.setObjectName("input_long_text")
        self.edit.setTabChangesFocus(True)
        self.edit.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.edit.setFixedHeight(self.edit.fontMetrics().lineSpacing() * 5 + 12)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        self.edit.textChanged.connect(self._on_changed)

    def _on_changed(self) -> None:
        if self._loading:
            return
        text = self.edit.toPlainText()
        if self._max_length and len(text) > self._max_length:
            # Cut the excess rather than silently refusing keys; the cursor stays at the end.
            text = text[: self._max_length]
            self.set_value(text)
            self.edit.moveCursor(self.edit.textCursor().MoveOperation.End)
        self._emit(text)

    def _show_value(self, value: Any) -> None:
        text = "" if value is None else str(value)
        if self.edit.toPlainText() != text:
            self.edit.setPlainText(text)

    def focus_target(self) -> QWidget:
        return self.edit

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)
