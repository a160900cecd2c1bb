"""A push button whose words wrap when it is narrower than its text, as a button on a web page does.

Why: Qt's push button draws its text on one line and asks for that line's width at the least, so at
800 px and 200 % text "Add another parent or carer" needed more than the page had and the page scrolled
sideways (tests/ui/editor/test_narrow_questions.py); a long error-summary link was cut at the page's
edge (``LinkButton``, which is one of these). It asks for its longest word's width, takes the height its
lines need at the width it gets (height-for-width), and draws the lines through the style (sheet), so its
colours and focus are the style's own. Its ``text()`` and accessible name stay the whole text.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QPaintEvent, QTextLayout, QTextOption
from PySide6.QtWidgets import QPushButton, QSizePolicy, QStyle, QStyleOptionButton, QStylePainter, QWidget


class WrappingButton(QPushButton):
    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        # Preferred, not Fixed, in height: a fixed height is its one-line hint, and the layout would not
        # give a wrapped button its height-for-width.
        policy = QSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    # -- wrapping ---------------------------------------------------------------------------------------
    def _option(self, text: str) -> QStyleOptionButton:
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = text
        return option

    def _size_for(self, text: str) -> QSize:
        """The button's size around ``text`` (lines split by newlines), as the style (sheet) pads it."""
        metrics = self.fontMetrics()
        lines = text.split("\n")
        contents = QSize(max(metrics.horizontalAdvance(line) for line in lines),
                         metrics.lineSpacing() * (len(lines) - 1) + metrics.height())
        return self.style().sizeFromContents(QStyle.ContentsType.CT_PushButton, self._option(text), contents, self)

    def _wrapped(self, width: int) -> str:
        """The text with line breaks where it wraps within ``width`` (the whole text when it fits)."""
        text = self.text()
        advance = self.fontMetrics().horizontalAdvance(text)
        room = max(1, width - (self._size_for(text).width() - advance))  # less the padding and border
        if advance <= room:
            return text
        layout = QTextLayout(text, self.font())
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WordWrap)
        layout.setTextOption(option)
        lines: list[str] = []
        layout.beginLayout()
        while (line := layout.createLine()).isValid():
            line.setLineWidth(room)
            lines.append(text[line.textStart():line.textStart() + line.textLength()].strip())
        layout.endLayout()
        return "\n".join(lines)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt name)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt name)
        return self._size_for(self._wrapped(width)).height()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        """As narrow as the longest word: the rest wraps."""
        longest = max(self.text().split(), key=self.fontMetrics().horizontalAdvance, default="")
        return QSize(min(self.sizeHint().width(), self._size_for(longest).width()), self._size_for("").height())

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt name)
        text = self._wrapped(self.width())
        if text == self.text():
            super().paintEvent(event)
            return
        painter = QStylePainter(self)
        painter.drawControl(QStyle.ControlElement.CE_PushButton, self._option(text))
