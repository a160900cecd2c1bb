"""The step list: the form's sections in order, each marked "Done", "Has errors" or "Not started", then
"Check answers".

Marks are words (and an icon), never colour alone, and they are part of the item text so a screen
reader reads them. Sections whose ``visible_when`` is false are hidden rows. When each mark is given is
error_timing.py.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QIcon, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QListView, QStyle, QWidget

from referral_desktop.ui.editor.warning_mark import warning_icon
from referral_desktop.ui.editor.wrapping_delegate import WrappingDelegate


class Mark(Enum):
    NONE = ""
    DONE = "Done"
    ERRORS = "Has errors"
    NOT_STARTED = "Not started"  # checked, nothing wrong, but never opened nor answered: not "Done"


CHECK_STEP_TITLE = "Check answers and send"


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
        width = max(self.fontMetrics().horizontalAdvance(f"{t} — Has errors") for t in self._titles)
        self.setMinimumWidth(min(width + 40, 300))
        self.setMaximumWidth(max(width + 60, 320))

    def _size_marks(self) -> None:
        """The tick and the warning as tall as the letters rise, never below the style's small icon: at
        200 % text a 16 px mark was half the letters' height."""
        side = max(self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize), self.fontMetrics().ascent())
        self.setIconSize(QSize(side, side))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # the system's text size changed while open
            self._size_marks()
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
        item.setText(self._text(row))
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
                self.step_model.item(other).setText(self._text(other))

    def select_row(self, row: int) -> None:
        index = self.step_model.index(row, 0)
        if self.currentIndex() != index:
            self.setCurrentIndex(index)
