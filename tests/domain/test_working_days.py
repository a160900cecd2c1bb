"""The England and Wales working-day calendar and the "decision expected by" time."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest

from referral_desktop.domain.contacts import load_contacts
from referral_desktop.domain.working_days import (
    UK_TIME,
    bank_holiday_name,
    decision_due,
    is_bank_holiday,
    is_overdue,
    is_working_day,
    next_working_day,
)


def uk(*args: int) -> datetime:
    return datetime(*args, tzinfo=UK_TIME)


@pytest.mark.parametrize(
    "day, name_part",
    [
        (date(2026, 1, 1), "New Year"),
        (date(2026, 4, 3), "Good Friday"),
        (date(2026, 4, 6), "Easter Monday"),
        (date(2026, 5, 4), "May Day"),
        (date(2026, 5, 25), "Spring Bank Holiday"),
        (date(2026, 8, 31), "Summer Bank Holiday"),
        (date(2026, 12, 25), "Christmas Day"),
        (date(2026, 12, 28), "Boxing Day (observed)"),  # 26 December 2026 is a Saturday
        (date(2027, 12, 27), "Christmas Day (observed)"),  # both fall at the weekend in 2027
        (date(2027, 12, 28), "Boxing Day (observed)"),
    ],
)
def test_england_and_wales_bank_holidays_are_not_working_days(day, name_part):
    assert is_bank_holiday(day)
    assert name_part in bank_holiday_name(day)
    assert not is_working_day(day)


def test_scottish_only_holidays_are_working_days_in_england():
    assert is_working_day(date(2026, 1, 2))  # 2 January: Scotland only
    assert is_working_day(date(2026, 8, 3))  # first Monday of August: Scotland only
    assert is_working_day(date(2026, 11, 30))  # St Andrew's Day: Scotland only


def test_weekends_are_not_working_days_and_ordinary_weekdays_are():
    assert not is_working_day(date(2026, 5, 23))  # Saturday
    assert not is_working_day(date(2026, 5, 24))  # Sunday
    assert all(is_working_day(date(2026, 6, d)) for d in range(1, 6))


def test_next_working_day_skips_weekends_and_bank_holidays():
    assert next_working_day(date(2026, 5, 22)) == date(2026, 5, 26)  # Fri -> Tue (spring bank holiday)
    assert next_working_day(date(2026, 12, 24)) == date(2026, 12, 29)
    assert next_working_day(date(2026, 4, 2)) == date(2026, 4, 7)  # Thu before Easter -> Tue after


@pytest.mark.parametrize(
    "received, due",
    [
        (uk(2026, 6, 1, 10, 0), uk(2026, 6, 2, 17, 0)),  # Monday -> Tuesday 17:00
        (uk(2026, 6, 3, 23, 59), uk(2026, 6, 4, 17, 0)),  # Wednesday night -> Thursday 17:00
        (uk(2026, 6, 4, 9, 0), uk(2026, 6, 5, 16, 30)),  # Thursday -> Friday, iART closes 16:30
        (uk(2026, 6, 5, 16, 45), uk(2026, 6, 8, 17, 0)),  # Friday -> Monday
        (uk(2026, 6, 6, 12, 0), uk(2026, 6, 8, 17, 0)),  # Saturday -> Monday
        (uk(2026, 5, 22, 12, 0), uk(2026, 5, 26, 17, 0)),  # Friday before spring bank holiday -> Tuesday
        (uk(2026, 5, 25, 12, 0), uk(2026, 5, 26, 17, 0)),  # on the bank holiday itself -> Tuesday
        (uk(2026, 12, 24, 10, 0), uk(2026, 12, 29, 17, 0)),  # Christmas Eve -> after the substitute day
        (uk(2026, 4, 2, 11, 0), uk(2026, 4, 7, 17, 0)),  # Thursday before Easter -> Tuesday after
    ],
)
def test_decision_due_is_iart_closing_time_on_the_next_working_day(received, due):
    result = decision_due(received)
    assert result == due
    assert result.tzinfo is not None
    assert result.astimezone(UK_TIME).time() == due.time()


def test_decision_due_uses_the_uk_date_of_receipt_not_the_utc_date():
    # 23:30 UTC on Monday 1 June 2026 is 00:30 on Tuesday in British Summer Time.
    received = datetime(2026, 6, 1, 23, 30, tzinfo=UTC)
    assert decision_due(received) == uk(2026, 6, 3, 17, 0)


def test_decision_due_across_the_clock_change_keeps_wall_clock_time():
    # Clocks go forward on Sunday 29 March 2026; Friday 27 March is GMT, Monday 30 is BST.
    due = decision_due(uk(2026, 3, 27, 12, 0))
    assert due == uk(2026, 3, 30, 17, 0)
    assert due.astimezone(UTC).hour == 16  # 17:00 BST
    # Clocks go back on Sunday 25 October 2026.
    due = decision_due(uk(2026, 10, 23, 12, 0))
    assert due.astimezone(UTC) == datetime(2026, 10, 26, 17, 0, tzinfo=UTC)


def test_decision_due_follows_the_contacts_data_hours():
    directory = load_contacts(
        {"services": {"iart": {"hours": {"weekly": [
            {"days": ["mon", "tue", "wed", "thu", "fri"], "opens": "09:00", "closes": "16:00"}]}}}}
    )
    assert decision_due(uk(2026, 6, 1, 10, 0), directory) == uk(2026, 6, 2, 16, 0)
    assert decision_due(uk(2026, 6, 1, 10, 0), closing_time=lambda d: time(15, 0)) == uk(2026, 6, 2, 15, 0)


def test_decision_due_skips_working_days_on_which_iart_does_not_open():
    directory = load_contacts(
        {"services": {"iart": {"hours": {"weekly": [{"days": ["wed"], "opens": "09:00", "closes": "12:00"}]}}}}
    )
    assert decision_due(uk(2026, 6, 1, 10, 0), directory) == uk(2026, 6, 3, 12, 0)


def test_naive_times_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        decision_due(datetime(2026, 6, 1, 10, 0))
    with pytest.raises(ValueError, match="timezone-aware"):
        is_overdue(datetime(2026, 6, 1, 10, 0), uk(2026, 6, 1, 10, 0))


def test_is_overdue_compares_instants():
    due = uk(2026, 6, 2, 17, 0)  # 16:00 UTC
    assert not is_overdue(due, due)
    assert not is_overdue(due, datetime(2026, 6, 2, 15, 59, 59, tzinfo=UTC))
    assert is_overdue(due, datetime(2026, 6, 2, 16, 0, 1, tzinfo=UTC))
    assert is_overdue(due, due + timedelta(seconds=1))
    # a different offset for the same instant is the same moment
    assert not is_overdue(due, datetime(2026, 6, 2, 18, 0, tzinfo=timezone(timedelta(hours=2))))


def test_is_working_day_accepts_a_datetime_and_uses_the_uk_date():
    assert not is_working_day(datetime(2026, 5, 24, 23, 30, tzinfo=UTC))  # 00:30 Monday 25 May BST: holiday
    assert is_working_day(datetime(2026, 5, 26, 0, 30, tzinfo=UK_TIME))
