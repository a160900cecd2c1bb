"""Dates and times as a UK professional reads them, whatever the machine's locale says: one style, one place.

Why: the default locale printed "22 11 2026" on a test machine; iART works in UK local time, so every
time on screen is converted to Europe/London. And the app wrote the same moment two ways ("24 Nov 2026,
10:00am" in events, "30 May 2025 at 11:15am" in answers): a screen-reader user heard different words for the
same kind of fact. Now, following GOV.UK's style guide (A to Z, "Dates" and "Times"):

* a moment: "22 November 2026 at 2:05pm" (:func:`format_datetime`; the date first, so a timeline's lines
  start with their day);
* a date alone: "22 November 2026" (:func:`format_date`);
* a time: "2:05pm", "10am", "midday", "midnight" (``domain.clock_words``);
* abbreviated months ("22 Nov 2026") only where space is short: the
  referrals table's columns and a button at 200 % text (:func:`format_short_date`,
  :func:`format_short_datetime`, :func:`format_day_and_time`); the table gives a screen reader the full words.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from referral_desktop.domain.clock_words import clock_time, month_name

UK = ZoneInfo("Europe/London")

def uk_local(moment: datetime) -> datetime:
    """The moment in UK local time (naive datetimes are taken to be UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UK)


def _day(day: date | datetime) -> date:
    return uk_local(day).date() if isinstance(day, datetime) else day


def format_date(day: date | datetime | None) -> str:
    """"22 November 2026", or an empty string."""
    if day is None:
        return ""
    day = _day(day)
    return f"{day.day} {month_name(day)} {day.year}"


def format_short_date(day: date | datetime | None) -> str:
    """"22 Nov 2026", "30 Sept 2026", "4 June 2026", only where space is short (a table's column): the
    months as government house styles shorten them (``domain.clock_words.SHORT_MONTHS``, with its sources).
    The referrals table is fitted to the widest of them (``referral_columns``)."""
    if day is None:
        return ""
    day = _day(day)
    return f"{day.day} {month_name(day, short=True)} {day.year}"


def format_datetime(moment: datetime | None) -> str:
    """"22 November 2026 at 2:05pm" in UK local time, or an empty string."""
    if moment is None:
        return ""
    local = uk_local(moment)
    return f"{format_date(local.date())} at {clock_time(local.time())}"


def format_short_datetime(moment: datetime | None) -> str:
    """"22 Nov 2026 at 2:05pm" in UK local time, only where space is short (a table's column)."""
    if moment is None:
        return ""
    local = uk_local(moment)
    return f"{format_short_date(local.date())} at {clock_time(local.time())}"


def format_wall_datetime(moment: datetime) -> str:
    """"30 May 2025 at 11:15am" for a date and time someone typed (already UK local; not converted)."""
    return f"{format_date(moment.date())} at {clock_time(moment.time())}"


def format_day_and_time(moment: datetime) -> str:
    """"27 Nov at 10:42am" in UK local time: short enough for a button at 200 % text (restoring a copy)."""
    local = uk_local(moment)
    return f"{local.day} {month_name(local, short=True)} at {clock_time(local.time())}"


def format_time(moment: datetime | None) -> str:
    """"2:05pm" in UK local time."""
    return "" if moment is None else clock_time(uk_local(moment).time())


def when_text(moment: datetime, now: datetime) -> str:
    """"at 10:42am" today, "on 28 November 2026 at 9am" on another day (UK local days)."""
    if uk_local(moment).date() == uk_local(now).date():
        return f"at {format_time(moment)}"
    return f"on {format_datetime(moment)}"


def sortable(moment: datetime | None) -> float:
    """A number that sorts moments (missing ones first)."""
    return float("-inf") if moment is None else uk_local(moment).timestamp()
