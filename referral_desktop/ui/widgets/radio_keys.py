"""Arrow keys choose in a group of radio buttons, as in browsers and native Windows radio groups.

Why: Qt moves focus between exclusive radio buttons with the arrow keys but chooses the new one only
when the one it left was already chosen. With nothing chosen yet (a new question), Down moved focus to
"No" without choosing it: a screen reader said "No, not checked", and Tab then left the question
unanswered. After this filter, the button an arrow key moves to is chosen, whatever was chosen before.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QButtonGroup, QRadioButton

ARROWS = frozenset({Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right})


class ArrowKeysChoose(QObject):
    """Install with ``ArrowKeysChoose(group)``; it is owned by the group."""

    def __init__(self, group: QButtonGroup) -> None:
        super().__init__(group)
        self.group = group
        for button in group.buttons():
            button.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and event.key() in ARROWS
                and not event.modifiers()):
            QTimer.singleShot(0, self._choose_focused)  # after Qt has moved focus
        return False

    def _choose_focused(self) -> None:
        focused = QApplication.focusWidget()
        if isinstance(focused, QRadioButton) and focused in self.group.buttons() and not focused.isChecked():
            focused.click()
