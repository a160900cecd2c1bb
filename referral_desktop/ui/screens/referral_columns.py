"""How wide the home list's columns are, and which of them are shown, so that nothing scrolls sideways.

Why: at 200 % text on a 1366 px laptop the seven columns need about 1.5 times the screen's width, and the
outcome ended up off its right edge (WCAG 1.4.10). Widths come from sample texts, so they follow the font
size and every cell is read whole. Where the list is too narrow, columns are given up in an order that keeps
what a GP looks for at a glance: first when the referral was started and last changed, then (the narrow
layout) the iART reference, with the decision due and the outcome in one column: only a decided referral
has an outcome, and then it matters more than the day it was due. Everything given up is on the referral's
own page, and the search box still finds a referral by its reference.
"""

from __future__ import annotations

from PySide6.QtWidgets import QTableView

from referral_desktop.ui.referral_states import OUTCOME_LABELS, STATE_LABELS
from referral_desktop.ui.screens.referral_table_model import (
    COLUMNS,
    DUE_COLUMN,
    DUE_OR_OUTCOME,
    OUTCOME_COLUMN,
    ReferralTableModel,
)

#: Given up one by one, in this order, while the list is too narrow for the rest: when it was started and
#: last changed (State and everything after it stay).
OPTIONAL_COLUMNS = (2, 3)
#: Hidden in the narrow layout, where the decision-due column also says the outcome.
NARROW_HIDDEN = frozenset({2, 3, 4, OUTCOME_COLUMN})
_PADDING = 20  # the cell's margins and the sort arrow's room


class ColumnFitter:
    """Sizes the table's columns for its font and shows those that fit its width (call ``fit`` on resize)."""

    def __init__(self, table: QTableView, model: ReferralTableModel) -> None:
        self.table = table
        self.model = model
        metrics = table.fontMetrics()
        style = table.style()
        icon = style.pixelMetric(style.PixelMetric.PM_SmallIconSize) + 6  # the overdue warning beside its text
        longest_outcome = max(OUTCOME_LABELS.values(), key=metrics.horizontalAdvance)
        # The decision-due column fits "Overdue — <date>" whole (an overdue referral shows the day it was due;
        # its page has the time).
        samples = ("WWW", max(STATE_LABELS.values(), key=metrics.horizontalAdvance), "30 Sep 2026",
                   "30 Sep 2026, 12:00pm", "IART-2026-000000", "Overdue — 30 Sep 2026", longest_outcome)
        self.widths = [max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(name)) + _PADDING
                       for sample, name in zip(samples, COLUMNS, strict=True)]
        self.widths[DUE_COLUMN] += icon
        self.due_or_outcome_width = _PADDING + max(
            metrics.horizontalAdvance("Overdue — 30 Sep 2026") + icon,
            metrics.horizontalAdvance(longest_outcome), metrics.horizontalAdvance(DUE_OR_OUTCOME))
        header = table.horizontalHeader()
        for column, width in enumerate(self.widths):
            header.resizeSection(column, width)

    def available_width(self) -> int:
        available = self.table.viewport().width()
        scroll_bar = self.table.verticalScrollBar()
        if not scroll_bar.isVisible():  # rows still to come may bring it
            available -= scroll_bar.sizeHint().width()
        return available

    def fit(self) -> None:
        """Show every column that fits beside the ones that must be read; the narrow layout when even
        those do not fit together."""
        available = self.available_width()
        hidden: set[int] = set()
        for column in OPTIONAL_COLUMNS:
            if self._needed(hidden) <= available:
                break
            hidden.add(column)
        narrow = self._needed(hidden) > available
        if narrow:
            hidden = set(NARROW_HIDDEN)
        self.model.set_due_or_outcome(narrow)
        header = self.table.horizontalHeader()
        header.resizeSection(DUE_COLUMN, self.due_or_outcome_width if narrow else self.widths[DUE_COLUMN])
        for column in range(len(self.widths)):
            header.setSectionHidden(column, column in hidden)

    def _needed(self, hidden: set[int]) -> int:
        return sum(width for column, width in enumerate(self.widths) if column not in hidden)
