"""The mouse wheel scrolls the page; it never changes an answer the user is not working on.

Why: Qt's drop-downs and spin boxes take wheel events even without focus, so someone scrolling down a long
form with the pointer resting on "Your role" turns "GP" into "School nurse" without seeing it. The app's
drop-downs and spin boxes are the classes here: without keyboard focus (on them or inside them), they hand
the wheel to the scroll area around them, so the page moves. A focused control still answers the wheel,
as people who use it on purpose expect.

Why classes, not one filter on the application (as before): a Python filter on the application is called
for every event of every object, and PySide makes a Python wrapper for each object it hands over,
including the children Qt creates inside a widget's own constructor; PySide crashed on that now and then
(tests/ui/test_no_python_for_every_event.py). ``tests/ui/test_wheel_guard_everywhere.py`` checks that the
app makes no other drop-down or spin box.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QComboBox, QDateTimeEdit, QSpinBox, QWidget


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    current = widget.parentWidget()
    while current is not None:
        if isinstance(current, QAbstractScrollArea):
            return current
        if current.isWindow():
            return None
        current = current.parentWidget()
    return None


def _wheel_is_for_the_page(control: QWidget, event: QWheelEvent) -> bool:
    """True, having moved the page, when ``control`` should not take ``event``.

    The scroll area is sent the wheel itself, rather than the event being ignored for Qt to pass on: Qt
    passes on only a wheel event the window system sent, not one sent by the app (or a test)."""
    focused = QApplication.focusWidget()
    if control.hasFocus() or (focused is not None and control.isAncestorOf(focused)):
        return False
    area = _scroll_area_around(control)
    if area is None:
        event.ignore()
    else:
        QCoreApplication.sendEvent(area.verticalScrollBar(), event.clone())
        event.accept()
    return True


if TYPE_CHECKING:
    _Control = QWidget  # for mypy: the mixin's ``super().wheelEvent`` is the Qt control's
else:
    _Control = object


class _WheelForThePage(_Control):
    """Mixed in before a Qt control: the wheel changes it only while it has focus."""

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 (Qt name)
        if not _wheel_is_for_the_page(self, event):
            super().wheelEvent(event)


class GuardedComboBox(_WheelForThePage, QComboBox):
    """A drop-down that the wheel changes only while it has focus."""


class GuardedSpinBox(_WheelForThePage, QSpinBox):
    """A number box that the wheel changes only while it has focus."""


class GuardedDateTimeEdit(_WheelForThePage, QDateTimeEdit):
    """A date and time box that the wheel changes only while it has focus."""
