"""What "one way of writing times and dates" means, as tests read it back from a page or a PDF.

GOV.UK's style: the 12-hour clock, no ":00" on a whole hour ("10am", not "10:00am"), never the 24-hour clock
("17:00"), and a date and time as "24 November 2026 at 10am" (the month in full).
"""

from __future__ import annotations

import re

_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December")
MOMENT = re.compile(rf"\b\d{{1,2}} (?:{_MONTHS}) \d{{4}} at (?:\d{{1,2}}(?::\d{{2}})?[ap]m|midday|midnight)\b")
_TWENTY_FOUR_HOUR = re.compile(r"\b\d{1,2}:\d{2}\b(?![ap]m)")
_ZERO_MINUTES = re.compile(r"\b\d{1,2}:00[ap]m\b")
_SHORT_MONTH = re.compile(r"\b\d{1,2} (?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec) \d{4}\b")


def written_the_other_ways(text: str) -> list[str]:
    """Every time or date in ``text`` written another way than the app's one way (empty: none)."""
    return (_TWENTY_FOUR_HOUR.findall(text) + _ZERO_MINUTES.findall(text) + _SHORT_MONTH.findall(text)
            + re.findall(r"\b\d{1,2} [A-Z][a-z]+ \d{4}, \d", text))
