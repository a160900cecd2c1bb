"""A page that scrolls when text is large (200 % font size) instead of clipping its content."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from referral_desktop.ui.widgets.focus_in_view import FocusInView


class ScrollPage(QScrollArea):
    """Holds a column of content, at most ``max_width`` pixels wide for comfortable reading."""

    def __init__(self, parent: QWidget | None = None, max_width: int = 760) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # The page is not a Tab stop of its own (an unnamed "filler" to a screen reader); it scrolls to
        # whatever inside it takes focus. Set as a property (0 = Qt.NoFocus): touching the Qt namespace
        # costs ~30 ms before the first screen is drawn (tests/ui/test_startup.py).
        self.setProperty("focusPolicy", 0)
        holder = QWidget()
        outer = QVBoxLayout(holder)
        outer.setContentsMargins(24, 18, 24, 18)
        row = QHBoxLayout()
        self.body = QWidget()
        self.body.setMaximumWidth(max_width)
        self.column = QVBoxLayout(self.body)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.setSpacing(10)
        # Stretches either side centre the column; the column itself grows up to max_width.
        row.addStretch(1)
        row.addWidget(self.body, 100)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        self.setWidget(holder)
        FocusInView(self)  # what takes focus is scrolled into view, also when it is given, not only by Tab
