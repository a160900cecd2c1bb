"""How wide the home list's columns are, and which of them are shown, so that nothing scrolls sideways.

Why: at 200 % text on a 1366 px laptop the seven columns need about 1.5 times the screen's width, and the
outcome ended up off its right edge (WCAG 1.4.10). Widths come from sample texts, so they follow the font
size and every cell is read whole. Where the list is too narrow, it gives up room in an order that keeps
what a GP looks for at a glance: first when the referral was started and last changed, then a column of its
own for the outcome (the decision due and the outcome share one: only a decided referral has an outcome,
and then it matters more than the day it was due). The iART reference is never given up: professionals read
it out when they phone iART or the council. Where even its column does not fit (the narrow layout), it is a
second line under the state, and rows are two lines high. Created and updated are on the referral's page.

A width the person sets by dragging a header's edge stays for the session (a column widened to read a long
name snapped back at every re-fit: the window narrowed, the panel beside the list moved); only the columns
nobody dragged are fitted. Which columns are shown still follows the fitted widths, so a drag never makes
another column disappear. The decision-due column (with the outcome in it when merged) and the state column
(with the reference under it in the narrow layout) remember a width for each of their two contents.

The state column also says, for the few referrals that have any, what has not reached iART: each kind on a
line of its own under the state ("Received by iART" / "1 document not sent yet"), and only those rows are
taller (TallRows). Beside the state, on one line, the words made the column so wide that a single such
referral cost every other row its columns at 100 % text; under it they are no wider than the state's own
words ("iART asked for more information"), and the column widens only if they are.

A column given up is dropped by the list's proxy (ReferralFilter.set_hidden_columns), not hidden in the
header: a hidden section stays in Qt's accessible table, and a screen reader's table commands read it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, QSize, Qt, QTimer
from PySide6.QtWidgets import QStyledItemDelegate, QTableView

from referral_desktop.domain.clock_words import SHORT_MONTHS
from referral_desktop.ui.referral_states import OUTCOME_LABELS, STATE_LABELS
from referral_desktop.ui.screens.referral_filter import ReferralFilter
from referral_desktop.ui.screens.referral_table_model import (
    COLUMNS,
    DUE_COLUMN,
    DUE_OR_OUTCOME,
    ID_ROLE,
    OUTCOME_COLUMN,
    REFERENCE_COLUMN,
    STATE_AND_REFERENCE,
    STATE_COLUMN,
    ReferralTableModel,
)

#: Given up one by one, in this order, while the list is too narrow for the rest: when it was started and
#: last changed (State and everything after it stay).
OPTIONAL_COLUMNS = (2, 3)
#: Hidden where the decision-due column also says the outcome (one line: the reference keeps its column).
MERGED_HIDDEN = frozenset({2, 3, OUTCOME_COLUMN})
#: Hidden in the narrow layout, where the reference is a second line under the state.
NARROW_HIDDEN = MERGED_HIDDEN | {REFERENCE_COLUMN}
#: Where a dropped column's content is still shown: the outcome in the decision-due column, the reference
#: under the state.
_HOLDERS = {OUTCOME_COLUMN: DUE_COLUMN, REFERENCE_COLUMN: STATE_COLUMN}
_PADDING = 20  # the cell's margins and the sort arrow's room
_ROW_PADDING = 12  # above and below a row's text
_TWO_LINES_PADDING = 8  # a little less around two lines: at 200 % text every pixel is rows in view


class FirstLineDelegate(QStyledItemDelegate):
    """In two-line rows every cell's text and the overdue icon start on the row's first line, so a row
    reads across (the child, the state, the decision due) with the reference alone on the line below."""

    def __init__(self, model: ReferralTableModel, parent=None) -> None:
        super().__init__(parent)
        self.model = model

    def initStyleOption(self, option, index) -> None:  # noqa: N802 (Qt name)
        super().initStyleOption(option, index)
        if self.model.reference_under_state or index.data(ID_ROLE) in self.model.not_at_iart_rows:
            option.displayAlignment = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
            option.decorationAlignment = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop


class ColumnFitter:
    """Sizes the table's columns and rows for its font and shows the columns that fit its width (call ``fit``
    on resize). The table shows ``proxy`` (over ``model``); widths and hidden columns are in the model's
    column numbers."""

    def __init__(self, table: QTableView, model: ReferralTableModel, proxy: ReferralFilter) -> None:
        self.table = table
        self.model = model
        self.proxy = proxy
        self.measure()
        #: The widest line saying what has not reached iART in the list, with its margins (0: none).
        self.not_at_iart_width = 0
        model.not_at_iart_changed.connect(self._not_at_iart_changed)
        header = table.horizontalHeader()
        for column, source in enumerate(proxy.shown):
            header.resizeSection(column, self.widths[source])
        table.verticalHeader().setDefaultSectionSize(self.one_line_height)
        self.tall_rows = TallRows(table, model, proxy)
        self.delegate = FirstLineDelegate(model, table)
        table.setItemDelegate(self.delegate)
        # Widths the person dragged, by what the column holds (_width_key); kept for the session.
        self.person_widths: dict[tuple[int, bool], int] = {}
        self._person_on_header = False  # a mouse button held on the header: its resizes are the person's
        header.viewport().installEventFilter(_HeaderPressWatch(self))
        header.sectionResized.connect(self._section_resized)

    def measure(self) -> None:
        """The columns' widths, the rows' heights and the overdue sign's size for the table's font (again
        when the text size changes while the list is open: ``HomeScreen._follow_text_size``; then ``fit``)."""
        table = self.table
        metrics = table.fontMetrics()
        style = table.style()
        # The overdue warning beside its text, as tall as the text's letters rise (at 200 % text a 16 px
        # sign was half their height and sat above the line's middle).
        side = max(style.pixelMetric(style.PixelMetric.PM_SmallIconSize), metrics.ascent())
        table.setIconSize(QSize(side, side))
        icon = side + 6
        longest_outcome = max(OUTCOME_LABELS.values(), key=metrics.horizontalAdvance)
        # The decision-due column fits "Overdue — <date>" whole (an overdue referral shows the day it was due;
        # its page has the time).
        # The widest day as the list shortens it ("30 Sept 2026", "30 June 2026": which is wider depends on
        # the font); "midday" may be wider than a time in figures.
        longest_day = max((f"30 {month} 2026" for month in SHORT_MONTHS), key=metrics.horizontalAdvance)
        longest_moment = max((f"{longest_day} at {time}" for time in ("12:58pm", "midday", "midnight")),
                             key=metrics.horizontalAdvance)
        # The child's two initials (summary_fields.child_initials gives at most two), in the widest capitals
        # of the scripts a name may be in; the header "Child" is wider still at the app's fonts. "WWW" took
        # 7 px the list needed at 100 % text on a laptop for "Sept" beside its Outcome column.
        initials = max(("WW", "ŒŒ", "ЩЩ"), key=metrics.horizontalAdvance)
        samples = (initials, max(STATE_LABELS.values(), key=metrics.horizontalAdvance), longest_day,
                   longest_moment, "IART-2026-000000", f"Overdue — {longest_day}", longest_outcome)
        self.widths = [max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(name)) + _PADDING
                       for sample, name in zip(samples, COLUMNS, strict=True)]
        self.widths[DUE_COLUMN] += icon
        self.due_or_outcome_width = _PADDING + max(
            metrics.horizontalAdvance(f"Overdue — {longest_day}") + icon,
            metrics.horizontalAdvance(longest_outcome), metrics.horizontalAdvance(DUE_OR_OUTCOME))
        # Under the state in the narrow layout, the reference sets the state column's width if it is wider.
        self.state_with_reference_width = max(self.widths[STATE_COLUMN], self.widths[REFERENCE_COLUMN],
                                              metrics.horizontalAdvance(STATE_AND_REFERENCE) + _PADDING)
        self.one_line_height = metrics.height() + _ROW_PADDING
        self.two_lines_height = metrics.height() + metrics.lineSpacing() + _TWO_LINES_PADDING
        if hasattr(self, "not_at_iart_width"):  # measured again: those lines too
            self.not_at_iart_width = self._widest_not_at_iart()

    def _widest_not_at_iart(self) -> int:
        advance = self.table.fontMetrics().horizontalAdvance
        rows = self.model.not_at_iart_rows.values()
        return max((advance(part) + _PADDING for row in rows for part in row.not_at_iart), default=0)

    def _not_at_iart_changed(self) -> None:
        """Measure the lines that say what has not reached iART (of a few rows, not every row) and fit again
        once the model's change is done, if the widest of them changed."""
        widest = self._widest_not_at_iart()
        if widest != self.not_at_iart_width:
            self.not_at_iart_width = widest
            QTimer.singleShot(0, self.table, self.fit)

    def _width_key(self, source: int) -> tuple[int, bool]:
        """A column, and whether it holds a second thing now (the outcome merged into the decision due, the
        reference under the state), which wants its own width."""
        if source == DUE_COLUMN:
            return source, self.model.due_or_outcome
        if source == STATE_COLUMN:
            return source, self.model.reference_under_state
        return source, False

    def _section_resized(self, column: int, _old: int, new: int) -> None:
        """Remember a width the person dragged; not the last column's, which takes the rest of the width
        (it changes as any other is dragged)."""
        if self._person_on_header and column < len(self.proxy.shown) - 1:
            self.person_widths[self._width_key(self.proxy.shown[column])] = new

    def available_width(self) -> int:
        available = self.table.viewport().width()
        scroll_bar = self.table.verticalScrollBar()
        if not scroll_bar.isVisible():  # rows still to come may bring it
            available -= scroll_bar.sizeHint().width()
        return available

    def fit(self) -> None:
        """Show every column that fits beside the ones that must be read; the decision due and the outcome
        in one column when even those do not fit together; the reference under the state when even that
        does not fit (the narrow layout)."""
        available = self.available_width()
        widths = list(self.widths)
        widths[STATE_COLUMN] = max(widths[STATE_COLUMN], self.not_at_iart_width)  # as wide as any line in it
        hidden: set[int] = set()
        for column in OPTIONAL_COLUMNS:
            if self._needed(widths, hidden) <= available:
                break
            hidden.add(column)
        merged = self._needed(widths, hidden) > available
        narrow = False
        if merged:
            hidden = set(MERGED_HIDDEN)
            widths[DUE_COLUMN] = self.due_or_outcome_width
            narrow = self._needed(widths, hidden) > available
        if narrow:
            hidden = set(NARROW_HIDDEN)
            widths[STATE_COLUMN] = max(self.state_with_reference_width, self.not_at_iart_width)
        self.model.set_due_or_outcome(merged)
        self.model.set_reference_under_state(narrow)
        self.table.verticalHeader().setDefaultSectionSize(self.two_lines_height if narrow else self.one_line_height)
        self.tall_rows.apply_soon()  # the reference's line under the state comes or goes
        self._show_all_but(frozenset(hidden))
        header = self.table.horizontalHeader()
        for column, source in enumerate(self.proxy.shown):
            width = self.person_widths.get(self._width_key(source), widths[source])
            if header.sectionSize(column) != width:
                header.resizeSection(column, width)

    def _show_all_but(self, hidden: frozenset[int]) -> None:
        """Drop the ``hidden`` columns from the view; the rest come back. The row selected stays selected
        whole (columns coming back would otherwise be unselected in it, and it would no longer count as the
        selected referral), the current cell stays on its referral in the column that now shows what its own
        did, the list stays scrolled where the person left it, and the sort indicator stays on the column
        sorted by, or off where it is hidden."""
        table, proxy = self.table, self.proxy
        selection = table.selectionModel()
        current = table.currentIndex()
        selected = current.isValid() and selection.isRowSelected(current.row(), QModelIndex())
        held_in = _held_in(proxy.source_column(current.column()), hidden) if current.isValid() else -1
        scroll_bars = (table.verticalScrollBar(), table.horizontalScrollBar())
        scrolled = [bar.value() for bar in scroll_bars]
        # Qt moves a current cell whose column goes to the column on its left, and the view scrolls to it
        # (autoScroll): the list would jump to a row the person had scrolled away from.
        auto_scroll = table.hasAutoScroll()
        table.setAutoScroll(False)
        try:
            if not proxy.set_hidden_columns(hidden):
                return
            current = table.currentIndex()
            if current.isValid() and held_in >= 0 and proxy.source_column(current.column()) != held_in:
                selection.setCurrentIndex(proxy.index(current.row(), proxy.view_column(held_in)),
                                          QItemSelectionModel.SelectionFlag.NoUpdate)
                current = table.currentIndex()
            if selected and current.isValid() and not selection.isRowSelected(current.row(), QModelIndex()):
                flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
                selection.select(current, flags)
            for bar, value in zip(scroll_bars, scrolled, strict=True):
                bar.setValue(value)
        finally:
            table.setAutoScroll(auto_scroll)
        with proxy.keeping_order():
            table.horizontalHeader().setSortIndicator(proxy.view_column(proxy.sort_column), proxy.sort_order)

    @staticmethod
    def _needed(widths: list[int], hidden: set[int]) -> int:
        return sum(width for column, width in enumerate(widths) if column not in hidden)


class TallRows(QObject):
    """Makes the few rows that say what has not reached iART as tall as their lines, the others keeping the
    list's one height (fixed, so that 10,000 rows cost no measuring).

    Why here and again after every change of the view's rows: a row's height belongs to its place in the
    view, and a sort, a filter, a reload or a change of layout moves the rows under those places (Qt puts
    new places at the default height). Only the marked rows are looked at, each by the id -> row map."""

    def __init__(self, table: QTableView, model: ReferralTableModel, proxy: ReferralFilter) -> None:
        super().__init__(table)
        self.table, self.model, self.proxy = table, model, proxy
        self._made_tall: list[int] = []  # the view's rows last made taller
        self._pending = False
        for signal in (proxy.modelReset, proxy.layoutChanged, proxy.rowsInserted, proxy.rowsRemoved,
                       model.not_at_iart_changed):
            signal.connect(self.apply_soon)

    def apply_soon(self, *_args: object) -> None:
        """Once the change under way is done (several may come in one turn of the event loop)."""
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self.apply)

    def apply(self) -> None:
        self._pending = False
        header = self.table.verticalHeader()
        default = header.defaultSectionSize()
        rows = self.proxy.rowCount()
        for view_row in self._made_tall:
            if view_row < rows:
                header.resizeSection(view_row, default)
        self._made_tall = []
        metrics = self.table.fontMetrics()
        for referral_id, row in self.model.not_at_iart_rows.items():
            source = self.model.row_index(referral_id)
            view_row = self.proxy.mapFromSource(self.model.index(source, 0)).row() if source is not None else -1
            if view_row < 0:
                continue  # filtered out
            lines = self.model.lines(row)
            height = metrics.height() + (lines - 1) * metrics.lineSpacing() + _TWO_LINES_PADDING
            header.resizeSection(view_row, max(default, height))
            self._made_tall.append(view_row)


class _HeaderPressWatch(QObject):
    """Tells the fitter while a mouse button is held on the header (a drag of an edge, or the double-click
    that sizes a column to its contents), so its resizes are told from the fitter's own."""

    def __init__(self, fitter: ColumnFitter) -> None:
        super().__init__(fitter.table)
        self.fitter = fitter

    def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        kind = event.type()
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            self.fitter._person_on_header = True
        elif kind == QEvent.Type.MouseButtonRelease:
            self.fitter._person_on_header = False
        return False


def _held_in(source_column: int, hidden: frozenset[int]) -> int:
    """The shown column that holds what ``source_column`` did once ``hidden`` are dropped: itself if shown,
    the outcome in the decision-due column, the reference under the state, else the nearest on its left."""
    column = _HOLDERS.get(source_column, source_column) if source_column in hidden else source_column
    while column in hidden:
        column -= 1
    return column
