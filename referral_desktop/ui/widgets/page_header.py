"""A page's heading with its buttons beside it, or under it when beside it the heading would take more
than two lines.

Why: at 200 % text on a 1366 px laptop the privacy notice's heading, squeezed beside "Print or save as
PDF…" and "Back to referrals", took five lines (a third of the window) and left the notice a box about 270 px
high to read in; a referral's heading took four lines beside "Back to referrals". Panels stack rather than
squeeze (UX.md). At 100 % text the heading fits beside its buttons and nothing moves.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QWidget

#: Beside the buttons, the heading may take this many lines before the buttons go under it.
MOST_LINES_BESIDE = 2


class PageHeader(QWidget):
    def __init__(self, title: QLabel, *buttons: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        title.setWordWrap(True)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.addWidget(title, 0, 0)  # first: Tab goes from the heading to the buttons
        self.grid.setColumnStretch(0, 1)
        self.buttons = QWidget(self)
        row = QHBoxLayout(self.buttons)
        row.setContentsMargins(0, 0, 0, 0)
        for button in buttons:
            row.addWidget(button)
        self.beside: bool | None = None
        self._place(beside=True)

    def _place(self, *, beside: bool) -> None:
        if beside == self.beside:
            return
        self.beside = beside
        self.grid.removeWidget(self.buttons)
        if beside:
            self.grid.addWidget(self.buttons, 0, 1)
        else:
            self.grid.addWidget(self.buttons, 1, 0, Qt.AlignmentFlag.AlignLeft)
        self.updateGeometry()

    def _lines(self, width: int) -> int:
        if width <= 0:
            return MOST_LINES_BESIDE + 1
        metrics = self.title.fontMetrics()
        text = metrics.boundingRect(QRect(0, 0, width, 1_000_000), Qt.TextFlag.TextWordWrap, self.title.text())
        return math.ceil(text.height() / max(1, metrics.lineSpacing()))

    def fit(self) -> None:
        """Buttons beside the heading or under it, for the header's width (call after the heading's text
        changes; done on every resize)."""
        beside_width = self.width() - self.buttons.sizeHint().width() - self.grid.horizontalSpacing()
        self._place(beside=self._lines(beside_width) <= MOST_LINES_BESIDE)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self.fit()
