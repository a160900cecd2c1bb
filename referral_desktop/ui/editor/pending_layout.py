"""Laying out now what Qt would lay out on the next turn of its event loop, before measuring a page;
and keeping the focused widget in place while the page changes under it.

Why: the editor scrolls a page to show something just built or resized (a section opened, a child added,
a long answer grown), and Qt settles sizes through posted layout requests, each settling the next
container out: the box, the page's content, the page's scroll range. Measured before they run, a place
was where the thing had been, and the page scrolled short of it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QPoint
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget
from shiboken6 import isValid

#: Enough for the editor's nesting: an input, its question row or repeat panel, the page's content.
ROUNDS = 3


def settle_pending_layout() -> None:
    for _ in range(ROUNDS):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)


def keep_in_place(page: QScrollArea, change: Callable[[], None]) -> None:
    """Run ``change`` (an answer revealing or hiding questions, errors going) with the focused widget kept
    where it was in the page's window. Why: a question hidden below the focus shortened the page, Qt pulled
    the scroll position back to the new end, and the focused choice slid below the window (at 200 % text,
    choosing 'No' to 'Is this an unborn baby?' left it 700 px below)."""
    focused = QApplication.focusWidget()
    viewport = page.viewport()
    if focused is None or not page.isAncestorOf(focused):
        change()
        return
    before = focused.mapTo(viewport, QPoint(0, 0)).y()
    change()
    settle_pending_layout()
    if not isValid(focused) or not focused.isVisible():
        return
    bar = page.verticalScrollBar()
    bar.setValue(bar.value() + focused.mapTo(viewport, QPoint(0, 0)).y() - before)


def show_whole(page: QScrollArea, widget: QWidget, room: int = 50) -> None:
    """Scroll ``page`` the least that shows all of ``widget`` with ``room`` around it (less when the
    window is short). Qt's ensureWidgetVisible brings only a text box's cursor into view, which left the
    box's frame cut at the window's edge."""
    inner, viewport = page.widget(), page.viewport()
    if inner is None:
        return
    centre = widget.mapTo(inner, widget.rect().center())
    room = max(0, min(room, (viewport.height() - widget.height()) // 2))
    page.ensureVisible(centre.x(), centre.y(), 0, widget.height() // 2 + room)
