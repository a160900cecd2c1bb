"""Tab order = reading order, computed from the layouts rather than from widget creation order.

Qt appends each new widget to the end of the window's focus chain, so questions built lazily (a section
opened later, a child added) would otherwise be reached after the "Continue" button. Walking the
layouts gives the order people read the page in, and ``apply_tab_order`` makes Tab follow it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractScrollArea, QLayout, QRadioButton, QWidget


def _walk_layout(layout: QLayout, out: list[QWidget]) -> None:
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item is None:
            continue
        if (widget := item.widget()) is not None:
            _walk_widget(widget, out)
        elif (inner := item.layout()) is not None:
            _walk_layout(inner, out)


def _in_tab_chain(widget: QWidget) -> bool:
    """Tab stops, and the options of a radio group besides its one stop (radio_keys): a click or an arrow
    key makes any of them the stop, and Tab from it must go on to the next question, not to wherever Qt
    first put it in the chain. Qt's Tab skips them while they are not the stop."""
    if isinstance(widget, QRadioButton):
        return widget.focusPolicy() != Qt.FocusPolicy.NoFocus
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)


def _walk_widget(widget: QWidget, out: list[QWidget]) -> None:
    if _in_tab_chain(widget) and not isinstance(widget, QAbstractScrollArea):
        out.append(widget)
        # A focusable widget's own children (a combo's line edit) belong to it; but a focusable
        # container laid out with its own stops (the error summary and its links) comes first, then them.
        if (own := widget.layout()) is not None:
            _walk_layout(own, out)
        return
    if isinstance(widget, QAbstractScrollArea):
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus:
            out.append(widget)  # list views, text edits: one stop
            return
        inner = getattr(widget, "widget", None)
        child = inner() if callable(inner) else None
        if child is not None:
            _walk_widget(child, out)
        return
    if (layout := widget.layout()) is not None:
        _walk_layout(layout, out)


def focusables_in_reading_order(root: QWidget) -> list[QWidget]:
    """Every widget under ``root`` that Tab can reach, in layout (reading) order (with every option of a
    radio group, of which Tab reaches one: the answer chosen, or the first)."""
    out: list[QWidget] = []
    if (layout := root.layout()) is not None:
        _walk_layout(layout, out)
    else:
        _walk_widget(root, out)
    return out


def apply_tab_order(widgets: list[QWidget]) -> None:
    """Make Tab visit ``widgets`` in this order (hidden ones are skipped by Qt as usual)."""
    previous = None
    for widget in widgets:
        if previous is not None:
            QWidget.setTabOrder(previous, widget)
        previous = widget
