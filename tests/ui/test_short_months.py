"""Months shortened as government house styles shorten them: "Sept", and June and July whole, where the app
shortens a month at all (the home list's columns, the restore button at 200 % text). Three letters each
("Sep", "Jun", "Jul") was kept for 2 px of the list's width at 100 % text; the list must still fit "30 Sept
2026" whole on a 1366 x 768 laptop at 100 % (its Outcome in a column of its own) and at 200 %."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from referral_desktop.domain.clock_words import MONTHS, SHORT_MONTHS, month_name
from referral_desktop.ui.display_format import format_day_and_time, format_short_date, format_short_datetime
from referral_desktop.ui.screens.referral_table_model import CREATED_COLUMN, DUE_COLUMN, OUTCOME_COLUMN
from tests.ui.conftest import FIXED_NOW
from tests.ui.home_on_laptop import home_on_laptop
from tests.ui.test_home_model import summaries

SEPTEMBER_30 = datetime(2026, 9, 30, 11, 58, tzinfo=UTC)  # 12:58pm in London (BST): the widest time too


def test_september_is_sept_june_and_july_stay_whole_and_the_rest_have_three_letters():
    assert [month_name(date(2026, m, 1), short=True) for m in range(1, 13)] == [
        "Jan", "Feb", "Mar", "Apr", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec"]
    assert all(full.startswith(short) for full, short in zip(MONTHS, SHORT_MONTHS, strict=True))
    assert format_short_date(date(2026, 9, 30)) == "30 Sept 2026"
    assert format_short_datetime(SEPTEMBER_30) == "30 Sept 2026 at 12:58pm"
    assert format_day_and_time(datetime(2026, 7, 1, 9, 0, tzinfo=UTC)) == "1 July at 10am"
    assert format_short_date(date(2026, 6, 4)) == "4 June 2026"


def _september_rows():
    """Every state, the longest outcome, and a referral overdue since 30 September, created and last
    changed that day: the widest short date in each of the list's date columns."""
    from referral_desktop.ui.referral_states import OUTCOME_LABELS, STATE_LABELS

    rows = summaries(16)
    for index, (state, outcome) in enumerate(zip(STATE_LABELS, list(OUTCOME_LABELS) * 3, strict=False)):
        rows[index].state = state
        rows[index].outcome = outcome if state in ("decided", "purged") else None
    rows[0].state, rows[0].outcome = "decided", "childrens_social_care_assessment"
    overdue = rows[-1]
    overdue.state, overdue.iart_reference = "received", "IART-2026-000999"
    overdue.created_at = overdue.updated_at = overdue.decision_due = SEPTEMBER_30
    assert overdue.decision_due < FIXED_NOW - timedelta(days=1)
    return rows


@pytest.mark.gui
@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_the_list_fits_30_sept_whole_on_a_laptop(qtbot, context, fake_store, laptop_screen, scale):
    with home_on_laptop(qtbot, context, laptop_screen, scale, _september_rows()) as (window, home):
        window.resize(3000, window.height())  # every column shown: the created and updated dates too
        qtbot.waitUntil(lambda: home.proxy.view_column(CREATED_COLUMN) >= 0, timeout=2_000)
        table, header = home.table, home.table.horizontalHeader()
        metrics, model = table.fontMetrics(), table.model()
        icon = table.iconSize().width()
        for source, text in ((CREATED_COLUMN, "30 Sept 2026"), (DUE_COLUMN, "Overdue — 30 Sept 2026")):
            column = home.proxy.view_column(source)
            cells = [model.index(r, column).data() for r in range(model.rowCount())]
            assert text in cells, (source, cells)
            extra = icon if source == DUE_COLUMN else 0
            assert metrics.horizontalAdvance(text) + extra + 8 <= header.sectionSize(column), (source, scale)

        window.resize(laptop_screen.width(), laptop_screen.height() - 30)  # the laptop again
        qtbot.waitUntil(lambda: home.proxy.view_column(CREATED_COLUMN) < 0, timeout=2_000)
        qtbot.wait(20)
        assert header.length() <= table.viewport().width() and table.horizontalScrollBar().maximum() == 0
        due = home.proxy.view_column(DUE_COLUMN)
        overdue = [r for r in range(model.rowCount()) if (model.index(r, due).data() or "").startswith("Overdue")]
        assert [model.index(r, due).data() for r in overdue] == ["Overdue — 30 Sept 2026"]
        assert metrics.horizontalAdvance("Overdue — 30 Sept 2026") + icon + 8 <= header.sectionSize(due), scale
        heard = model.index(overdue[0], due).data(Qt.ItemDataRole.AccessibleTextRole)
        assert heard.endswith("Overdue — 30 September 2026")  # shortened for room only: heard in full
        if scale == 1.0:  # the outcome keeps a column of its own at the app's own text size on a laptop
            assert home.proxy.view_column(OUTCOME_COLUMN) >= 0 and not home.model.due_or_outcome
