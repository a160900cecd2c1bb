"""One question on screen: label, "(optional)" marker, hint, error message and the input, GOV.UK style.

The row owns what people read about a question; the input owns only the value. The accessible name of
every inner widget is the label, and its description is the hint plus the current error, so a screen
reader announces the problem when focus lands on the field.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from referral_desktop.domain.form_definition import Field
from referral_desktop.ui.accessibility import set_required
from referral_desktop.ui.editor.answer_paths import FieldPath
from referral_desktop.ui.editor.error_message import ErrorMessage, focusable_parts
from referral_desktop.ui.editor.inputs.base import FieldInput
from referral_desktop.ui.theme import hint
from referral_desktop.ui.widgets.plain_label import plain_label


def label_text(field: Field) -> str:
    """The label with "(optional)" once when the question is not required. A label that already
    qualifies itself ("Reference you were given (if any)") becomes "... (optional)" rather than
    "(if any) (optional)"."""
    label = field.label
    if field.required or field.required_when is not None or label.endswith("(optional)"):
        return label
    return f"{label.removesuffix(' (if any)')} (optional)"


class FieldRow(QFrame):
    def __init__(self, field: Field, path: FieldPath, field_input: FieldInput, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.path = path
        self.input = field_input
        self.error_text: str | None = None
        self.context = ""  # the repeat item, e.g. "Child 2" (see set_context)
        self.setObjectName("fieldRow")
        self.label = plain_label(label_text(field), self)
        self.label.setWordWrap(True)
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        self.label.setBuddy(field_input.focus_target())
        self.hint = plain_label(field.hint or "", self)
        self.hint.setWordWrap(True)
        hint(self.hint)
        self.hint.setVisible(bool(field.hint))
        self.error = ErrorMessage(self)
        self.error_bar = self.error.bar
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
        """Name every inner widget by the label as shown, "(optional)" included, so a screen reader hears
        what the screen says; each focusable part records whether the question is required. Errors are
        put in front of the hint by the error message (``set_invalid``)."""
        name = f"{self.context}: {self.label.text()}" if self.context else self.label.text()
        self.input.describe(name, self.field.hint or "")
        for part in focusable_parts(self.input):
            set_required(part, not self.label.text().endswith("(optional)"))

    def set_context(self, context: str) -> None:
        """Prefix the inputs' accessible names with the repeat item ("Child 2: Given names"): every item
        asks the same questions, and a screen reader hears the name, not where the question is drawn."""
        self.context = context
        self._describe()

    def set_error(self, message: str | None) -> None:
        if message == self.error_text:
            return
        self.error_text = message
        self.error.show_error(message, focusable_parts(self.input))

    def focus_input(self) -> None:
        self.input.focus_target().setFocus()
