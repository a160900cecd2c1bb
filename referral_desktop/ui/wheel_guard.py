"""The mouse wheel scrolls the page; it never changes an answer the user is not working on.

Why: Qt's drop-downs and spin boxes take wheel events even without focus, so someone scrolling down a long
form with the pointer resting on "Your role" turns "GP" into "School nurse" without seeing it. One event
filter on the application (installed once, by ``install_wheel_guard``) catches every wheel event aimed at
a drop-down or spin box (or a part of one) that does not have keyboard focus and hands it to the scroll
area around it instead. A focused control still answers the wheel, as people who use it on purpose expect.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QApplication, QComboBox, QWidget

from referral_desktop.ui.app_event_filters import install_once

_NAME = "wheelGuard"


def _guarded_control(widget: QWidget) -> QWidget | None:
    """The drop-down or spin box that ``widget`` is (or is inside of), if any."""
    current: QWidget | None = widget
    while current is not None:
        if isinstance(current, (QComboBox, QAbstractSpinBox)):
            return current
        if current.isWindow():
            return None
        current = current.parentWidget()
    return None


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    current = widget.parentWidget()
    while current is not None:
        if isinstance(current, QAbstractScrollArea):
            return current
        if current.isWindow():
            return None
        current = current.parentWidget()
    return None


class WheelGuard(QObject):
    """Redirects wheel events from unfocused drop-downs and spin boxes to the page's scroll area."""


    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() != QEvent.Type.Wheel or not isinstance(watched, QWidget):
            return False
        control = _guarded_control(watched)
        if control is None or control.hasFocus():
            return False
        focused = QApplication.focusWidget()
        if focused is not None and control.isAncestorOf(focused):
            return False
        area = _scroll_area_around(control)
        if area is not None:
            QCoreApplication.sendEvent(area.verticalScrollBar(), event.clone())
        return True  # never reaches the control


def install_wheel_guard(app: QApplication | None = None) -> WheelGuard:
    """Install the guard on the application once (later calls return the one already installed)."""
    return install_once(app, WheelGuard, _NAME)
