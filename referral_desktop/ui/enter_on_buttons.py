"""Enter presses the focused button, as Space does: what people who use the keyboard expect of a button.

Why: GOV.UK's buttons (and UX.md) answer both Enter and Space. Qt's push buttons answer Enter only
inside a dialog (``autoDefault``); on the app's own screens, a keyboard user who tabbed to "Save and
continue" and pressed Enter got nothing. One filter on the application (installed once, by
``install_enter_on_buttons``) clicks a focused, enabled push button on Enter/Return. Dialogs are left to
Qt, where Enter already means the default button.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QDialog, QPushButton

from referral_desktop.ui.app_event_filters import install_once

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent

_NAME = "enterOnButtons"


class EnterOnButtons(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() != QEvent.Type.KeyPress or not isinstance(watched, QPushButton):
            return False
        from PySide6.QtCore import Qt  # here, not at import: the Qt namespace costs start-up time

        key = cast("QKeyEvent", event)  # a KeyPress is one (QKeyEvent not bound here: start-up time)
        if key.key() not in (Qt.Key.Key_Return, Qt.Key.Key_Enter) or key.modifiers() not in (
            Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier
        ):
            return False
        if not watched.hasFocus() or not watched.isEnabled() or isinstance(watched.window(), QDialog):
            return False
        watched.animateClick()
        return True


def install_enter_on_buttons(app: QApplication | None = None) -> EnterOnButtons:
    """Install the filter on the application once (later calls return the one already installed)."""
    return install_once(app, EnterOnButtons, _NAME)
