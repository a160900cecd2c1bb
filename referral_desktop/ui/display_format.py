"""Dates and times as a UK professional reads them, whatever the machine's locale says.

Why: the default locale printed "22 11 2026" on a test machine; iART works in UK local time, so every
time on screen is converted to Europe/London and written the GOV.UK way ("22 November 2026, 2:05pm").
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def uk_local(moment: datetime) -> datetime:
    """The moment in UK local time (naive datetimes are taken to be UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UK)


def _clock_time(moment: datetime) -> str:
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour}:{moment.minute:02d}{suffix}"


def format_date(day: date | datetime | None) -> str:
    """"22 November 2026" (GOV.UK style), or an empty string."""
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = uk_local(day).date()
    return f"{day.day} {day:%B %Y}"


def format_short_date(day: date | datetime | None) -> str:
    """"22 Nov 2026" for table cells."""
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = uk_local(day).date()
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def format_datetime(moment: datetime | None) -> str:
    """"22 Nov 2026, 2:05pm" in UK local time."""
    if moment is None:
        return ""
    local = uk_local(moment)
    return f"{format_short_date(local.date())}, {_clock_time(local)}"


def format_day_and_time(moment: datetime) -> str:
    """"27 Nov, 10:42am" in UK local time: short enough for a button at 200 % text (restoring a copy)."""
    local = uk_local(moment)
    return f"{local.day} {_MONTHS[local.month - 1]}, {_clock_time(local)}"


def format_time(moment: datetime | None) -> str:
    """"2:05pm" in UK local time."""
    return "" if moment is None else _clock_time(uk_local(moment))


def sortable(moment: datetime | None) -> float:
    """A number that sorts moments (missing ones first)."""
    return float("-inf") if moment is None else uk_local(moment).timestamp()
