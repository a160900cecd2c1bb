"""Keeps the widget that has keyboard focus in sight inside a scroll area, wherever the focus came from.

Why: Qt's scroll area scrolls to a widget only when Tab moves within it, not when focus is given (a screen
putting focus on its action as it opens, "Back to your referrals" after Send referral) or comes from
outside (Shift+Tab from a dialog's buttons). At 200 % text such a widget sat below the fold, focused but
out of sight (WCAG 2.4.11): typing or Enter went to something the person could not see.

A page often grows after it has given focus (its text loaded, then wrapped), which moves the widget down
again; so the focused widget is kept in view as the page's content changes size, until the person scrolls
the page themselves: from then on the page stays where they put it (nothing moves by surprise). The same
holds when the page's visible part shrinks under a widget already in view: the window's status bar line
("Saved referral.pdf") appeared after focus came back from the save dialog and hid half the button.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget
from shiboken6 import isValid


class FocusInView(QObject):
    """Attached to ``area`` (its child: it goes with it)."""

    def __init__(self, area: QScrollArea) -> None:
        super().__init__(area)
        self.area = area
        self._following: QWidget | None = None  # the focused widget put in view, until the person scrolls
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        # actionTriggered: only what the person does to the scroll bar (wheel, keys, dragging, clicks).
        area.verticalScrollBar().actionTriggered.connect(self._person_scrolled)
        area.horizontalScrollBar().actionTriggered.connect(self._person_scrolled)
        body = area.widget()
        if body is not None:
            body.installEventFilter(self)
        # The visible part shrinks without the page changing size (a status bar line below the page).
        self._viewport = _viewport_of(area)
        self._viewport.installEventFilter(self)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if not isValid(self.area):  # (the app's signal can outlive a page being deleted)
            return
        body = self.area.widget()
        if new is not None and body is not None and body.isAncestorOf(new):
            self._following = new
            self.area.ensureWidgetVisible(new)
        else:
            self._following = None

    def _person_scrolled(self, _action: int) -> None:
        self._following = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Type.Resize and watched in (self.area.widget(), self._viewport):
            # Once the page's layout has placed its widgets at the new size (it runs after this filter).
            QTimer.singleShot(0, self, self._keep_following_in_view)
        return False

    def _keep_following_in_view(self) -> None:
        following = self._following
        if following is not None and isValid(following) and following.hasFocus():
            self.area.ensureWidgetVisible(following)


def _viewport_of(area: QScrollArea) -> QWidget:
    """``area.viewport()``, without the cost of its first call in a process (~12 ms before the first screen
    was drawn): PySide gives a widget that ``viewport()`` hands back for the first time its Python object
    by trying every QWidget subclass it knows (QWizard, QColorDialog, ...), binding each one's enums. The
    area's ``children()`` give it one by its own class, which is cheap; ``viewport()`` then returns that
    object, as long as it is alive. The page keeps it (its filter compares against it)."""
    children = area.children()
    viewport = area.viewport()
    del children
    return viewport
