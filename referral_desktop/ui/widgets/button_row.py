"""A row of buttons that stacks them, one under the other, when the row is too narrow for their words.

Why: a button's words are cut, never wrapped, when it has less room than they need; at 200 % text on a
laptop a row of two buttons ("Continue to the written referral", "Back to referrals") no longer fits
beside the page's other content, and "Forgotten passphrase" was cut to "orgotten passphras". GOV.UK's
button groups stack on narrow screens for the same reason. The row asks for no more width than its
widest button (so the page need not scroll sideways) and lays them out side by side whenever they fit.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QBoxLayout, QLayout, QWidget


class ButtonRow(QWidget):
    def __init__(self, *buttons: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons = list(buttons)
        self.row = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.row.setContentsMargins(0, 0, 0, 0)
        self.row.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)  # narrower than side by side
        for button in self.buttons:
            self.row.addWidget(button)
        self.row.addStretch(1)

    def side_by_side_width(self) -> int:
        hints = [b.sizeHint().width() for b in self.buttons if not b.isHidden()]
        return sum(hints) + self.row.spacing() * max(0, len(hints) - 1)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        widest = max((b.sizeHint().width() for b in self.buttons if not b.isHidden()), default=0)
        return QSize(widest, super().minimumSizeHint().height())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        stacked = self.side_by_side_width() > event.size().width()
        wanted = QBoxLayout.Direction.TopToBottom if stacked else QBoxLayout.Direction.LeftToRight
        if self.row.direction() != wanted:
            self.row.setDirection(wanted)
            self.updateGeometry()  # the row's height changes with it
        super().resizeEvent(event)
