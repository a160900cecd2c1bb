"""Home's filters by group ("Drafts (2)", "Waiting to send (1)", ...) and the count beside them.

Why a module of its own: which referrals the list shows is a job apart from listing them: the buttons,
their counts, what a screen reader hears of each, the "Showing 5 of 40 referrals" line, and how they are
laid out. One row where the screen has room, two otherwise (200 % text on a laptop); the count fills the
cell beside them, so it wraps to its width and is never cut, rather than taking a line under the list.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QLabel, QPushButton

from referral_desktop.ui.referral_states import GROUP_LABELS

#: What each filter shows, for a screen reader (it heard "Shows all only", "Shows sent only"). A referral the
#: retention purge took is under "Decided" if iART decided it, under "Sent" if the retention period ended
#: first (``referral_states.group_of``): "Decided" counted both, and said it held "those whose details were
#: removed", decided or not.
FILTER_DESCRIPTIONS = {
    "all": "Shows every referral",
    "drafts": "Shows only drafts",
    "waiting": "Shows only referrals waiting to send",
    "sent": "Shows only referrals sent to iART and not decided, with those whose details were removed when the "
            "retention period ended",
    "decided": "Shows only referrals iART has decided, with those whose details were removed since",
    "rejected": "Shows only referrals iART returned for changes",
}


class GroupFilters(QObject):
    """The filter buttons (one checked at a time) and the count, in ``grid`` (a grid for the page)."""

    group_chosen = Signal(str)

    def __init__(self, screen_width: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(6)
        self.grid.setVerticalSpacing(6)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: dict[str, QPushButton] = {}
        for key, label in GROUP_LABELS.items():
            button = QPushButton(label, objectName=f"filter_{key}")
            button.setCheckable(True)
            button.setProperty("role", "filter")
            button.setAccessibleDescription(FILTER_DESCRIPTIONS[key])  # named by its text and count
            self.group.addButton(button)
            self.buttons[key] = button
            button.toggled.connect(lambda on, k=key: self._toggled(k, on))
        self.count_label = QLabel(objectName="countLabel")
        self.count_label.setWordWrap(True)
        # Beside the filters it counts ("Showing 5 of 40 referrals"), not on a line of its own under the list.
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.per_row = 0
        self.place(screen_width)

    def place(self, screen_width: int) -> None:
        """In one row where the screen has room, two otherwise; again when the text size changes while the
        list is open (``HomeScreen._follow_text_size``)."""
        row = list(self.buttons.values())
        per_row = len(row)
        if sum(b.sizeHint().width() + 6 for b in row) > screen_width * 0.6:
            per_row = (per_row + 1) // 2
        if per_row == self.per_row:
            return
        self.grid.setColumnStretch(self.per_row, 0)
        for index, button in enumerate(row):
            self.grid.addWidget(button, index // per_row, index % per_row)  # (moved, if already in the grid)
        self.grid.setColumnStretch(per_row, 1)
        self.grid.addWidget(self.count_label, 0, per_row, -1, 1)  # fills the cell: wraps to its width, never cut
        self.per_row = per_row

    def _toggled(self, key: str, on: bool) -> None:
        if on:  # the button unchecked as another is checked says nothing
            self.group_chosen.emit(key)

    def show_counts(self, total: int, counts: dict[str, Any], shown: int) -> None:
        """Each button's count (``total`` for "All") and how many of ``total`` the list shows."""
        for key, button in self.buttons.items():
            n = total if key == "all" else counts.get(key, 0)
            button.setText(f"{GROUP_LABELS[key]} ({n})")
        self.count_label.setText(f"Showing {shown} of {total} referrals")
