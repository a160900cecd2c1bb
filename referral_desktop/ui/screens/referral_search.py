"""The home list's search box, its hint shown whole at any text size.

Why: the hint was a placeholder, cut to "Search initials, ref…" at 200 % text on a 1366 px laptop (the
project's rule: no text cut silently). The box is made wide enough for its whole hint where its row has
room; where it has not, the hint becomes a label of its own above the box (GOV.UK's own pattern: a visible
label rather than a placeholder), word-wrapped, so it is never cut at any size.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QToolButton, QVBoxLayout, QWidget

#: Short enough to sit whole in the box at 200 % text on a laptop; the accessible description says the rest.
SEARCH_HINT = "Search initials or reference"
MINIMUM_WIDTH = 220
#: The style sheet's 2 px border and 3 px padding, and Qt's 2 px text margin, on each side; a little to spare.
_BOX_EDGES = 2 * (2 + 3 + 2) + 6


class ReferralSearch(QWidget):
    """The search box (``box``) with its hint as its placeholder or, where the box cannot be that wide, as
    a visible label above it (``hint``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QLineEdit(objectName="search", placeholderText=SEARCH_HINT)
        self.box.setAccessibleName("Search referrals")
        self.box.setAccessibleDescription("Matches the child's initials, the iART reference, the state or outcome")
        self.box.setClearButtonEnabled(True)
        self.box.setMinimumWidth(MINIMUM_WIDTH)
        self.hint = QLabel(SEARCH_HINT, objectName="searchHint")
        self.hint.setWordWrap(True)
        self.hint.setBuddy(self.box)
        self.hint.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.hint)
        layout.addWidget(self.box)

    def width_for_hint(self) -> int:
        """How wide the box must be for its whole hint beside the clear button."""
        clear = max((button.sizeHint().width() for button in self.box.findChildren(QToolButton)), default=0)
        clear = max(clear, self.style().pixelMetric(self.style().PixelMetric.PM_SmallIconSize) + 8)
        return self.box.fontMetrics().horizontalAdvance(SEARCH_HINT) + clear + _BOX_EDGES

    def fit_hint(self, room: int) -> None:
        """The hint in the box when ``room`` (the width its row can give it) holds it whole; above it else."""
        needed = self.width_for_hint()
        inside = needed <= room
        self.box.setPlaceholderText(SEARCH_HINT if inside else "")
        self.box.setMinimumWidth(needed if inside else MINIMUM_WIDTH)
        self.hint.setVisible(not inside)
