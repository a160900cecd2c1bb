"""The columns the home list gives up on a narrow screen are dropped from the view, not hidden in its header.

Why: Qt's accessible table reports every column of the view's model, hidden header sections too, so a
screen reader's table commands read created, updated and the reference's own column where the layout had
hidden them (the AT-SPI walk, tests/ui/atspi/test_home_at_200_percent_walk.py, checks the bus). Dropping
them in the list's proxy changes the view's column numbers: these tests hold what a person does with the
list to what it did before: the order it is sorted in (by a column now gone too), the referral selected,
the arrow keys, the search, and a sender event updating a row.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt
from PySide6.QtGui import QAccessible

from referral_desktop.ui.screens.referral_table_model import (
    COLUMNS,
    ID_ROLE,
    REFERENCE_COLUMN,
    STATE_COLUMN,
)
from tests.ui.home_on_laptop import home_on_laptop
from tests.ui.test_home_at_200_percent import sent_rows

pytestmark = pytest.mark.gui

UPDATED = COLUMNS.index("Updated")
WIDE = 3200  # wide enough for every column at 200 % text


def _fit(qtbot, window, home, width: int) -> None:
    window.resize(width, window.height())
    qtbot.wait(30)
    home.columns.fit()


def _ids(home) -> list[str]:
    proxy = home.proxy
    return [proxy.index(r, 0).data(ID_ROLE) for r in range(proxy.rowCount())]


def _headers(home) -> list[str]:
    proxy = home.proxy
    return [proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(proxy.columnCount())]


def _accessible_headers(home) -> list[str]:
    table = QAccessible.queryAccessibleInterface(home.table)
    cells = [table.child(i) for i in range(table.childCount())]
    return [c.text(QAccessible.Text.Name) for c in cells if c.role() == QAccessible.Role.ColumnHeader]


def _click_header(qtbot, home, column: int) -> None:
    header = home.table.horizontalHeader()
    at = QPoint(header.sectionViewportPosition(column) + 10, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=at)


@pytest.fixture
def accessibility_on():
    """As with a screen reader running: Qt tells its accessible table of columns coming and going."""
    was = QAccessible.isActive()
    QAccessible.setActive(True)
    yield
    QAccessible.setActive(was)


def test_the_narrow_layout_has_only_the_columns_shown(qtbot, context, fake_store, laptop_screen, accessibility_on):
    with home_on_laptop(qtbot, context, laptop_screen, 2.0, sent_rows()) as (window, home):
        header = home.table.horizontalHeader()
        assert _headers(home) == ["Child", "State and iART reference", "Decision due or outcome"]
        assert header.count() == 3 and header.hiddenSectionCount() == 0
        assert _accessible_headers(home) == _headers(home)  # what Qt gives the accessibility bridge
        _fit(qtbot, window, home, WIDE)
        assert _headers(home) == list(COLUMNS) and header.count() == len(COLUMNS)
        assert _accessible_headers(home) == list(COLUMNS)
        _fit(qtbot, window, home, laptop_screen.width())
        assert _accessible_headers(home) == _headers(home) == ["Child", "State and iART reference",
                                                               "Decision due or outcome"]


def test_a_sort_on_a_column_the_layout_drops_stays_in_force(qtbot, context, fake_store, laptop_screen):
    """Last updated first (the default) while Updated is not shown, and after a reload; a column chosen in
    the wide layout keeps its order and its arrow as the layout narrows and widens again."""
    rows = sent_rows()
    for i, row in enumerate(rows):  # initials in another order than the times
        row.child_initials = f"{chr(65 + i * 5 % len(rows))}Q"
    newest_first = [r.id for r in sorted(rows, key=lambda r: r.updated_at, reverse=True)]
    with home_on_laptop(qtbot, context, laptop_screen, 2.0, rows) as (window, home):
        header = home.table.horizontalHeader()
        assert home.proxy.view_column(UPDATED) == -1
        assert _ids(home) == newest_first
        assert header.sortIndicatorSection() == -1  # no arrow on a column that does not sort the list
        with qtbot.waitSignal(home.loaded, timeout=5_000):
            home.reload()
        assert _ids(home) == newest_first
        _fit(qtbot, window, home, WIDE)
        assert _ids(home) == newest_first
        assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (UPDATED, Qt.SortOrder.DescendingOrder)
        _click_header(qtbot, home, 0)  # Child
        order = header.sortIndicatorOrder()
        by_child = [r.id for r in sorted(rows, key=lambda r: r.child_initials,
                                         reverse=order == Qt.SortOrder.DescendingOrder)]
        assert _ids(home) == by_child and by_child != newest_first
        _fit(qtbot, window, home, laptop_screen.width())
        assert home.proxy.view_column(UPDATED) == -1
        assert _ids(home) == by_child
        assert (header.sortIndicatorSection(), header.sortIndicatorOrder()) == (0, order)
        _click_header(qtbot, home, 0)  # the other way round, in the narrow layout too
        assert _ids(home) == list(reversed(by_child))  # every child's initials differ
        assert home.proxy.sort_column == 0 and header.sortIndicatorSection() == 0


def test_the_selected_referral_stays_selected_whole_and_the_arrows_reach_only_shown_columns(
        qtbot, context, fake_store, laptop_screen):
    rows = sent_rows()
    with home_on_laptop(qtbot, context, laptop_screen, 2.0, rows) as (window, home):
        table = home.table
        _fit(qtbot, window, home, WIDE)
        table.setFocus()
        table.selectionModel().setCurrentIndex(
            home.proxy.index(2, len(COLUMNS) - 1),  # the outcome's cell, a column the narrow layout drops
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        chosen = home.selected_id()
        assert chosen == _ids(home)[2]
        for width in (laptop_screen.width(), WIDE, laptop_screen.width()):
            _fit(qtbot, window, home, width)
            assert home.selected_id() == chosen, width
            selected = table.selectionModel().selectedIndexes()
            assert {i.column() for i in selected} == set(range(home.proxy.columnCount())), width
            assert {i.row() for i in selected} == {2}, width
            assert table.currentIndex().row() == 2, width
        # The arrow keys move among the three columns shown, to the last and no further.
        for _ in range(6):
            qtbot.keyClick(table, Qt.Key.Key_Right)
        assert table.currentIndex().column() == 2 and home.proxy.source_column(2) == 5  # decision due or outcome
        qtbot.keyClick(table, Qt.Key.Key_Down)
        assert home.selected_id() == _ids(home)[3]
        qtbot.keyClick(table, Qt.Key.Key_Left)
        assert home.proxy.source_column(table.currentIndex().column()) == STATE_COLUMN
        with qtbot.waitSignal(home.open_requested, timeout=2_000) as opened:
            qtbot.keyClick(table, Qt.Key.Key_Return)
        assert opened.args[0] == _ids(home)[3]


def test_search_and_sender_events_in_the_narrow_layout(qtbot, context, fake_store, laptop_screen):
    """The search keeps the columns as they are; a sender event updates its row's shown cells, its reference
    under its state included, through the id -> row map (no scan)."""
    rows = sent_rows()
    with home_on_laptop(qtbot, context, laptop_screen, 2.0, rows) as (_window, home):
        home.search.setText("IART-2026-000001")
        qtbot.waitUntil(lambda: home.proxy.rowCount() == 1, timeout=2_000)
        assert home.proxy.columnCount() == 3 and home.table.horizontalHeader().count() == 3
        state = home.proxy.view_column(STATE_COLUMN)
        index = home.proxy.index(0, state)
        assert index.data() == "Acknowledged by iART\nIART-2026-000001"
        summary = next(r for r in rows if r.iart_reference == "IART-2026-000001")
        summary.state = "decided"
        summary.outcome = "advice_and_information"
        changed: list[tuple[int, int]] = []
        home.proxy.dataChanged.connect(lambda first, last, *_: changed.append((first.row(), last.column())))
        home._row_refreshed((summary, None))
        assert index.data() == "Decided\nIART-2026-000001"
        assert index.data(Qt.ItemDataRole.AccessibleTextRole) == "State: Decided. iART reference: IART-2026-000001"
        assert changed and all(last < home.proxy.columnCount() for _row, last in changed)
        assert home.proxy.index(0, home.proxy.view_column(5)).data() == "Information, advice and guidance"
        assert home.proxy.view_column(REFERENCE_COLUMN) == -1
        assert not home.proxy.index(0, 3, QModelIndex()).isValid()  # no fourth column to read


@pytest.mark.parametrize("dropped", [COLUMNS.index("Outcome"), REFERENCE_COLUMN, UPDATED])
def test_narrowing_neither_scrolls_the_list_nor_moves_the_current_row(qtbot, context, fake_store, laptop_screen,
                                                                       dropped):
    """The current cell in a column the narrow layout drops, its row scrolled out of view: as the window
    narrows, the list stays where the person scrolled it (Qt moved the current cell one column left, and the
    view scrolled to it), and the current cell is on the same referral, in the column that now shows what the
    dropped one did (the outcome under "Decision due or outcome", the reference under the state)."""
    rows = sent_rows()
    held_in = {COLUMNS.index("Outcome"): COLUMNS.index("Decision due"), REFERENCE_COLUMN: STATE_COLUMN,
               UPDATED: STATE_COLUMN}[dropped]
    with home_on_laptop(qtbot, context, laptop_screen, 2.0, rows) as (window, home):
        table = home.table
        _fit(qtbot, window, home, WIDE)
        table.setFocus()
        table.selectionModel().setCurrentIndex(
            home.proxy.index(0, home.proxy.view_column(dropped)),
            QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        chosen = home.selected_id()
        table.verticalScrollBar().setValue(5)  # by row: rows 5 and on in view, row 0 above them
        qtbot.wait(30)
        top = table.verticalScrollBar().value()
        assert top == table.rowAt(0) == 5 < table.verticalScrollBar().maximum()
        top_id = _ids(home)[5]
        _fit(qtbot, window, home, laptop_screen.width())
        qtbot.wait(30)
        assert home.proxy.view_column(dropped) == -1
        assert _ids(home)[table.rowAt(0)] == top_id  # the same referral at the top of the list
        assert table.verticalScrollBar().value() == top
        assert home.selected_id() == chosen and table.currentIndex().row() == 0
        assert home.proxy.source_column(table.currentIndex().column()) == held_in
