"""Times and dates written one way, the GOV.UK way, wherever the app writes them.

Why: opening hours read "08:30 to 17:00" while moments read "10:00am"; events read "24 Nov 2026, 10:00am" while
answers read "30 May 2025 at 11:15am". GOV.UK's style (A to Z, "Times" and "Dates"): the 12-hour clock, no
":00" on a whole hour, "midday" and "midnight", "to" in ranges, full month names (abbreviated only where space
is short: the referrals table's columns, a button at 200 % text).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from referral_desktop.domain.clock_words import clock_time, time_range
from referral_desktop.ui.display_format import (
    format_date,
    format_datetime,
    format_day_and_time,
    format_short_date,
    format_short_datetime,
    format_time,
    format_wall_datetime,
    when_text,
)


def test_the_clock_is_twelve_hour_without_zero_minutes_and_says_midday_and_midnight() -> None:
    assert clock_time(time(8, 30)) == "8:30am"
    assert clock_time(time(17, 0)) == "5pm"
    assert clock_time(time(10, 0)) == "10am"
    assert clock_time(time(23, 59)) == "11:59pm"
    assert clock_time(time(12, 0)) == "midday"
    assert clock_time(time(12, 5)) == "12:05pm"
    assert clock_time(time(0, 0)) == "midnight"
    assert clock_time(time.max) == "midnight"  # the end of a day's opening hours
    assert clock_time(time(0, 30)) == "12:30am"
    assert time_range(time(8, 30), time(17, 0)) == "8:30am to 5pm"


def test_a_moment_reads_as_its_date_in_full_then_at_its_time_in_uk_local_time() -> None:
    november = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # GMT
    june = datetime(2026, 6, 4, 13, 15, tzinfo=UTC)  # BST: 2:15pm in London
    assert format_datetime(november) == "24 November 2026 at 10am"
    assert format_datetime(june) == "4 June 2026 at 2:15pm"
    assert format_time(june) == "2:15pm"
    assert format_date(june) == "4 June 2026"
    assert format_datetime(None) == format_date(None) == format_time(None) == ""


def test_the_short_forms_are_for_narrow_places_and_only_shorten_the_month() -> None:
    assert format_short_date(date(2026, 9, 30)) == "30 Sep 2026"
    assert format_short_datetime(datetime(2026, 11, 24, 17, 0, tzinfo=UTC)) == "24 Nov 2026 at 5pm"
    assert format_day_and_time(datetime(2026, 11, 27, 10, 42, tzinfo=UTC)) == "27 Nov at 10:42am"


def test_an_answer_typed_as_a_wall_clock_time_is_not_moved_to_another_zone() -> None:
    assert format_wall_datetime(datetime(2025, 5, 30, 11, 15)) == "30 May 2025 at 11:15am"
    assert format_wall_datetime(datetime(2025, 5, 30, 12, 0)) == "30 May 2025 at midday"


def test_when_text_says_at_for_today_and_on_for_another_day() -> None:
    now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    assert when_text(datetime(2026, 11, 24, 10, 42, tzinfo=UTC), now) == "at 10:42am"
    assert when_text(datetime(2026, 11, 25, 9, 0, tzinfo=UTC), now) == "on 25 November 2026 at 9am"
