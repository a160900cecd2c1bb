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
    assert format_short_date(date(2026, 9, 30)) == "30 Sept 2026"  # GOV.UK house styles: "Sept"
    assert format_short_datetime(datetime(2026, 11, 24, 17, 0, tzinfo=UTC)) == "24 Nov 2026 at 5pm"
    assert format_day_and_time(datetime(2026, 11, 27, 10, 42, tzinfo=UTC)) == "27 Nov at 10:42am"


def test_an_answer_typed_as_a_wall_clock_time_is_not_moved_to_another_zone() -> None:
    assert format_wall_datetime(datetime(2025, 5, 30, 11, 15)) == "30 May 2025 at 11:15am"
    assert format_wall_datetime(datetime(2025, 5, 30, 12, 0)) == "30 May 2025 at midday"


def test_when_text_says_at_for_today_and_on_for_another_day() -> None:
    now = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    assert when_text(datetime(2026, 11, 24, 10, 42, tzinfo=UTC), now) == "at 10:42am"
    assert when_text(datetime(2026, 11, 25, 9, 0, tzinfo=UTC), now) == "on 25 November 2026 at 9am"


def test_dates_are_written_in_english_whatever_the_machines_locale(tmp_path) -> None:
    """Qt sets the C library's locale from the machine's (QCoreApplication calls setlocale on Unix), and
    strftime's month and day names follow it: under a Welsh locale the app wrote "22 Tachwedd 2026" in
    English screens. The app's words for months and days are its own. Run in a process of its own, with
    a Welsh locale built for it (localedef)."""
    import os
    import shutil
    import subprocess
    import sys

    import pytest

    localedef = shutil.which("localedef")
    if localedef is None or not os.path.exists("/usr/share/i18n/locales/cy_GB"):
        pytest.skip("needs localedef and the locale sources (Debian: locales)")
    built = subprocess.run([localedef, "-i", "cy_GB", "-f", "UTF-8", str(tmp_path / "cy_GB.UTF-8")],
                           capture_output=True, text=True)
    if not (tmp_path / "cy_GB.UTF-8").exists():
        pytest.skip(f"localedef could not build cy_GB: {built.stderr[-300:]}")
    script = (
        "from datetime import UTC, date, datetime\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "app = QCoreApplication([])\n"
        "from referral_desktop.ui.display_format import format_date, format_datetime, format_short_date\n"
        "from referral_desktop.domain.contacts import load_contacts, who_to_call\n"
        "from referral_desktop.store.snapshots import copy_time\n"
        "moment = datetime(2026, 11, 22, 14, 5, tzinfo=UTC)\n"
        "print(format_date(date(2026, 11, 22)), format_datetime(moment), format_short_date(moment), sep='|')\n"
        "print(copy_time(moment))\n"
        "easter = {e.service_id: e for e in who_to_call(datetime(2026, 4, 2, 22, 30, tzinfo=UTC), load_contacts())}\n"
        "print(easter['edt'].why)\n"
        "import time; print(time.strftime('%B', time.gmtime(0)))\n"
    )
    env = {**os.environ, "LOCPATH": str(tmp_path), "LC_ALL": "cy_GB.UTF-8", "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    written, copy, edt, locale_month = out.stdout.splitlines()
    assert locale_month == "Ionawr"  # the locale really was Welsh in that process
    assert written == "22 November 2026|22 November 2026 at 2:05pm|22 Nov 2026"
    assert copy == "22 Nov 14:05"
    assert edt.endswith("open now until 8:30am on Tuesday 7 April"), edt
