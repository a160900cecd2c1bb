"""The one GOV.UK error message used for every question: bold text in the error colour next to the
question, a 5 px bar down the left of the whole question, and "Error:" for assistive technology.

Why one component: the editor's questions, repeat groups, "Your details" and the first screen all show
errors, and each once drew its own (some with "Error:" visible, some without a bar, one with a 4 px
border). GOV.UK's pattern is the same everywhere: the message says what to do ("Enter your full name"),
it starts with a visually hidden "Error:", and the bar marks the question by shape as well as colour, so
nothing relies on colour alone. The inputs of the question are marked invalid through
``ui.accessibility.set_invalid``, so a screen reader hears "Error: Enter your full name" when focus
lands on them; this module never talks to QAccessible itself.

Usage: ``error = ErrorMessage(row)``; put ``error.bar`` beside the question and ``error`` above its
input; ``error.show_error(message or None, inputs)``.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QFrame, QLabel, QWidget

from referral_desktop.ui.accessibility import set_invalid
from referral_desktop.ui.theme import error_colour

#: GOV.UK's bar beside a question in error.
BAR_WIDTH = 5


class ErrorMessage(QLabel):
    """The message label; ``bar`` is its 5 px bar, kept in place (transparent) so rows never shift."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorMessage")
        self.setWordWrap(True)
        self.setProperty("role", "error")
        self.message: str | None = None
        self.bar = QFrame(parent)
        self.bar.setObjectName("errorBar")
        self.bar.setFixedWidth(BAR_WIDTH)
        self._paint(False)
        self.hide()

    def _paint(self, on: bool) -> None:
        colour = error_colour()
        self.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.bar.setStyleSheet(f"background: {colour};" if on else "background: transparent;")
        self.bar.setProperty("active", on)

    def show_error(self, message: str | None, inputs: Iterable[QWidget] = ()) -> None:
        """Show ``message`` (or clear with None) and mark ``inputs`` invalid (or valid) for assistive tech."""
        self.message = message or None
        if message:  # iART's reasons and the form's messages: never HTML (set here, not at start-up, where
            from PySide6.QtCore import Qt  # the Qt namespace would cost the unlock screen ~30 ms)

            self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(message or "")
        self.setAccessibleName(f"Error: {message}" if message else "")
        self.setVisible(bool(message))
        self._paint(bool(message))
        for widget in inputs:
            set_invalid(widget, self.message)


def focusable_parts(widget: QWidget) -> list[QWidget]:
    """The widgets inside an input that take keyboard focus (each must carry the error for a screen reader)."""
    from PySide6.QtCore import Qt  # here: the Qt namespace costs ~30 ms, and the unlock screen needs none

    parts = [w for w in widget.findChildren(QWidget) if w.focusPolicy() & Qt.FocusPolicy.TabFocus]
    return parts or [widget]
