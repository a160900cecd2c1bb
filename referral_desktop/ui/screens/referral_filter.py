"""The home list's filter: the rows of one state group (or all) whose words hold the search, and the columns
the list's layout shows (``referral_columns.py``), over the list's model (``referral_table_model.py``).

Why apart from the model: the model holds and words the rows; what is shown of them is the view's choice.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import cast

from PySide6.QtCore import QSortFilterProxyModel, Qt

from referral_desktop.ui.screens.referral_table_model import COLUMNS, SORT_ROLE, ReferralTableModel


class ReferralFilter(QSortFilterProxyModel):
    """Keeps rows of one state group (or all) whose text contains the search words, and the columns the
    list's layout shows (referral_columns.py).

    Why columns here rather than hidden header sections: Qt's accessible table reports every column of
    the view's model, hidden sections too, so a screen reader's table commands read created, updated and
    the reference's own column where the narrow layout had hidden them, repeating what the shown cells say.
    A column the proxy drops is in neither the view nor its accessible table. The view's column numbers are
    therefore this proxy's; ``source_column`` and ``view_column`` translate, and sorting is kept in the
    source model's terms, so a sort on a column the layout hides (by default: last updated) stays in force.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.group = "all"
        self.words: tuple[str, ...] = ()
        self.hidden: frozenset[int] = frozenset()
        self.shown: tuple[int, ...] = tuple(range(len(COLUMNS)))  # the view's column -> the source's
        #: The source column and order the list is sorted by, whether or not that column is shown.
        self.sort_column, self.sort_order = -1, Qt.SortOrder.AscendingOrder
        self._columns_changing = False
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(False)

    def source_column(self, column: int) -> int:
        """The source model's column shown as the view's ``column`` (-1: none)."""
        return self.shown[column] if 0 <= column < len(self.shown) else -1

    def view_column(self, source_column: int) -> int:
        """Where the source model's column is in the view (-1: the layout hides it)."""
        return self.shown.index(source_column) if source_column in self.shown else -1

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:  # noqa: D102
        # The view asks by its column (-1: the header's indicator cleared, the sorted column hidden).
        source = self.source_column(column)
        if self._columns_changing or source < 0:
            return
        self.sort_column, self.sort_order = source, order
        self.resort()

    def resort(self) -> None:
        """Sort again by the kept column and order (after the rows were replaced). The source model sorts
        itself in one pass; the proxy keeps its order (no Python comparisons)."""
        self.sourceModel().sort(self.sort_column, self.sort_order)

    def set_hidden_columns(self, hidden: frozenset[int]) -> bool:
        """Drop the source columns in ``hidden`` from the view (and so from its accessible table), bring back
        the others; True if that changed anything."""
        if hidden == self.hidden:
            return False

        def change() -> None:
            self.hidden = frozenset(hidden)
            self.shown = tuple(c for c in range(len(COLUMNS)) if c not in self.hidden)

        with self.keeping_order():
            self._change_filter(change, columns=True)
        return True

    @contextmanager
    def keeping_order(self) -> Iterator[None]:
        """While columns come and go, and the header's sort indicator is put back on the sorted column (or
        off it where the layout hides it), the view's requests to sort are not the person's: ignored."""
        self._columns_changing = True
        try:
            yield
        finally:
            self._columns_changing = False

    def set_group(self, group: str) -> None:
        self._change_filter(lambda: setattr(self, "group", group))

    def set_search(self, text: str) -> None:
        self._change_filter(lambda: setattr(self, "words", tuple(text.casefold().split())))

    def _change_filter(self, change, *, columns: bool = False) -> None:
        # begin/endFilterChange (Qt 6.10, the lowest allowed): with them the view, and Qt's accessible table,
        # hear of the columns the change drops or brings back.
        self.beginFilterChange()
        change()
        directions = QSortFilterProxyModel.Direction
        self.endFilterChange(directions.Columns if columns else directions.Rows)

    def filterAcceptsColumn(self, source_column: int, source_parent) -> bool:  # noqa: N802
        return source_column not in self.hidden

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:  # noqa: N802
        # Made for the referral table only (home.py): a cast, not a check per row of 10,000.
        row = cast(ReferralTableModel, self.sourceModel()).rows[source_row]
        if self.group != "all" and row.group != self.group:
            return False
        return all(word in row.search for word in self.words)
