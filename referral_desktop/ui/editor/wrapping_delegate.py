"""Rows of a list sized for their text wrapped to the list's width (the step list, the long checklists).

Why: Qt's item views measure one unwrapped line per row, so a long title or choice got a one-line row
and was drawn elided or pushed the list into sideways scrolling, text cut silently.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QListView, QStyle, QStyledItemDelegate, QStyleOptionViewItem


class WrappingDelegate(QStyledItemDelegate):
    """Sizes each row for its text wrapped to the list's width. Qt's own size hint measures one unwrapped
    line (the view passes no width), so a long title got a one-line row and was drawn elided:
    "5. Parents, carers and …", a title cut silently."""

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:  # noqa: N802 - Qt's name
        base = super().sizeHint(option, index)  # one unwrapped line, with the style's padding and icon
        # Measured as the current row too: the style sheet draws it with a bar down its left, less room
        # for its text; measured only unselected, the current section's title needed a line more than its
        # row had and was drawn cut ("household…", its "Done" not drawn).
        selected = QStyleOptionViewItem(option)
        selected.state |= QStyle.StateFlag.State_Selected
        selected_base = super().sizeHint(selected, index)
        base = QSize(max(base.width(), selected_base.width()), max(base.height(), selected_base.height()))
        view = self.parent()
        text = str(index.data() or "")
        if not isinstance(view, QListView) or not text:
            return base
        metrics = QFontMetrics(option.font)
        room = view.viewport().width() - 2 * view.spacing()
        # Qt's measure keeps the text's own line breaks (a step's mark is a line of its own): compare with
        # that, not with one line, or the lines after a break were counted twice (a blank line per mark).
        unwrapped = metrics.boundingRect(QRect(0, 0, 100_000, 100_000), 0, text)
        widest = max(metrics.horizontalAdvance(line) for line in text.split("\n"))
        chrome = base.width() - widest  # padding, icon and margins around the text
        chrome += self._larger_check_box(option, index, view)
        text_width = max(40, room - chrome)
        wrapped = metrics.boundingRect(QRect(0, 0, text_width, 100_000), Qt.TextFlag.TextWordWrap, text)
        extra = max(0, wrapped.height() - unwrapped.height())
        height = base.height() + extra
        return QSize(min(base.width(), room), height + self._short_when_focused(option, index, view, height))

    def _short_when_focused(self, option: QStyleOptionViewItem, index, view: QListView, height: int) -> int:
        """How much taller the current row must be to hold its text while the list has keyboard focus. The
        style sheet then draws a focus border inside the row, which its size hint does not count: the
        current section, its title and mark on two lines, was drawn on one, "2. About you…", its "Done"
        not drawn, whenever a keyboard user was on the list of sections."""
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        item.state |= QStyle.StateFlag.State_Selected | QStyle.StateFlag.State_HasFocus
        item.rect = QRect(0, 0, view.viewport().width() - 2 * view.spacing(), height)
        style = view.style()
        room = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, item, view)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
        width = max(40, room.width() - 2 * margin - self._larger_check_box(option, index, view))
        text = str(index.data() or "")
        needed = QFontMetrics(item.font).boundingRect(QRect(0, 0, width, 100_000), Qt.TextFlag.TextWordWrap, text)
        return max(0, needed.height() - room.height())

    def _larger_check_box(self, option: QStyleOptionViewItem, index, view: QListView) -> int:
        """How much wider a style sheet's check box (sized in em, ``resources/govuk.qss``) is
        drawn than the style's size hint allows for: Qt lays the text out for its own small box but paints
        it after the sheet's, so a line that "fits" by the hint was painted elided."""
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        if not item.features & QStyleOptionViewItem.ViewItemFeature.HasCheckIndicator:
            return 0
        item.rect = QRect(0, 0, view.viewport().width(), option.rect.height() or 100)
        style = view.style()
        check = style.subElementRect(QStyle.SubElement.SE_ItemViewItemCheckIndicator, item, view)
        text = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, item, view)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
        return max(0, check.right() + 1 + 2 * margin - text.left())


def wrap_rows(view: QListView) -> None:
    """Make ``view`` show each row's whole text, wrapped to its width: a drop-down's open list and its
    search suggestions, whose long choices Qt drew on one line, cut at the list's edge ("White and Black
    Carib…") once the closed box had narrowed with the page (tests/ui/editor/test_narrow_questions.py)."""
    view.setWordWrap(True)
    view.setTextElideMode(Qt.TextElideMode.ElideNone)
    view.setUniformItemSizes(False)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setItemDelegate(WrappingDelegate(view))
