"""The home screen at 200 % text on a 1366 x 768 laptop gives a low-vision user what others see.

Issue 10's narrow layout (Child | State | Decision due or outcome) kept the list from scrolling sideways but
dropped the iART reference, which professionals read out when they phone iART or the council; and the search
box's hint was cut ("Search initials, ref…"). These tests drive the real home screen in a maximised window
on the laptop's screen, at the app's body text and at 200 % of it.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QTableView

from referral_desktop.ui.screens.home import HomeScreen
from referral_desktop.ui.screens.referral_columns import ColumnFitter
from referral_desktop.ui.screens.referral_filter import ReferralFilter
from referral_desktop.ui.screens.referral_search import SEARCH_HINT
from referral_desktop.ui.screens.referral_table_model import (
    OUTCOME_COLUMN,
    REFERENCE_COLUMN,
    ReferralTableModel,
)
from tests.ui.conftest import FIXED_NOW
from tests.ui.home_on_laptop import home_on_laptop
from tests.ui.test_home_model import summaries

pytestmark = pytest.mark.gui


def sent_rows():
    """Every state a referral with a reference can be in, the longest outcome and an overdue decision."""
    rows = summaries(16)
    for index, state in enumerate(("received", "acknowledged", "info_requested", "decided", "purged", "rejected")):
        rows[index].state = state
        rows[index].iart_reference = f"IART-2026-{index:06d}"
    rows[3].outcome = "childrens_social_care_assessment"
    rows[4].outcome = "advice_and_information"
    rows[0].decision_due = FIXED_NOW - timedelta(days=2)  # "Overdue — 22 Nov 2026"
    return rows


def shown_cells(table):
    """Each row's cells in the columns shown: every column of the view (the layout drops the others from it)."""
    model, header = table.model(), table.horizontalHeader()
    assert header.hiddenSectionCount() == 0
    columns = range(model.columnCount())
    return [[model.index(r, c) for c in columns] for r in range(model.rowCount())]


@pytest.mark.parametrize("scale", [1.0, 1.5, 2.0])
def test_every_reference_is_seen_and_announced_without_scrolling_sideways(qtbot, context, fake_store, laptop_screen,
                                                                         scale):
    rows = sent_rows()
    with home_on_laptop(qtbot, context, laptop_screen, scale, rows) as (_window, home):
        table = home.table
        assert table.horizontalHeader().length() <= table.viewport().width(), scale
        assert table.horizontalScrollBar().maximum() == 0, scale
        metrics, row_height = table.fontMetrics(), table.verticalHeader().defaultSectionSize()
        icon = table.iconSize().width()  # the overdue sign, sized to the text
        references = {r.id: r.iart_reference for r in rows if r.iart_reference}
        seen = set()
        for cells in shown_cells(table):
            for index in cells:
                lines = (index.data() or "").split("\n")
                extra = icon if index.data(Qt.ItemDataRole.DecorationRole) is not None else 0
                width = table.horizontalHeader().sectionSize(index.column())
                # Whole: every line within its column, every line within the row's height.
                assert all(metrics.horizontalAdvance(line) + extra + 8 <= width for line in lines), (scale, lines)
                assert len(lines) * metrics.lineSpacing() <= row_height, (scale, lines, row_height)
            reference = references.get(cells[0].data(Qt.ItemDataRole.UserRole + 2))
            if reference is None:
                continue
            assert any(reference in (i.data() or "").split("\n") for i in cells), (scale, reference)
            assert any(reference in (i.data(Qt.ItemDataRole.AccessibleTextRole) or "") for i in cells), scale
            seen.add(reference)
        assert seen == set(references.values()), scale
        if scale == 1.0:  # the wide layout as it was: the reference in its own column, rows one line high
            assert home.proxy.view_column(REFERENCE_COLUMN) >= 0
            assert table.verticalHeader().defaultSectionSize() < 2 * metrics.lineSpacing()
        # What a screen reader is given: the names of the table's accessible cells (Qt's accessible table).
        accessible = QAccessible.queryAccessibleInterface(table)
        names = [accessible.child(i).text(QAccessible.Text.Name) for i in range(accessible.childCount())]
        for reference in references.values():
            assert any(reference in (name or "") for name in names), (scale, reference)


def hint_is_whole_in_the_box(search) -> bool:
    """Typed into the box, the hint needs no scrolling: from its first character's cursor position to its
    last it spans its full width (a box too narrow scrolls the text, and the span is the box's width)."""
    search.setText(SEARCH_HINT)
    search.setCursorPosition(len(SEARCH_HINT))
    search.repaint()  # QLineEdit scrolls its text as it paints
    end = search.cursorRect().center().x()
    search.setCursorPosition(0)
    search.repaint()
    start = search.cursorRect().center().x()
    search.clear()
    return end - start >= search.fontMetrics().horizontalAdvance(SEARCH_HINT) - 1


def assert_hint_shown_whole(home, window, scale):
    search = home.search
    assert search.accessibleName() == "Search referrals"
    if search.placeholderText():
        assert search.placeholderText() == SEARCH_HINT
        assert hint_is_whole_in_the_box(search), (scale, search.width())
        assert not home.search_hint.isVisible()
    else:
        label = home.search_hint
        assert label.isVisible() and label.text() == SEARCH_HINT and label.buddy() is search
        assert label.wordWrap() and label.height() >= label.heightForWidth(label.width()), scale
        assert label.mapTo(window, label.rect().topRight()).x() <= window.width()
    top_left = search.mapTo(window, search.rect().topLeft())
    assert top_left.x() + search.width() <= window.width(), scale


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_the_search_hint_is_shown_whole(qtbot, context, fake_store, laptop_screen, scale):
    """On the laptop, at the body text and at 200 %, the hint sits whole in the box (the list keeps its rows)."""
    with home_on_laptop(qtbot, context, laptop_screen, scale, summaries(12)) as (window, home):
        assert home.search.placeholderText() == SEARCH_HINT, scale
        assert_hint_shown_whole(home, window, scale)


def test_where_the_box_cannot_hold_its_hint_the_hint_is_a_label_above_it(qtbot, context, fake_store, laptop_screen,
                                                                         monkeypatch):
    """A screen too narrow for the box to be as wide as its hint (here 1100 px at 200 % text): the hint is a
    visible label above the box, word-wrapped, never cut; the box keeps its accessible name."""
    monkeypatch.setattr(HomeScreen, "_screen_width", lambda self: 1100)
    laptop_screen.setWidth(1100)
    with home_on_laptop(qtbot, context, laptop_screen, 2.0, summaries(12)) as (window, home):
        assert home.search.placeholderText() == ""
        assert not hint_is_whole_in_the_box(home.search)  # why it is a label: the box cannot hold it
        assert_hint_shown_whole(home, window, 2.0)


def test_the_reference_keeps_its_column_while_merging_due_and_outcome_is_enough(qtbot):
    """Between the wide and the narrow layouts: the decision due and the outcome share a column, and the
    reference keeps its own on one line; only a list too narrow even for that gets two-line rows."""
    model = ReferralTableModel(lambda: FIXED_NOW)
    model.set_summaries(sent_rows())
    proxy = ReferralFilter()
    proxy.setSourceModel(model)
    table = QTableView()
    qtbot.addWidget(table)
    table.setModel(proxy)
    fitter = ColumnFitter(table, model, proxy)
    merged_needs = sum(w for c, w in enumerate(fitter.widths) if c not in (2, 3, 4, 5, OUTCOME_COLUMN))
    merged_needs += fitter.widths[REFERENCE_COLUMN] + fitter.due_or_outcome_width
    header = table.horizontalHeader()
    table.show()
    for width, reference_column in ((merged_needs + 5, True), (merged_needs - 5, False)):
        fitter.available_width = lambda w=width: w  # the room the list's viewport gives its columns
        fitter.fit()
        shown = proxy.shown  # the source's columns in the view, in order: the others are not in it at all
        assert header.count() == len(shown) and not header.hiddenSectionCount()
        assert header.length() <= width
        assert model.due_or_outcome and OUTCOME_COLUMN not in shown
        assert (REFERENCE_COLUMN in shown) is reference_column
        assert model.reference_under_state is not reference_column
        lines = 1 if reference_column else 2
        assert table.verticalHeader().defaultSectionSize() >= lines * table.fontMetrics().lineSpacing()
        assert model.index(0, 1).data().count("\n") == lines - 1  # received: its reference under its state


def _ink_rows(image, left: int, right: int, top: int, bottom: int, is_ink) -> list[int]:
    """The pixel rows between ``top`` and ``bottom`` with any pixel ``is_ink`` between ``left`` and ``right``."""
    return [y for y in range(top, bottom) if any(is_ink(image.pixelColor(x, y)) for x in range(left, right))]


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_the_overdue_warning_grows_with_the_text_and_sits_on_its_line(qtbot, context, fake_store, laptop_screen,
                                                                      scale):
    """As drawn: the warning sign beside "Overdue — <date>" is about as tall as the line's letters and centred
    on that line, at 200 % text too (it stayed 16 px and sat above the first line's middle)."""
    rows = sent_rows()
    with home_on_laptop(qtbot, context, laptop_screen, scale, rows) as (_window, home):
        table, model = home.table, home.table.model()
        [index] = [model.index(r, c) for r in range(model.rowCount()) for c in range(model.columnCount())
                   if model.index(r, c).data(Qt.ItemDataRole.DecorationRole) is not None]
        cell = table.visualRect(index)
        image = table.viewport().grab().toImage()
        metrics = table.fontMetrics()

        def yellow(colour):  # the sign's fill
            return colour.red() > 180 and colour.green() > 150 and colour.blue() < 100

        def text(colour):  # the words' ink: dark, not yellow
            return colour.lightness() < 110 and not yellow(colour)

        sign = _ink_rows(image, cell.left(), cell.left() + cell.height(), cell.top(), cell.bottom(), yellow)
        first_line = (cell.top(), cell.top() + cell.height() if "\n" not in index.data() else
                      cell.top() + metrics.lineSpacing() + 8)
        words = _ink_rows(image, cell.left() + 4, cell.right(), *first_line, text)
        assert sign and words, scale
        sign_height, letters_height = sign[-1] - sign[0] + 1, words[-1] - words[0] + 1
        assert sign_height >= 0.7 * letters_height, (scale, sign_height, letters_height)
        sign_middle, words_middle = (sign[0] + sign[-1]) / 2, (words[0] + words[-1]) / 2
        assert abs(sign_middle - words_middle) <= 0.2 * letters_height, (scale, sign_middle, words_middle)
