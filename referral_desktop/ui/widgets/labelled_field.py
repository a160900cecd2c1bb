"""A question as GOV.UK lays it out: label, hint, error message, input — wired for screen readers.

Why: every input needs an accessible name (its label) and description (its hint and current error), and
the error must be shown in words next to the field, never by colour alone.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from referral_desktop.ui.accessibility import announce, set_description
from referral_desktop.ui.editor.error_message import ErrorMessage
from referral_desktop.ui.theme import hint as mark_hint


class LabelledField(QWidget):
    def __init__(self, label: str, editor: QWidget, hint: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.hint_text = hint
        self.error = ErrorMessage(self)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 6)
        outer.setSpacing(12)
        outer.addWidget(self.error.bar)
        layout = QVBoxLayout()
        layout.setSpacing(2)
        outer.addLayout(layout, 1)
        self.label = QLabel(label)
        self.label.setBuddy(editor)
        self.label.setWordWrap(True)
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        layout.addWidget(self.label)
        self.hint = QLabel(hint)
        self.hint.setWordWrap(True)
        mark_hint(self.hint)
        self.hint.setVisible(bool(hint))
        layout.addWidget(self.hint)
        layout.addWidget(self.error)
        layout.addWidget(editor)
        editor.setAccessibleName(label.replace("&", ""))
        set_description(editor, hint)

    def set_error(self, message: str) -> None:
        self.error.show_error(message or None, [self.editor])

    def say_error(self, message: str) -> None:
        """:meth:`set_error`, and the message said at once (assertive). For a field that keeps the focus
        when its error appears (a passphrase, Enter pressed in it): a screen reader does not read the
        focused field's changed description by itself, so the error would only be shown."""
        self.set_error(message)
        announce(self.editor, message, assertive=True)


def say_errors(rows: Iterable[tuple[LabelledField, str]]) -> bool:
    """Show each row's error ("" clears it); if any is shown, move focus to the first field in error and
    say every message at once (assertive). True when there was an error.

    For errors found after a button was pressed (Change passphrase, Delete everything and reset): focus is
    on the button, not the field, so the field's changed description is never read and the message is
    only shown. As GOV.UK moves focus to what is wrong: the field in error takes focus (its description
    then starts "Error: ..."), scrolled into view, and the messages are announced, so errors on fields
    further down are heard too. The messages are the app's own sentences, never what was typed."""
    failed = []
    for row, message in rows:
        row.set_error(message)
        if message:
            failed.append((row, message))
    if not failed:
        return False
    first = failed[0][0]
    area = _scroll_area_of(first)
    if area is not None:
        from PySide6.QtCore import QTimer  # here: the unlock screen, drawn first, never needs it

        # Once the messages just shown have moved the rows and grown the page (posted layout requests).
        QTimer.singleShot(0, first, lambda: area.ensureWidgetVisible(first))
    first.editor.setFocus()
    announce(first.editor, " ".join(f"{message.rstrip('.')}." for _row, message in failed), assertive=True)
    return True


def _scroll_area_of(widget: QWidget) -> QScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    return parent
