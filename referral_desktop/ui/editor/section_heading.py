"""A section page's heading, which can take focus when a section opens but is no Tab stop.

Why: at 200 % text some sections' descriptions push the first question below the fold, so heading and
question cannot be seen together. Such a page opens at its top with focus on its heading (GOV.UK: a page's
heading is read first): a screen reader reads the section's title as a heading, and the next Tab reaches
the first question. Focused, a 3 px line in the text colour runs under it (as the error summary's focus
line does), so a sighted keyboard user sees where focus is.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QLabel, QWidget

from referral_desktop.ui.theme import heading

FOCUS_LINE = 3


class SectionHeading(QLabel):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)  # the form's own words, never read as HTML
        self.setText(title)
        heading(self, 1)
        self.setAccessibleName(title)
        # Click focus only: not a Tab stop, but (unlike NoFocus) it can have a place in the tab order,
        # so Tab from it goes on to the page's first question.
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        margins = self.contentsMargins()
        self.setContentsMargins(margins.left(), margins.top(), margins.right(), margins.bottom() + FOCUS_LINE + 2)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt name)
        # Painted again as focus comes and goes: Qt's own focus handlers ask for it (QWidget::focusInEvent).
        super().paintEvent(event)
        if not self.hasFocus():
            return
        painter = QPainter(self)
        painter.fillRect(0, self.height() - FOCUS_LINE, self.width(), FOCUS_LINE,
                         self.palette().color(QPalette.ColorRole.WindowText))
        painter.end()
