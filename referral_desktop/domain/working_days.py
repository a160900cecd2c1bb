"""The England and Wales working-day calendar and the "decision expected by" time.

iART aims to decide on a referral within one working day (PRODUCT.md §2 rule 8). The app shows *when*
that is and flags referrals that go past it, so the calendar has to agree with the one the council
works to: Monday to Friday, less the England and Wales bank holidays (including substitute days such as
Monday 28 December 2026 for Boxing Day on a Saturday, and one-off days such as a royal funeral).

Bank holidays come from the well-kept ``holidays`` package (country GB, subdivision ENG, which is the
"england-and-wales" division of the GOV.UK list) rather than a table we would have to keep up to date.

All wall-clock reasoning happens in UK local time (``Europe/London`` through :mod:`zoneinfo`; the
``tzdata`` package supplies the zone where the operating system has none, as on Windows). Every result
is a timezone-aware datetime; naive datetimes are refused, because a naive time is ambiguous twice a
year and would silently shift a deadline by an hour.

The time is always an argument: nothing here reads the clock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:  # the directory is only needed for its iART hours; imported lazily to avoid a cycle
    from referral_desktop.domain.contacts import ContactDirectory

UK_TIME = ZoneInfo("Europe/London")
"""The time zone every opening hour and deadline is expressed in."""

_LOOKAHEAD_DAYS = 31
"""How far ahead to look for a working day (the longest run of non-working days is four)."""


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> dict[date, str]:
    # One small dict per year, computed once; lru_cache keeps it safe to call from any thread, unlike a
    # shared lazily-expanding HolidayBase. Imported here: the package takes ~20 ms to import, and most
    # users of this module (time zones, ``validate``'s contact texts) never ask about a bank holiday.
    import holidays

    calendar = holidays.country_holidays("GB", subdiv="ENG", years=year)
    return dict(calendar.items())


def bank_holiday_name(day: date) -> str | None:
    """The name of the England and Wales bank holiday on ``day`` ("Boxing Day (observed)"), or None."""
    return _bank_holidays(day.year).get(day)


def is_bank_holiday(day: date) -> bool:
    """True when ``day`` is an England and Wales bank holiday (substitute days included)."""
    return bank_holiday_name(day) is not None


def is_working_day(day: date) -> bool:
    """True on Monday to Friday unless it is an England and Wales bank holiday."""
    if isinstance(day, datetime):  # a datetime is a date too; its date in UK time is what counts
        day = uk_local(day).date()
    return day.weekday() < 5 and not is_bank_holiday(day)


def next_working_day(day: date) -> date:
    """The first working day strictly after ``day``."""
    candidate = day
    for _ in range(_LOOKAHEAD_DAYS):
        candidate += timedelta(days=1)
        if is_working_day(candidate):
            return candidate
    raise ValueError("no working day found within a month")  # pragma: no cover - cannot happen


def uk_local(moment: datetime) -> datetime:
    """``moment`` in UK local time; refuses naive datetimes."""
    _require_aware(moment, "time")
    return moment.astimezone(UK_TIME)


def at_uk_time(day: date, clock_time: time) -> datetime:
    """The instant at which UK clocks show ``clock_time`` on ``day`` (tz-aware, UK time).

    ``time.max`` stands for "24:00", the end of the day: midnight at the start of the next day.
    """
    if clock_time == time.max:
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=UK_TIME)
    return datetime.combine(day, clock_time, tzinfo=UK_TIME)


ClosingTime = Callable[[date], "time | None"]
"""Given a working day, the time iART closes that day (None if it does not open that day)."""


def iart_closing_time(directory: ContactDirectory | None = None) -> ClosingTime:
    """iART's closing time on a given day, from the contacts data (bundled, or the one given)."""
    if directory is None:
        from referral_desktop.domain.contacts import load_contacts

        directory = load_contacts()
    service = directory.service("iart")
    return service.hours.closing_time_on if service.hours is not None else (lambda _day: None)


def decision_due(
    received_at: datetime,
    directory: ContactDirectory | None = None,
    *,
    closing_time: ClosingTime | None = None,
) -> datetime:
    """When iART's decision is expected: the end of the next working day after receipt.

    "End" is iART's closing time that day, taken from the contacts data (17:00 Monday to Thursday,
    16:30 on Friday in the bundled data, which the policy may override): ``directory`` is the contact
    directory in force (default: the bundled one), or ``closing_time`` gives the rule directly.

    The day of receipt is the UK calendar date of ``received_at``; the next working day is the first
    Monday-to-Friday after it that is not a bank holiday (and on which iART opens). So a referral
    received at 10:00 on Monday is due at 17:00 on Tuesday, one received on Friday afternoon or at the
    weekend is due at 17:00 on Monday, and one received on Thursday 24 December 2026 is due at 17:00 on
    Tuesday 29 December (25 and 28 December are bank holidays). Returned tz-aware in UK time.
    """
    local = uk_local(received_at)
    closes_on = closing_time or iart_closing_time(directory)
    day = local.date()
    for _ in range(_LOOKAHEAD_DAYS):
        day = next_working_day(day)
        closes = closes_on(day)
        if closes is not None:
            return at_uk_time(day, closes)
    raise ValueError("iART has no opening hours on any working day in the contacts data")


def is_overdue(due: datetime, now: datetime) -> bool:
    """True once ``now`` is past ``due`` (both tz-aware; compared as instants, not wall-clock times)."""
    _require_aware(due, "due")
    _require_aware(now, "now")
    return now.astimezone(UTC) > due.astimezone(UTC)


def _require_aware(moment: datetime, name: str) -> None:
    if not isinstance(moment, datetime):
        raise TypeError(f"{name} must be a datetime")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware (a naive time is ambiguous around clock changes)")
