"""A column width the person set on the home list by dragging its header's edge stays for the session: the
list re-fits the columns it sizes itself (the window narrowed or widened, the panel beside it moved) and
leaves those the person sized alone. Before, every re-fit put every column back to its own width, so a
column widened to read a long name snapped back as soon as the window moved."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from referral_desktop.ui.screens.referral_table_model import DUE_COLUMN, REFERENCE_COLUMN, STATE_COLUMN
from tests.ui.home_on_laptop import home_on_laptop
from tests.ui.test_home_at_200_percent import sent_rows

pytestmark = pytest.mark.gui

CHILD = 0


def _mouse(widget, kind: QEvent.Type, at: QPoint, buttons: Qt.MouseButton) -> None:
    button = Qt.MouseButton.LeftButton if kind != QEvent.Type.MouseMove else Qt.MouseButton.NoButton
    event = QMouseEvent(kind, QPointF(at), QPointF(widget.mapToGlobal(at)), button, buttons,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, event)


def _drag_edge(home, source_column: int, by: int) -> None:
    """The person drags the right edge of the column's header ``by`` pixels, as with the mouse."""
    header = home.table.horizontalHeader()
    column = home.proxy.view_column(source_column)
    edge = QPoint(header.sectionViewportPosition(column) + header.sectionSize(column) - 1, header.height() // 2)
    viewport = header.viewport()
    held = Qt.MouseButton.LeftButton
    _mouse(viewport, QEvent.Type.MouseMove, edge, Qt.MouseButton.NoButton)
    _mouse(viewport, QEvent.Type.MouseButtonPress, edge, held)
    for step in (by // 2, by):
        _mouse(viewport, QEvent.Type.MouseMove, edge + QPoint(step, 0), held)
    _mouse(viewport, QEvent.Type.MouseButtonRelease, edge + QPoint(by, 0), Qt.MouseButton.NoButton)


def _width(home, source_column: int) -> int:
    return home.table.horizontalHeader().sectionSize(home.proxy.view_column(source_column))


def _fit_at(qtbot, window, home, width: int) -> None:
    window.resize(width, window.height())
    qtbot.waitUntil(lambda: window.width() == max(width, window.minimumSizeHint().width()), timeout=2_000)
    home.columns.fit()


def test_a_width_the_person_dragged_stays_as_the_window_narrows_and_widens(qtbot, context, fake_store,
                                                                          laptop_screen):
    with home_on_laptop(qtbot, context, laptop_screen, 1.0, sent_rows()) as (window, home):
        fitted = _width(home, CHILD)
        _drag_edge(home, CHILD, 150)
        dragged = _width(home, CHILD)
        assert dragged >= fitted + 140  # the drag itself took
        _fit_at(qtbot, window, home, 900)  # narrow: the list re-fits, dropping and merging columns
        assert _width(home, CHILD) == dragged
        assert home.model.due_or_outcome  # the layout follows the fitted widths, not the dragged one
        assert _width(home, DUE_COLUMN) >= home.columns.due_or_outcome_width  # untouched: re-fitted (last: stretched)
        _fit_at(qtbot, window, home, laptop_screen.width())
        assert _width(home, CHILD) == dragged
        assert _width(home, DUE_COLUMN) == home.columns.widths[DUE_COLUMN]


def test_only_the_dragged_column_keeps_its_width_and_the_state_keeps_one_per_layout(qtbot, context, fake_store,
                                                                                  laptop_screen):
    """Dragging one column changes the others (the last takes up the rest): those are still fitted. The
    state column's width in the one-line layout is not forced on it in the narrow layout, where the
    reference is a second line under the state and needs its own width. At 200 % text, where a laptop's
    window gives the narrow layout (at 100 % even the narrowest window now keeps the reference's column: the
    Child column fits two initials, not three) and a window as wide as a large monitor every column."""
    with home_on_laptop(qtbot, context, laptop_screen, 2.0, sent_rows()) as (window, home):
        _fit_at(qtbot, window, home, 3000)
        assert not home.model.reference_under_state
        _drag_edge(home, STATE_COLUMN, -40)
        narrowed = _width(home, STATE_COLUMN)
        _fit_at(qtbot, window, home, 2900)
        assert _width(home, STATE_COLUMN) == narrowed
        assert _width(home, REFERENCE_COLUMN) == home.columns.widths[REFERENCE_COLUMN]
        _fit_at(qtbot, window, home, laptop_screen.width())  # the narrow layout: the reference under the state
        assert home.model.reference_under_state
        assert _width(home, STATE_COLUMN) == home.columns.state_with_reference_width
        _fit_at(qtbot, window, home, 2900)
        assert _width(home, STATE_COLUMN) == narrowed
