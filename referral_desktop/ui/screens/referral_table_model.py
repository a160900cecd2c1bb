"""The home screen's list: a model over referral summaries (the filter by state group and search is
``referral_filter.py``).

Why: the list must stay smooth with 10,000 referrals, so it holds only the store's small summaries
(never answers documents), precomputes every cell's text once per refresh, and sorts on a numeric role
that Qt compares natively instead of calling Python for every comparison.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

from referral_desktop.domain.working_days import is_overdue
from referral_desktop.ui.display_format import format_date, format_datetime, format_short_date, format_short_datetime
from referral_desktop.ui.not_at_iart_words import JOIN, SEPARATOR, not_at_iart_parts
from referral_desktop.ui.referral_states import (
    AWAITING_DECISION,
    GROUPS,
    NO_REFERENCE,
    group_of,
    outcome_label,
    state_label,
    state_value,
)

COLUMNS = ("Child", "State", "Created", "Updated", "iART reference", "Decision due", "Outcome")
STATE_COLUMN, CREATED_COLUMN, UPDATED_COLUMN, REFERENCE_COLUMN, DUE_COLUMN, OUTCOME_COLUMN = 1, 2, 3, 4, 5, 6
#: The decision-due column's name in the narrow layout, where it also shows the outcome once decided.
DUE_OR_OUTCOME = "Decision due or outcome"
#: The state column's name in the narrow layout, where the iART reference is a second line under the state.
STATE_AND_REFERENCE = "State and iART reference"
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
GROUP_ROLE = Qt.ItemDataRole.UserRole + 3
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 4
STATE_ROLE = Qt.ItemDataRole.UserRole + 5


#: A purged referral iART never decided: the retention period ended first (``store/retention.py``). It used to
#: read "Decided (receipt kept)" here, on its page and in its conversation, of a referral iART never decided.
PURGED_UNDECIDED = "Details removed (receipt kept)"


def state_words(state: str, outcome: object) -> str:
    """The state in words. A purged referral without an outcome (``outcome``: anything true once decided) was
    taken by the retention period, not decided (iART's contract gives an outcome exactly when it decides)."""
    if state == "purged" and not outcome:
        return PURGED_UNDECIDED
    return state_label(state)


#: The Child column of a referral whose child has no name yet: a dash to see, words to hear (a screen reader
#: heard "Child: —", a dash or nothing).
NO_NAME_SHOWN, NO_NAME_HEARD = "—", "no name yet"
#: An empty decision-due cell, heard: iART gives the day when it receives the referral (as the reference).
DUE_NOT_GIVEN = NO_REFERENCE
#: An empty outcome cell, heard, until iART decides.
NOT_DECIDED = "not decided yet"


def _none_heard(row: Row, column: int) -> str:
    """Why a decision-due or outcome cell is empty, for a screen reader (which heard the column's name and
    then nothing, where a sighted user sees a gap in a column of dates and outcomes): no day until iART
    receives it, none once it has decided or returned it; no outcome until it decides, none at all for a
    referral the retention period took undecided."""
    if column == OUTCOME_COLUMN:
        return "none" if row.state == "purged" else NOT_DECIDED
    return DUE_NOT_GIVEN if row.group in ("drafts", "waiting") else "none"


def _is_overdue(due: datetime | None, now: datetime) -> bool:
    return due is not None and bool(is_overdue(due, now))


@dataclass(slots=True)
class Row:
    """One referral as the list needs it. Cell texts are formatted on first display only, so loading
    10,000 summaries costs little more than reading them."""

    referral_id: str
    state: str
    group: str
    initials: str
    reference: str
    outcome: str
    created: datetime | None
    updated: datetime | None
    due: datetime | None
    overdue: bool
    search: str
    sort_keys: tuple[Any, ...]
    texts: tuple[str, ...] | None = None
    #: What of the referral has not reached iART, each kind in words ("1 document not sent yet"); () if nothing.
    not_at_iart: tuple[str, ...] = ()

    def text(self, column: int) -> str:
        if self.texts is None:
            due_text = format_short_datetime(self.due) if self.due else ""
            if self.overdue:  # the word first; the day it was due (the time is on the referral's page)
                due_text = f"Overdue — {format_short_date(self.due)}"
            self.texts = (self.initials, state_words(self.state, self.outcome), format_short_date(self.created),
                          format_short_datetime(self.updated), self.reference, due_text, self.outcome)
        return self.texts[column]

    def heard(self, column: int) -> str:
        """A date column's words in full ("24 November 2026 at 5pm") for a screen reader: the cell is
        abbreviated ("24 Nov 2026 at 5pm") only for want of room, and everywhere else the app says it in full.
        The state and what has not reached iART as two sentences (the dot between them is for the eye)."""
        if column == STATE_COLUMN and self.not_at_iart:
            return f"{state_words(self.state, self.outcome)}. {JOIN.join(self.not_at_iart)}"
        if column == CREATED_COLUMN:
            return format_date(self.created)
        if column == UPDATED_COLUMN:
            return format_datetime(self.updated)
        if column == DUE_COLUMN and self.due is not None:
            return f"Overdue — {format_date(self.due)}" if self.overdue else format_datetime(self.due)
        return self.text(column)


def make_row(summary: Any, now: datetime, not_at_iart: Any = None) -> Row:
    """``not_at_iart``: the store's counts of the referral's documents and replies not at iART (None: none)."""
    state = state_value(summary.state)
    if state == "draft" and (getattr(summary, "has_rejection_reasons", False)
                             or getattr(summary, "rejection_reasons", None)):
        state = "rejected"  # returned by iART: a draft again, with the server's reasons to fix
    # The day iART expects to decide means something only until it has (or the referral came back): beside an
    # outcome it is a date that no longer applies, so decided and returned rows show (and sort by) none.
    due = getattr(summary, "decision_due", None) if state in AWAITING_DECISION else None
    overdue = _is_overdue(due, now)
    initials = getattr(summary, "child_initials", "") or NO_NAME_SHOWN
    reference = getattr(summary, "iart_reference", None) or ""
    outcome = outcome_label(getattr(summary, "outcome", None))
    label = state_words(state, outcome)
    missing = not_at_iart_parts(not_at_iart)
    if missing:  # sorted beside its state, after those with nothing missing; found by searching its words too
        label = f"{label}{SEPARATOR}{JOIN.join(missing)}"
    created, updated = summary.created_at, summary.updated_at
    keys = (initials, label, _stamp(created), _stamp(updated), reference, _stamp(due), outcome)
    return Row(str(summary.id), state, group_of(state, decided=bool(outcome)), initials, reference, outcome, created, updated, due,
               overdue, f"{initials} {label} {reference} {outcome}".casefold(), keys, not_at_iart=missing)


def _stamp(moment: datetime | None) -> float:
    return float("-inf") if moment is None else moment.timestamp()


class ReferralTableModel(QAbstractTableModel):
    #: The state cells that say what has not reached iART changed (the state column may need to widen).
    not_at_iart_changed = Signal()

    def __init__(self, clock: Callable[[], datetime], parent=None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.rows: list[Row] = []
        #: referral id -> its row, of the few rows that say something has not reached iART: the state column
        #: is made wide (and in the narrow layout, rows tall) enough for these (referral_columns.py) without
        #: measuring every row.
        self.not_at_iart_rows: dict[str, Row] = {}
        #: referral id -> its index in ``rows``: one sender event updates its row without scanning
        #: 50,000 of them. Rebuilt whenever ``rows`` is replaced or reordered.
        self._position: dict[str, int] = {}
        self._warning_icon: QIcon | None = None
        #: Narrow layout (200 % text on a laptop): the decision-due column also says the outcome, which only
        #: a decided referral has and which then matters more than the day it was due (referral_columns.py).
        self.due_or_outcome = False
        #: Narrowest layout (200 % text on a laptop): no room for the iART reference's own column, so it is
        #: a second line under the state. Professionals read it out on the phone to iART: never left out.
        self.reference_under_state = False

    def set_due_or_outcome(self, merged: bool) -> None:
        if merged == self.due_or_outcome:
            return
        self.due_or_outcome = merged
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, DUE_COLUMN, DUE_COLUMN)
        if self.rows:
            self.dataChanged.emit(self.index(0, DUE_COLUMN), self.index(len(self.rows) - 1, DUE_COLUMN))

    def set_reference_under_state(self, under: bool) -> None:
        if under == self.reference_under_state:
            return
        self.reference_under_state = under
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, STATE_COLUMN, STATE_COLUMN)
        if self.rows:
            self.dataChanged.emit(self.index(0, STATE_COLUMN), self.index(len(self.rows) - 1, STATE_COLUMN))

    def column_name(self, column: int) -> str:
        if column == DUE_COLUMN and self.due_or_outcome:
            return DUE_OR_OUTCOME
        if column == STATE_COLUMN and self.reference_under_state:
            return STATE_AND_REFERENCE
        return COLUMNS[column]

    def cell_text(self, row: Row, column: int) -> str:
        if column == DUE_COLUMN and self.due_or_outcome and row.outcome:
            return row.outcome
        if column == STATE_COLUMN and row.not_at_iart:
            # Each kind on a line of its own under the state: as narrow as the state's own words, so the list
            # keeps its columns; only such rows are taller (referral_columns.TallRows).
            under = [row.reference] if self.reference_under_state and row.reference else []
            return "\n".join((row.text(column), *row.not_at_iart, *under))
        if column == STATE_COLUMN and self.reference_under_state and row.reference:
            return f"{row.text(column)}\n{row.reference}"
        return row.text(column)

    def accessible_text(self, row: Row, column: int) -> str:
        """The cell's words for a screen reader: its column's name first, as a sighted user reads the header;
        the reference under the state named as such, not run on into the state. A referral iART has not
        confirmed has no reference: "not given yet", as its page says, where the cell was heard as empty
        (under the state too, except a draft's, which was never sent)."""
        reference = row.reference or NO_REFERENCE
        if column == STATE_COLUMN and self.reference_under_state and (row.reference or row.state != "draft"):
            return f"{COLUMNS[column]}: {row.heard(column)}. {COLUMNS[REFERENCE_COLUMN]}: {reference}"
        if column == STATE_COLUMN:
            return f"{self.column_name(column)}: {row.heard(column)}"
        if column == REFERENCE_COLUMN:
            return f"{COLUMNS[column]}: {reference}"
        if column == 0 and row.initials == NO_NAME_SHOWN:
            return f"{COLUMNS[column]}: {NO_NAME_HEARD}"
        if column in (CREATED_COLUMN, UPDATED_COLUMN) or (column == DUE_COLUMN and not (self.due_or_outcome
                                                                                         and row.outcome)):
            return f"{self.column_name(column)}: {row.heard(column) or _none_heard(row, column)}"
        return f"{self.column_name(column)}: {self.cell_text(row, column) or _none_heard(row, column)}"

    def set_summaries(self, summaries: Sequence[Any], not_at_iart: Mapping[str, Any] | None = None) -> None:
        """Every row afresh; ``not_at_iart``: the store's counts by referral id, of those that have any."""
        now = self.clock()
        counts = not_at_iart or {}
        self.beginResetModel()
        self.rows = [make_row(s, now, counts.get(str(s.id))) for s in summaries]
        self._position = {row.referral_id: i for i, row in enumerate(self.rows)}
        self.endResetModel()
        marked = {row.referral_id: row for row in self.rows if row.not_at_iart} if counts else {}
        if marked or self.not_at_iart_rows:
            self.not_at_iart_rows = marked
            self.not_at_iart_changed.emit()

    def row_index(self, referral_id: str) -> int | None:
        """Where the referral's row is in ``rows`` (None: not listed)."""
        return self._position.get(referral_id)

    def update_summary(self, summary: Any, not_at_iart: Any = None) -> None:
        """Replace (or add) one row, e.g. after the sync worker reports a change (``not_at_iart``: the store's
        counts for it, None when nothing is missing)."""
        row = make_row(summary, self.clock(), not_at_iart)
        if row.not_at_iart or row.referral_id in self.not_at_iart_rows:
            self._note_not_at_iart(row)
        i = self._position.get(row.referral_id)
        if i is not None:
            self.rows[i] = row
            self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows))
        self._position[row.referral_id] = len(self.rows)
        self.rows.append(row)
        self.endInsertRows()

    def lines(self, row: Row) -> int:
        """How many lines the row's tallest cell has (1, 2 with the reference under the state, more with
        what has not reached iART)."""
        return 1 + len(row.not_at_iart) + (1 if self.reference_under_state else 0)

    def _note_not_at_iart(self, row: Row) -> None:
        before = self.not_at_iart_rows.get(row.referral_id)
        if row.not_at_iart:
            self.not_at_iart_rows[row.referral_id] = row
            if before is not None and (before.state, before.not_at_iart) == (row.state, row.not_at_iart):
                return
        else:
            del self.not_at_iart_rows[row.referral_id]
        self.not_at_iart_changed.emit()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorted here with one key function (fast), not by the proxy calling data() per comparison."""
        if not 0 <= column < len(COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        old_ids = [row.referral_id for row in self.rows]
        self.rows.sort(key=lambda r: r.sort_keys[column], reverse=order == Qt.SortOrder.DescendingOrder)
        position = self._position = {row.referral_id: i for i, row in enumerate(self.rows)}
        persistent = self.persistentIndexList()
        if persistent:
            moved = [self.index(position[old_ids[p.row()]], p.column()) for p in persistent]
            self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def counts(self) -> dict[str, int]:
        out = {group: 0 for group in GROUPS}
        for row in self.rows:
            if row.group in out:
                out[row.group] += 1
        return out

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.column_name(section)
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(row, column)
        if role == SORT_ROLE:
            return row.sort_keys[column]
        if role == ID_ROLE:
            return row.referral_id
        if role == GROUP_ROLE:
            return row.group
        if role == SEARCH_ROLE:
            return row.search
        if role == STATE_ROLE:
            return row.state
        if role == Qt.ItemDataRole.DecorationRole and column == DUE_COLUMN and row.overdue:
            if self._warning_icon is None:
                self._warning_icon = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
            return self._warning_icon
        if role == Qt.ItemDataRole.ToolTipRole and column == DUE_COLUMN and row.overdue:
            return "iART's decision is overdue: the expected time has passed."
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self.accessible_text(row, column)
        return None
