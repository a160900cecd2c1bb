"""A plain-text label that wraps at word boundaries, and inside a word too long for its width.

Why: a QLabel wraps only between words. An answer holding one long unbroken word (an email address,
"safeguarding.lead.42@longschoolname.org", at 200 % text) kept its label, and so the page, at least that
word wide: on a narrow window the check page scrolled sideways to read it (WCAG 1.4.10 Reflow asks that
nobody must). This label breaks such a word where the line ends, as a web page does with
``overflow-wrap: anywhere``; the words that fit are never broken. Its ``text()`` (what a screen reader
reads) is the answer unchanged: no invisible break characters are put into it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, QSize, Qt
from PySide6.QtGui import (
    QContextMenuEvent,
    QFont,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QLabel, QMenu, QSizePolicy, QWidget

#: The narrowest the label asks for, in average characters: below that it still breaks, but a layout
#: is told it is too narrow to read.
MINIMUM_CHARACTERS = 6
#: The width it prefers, in average characters (a comfortable line, as GOV.UK's two-thirds column).
PREFERRED_CHARACTERS = 60


class WrapAnywhereLabel(QLabel):
    """``selectable``: text can be selected with the mouse and copied (Ctrl+C, or the context menu), as
    a QLabel's with ``TextSelectableByMouse``, which lays its text out itself and so cannot break words."""

    def __init__(self, text: str = "", parent: QWidget | None = None, *, bold: bool = False,
                 selectable: bool = False) -> None:
        super().__init__(parent)
        self._selectable = selectable
        self._anchor = self._cursor = 0  # the selection: between these two text positions
        if selectable:
            self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # for Ctrl+C; never a Tab stop
            self.setCursor(Qt.CursorShape.IBeamCursor)
        self.setTextFormat(Qt.TextFormat.PlainText)  # the user's own text: never as HTML
        self.setText(text)
        self.setWordWrap(True)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        if bold:  # only the weight set: size and family still follow the application's text size
            font = QFont()
            font.setBold(True)
            self.setFont(font)
        self._heights: dict[int, tuple[int, int]] = {}  # text width -> (height, lines)

    # -- measuring --------------------------------------------------------------------------------------
    def _laid_out(self, width: int) -> tuple[int, int]:
        """(height, number of lines) of the text wrapped to ``width`` pixels."""
        width = max(1, width)
        cached = self._heights.get(width)
        if cached is not None:
            return cached
        layout = self._layout(width)
        lines = layout.lineCount()
        height = round(layout.boundingRect().height()) if lines else self.fontMetrics().height()
        self._heights[width] = (height, max(1, lines))
        return self._heights[width]

    def _layout(self, width: int) -> QTextLayout:
        # QTextLayout ignores "\n": the line separator is its forced break (a multiple-choice answer
        # has one choice a line).
        layout = QTextLayout(self.text().replace("\n", "\u2028"), self.font())
        option = QTextOption(Qt.AlignmentFlag.AlignLeft)
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layout.setTextOption(option)
        leading = self.fontMetrics().leading()
        y = 0.0
        layout.beginLayout()
        while (line := layout.createLine()).isValid():
            line.setLineWidth(width)
            line.setPosition(QPointF(0, y))
            y += line.height() + max(0, leading)
        layout.endLayout()
        return layout

    def _text_width(self, width: int) -> int:
        margins = self.contentsMargins()
        return width - margins.left() - margins.right()

    def _extra_height(self) -> int:
        margins = self.contentsMargins()
        return margins.top() + margins.bottom()

    def line_count(self, width: int | None = None) -> int:
        """How many lines the text takes at ``width`` (the label's own width when not given)."""
        return self._laid_out(self._text_width(self.width() if width is None else width))[1]

    def widest_word(self) -> int:
        """The width of its widest word: what it needs so that no word is broken."""
        metrics = self.fontMetrics()
        words = self.text().split()
        margins = self.contentsMargins()
        return max((metrics.horizontalAdvance(word) for word in words), default=0) + margins.left() + margins.right()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt name)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt name)
        return self._laid_out(self._text_width(width))[0] + self._extra_height()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        margins = self.contentsMargins()
        width = self.fontMetrics().averageCharWidth() * MINIMUM_CHARACTERS + margins.left() + margins.right()
        return QSize(width, self.fontMetrics().height() + self._extra_height())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        metrics = self.fontMetrics()
        margins = self.contentsMargins()
        natural = max((metrics.horizontalAdvance(line) for line in self.text().split("\n")), default=0)
        width = min(natural, metrics.averageCharWidth() * PREFERRED_CHARACTERS) + margins.left() + margins.right()
        width = max(width, self.minimumSizeHint().width())
        return QSize(width, self.heightForWidth(width))

    # -- keeping the measures current -----------------------------------------------------------------
    def setText(self, text: str) -> None:  # noqa: N802 (Qt name)
        self._heights = {}
        self._anchor = self._cursor = 0
        super().setText(text)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange, QEvent.Type.ContentsRectChange):
            self._heights = {}
            self.updateGeometry()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt name)
        rect = self.contentsRect()
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        selections = []
        start, end = sorted((self._anchor, self._cursor))
        if end > start:
            selected = QTextLayout.FormatRange()
            selected.start, selected.length = start, end - start
            selected.format.setBackground(self.palette().highlight())
            selected.format.setForeground(self.palette().highlightedText())
            selections.append(selected)
        self._layout(max(1, rect.width())).draw(painter, QPointF(rect.topLeft()), selections)

    # -- selecting and copying (``selectable``) ---------------------------------------------------------
    def selected_text(self) -> str:
        start, end = sorted((self._anchor, self._cursor))
        return self.text()[start:end]

    def _position_at(self, point: QPoint) -> int:
        rect = self.contentsRect()
        layout = self._layout(max(1, rect.width()))
        y = point.y() - rect.top()
        for index in range(layout.lineCount()):
            line = layout.lineAt(index)
            if y < line.y() + line.height() or index == layout.lineCount() - 1:
                return line.xToCursor(point.x() - rect.left())
        return 0

    def _select(self, anchor: int, cursor: int) -> None:
        self._anchor, self._cursor = anchor, cursor
        self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt name)
        if self._selectable and event.button() == Qt.MouseButton.LeftButton:
            position = self._position_at(event.position().toPoint())
            self._select(position, position)
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            event.accept()  # taken, so the moves that follow come here
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt name)
        if self._selectable and event.buttons() & Qt.MouseButton.LeftButton:
            self._select(self._anchor, self._position_at(event.position().toPoint()))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        if self._selectable and event.matches(QKeySequence.StandardKey.Copy) and self.selected_text():
            QGuiApplication.clipboard().setText(self.selected_text())
            event.accept()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802 (Qt name)
        if event.reason() != Qt.FocusReason.PopupFocusReason:  # its own context menu keeps it
            self._select(0, 0)
        super().focusOutEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt name)
        if not self._selectable:
            super().contextMenuEvent(event)
            return
        menu = QMenu(self)
        copy = menu.addAction("Copy", lambda: QGuiApplication.clipboard().setText(self.selected_text()))
        copy.setEnabled(bool(self.selected_text()))
        menu.addAction("Select all", lambda: self._select(0, len(self.text())))
        menu.exec(event.globalPos())
