"""The step list: the form's sections in order, each marked "Done", "Has errors" or "Not started", then
"Check answers".

Marks are words (and an icon), never colour alone, and they are part of the item text so a screen
reader reads them. Sections whose ``visible_when`` is false are hidden rows. When each mark is given is
error_timing.py.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import QIcon, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from referral_desktop.ui.editor.warning_mark import warning_icon
from referral_desktop.ui.editor.wrapping_delegate import WrappingDelegate


class Mark(Enum):
    NONE = ""
    DONE = "Done"
    ERRORS = "Has errors"
    NOT_STARTED = "Not started"  # checked, nothing wrong, but never opened nor answered: not "Done"


CHECK_STEP_TITLE = "Check answers and send"
#: The list is never narrower than this many letters beside its marks (longer words break, hyphenated).
LEAST_LETTERS = 6
SOFT_HYPHEN = "\u00ad"


class StepList(QListView):
    def __init__(self, titles: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepList")
        self.setAccessibleName("Sections of the form")
        # Polished now, so the style sheet's row padding is in the row height Qt computes once (uniform
        # item sizes): unpolished, rows were 14 px high, a hard target for a mouse or a finger.
        self.ensurePolished()
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Titles and their marks wrap (never "Parents, carers and househo…"), so rows differ in height.
        self.setUniformItemSizes(False)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setItemDelegate(WrappingDelegate(self))
        self.setResizeMode(QListView.ResizeMode.Adjust)
        # Wrapped to the list's width: never a sideways scroll bar, and room kept for the vertical one so
        # the width the items were wrapped to does not change when it appears (which cut the last words).
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        # By pixel, not by whole rows: at 200 % text a row is a third of the list, and scrolling by rows
        # left the current section cut at the list's foot.
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self._size_marks()
        self.setSpacing(2)
        self.step_model = QStandardItemModel(self)
        self._titles = titles + [CHECK_STEP_TITLE]
        self.marks: list[Mark] = [Mark.NONE] * len(titles)
        self._shown = [True] * len(self._titles)
        for number, title in enumerate(self._titles, start=1):
            item = QStandardItem(f"{number}. {title}")
            item.setEditable(False)
            self.step_model.appendRow(item)
        self.setModel(self.step_model)
        self._room = 0  # the width a row's words have, when they were last broken to it (_retext)
        self._size_to_words()
        for row in range(len(self._titles)):
            self._retext(row)

    def _size_marks(self) -> None:
        """The tick and the warning as tall as the letters rise, never below the style's small icon: at
        200 % text a 16 px mark was half the letters' height."""
        side = max(self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize), self.fontMetrics().ascent())
        self.setIconSize(QSize(side, side))

    def text_room(self, row: int, width: int | None = None) -> int:
        """How wide the words of ``row`` may be drawn in a row ``width`` wide (its own width now): less the
        style's padding, the mark's icon and the focus frame, as when it is current and focused."""
        index = self.step_model.index(row, 0)
        option = QStyleOptionViewItem()
        option.initFrom(self)
        option.font = self.font()
        option.decorationSize = self.iconSize()
        delegate = self.itemDelegate()
        assert isinstance(delegate, QStyledItemDelegate)  # the list's WrappingDelegate
        delegate.initStyleOption(option, index)
        option.icon = self._icon(Mark.ERRORS)  # room for a mark, whether or not the row has one yet
        option.features |= QStyleOptionViewItem.ViewItemFeature.HasDecoration
        rect = self.visualRect(index)
        option.rect = QRect(0, 0, rect.width() if width is None else width, max(rect.height(), 100))
        option.state |= QStyle.StateFlag.State_Selected | QStyle.StateFlag.State_HasFocus
        text = self.style().subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, self)
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self) + 1
        return text.width() - 2 * margin

    def _size_to_words(self) -> None:
        """At least a few letters wide beside the mark; the editor decides how much wider
        (``EditorScreen``). A fixed 300 px minimum held the list at more than a third of an 800 px editor
        at 200 % text; a word longer than the list is wide breaks with a hyphen (``_breakable``)."""
        probe = 1000
        chrome = probe - self.text_room(0, probe) + 2 * self.spacing()
        bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self.verticalScrollBar())
        self.least_width = LEAST_LETTERS * self.fontMetrics().averageCharWidth() + chrome + bar + 2 * self.frameWidth()
        self.setMinimumWidth(self.least_width)
        # No wider than every title beside its longest mark needs, on its own (the editor sets its width).
        widest = max(self.fontMetrics().horizontalAdvance(f"{t} — Has errors") for t in self._titles)
        self.setMaximumWidth(max(widest + 60, 320))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # the system's text size changed while open
            self._size_marks()
            if hasattr(self, "marks"):
                self._size_to_words()
                if self.isVisible():
                    self._rebreak()
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.PaletteChange) and hasattr(self, "marks"):
            self._redraw_marks()  # drawn for a size and a palette (a dark scheme chosen while open)

    @property
    def check_row(self) -> int:
        return len(self._titles) - 1

    def set_mark(self, row: int, mark: Mark) -> None:
        if row >= len(self.marks):
            return
        changed = self.marks[row] is not mark
        self.marks[row] = mark
        item = self.step_model.item(row)
        self._retext(row)
        item.setIcon(self._icon(mark))
        item.setData(mark.value or "Not done yet", Qt.ItemDataRole.AccessibleDescriptionRole)
        # A mark is a line more (or less): rows above the current one grow, and at 200 % text checking
        # every section pushed the current step out of the list. Keep it in view.
        if changed and self.currentIndex().isValid():
            self.scrollTo(self.currentIndex())

    def _icon(self, mark: Mark) -> QIcon:
        if mark is Mark.DONE:
            return self.style().standardIcon(QStyle.StandardPixmap.SP_DialogApplyButton)  # 8:1 on white
        if mark is Mark.ERRORS:  # drawn: the style's yellow triangle was not seen (warning_mark.py)
            return warning_icon(self.palette(), self.iconSize().height(), self.devicePixelRatioF())
        return QIcon()

    def _redraw_marks(self) -> None:
        for row, mark in enumerate(self.marks):
            self.step_model.item(row).setIcon(self._icon(mark))

    def _breakable(self, text: str) -> str:
        """``text`` with a soft hyphen between the letters of each word too long for a row's width, where
        Qt may break it ("Profession-" / "als"): at 200 % text in a narrow window "Professionals" is wider
        than a third of it, and the list is never wider than that (its words wrapped, none cut)."""
        if self._room <= 0:
            return text
        metrics = self.fontMetrics()
        return "\n".join(" ".join(SOFT_HYPHEN.join(word) if metrics.horizontalAdvance(word) > self._room else word
                                  for word in line.split(" ")) for line in text.split("\n"))

    def _retext(self, row: int) -> None:
        """The row's words as drawn (broken where too long) and, for a screen reader, as written."""
        item = self.step_model.item(row)
        text = self._text(row)
        shown = self._breakable(text)
        if item.text() != shown:
            item.setText(shown)
        if item.data(Qt.ItemDataRole.AccessibleTextRole) != text:
            item.setData(text, Qt.ItemDataRole.AccessibleTextRole)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._rebreak()

    def _rebreak(self) -> None:
        """Each row's words broken again for the room they have now (the list resized, the text size
        changed)."""
        room = self.text_room(0, self.viewport().width() - 2 * self.spacing())
        if room != self._room:
            self._room = room
            for row in range(len(self._titles)):
                self._retext(row)

    def _text(self, row: int) -> str:
        # Numbered among the sections shown, so a section hidden by an answer leaves no gap (1, 2, 3...).
        number = sum(self._shown[: row + 1])
        mark = self.marks[row] if row < len(self.marks) else Mark.NONE
        # The mark on a line of its own: a long title (or 200 % text) never pushes "Has errors" out of sight.
        return f"{number}. {self._titles[row]}" + (f"\n{mark.value}" if mark is not Mark.NONE else "")

    def set_row_shown(self, row: int, shown: bool) -> None:
        self.setRowHidden(row, not shown)
        if 0 <= row < len(self._shown) and self._shown[row] != shown:
            self._shown[row] = shown
            for other in range(len(self._titles)):
                self._retext(other)

    def select_row(self, row: int) -> None:
        index = self.step_model.index(row, 0)
        if self.currentIndex() != index:
            self.setCurrentIndex(index)
