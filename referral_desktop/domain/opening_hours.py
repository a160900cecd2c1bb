"""Opening hours as data: weekly intervals in UK local time plus a bank-holiday rule.

Why a module of its own: "is this line open now, and until when?" is the part of the contact directory
(:mod:`referral_desktop.domain.contacts`) that has edge cases (intervals past midnight such as the
EDT's 16:30-08:30, "24:00", bank holidays, clock changes); it reads and tests better alone. All
instants are compared in UTC, so clock changes need no special cases.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from referral_desktop.domain.clock_words import WEEKDAYS as DAY_NAMES
from referral_desktop.domain.working_days import at_uk_time, is_bank_holiday, uk_local

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def days_in_words(days: tuple[str, ...]) -> str:
    """Days of an interval as a sentence names them: "Monday to Friday" for a run of three or more,
    otherwise "Saturday and Sunday", "Monday, Wednesday and Friday" (never "Saturday, Sunday"). One place
    for the contacts page and the form's filled-in hours."""
    indexes = sorted(WEEKDAYS.index(day) for day in days)
    names = [DAY_NAMES[i] for i in indexes]
    if len(names) > 2 and indexes == list(range(indexes[0], indexes[-1] + 1)):
        return f"{names[0]} to {names[-1]}"
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
HORIZON_DAYS = 14  # how far ahead "open until" looks; open longer than this reads as "around the clock"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def _parse_clock(value: Any, *, allow_24: bool) -> Any:
    if isinstance(value, str):
        text = value.strip()
        if allow_24 and text == "24:00":
            return time.max
        if len(text) != 5 or text[2] != ":" or not (text[:2] + text[3:]).isdigit():
            raise ValueError("must be a time such as 08:30" + (" (or 24:00)" if allow_24 else ""))
        try:
            return time(int(text[:2]), int(text[3:]))
        except ValueError:
            raise ValueError("must be a time such as 08:30") from None
    return value


class WeeklyInterval(_Frozen):
    """Open from ``opens`` to ``closes`` on each of ``days``. ``closes`` "24:00" is the end of the day;
    a ``closes`` at or before ``opens`` is on the next morning."""

    days: tuple[Weekday, ...] = Field(min_length=1)
    opens: time
    closes: time

    @field_validator("opens", mode="before")
    @classmethod
    def _opens(cls, value: Any) -> Any:
        return _parse_clock(value, allow_24=False)

    @field_validator("closes", mode="before")
    @classmethod
    def _closes(cls, value: Any) -> Any:
        return _parse_clock(value, allow_24=True)

    @model_validator(mode="after")
    def _not_empty(self) -> WeeklyInterval:
        if self.opens == self.closes:
            raise ValueError("opens and closes are the same time; use 00:00 to 24:00 for a whole day")
        return self

    @property
    def overnight(self) -> bool:
        """True when the interval ends on the next day's morning."""
        return self.closes != time.max and self.closes <= self.opens


Span = tuple[datetime, datetime]  # [start, end) in UTC


class OpeningHours(_Frozen):
    """Weekly opening intervals plus what happens on England and Wales bank holidays."""

    weekly: tuple[WeeklyInterval, ...] = Field(min_length=1)
    bank_holidays: Literal["closed", "open_all_day", "as_weekly"]

    def _starting_on(self, day: date) -> list[Span]:
        holiday = is_bank_holiday(day)
        if holiday and self.bank_holidays == "closed":
            return []
        spans: list[Span] = []
        if holiday and self.bank_holidays == "open_all_day":
            spans.append((at_uk_time(day, time(0)), at_uk_time(day, time.max)))
        weekday = WEEKDAYS[day.weekday()]
        for interval in self.weekly:
            if weekday in interval.days:
                end_day = day + timedelta(days=1) if interval.overnight else day
                spans.append((at_uk_time(day, interval.opens), at_uk_time(end_day, interval.closes)))
        return [(start.astimezone(UTC), end.astimezone(UTC)) for start, end in spans]

    def spans(self, first_day: date, last_day: date) -> list[Span]:
        """The merged open periods of intervals starting between two UK dates (inclusive), in UTC.

        On a "closed" bank holiday the service is shut for the whole UK calendar day, including the part
        of an overnight interval from the evening before that runs into it.
        """
        raw: list[Span] = []
        day = first_day
        while day <= last_day:
            raw.extend(self._starting_on(day))
            day += timedelta(days=1)
        if self.bank_holidays == "closed":
            day = first_day
            while day <= last_day + timedelta(days=1):
                if is_bank_holiday(day):
                    shut = (at_uk_time(day, time(0)).astimezone(UTC), at_uk_time(day, time.max).astimezone(UTC))
                    raw = [piece for span in raw for piece in _subtract(span, shut)]
                day += timedelta(days=1)
        return _merge(raw)

    def _span_at(self, moment: datetime) -> Span | None:
        now = moment.astimezone(UTC)
        today = uk_local(moment).date()
        for start, end in _cached_spans(self, today - timedelta(days=1), today + timedelta(days=HORIZON_DAYS)):
            if start <= now < end:
                return start, end
        return None

    def is_open(self, moment: datetime) -> bool:
        """True when the service is open at ``moment`` (tz-aware)."""
        return self._span_at(moment) is not None

    def open_until(self, moment: datetime) -> datetime | None:
        """When the current open period ends (UK time), or None if closed now or open for the next
        fortnight without a break."""
        span = self._span_at(moment)
        if span is None:
            return None
        horizon = at_uk_time(uk_local(moment).date() + timedelta(days=HORIZON_DAYS), time(0))
        return None if span[1] >= horizon else uk_local(span[1])

    def closing_time_on(self, day: date) -> time | None:
        """The latest closing time of the intervals that open and close on ``day`` (``time.max`` for
        24:00), or None when there are none (closed that day, or a bank holiday with rule "closed").
        Used for iART's "end of the working day"."""
        if is_bank_holiday(day) and self.bank_holidays == "closed":
            return None
        weekday = WEEKDAYS[day.weekday()]
        closing = [i.closes for i in self.weekly if weekday in i.days and not i.overnight]
        return max(closing) if closing else None


@lru_cache(maxsize=256)
def _cached_spans(hours: OpeningHours, first_day: date, last_day: date) -> tuple[Span, ...]:
    # Frozen models are hashable, so a who-to-call panel refreshing every minute costs a dict lookup.
    return tuple(hours.spans(first_day, last_day))


def _subtract(span: Span, cut: Span) -> list[Span]:
    start, end = span
    cut_start, cut_end = cut
    if cut_end <= start or cut_start >= end:
        return [span]
    pieces = []
    if start < cut_start:
        pieces.append((start, cut_start))
    if cut_end < end:
        pieces.append((cut_end, end))
    return pieces


def _merge(spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
