"""A page that scrolls when text is large (200 % font size) instead of clipping its content."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget


class ScrollPage(QScrollArea):
    """Holds a column of content, at most ``max_width`` pixels wide for comfortable reading."""

    def __init__(self, parent: QWidget | None = None, max_width: int = 760) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        holder = QWidget()
        outer = QVBoxLayout(holder)
        outer.setContentsMargins(24, 18, 24, 18)
        self.body = QWidget()
        self.body.setMaximumWidth(max_width)
        self.column = QVBoxLayout(self.body)
        self.column.setContentsMargins(0, 0, 0, 0)
        self.column.setSpacing(10)
        outer.addWidget(self.body, 0, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        outer.addStretch(1)
        self.setWidget(holder)
