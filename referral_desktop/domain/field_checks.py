"""Checks one answer against its field: type, encoding, limits, date bounds, identifiers.

The messages follow the GOV.UK Design System: say what is wrong and how to fix it ("Enter a date of birth in
the past"), built from the field's ``error_name`` unless the definition gives its own wording. They never
repeat the answer itself, because messages end up in logs, on screen summaries and in server replies.

Everything here is precomputed once per field (:class:`CompiledField`) so that validating a whole referral
on every autosave stays well under the 5 ms budget.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from referral_desktop.domain.conditions import is_answered
from referral_desktop.domain.field_types import DEFAULT_MAX_LENGTH, YES_NO_OPTIONS, FieldType
from referral_desktop.domain.form_definition import Field, FormDefinition, RelativeDate
from referral_desktop.domain.identifiers import (
    Problem,
    email_problem,
    nhs_number_problem,
    postcode_problem,
    telephone_problem,
    upn_problem,
)

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_ARTICLES = ("a ", "an ", "the ")


def shift(today: date, offset: RelativeDate) -> date:
    """``today`` moved by whole years and months (day clamped to the month's end), then by days."""
    month_index = today.month - 1 + offset.months + 12 * offset.years
    year, month = today.year + month_index // 12, month_index % 12 + 1
    year = min(max(year, 1), 9999)
    day = min(today.day, calendar.monthrange(year, month)[1])
    moved = date(year, month, day)
    try:
        return moved + timedelta(days=offset.days)
    except OverflowError:
        return date.max if offset.days > 0 else date.min


def parse_date(value: object) -> date | None:
    """A ``YYYY-MM-DD`` answer as a date, or None when it is not a real date in that form."""
    if not isinstance(value, str) or not _DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse_datetime(value: object) -> datetime | None:
    """A ``YYYY-MM-DDTHH:MM`` answer (UK local time, naive) as a datetime, or None."""
    if not isinstance(value, str) or not _DATETIME.match(value):
        return None
    try:
        return datetime.fromisoformat(value)  # the pattern above fixed the shape; strptime costs an import
    except ValueError:
        return None


def _uk_date(day: date) -> str:
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


@dataclass(frozen=True, slots=True)
class CompiledField:
    """One field with its options, limits and messages worked out once."""

    field: Field
    name: str  # "a date of birth": used after a verb
    short: str  # "Date of birth": used at the start of a sentence
    codes: frozenset[str]
    max_length: int | None
    m_required: str
    m_invalid: str

    @classmethod
    def build(cls, form: FormDefinition, field: Field) -> CompiledField:
        name = field.error_name or (field.label[0].lower() + field.label[1:])
        short = name
        for article in _ARTICLES:
            if short.lower().startswith(article):
                short = short[len(article):]
                break
        short = short[0].upper() + short[1:] if short else "This answer"
        if field.type in YES_NO_OPTIONS:
            codes = frozenset(code for code, _ in YES_NO_OPTIONS[field.type])
        else:
            codes = frozenset(option.code for option in form.options_for(field))
        verb = {
            FieldType.SINGLE_CHOICE: "Select",
            FieldType.MULTIPLE_CHOICE: "Select",
            FieldType.YES_NO: "Select",
            FieldType.YES_NO_UNKNOWN: "Select",
            FieldType.ATTACHMENT: "Attach",
        }.get(field.type, "Enter")
        required = field.messages.required or f"{verb} {name}"
        invalid = field.messages.invalid or _default_invalid(field.type, name, short, required)
        max_length = field.max_length or DEFAULT_MAX_LENGTH.get(field.type)
        return cls(field, name, short, codes, max_length, required, invalid)

    # -- checking --------------------------------------------------------------------------------------

    def check(self, value: object, *, today: date, test_deployment: bool,
              known_attachments: frozenset[str] | None) -> str | None:
        """The message for an answered value that is not acceptable, or None."""
        kind = self.field.type
        if kind in (FieldType.TEXT, FieldType.LONG_TEXT):
            return self._check_text(value)
        if kind in (FieldType.YES_NO, FieldType.YES_NO_UNKNOWN, FieldType.SINGLE_CHOICE):
            return None if isinstance(value, str) and value in self.codes else self.m_invalid
        if kind == FieldType.MULTIPLE_CHOICE:
            if not isinstance(value, list):
                return self.m_invalid
            ok = all(isinstance(code, str) and code in self.codes for code in value)
            return None if ok else self.m_invalid
        if kind == FieldType.DATE:
            return self._check_date(parse_date(value), today)
        if kind == FieldType.DATETIME:
            moment = parse_datetime(value)
            return self._check_date(moment.date() if moment else None, today)
        if kind == FieldType.INTEGER:
            return self._check_integer(value)
        if kind == FieldType.ATTACHMENT:
            return self._check_attachments(value, known_attachments)
        # The identifier and contact types: text as typed.
        if not isinstance(value, str):
            return self.m_invalid
        if self.max_length is not None and len(value) > self.max_length:
            # Far too long to be one: say what the right shape is ("Enter an NHS number with 10 digits").
            return self.m_invalid
        if kind == FieldType.NHS_NUMBER:
            return self._nhs_message(nhs_number_problem(value, allow_test_range=test_deployment))
        if kind == FieldType.UPN:
            return self._upn_message(upn_problem(value))
        if kind == FieldType.POSTCODE:
            return None if postcode_problem(value) is None else self.m_invalid
        if kind == FieldType.TELEPHONE:
            return None if telephone_problem(value) is None else self.m_invalid
        if kind == FieldType.EMAIL:
            return None if email_problem(value) is None else self.m_invalid
        return self.m_invalid  # pragma: no cover - every FieldType is handled above

    def _too_long(self) -> str:
        return self.field.messages.too_long or f"{self.short} must be {self.max_length} characters or fewer"

    def _check_text(self, value: object) -> str | None:
        if not isinstance(value, str):
            return self.m_invalid
        length = len(value.strip())
        if self.max_length is not None and length > self.max_length:
            return self._too_long()
        if self.field.min_length is not None and length < self.field.min_length:
            return f"{self.short} must be {self.field.min_length} characters or more"
        return None

    def _check_date(self, day: date | None, today: date) -> str | None:
        if day is None:
            return self.m_invalid
        field = self.field
        if field.earliest is not None:
            earliest = shift(today, field.earliest)
            if day < earliest:
                if field.messages.too_early:
                    return field.messages.too_early
                if earliest == today:
                    return f"{self.short} must be today or in the future"
                return f"{self.short} must be on or after {_uk_date(earliest)}"
        if field.latest is not None:
            latest = shift(today, field.latest)
            if day > latest:
                if field.messages.too_late:
                    return field.messages.too_late
                if latest == today:
                    return f"{self.short} must be today or in the past"
                return f"{self.short} must be on or before {_uk_date(latest)}"
        return None

    def _check_integer(self, value: object) -> str | None:
        if type(value) is not int:
            return self.m_invalid
        field = self.field
        if field.min_value is not None and value < field.min_value:
            return field.messages.too_small or f"{self.short} must be {field.min_value} or more"
        if field.max_value is not None and value > field.max_value:
            return field.messages.too_large or f"{self.short} must be {field.max_value} or less"
        return None

    def _check_attachments(self, value: object, known: frozenset[str] | None) -> str | None:
        if not isinstance(value, list):
            return self.m_invalid
        for ref in value:
            if not isinstance(ref, str) or not _UUID.match(ref):
                return self.m_invalid
            if known is not None and ref.lower() not in known:
                return f"Attach {self.name} again: a file is no longer stored on this computer"
        return None

    def _nhs_message(self, problem: Problem | None) -> str | None:
        if problem is None:
            return None
        if problem == Problem.FORMAT:
            return self.field.messages.invalid or f"{self.short} must only include numbers"
        if problem == Problem.LENGTH:
            return f"Enter {self.name} with 10 digits"
        if problem == Problem.TEST_RANGE:
            return self.field.messages.test_number or (
                f"Enter a real {self.short}: numbers starting 999 are only for testing"
            )
        return f"Enter a real {self.short}: check each digit against the child's records"

    def _upn_message(self, problem: Problem | None) -> str | None:
        if problem is None:
            return None
        if problem == Problem.LENGTH:
            return f"Enter {self.name} with 13 characters"
        if problem == Problem.UNKNOWN_AUTHORITY:
            return f"Enter a real {self.short}: characters 2 to 4 must be a local authority number"
        if problem == Problem.CHECKSUM:
            return f"Enter a real {self.short}: the first letter does not match the rest"
        return self.field.messages.invalid or (
            f"{self.short} must be a letter, 11 numbers, then a number or a letter"
        )


def _default_invalid(kind: FieldType, name: str, short: str, required: str) -> str:
    if kind in (FieldType.SINGLE_CHOICE, FieldType.MULTIPLE_CHOICE, FieldType.YES_NO, FieldType.YES_NO_UNKNOWN):
        return required
    if kind == FieldType.DATE:
        return f"{short} must be a real date, like 27 3 2016"
    if kind == FieldType.DATETIME:
        return f"{short} must be a real date and time, like 27 3 2026 and 14:30"
    if kind == FieldType.INTEGER:
        return f"{short} must be a whole number"
    if kind == FieldType.TELEPHONE:
        return f"Enter {name} in the correct format, like 01244 977277 or +44 1244 977277"
    if kind == FieldType.EMAIL:
        return f"Enter {name} in the correct format, like name@example.com"
    if kind == FieldType.POSTCODE:
        return f"Enter {name} in the correct format, like CH1 2NU"
    if kind == FieldType.NHS_NUMBER:
        return f"Enter {name} with 10 digits"
    if kind == FieldType.UPN:
        return f"Enter {name} with 13 characters"
    if kind == FieldType.ATTACHMENT:
        return f"Attach {name} again: a file reference could not be read"
    return f"Enter {name} as text"


__all__ = ["CompiledField", "is_answered", "parse_date", "parse_datetime", "shift"]
