"""An open editor follows the application's text size when it changes, keeping the person's place.

Why: with the app's style sheet applied, Qt hands a new application font (the system's text size changed,
``QApplication.setFont``) only to top-level windows; every widget already polished keeps the size it was
polished at, and headings keep the size they were given. Other screens are built anew each time they are
shown and so follow; the editor stays open for as long as a referral takes, and kept the old size.
Polishing each widget again makes it resolve its font from the application's afresh (nothing is rebuilt:
what was typed, the focus and the undo history stay with their widgets), and headings are sized again on
GOV.UK's scale over the new body text.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea, QWidget
from shiboken6 import isValid

from referral_desktop.ui.editor.pending_layout import settle_pending_layout, show_whole
from referral_desktop.ui.theme import heading


def restyle(root: QWidget) -> None:
    """``root`` and every widget in it polished again, so each takes the application's text size; each
    heading sized again over it at its level."""
    for widget in [root, *root.findChildren(QWidget)]:
        style = widget.style()
        style.unpolish(widget)
        style.polish(widget)
    for label in root.findChildren(QLabel):
        level = label.property("headingLevel")
        if label.property("role") == "heading" and level:
            heading(label, int(level))


def keeping_place(page: QScrollArea, change: Callable[[], None]) -> None:
    """Run ``change`` (the page's text grows or shrinks) with the person's place kept: the focused widget
    at the same height in the window and seen whole; without focus on the page, the same share of it
    scrolled past (a page twice as long is scrolled twice as far)."""
    focused = QApplication.focusWidget()
    viewport = page.viewport()
    bar = page.verticalScrollBar()
    if focused is not None and page.isAncestorOf(focused) and focused.isVisible():
        before = focused.mapTo(viewport, QPoint(0, 0)).y()
        change()
        settle_pending_layout()
        if isValid(focused) and focused.isVisible():
            bar.setValue(bar.value() + focused.mapTo(viewport, QPoint(0, 0)).y() - before)
            show_whole(page, focused, room=0)
        return
    share = bar.value() / bar.maximum() if bar.maximum() > 0 else 0.0
    change()
    settle_pending_layout()
    bar.setValue(round(share * bar.maximum()))


class TextSizeFollower:
    """Watches the application's font for ``root`` and calls ``follow`` once per change, after the
    application has sent its own font events (several changes in one turn of the event loop are one)."""

    def __init__(self, root: QWidget, follow: Callable[[], None]) -> None:
        self._timer = QTimer(root)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(follow)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.fontChanged.connect(self._timer.start)
