"""The keyboard of a group of radio buttons, as in browsers (GOV.UK's radios) and native Windows groups.

- **One Tab stop per group.** Tab and Shift+Tab enter the group on the answer chosen, or on its first
  option when none is, and the next Tab or Shift+Tab leaves it. Qt made the option last focused the
  stop: on a draft opened with answers, Tab entered on "Yes, not checked" where "No" was the answer (and
  Space there changed it), and a group never focused was a stop per option.
- **The arrow keys move and choose.** Down and Right go to the next option, Up and Left to the one before,
  round from the last to the first, and the option moved to is chosen. Qt moved by geometry (Down did
  nothing in a yes/no pair side by side) and chose only when the option left was already chosen: with
  nothing chosen, Down moved focus to "No" without choosing it, a screen reader said "No, not checked",
  and Tab then left the question unanswered.

A click still focuses and chooses any option. Check boxes are no group: each stays its own Tab stop.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QButtonGroup

FORWARD = frozenset({Qt.Key.Key_Down, Qt.Key.Key_Right})
BACK = frozenset({Qt.Key.Key_Up, Qt.Key.Key_Left})


class RadioGroupKeys(QObject):
    """Install with ``RadioGroupKeys(group)`` once the group has its buttons; it is owned by the group.

    Whoever changes the buttons' focus policy afterwards (a read-only page) calls ``keep_one_tab_stop``.
    """

    def __init__(self, group: QButtonGroup) -> None:
        super().__init__(group)
        self.group = group
        for button in group.buttons():
            button.installEventFilter(self)
        group.buttonToggled.connect(lambda *_: self.keep_one_tab_stop())
        self.keep_one_tab_stop()

    def tab_stop(self) -> QAbstractButton | None:
        """The option Tab enters the group on: the one chosen, else the first that can take focus."""
        chosen = self.group.checkedButton()
        if chosen is not None:
            return chosen
        return next((b for b in self.group.buttons() if b.isEnabled() and b.focusPolicy() != Qt.FocusPolicy.NoFocus),
                    None)

    def keep_one_tab_stop(self) -> None:
        """Only the stop takes Tab focus; the others still take focus from a click and the arrow keys.
        A button that takes no focus at all (a read-only answer) is left so."""
        stop = self.tab_stop()
        for button in self.group.buttons():
            if button.focusPolicy() == Qt.FocusPolicy.NoFocus:
                continue
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus if button is stop else Qt.FocusPolicy.ClickFocus)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        kind = event.type()
        if kind == QEvent.Type.FocusOut:
            # Qt makes the option that took focus the stop (QAbstractButton::focusInEvent): put it back on
            # the answer once focus has left.
            self.keep_one_tab_stop()
        elif (kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
              and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier):  # the number pad's arrows too
            step = 1 if event.key() in FORWARD else -1 if event.key() in BACK else 0
            if step and isinstance(watched, QAbstractButton):
                self._move(watched, step)
                return True
        return False

    def _move(self, current: QAbstractButton, step: int) -> None:
        options = [b for b in self.group.buttons() if b.isEnabled() and b.isVisible()
                   and b.focusPolicy() != Qt.FocusPolicy.NoFocus]
        if current not in options or len(options) < 2:
            return
        target = options[(options.index(current) + step) % len(options)]
        target.setFocus(Qt.FocusReason.TabFocusReason if step > 0 else Qt.FocusReason.BacktabFocusReason)
        if not target.isChecked():
            target.click()  # as a person's choice: the answer is reported and saved


#: The name this helper had while it only made the arrow keys choose (kept for the screens that use it).
ArrowKeysChoose = RadioGroupKeys
