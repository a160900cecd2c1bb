"""An answer that can no longer be changed, shown as its words: read, selected and copied, reached by Tab.

Why a read-only plain-text box and not the read-only line edit the typed answers, the drop-down's answer
and the date's boxes had: a screen reader was told each was EDITABLE (and read-only). Qt's accessible
line edit reports ``editable`` whatever the box is set to (its read-only flag is added beside it) and
cannot be told otherwise from Python: the app's accessibility factory could give the box an interface of
its own, but not Qt's Text interface with it (PySide6 cannot hand Qt a Python text interface), and the
answer's words would go from the bus. Qt's plain-text box says READ_ONLY and not EDITABLE once read-only,
and keeps its Text interface (tests/ui/atspi/test_editor_walk.py). It also wraps: a read-only line edit
showed a long answer cut at its box's edge.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QResizeEvent, QTextLayout, QTextOption
from PySide6.QtWidgets import QPlainTextEdit, QSizePolicy, QWidget


class ReadOnlyAnswer(QPlainTextEdit):
    """The words of one answer, as tall as their wrapped lines, in the style sheet's read-only look (its
    words behind a grey bar: ``[readOnly="true"]``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        # Selected by keyboard too (Shift+arrows, Ctrl+A) and copied with Ctrl+C; Tab moves on.
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                     | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setTabChangesFocus(True)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.textChanged.connect(self._fit_height)
        self._fit_height()

    def show_text(self, text: str) -> None:
        if self.toPlainText() != text:
            self.setPlainText(text)

    def _lines(self, width: int) -> int:
        """How many lines the words take at ``width``, wrapped as the box wraps them."""
        option = QTextOption()
        option.setWrapMode(self.wordWrapMode())
        count = 0
        for paragraph in self.toPlainText().split("\n"):
            layout = QTextLayout(paragraph, self.font())
            layout.setTextOption(option)
            layout.beginLayout()
            while (line := layout.createLine()).isValid():
                line.setLineWidth(width)
                count += 1
            layout.endLayout()
        return max(1, count)

    def _fit_height(self) -> None:
        """As tall as its wrapped lines (one at the least), plus its frame and padding. Measured here:
        Qt's plain-text layout counts a paragraph's lines only once it has drawn them."""
        margin = int(self.document().documentMargin())
        room = self.contentsRect()  # the viewport's place, valid before the viewport is laid out
        width = max(1, room.width() - 2 * margin)
        frame = self.height() - room.height()
        height = self._lines(width) * self.fontMetrics().lineSpacing() + 2 * margin + frame + 2
        if self.height() != height:
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._fit_height()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit_height()
