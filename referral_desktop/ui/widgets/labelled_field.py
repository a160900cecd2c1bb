"""A question as GOV.UK lays it out: label, hint, error message, input — wired for screen readers.

Why: every input needs an accessible name (its label) and description (its hint and current error), and
the error must be shown in words next to the field, never by colour alone.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class LabelledField(QWidget):
    def __init__(self, label: str, editor: QWidget, hint: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.hint_text = hint
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 6)
        layout.setSpacing(2)
        self.label = QLabel(label)
        self.label.setBuddy(editor)
        self.label.setWordWrap(True)
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        layout.addWidget(self.label)
        self.hint = QLabel(hint)
        self.hint.setWordWrap(True)
        self.hint.setVisible(bool(hint))
        layout.addWidget(self.hint)
        self.error = QLabel()
        self.error.setProperty("role", "error")
        self.error.setWordWrap(True)
        self.error.setVisible(False)
        layout.addWidget(self.error)
        layout.addWidget(editor)
        editor.setAccessibleName(label.replace("&", ""))
        self._describe()

    def set_error(self, message: str) -> None:
        self.error.setText(f"Error: {message}" if message else "")
        self.error.setVisible(bool(message))
        self._describe()

    def _describe(self) -> None:
        parts = [p for p in (self.hint_text, self.error.text()) if p]
        self.editor.setAccessibleDescription(" ".join(parts))
