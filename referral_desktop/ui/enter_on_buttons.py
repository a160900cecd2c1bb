"""Enter presses the focused button, as Space does: what people who use the keyboard expect of a button.

Why: GOV.UK's buttons (and UX.md) answer both Enter and Space. Qt's push buttons answer Enter only
inside a dialog (``autoDefault``); on the app's own screens, a keyboard user who tabbed to "Save and
continue" and pressed Enter got nothing. Dialogs are left to Qt, where Enter already means the default
button.

How: a push button that is not a dialog's ignores Enter, so Qt hands the key press on to the widgets
around the button, up to its window; the main window's ``keyPressEvent`` calls :func:`press_focused_button`
there, which clicks the focused, enabled push button. It was a filter on the application, which made
Python handle every event of every object, including the children Qt creates inside a widget's own
constructor; PySide crashed on that now and then (tests/ui/test_no_python_for_every_event.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QDialog, QPushButton, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent


def press_focused_button(window: QWidget, event: QKeyEvent) -> bool:
    """Click ``window``'s focused push button if ``event`` is a plain Enter; True if it did."""
    from PySide6.QtCore import Qt  # here, not at import: the Qt namespace costs start-up time

    if event.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter) or event.modifiers() not in (
        Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier
    ):
        return False
    button = QApplication.focusWidget()
    if not isinstance(button, QPushButton) or not button.isEnabled() or not button.isVisible():
        return False
    if button.window() is not window or isinstance(window, QDialog):
        return False
    button.animateClick()
    return True
