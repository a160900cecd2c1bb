"""The GOV.UK character count: "You have 120 characters remaining", then "You have 15 characters too many".

Why: a limit enforced by cutting text loses what someone pasted (10,500 characters became 10,000, cut
mid-word, with no message). The text is always kept whole; this count says how far over it is, in red
words once over (never colour alone), and validation keeps the section from being done until it fits.
Long-text answers show the count all the time; one-line answers only once they reach their limit
(``threshold``), as GOV.UK's threshold option does, so short boxes are not cluttered.

The count changes on every key, but assistive technology hears it only after a pause in typing (the
``settled`` signal), so a screen reader is not interrupted per key.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QWidget

from referral_desktop.ui.accessibility import announce
from referral_desktop.ui.theme import error_colour, hint_colour

#: How long typing must pause before the count is offered to assistive technology (GOV.UK uses 1 s).
ANNOUNCE_AFTER_MS = 1000


def count_message(length: int, limit: int) -> str:
    """The words GOV.UK uses, singular or plural."""
    left = limit - length
    if left >= 0:
        return f"You have {left} character{'s' if left != 1 else ''} remaining"
    over = -left
    return f"You have {over} character{'s' if over != 1 else ''} too many"


class CharacterCount(QLabel):
    """A count under an input; call ``update_count(len(text))`` on every change."""

    settled = Signal(str)  # the message, after a pause in typing

    def __init__(self, limit: int, *, threshold: float = 0.0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("characterCount")
        self.setWordWrap(True)
        self.limit = limit
        self._threshold = threshold
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(ANNOUNCE_AFTER_MS)
        self._pause.timeout.connect(self._settle)
        self.over = False
        self._locked = False
        self._length = 0
        self.update_count(0, quiet=True)

    def set_locked(self, locked: bool) -> None:
        """An answer that can no longer be changed (a queued referral) counts nothing: "You have 479
        characters remaining" invited typing where none is possible."""
        self._locked = locked
        self._show_if_due()

    def _show_if_due(self) -> None:
        self.setVisible(not self._locked and self._length >= self.limit * self._threshold)

    def _settle(self) -> None:
        """After a pause in typing: tell assistive technology the count (numbers only, no answer text)."""
        if self.isVisible():
            announce(self, self.text())
        self.settled.emit(self.text())

    def update_count(self, length: int, *, quiet: bool = False) -> None:
        self.over = length > self.limit
        self.setText(count_message(length, self.limit))
        self.setProperty("role", "error" if self.over else "hint")
        self.setStyleSheet(f"color: {error_colour()}; font-weight: bold;" if self.over else f"color: {hint_colour()};")
        self._length = length
        self._show_if_due()
        if not quiet:
            self._pause.start()
