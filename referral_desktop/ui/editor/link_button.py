"""A button that looks like a link: error-summary items and "Change" links on the check page.

A real button rather than rich text in a QLabel, because buttons are reliably reachable with Tab,
activated with Space or Enter, and announced by screen readers on every platform.

A push button draws its text on one line and is cut where the page ends, so a long error-summary message
at 200 % text ("Select yes if you have consulted your Designated S") was never read in full. This one
wraps at word boundaries when it is narrower than its text (height-for-width), as a link on a web page
does; its ``text()`` and accessible name stay the whole message.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPaintEvent, QTextLayout, QTextOption
from PySide6.QtWidgets import QPushButton, QSizePolicy, QStyle, QStyleOptionButton, QStylePainter, QWidget


class LinkButton(QPushButton):
    def __init__(self, text: str, parent: QWidget | None = None, accessible_name: str | None = None) -> None:
        super().__init__(text, parent)
        self.setFlat(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAutoDefault(False)
        self.setProperty("role", "link")
        # Preferred, not Fixed, in height: a fixed height is its one-line hint, and the layout would not
        # give a wrapped link its height-for-width.
        policy = QSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
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
