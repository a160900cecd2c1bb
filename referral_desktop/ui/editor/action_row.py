"""The editor's buttons under the page: Continue and Previous, then "Back to referrals"; the last on a
line of its own when the row is too narrow for all of them.

Why: "Back to referrals" sat under the section list and held that column at its own width (335 px at
200 % text), so at 800 px the list took more room than the page beside it. Under the page, after the
page's own buttons, it is where Tab already reached it; on a narrow window at large text the three do not
fit one line (about 780 px at 200 %), and a button is never cut or pushed out of the window: it goes
under the others, as GOV.UK's button groups stack on a narrow screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QLayout, QPushButton, QSizePolicy, QWidget


class ActionRow(QWidget):
    def __init__(self, page_buttons: list[QPushButton], last: QPushButton, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._page_buttons = page_buttons
        self._last = last
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        # The row decides its lines from its width (resizeEvent); the grid must not hold it at the width
        # of one line, or it would never be given less.
        self._grid.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        for column, button in enumerate(page_buttons):
            self._grid.addWidget(button, 0, column)
        self._grid.setColumnStretch(len(page_buttons), 1)
        self._one_line: bool | None = None
        self._place(True)
        for button in self._buttons():
            button.installEventFilter(self)  # Continue goes on the check page, Previous on the first

    def _buttons(self) -> list[QPushButton]:
        return [*self._page_buttons, self._last]

    def _one_line_width(self) -> int:
        shown = [b for b in self._buttons() if not b.isHidden()]
        spacing = max(0, self._grid.horizontalSpacing())
        return sum(b.sizeHint().width() for b in shown) + spacing * max(0, len(shown) - 1)

    def _place(self, one_line: bool) -> None:
        if one_line == self._one_line:
            return
        self._one_line = one_line
        self._grid.removeWidget(self._last)
        if one_line:
            self._grid.addWidget(self._last, 0, len(self._page_buttons) + 1)
        else:
            self._grid.addWidget(self._last, 1, 0, 1, len(self._page_buttons) + 1, Qt.AlignmentFlag.AlignLeft)
        self.updateGeometry()

    def refit(self) -> None:
        """One line if all the buttons shown fit the row's width, else the last under the others."""
        self._place(self._one_line_width() <= self.width())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self.refit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() in (QEvent.Type.ShowToParent, QEvent.Type.HideToParent, QEvent.Type.FontChange):
            self.refit()
            self.updateGeometry()
        return False

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        """As narrow as the widest button, as tall as the lines it takes at its width now."""
        widest = max((b.sizeHint().width() for b in self._buttons() if not b.isHidden()), default=0)
        return QSize(widest, self.sizeHint().height())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        line = max((b.sizeHint().height() for b in self._buttons()), default=0)
        lines = 1 if self._one_line else 2
        return QSize(self._one_line_width(), line * lines + max(0, self._grid.verticalSpacing()) * (lines - 1))
