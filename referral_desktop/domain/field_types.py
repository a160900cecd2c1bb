"""The kinds of answer a form field takes, and what follows from the kind alone.

Kept apart from the definition's pydantic models: the editor, the checks and the answers' encoding ask
"is this a choice?" or "how long may this text be?" of a field's type without needing the models.
"""

from __future__ import annotations

from enum import StrEnum


class FieldType(StrEnum):
    """What kind of answer a field takes; each has its encoding (see INTERFACES / README) and checks."""

    TEXT = "text"
    LONG_TEXT = "long_text"
    DATE = "date"
    DATETIME = "datetime"
    YES_NO = "yes_no"
    YES_NO_UNKNOWN = "yes_no_unknown"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    INTEGER = "integer"
    TELEPHONE = "telephone"
    EMAIL = "email"
    POSTCODE = "postcode"
    NHS_NUMBER = "nhs_number"
    UPN = "upn"
    ATTACHMENT = "attachment"


CHOICE_TYPES = frozenset({FieldType.SINGLE_CHOICE, FieldType.MULTIPLE_CHOICE})
DATE_TYPES = frozenset({FieldType.DATE, FieldType.DATETIME})
TEXT_TYPES = frozenset({FieldType.TEXT, FieldType.LONG_TEXT})

#: Built-in options of the yes/no types, so that every consumer shows the same labels.
YES_NO_OPTIONS: dict[FieldType, tuple[tuple[str, str], ...]] = {
    FieldType.YES_NO: (("yes", "Yes"), ("no", "No")),
    FieldType.YES_NO_UNKNOWN: (("yes", "Yes"), ("no", "No"), ("not_known", "Not known")),
}

#: Length limits used when a text-like field does not set its own.
DEFAULT_MAX_LENGTH: dict[FieldType, int] = {
    FieldType.TEXT: 200,
    FieldType.LONG_TEXT: 10_000,
    FieldType.TELEPHONE: 30,
    FieldType.EMAIL: 254,
    FieldType.POSTCODE: 10,
    FieldType.NHS_NUMBER: 20,
    FieldType.UPN: 20,
}
