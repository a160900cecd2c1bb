"""One question on screen: label, "(optional)" marker, hint, error message and the input, GOV.UK style.

The row owns what people read about a question; the input owns only the value. The accessible name of
every inner widget is the label, and its description is the hint plus the current error, so a screen
reader announces the problem when focus lands on the field.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from referral_desktop.domain.form_definition import Field
from referral_desktop.ui.editor.answer_paths import FieldPath
from referral_desktop.ui.editor.inputs.base import FieldInput
from referral_desktop.ui.theme import error_colour


class FieldRow(QFrame):
    def __init__(self, field: Field, path: FieldPath, field_input: FieldInput, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.path = path
        self.input = field_input
        self.error_text: str | None = None
        self.setObjectName("fieldRow")
        optional = not field.required and field.required_when is None and "(optional)" not in field.label
        self.label = QLabel(f"{field.label}{' (optional)' if optional else ''}", self)
        self.label.setWordWrap(True)
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        self.label.setBuddy(field_input.focus_target())
        self.hint = QLabel(field.hint or "", self)
        self.hint.setWordWrap(True)
        self.hint.setVisible(bool(field.hint))
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setProperty("role", "error")
        self.error.setStyleSheet(f"color: {error_colour()}; font-weight: bold;")
        self.error.hide()
        # GOV.UK's error bar: a thick line down the left of a question in error (with the words "Error:").
        self.error_bar = QFrame(self)
        self.error_bar.setFixedWidth(5)
        self.error_bar.setStyleSheet("background: transparent;")  # kept in place so rows never shift
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 6, 0, 10)
        outer.setSpacing(12)
        outer.addWidget(self.error_bar)
        layout = QVBoxLayout()
        layout.setSpacing(4)
        outer.addLayout(layout, 1)
        layout.addWidget(self.label)
        layout.addWidget(self.hint)
        layout.addWidget(self.error)
        layout.addWidget(field_input)
        field_input.setParent(self)
        self._describe()

    def _describe(self) -> None:
        parts = [self.field.hint or ""]
        if self.error_text:
            parts.append(f"Error: {self.error_text}")
        self.input.describe(self.field.label, " ".join(p for p in parts if p))

    def set_error(self, message: str | None) -> None:
        if message == self.error_text:
            return
        self.error_text = message
        if message:
            self.error.setText(f"Error: {message}")
            self.error.show()
            self.error_bar.setStyleSheet(f"background: {error_colour()};")
        else:
            self.error.hide()
            self.error_bar.setStyleSheet("background: transparent;")
        self._describe()

    def focus_input(self) -> None:
        self.input.focus_target().setFocus()
