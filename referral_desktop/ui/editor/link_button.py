"""A button that looks like a link: error-summary items and "Change" links on the check page.

A real button rather than rich text in a QLabel, because buttons are reliably reachable with Tab,
activated with Space or Enter, and announced by screen readers on every platform.

A push button draws its text on one line and is cut where the page ends, so a long error-summary message
at 200 % text ("Select yes if you have consulted your Designated S") was never read in full. This one
wraps at word boundaries when it is narrower than its text (height-for-width, ``WrappingButton``), as a
link on a web page does; its ``text()`` and accessible name stay the whole message.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from referral_desktop.ui.editor.wrapping_button import WrappingButton


class LinkButton(WrappingButton):
    def __init__(self, text: str, parent: QWidget | None = None, accessible_name: str | None = None) -> None:
        super().__init__(text, parent)
        self.setFlat(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAutoDefault(False)
        self.setProperty("role", "link")
        font = self.font()
        font.setUnderline(True)
        self.setFont(font)
        # Colour, focus (yellow behind dark text, dark bottom edge) and padding: resources/govuk.qss.
        if accessible_name:
            self.setAccessibleName(accessible_name)

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt name)
        """Enter follows a link, as on the web (a push button answers only Space)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            self.click()
            event.accept()
            return
        super().keyPressEvent(event)
