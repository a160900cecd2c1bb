"""A time of day as GOV.UK writes it: "8:30am", "5pm", "midday", "midnight"; a range as "8:30am to 5pm";
and the app's own English names of months and days.

Why: opening hours were written on the 24-hour clock ("08:30 to 17:00") while every moment on screen used
the 12-hour clock ("10:00am"). GOV.UK's style guide (A to Z, "Times") asks for the 12-hour clock, no ":00" on
a whole hour, "midday" rather than 12pm, "midnight" rather than 00:00, and "to" in ranges. It lives in the
domain because the domain writes the who-to-call reasons and fills forms' ``{contact:…hours}``; the screens'
formatter (``ui.display_format``) writes moments with it.

Month and day names are the app's own, never strftime's ``%B``/``%A``/``%b``: those follow the C library's
locale, which Qt sets from the machine's on Unix (QCoreApplication calls ``setlocale``), so under a Welsh
locale the English screens wrote "22 Tachwedd 2026".
"""

from __future__ import annotations

from datetime import date, time

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
#: Months where space is short (a list's column, a button at 200 % text), as government house styles shorten
#: them: no full stop, "Sept" for September, and June and July left whole. Sources (checked 28 November 2026):
#: GOV.UK's A to Z ("Dates": "when space is an issue - in tables or publication titles, for example - you can
#: use truncated months: Jan, Feb", https://www.gov.uk/guidance/style-guide/a-to-z-of-gov-uk-style, which
#: names no other); the Office for National Statistics' style guide, for its pages on GOV.UK ("use the
#: shortened version with no punctuation, but not for June and July"; "Quarter 2 (Apr to June)", "Quarter 3
#: (July to Sept)", https://style.ons.gov.uk/house-style/dates/); Central Bedfordshire Council's guidance,
#: which follows GOV.UK's ("truncated months: Jan, Feb, Mar, Aug, Sept, Oct, Nov, Dec",
#: https://centralbedfordshire.gov.uk/info/79/contact_us_-_contact_central_bedfordshire_council/665/third_party_wrapper_guidance/3).
SHORT_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def month_name(day: date, *, short: bool = False) -> str:
    """"November", or "Nov" where space is short (``SHORT_MONTHS``: "Sept", "June")."""
    return (SHORT_MONTHS if short else MONTHS)[day.month - 1]


def weekday_name(day: date) -> str:
    """"Friday"."""
    return WEEKDAYS[day.weekday()]


def clock_time(moment: time) -> str:
    """"8:30am", "5pm", "midday", "midnight" (00:00, or ``time.max``: the end of a day's opening hours)."""
    if moment == time.max or (moment.hour, moment.minute) == (0, 0):
        return "midnight"
    if (moment.hour, moment.minute) == (12, 0):
        return "midday"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def time_range(opens: time, closes: time) -> str:
    """"8:30am to 5pm": "to", never a dash."""
    return f"{clock_time(opens)} to {clock_time(closes)}"
