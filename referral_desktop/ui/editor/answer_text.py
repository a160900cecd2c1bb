"""An answer as a sentence fragment for the check page: option labels, UK dates, "Not answered".

Plain Python over the form definition, so the same wording can later serve a PDF export.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from referral_desktop.domain.field_types import FieldType
from referral_desktop.domain.form_definition import Field, FormDefinition
from referral_desktop.ui.display_format import format_date, format_wall_datetime

NOT_ANSWERED = "Not answered"


def answer_text(field: Field, value: Any, form: FormDefinition) -> str:
    if value in (None, "", []):
        return NOT_ANSWERED
    kind = field.type
    if kind in (FieldType.YES_NO, FieldType.YES_NO_UNKNOWN, FieldType.SINGLE_CHOICE):
        labels = {option.code: option.label for option in form.options_for(field)}
        return labels.get(value, str(value))
    if kind == FieldType.MULTIPLE_CHOICE:
        labels = {option.code: option.label for option in form.options_for(field)}
        values = value if isinstance(value, list) else [value]
        return "\n".join(labels.get(code, str(code)) for code in values)
    if kind in (FieldType.DATE, FieldType.DATETIME):
        return date_words(value, with_time=kind == FieldType.DATETIME)
    if kind == FieldType.ATTACHMENT:
        count = len(value) if isinstance(value, list) else 1
        return f"{count} file{'s' if count != 1 else ''} attached"
    return str(value)


def date_words(value: Any, *, with_time: bool) -> str:
    """A stored date ("2016-03-27") or date-time as written in words ("27 March 2016"); a half-typed or
    impossible one as stored ("2019-2-31"), for nothing typed to be hidden; "Not answered" for none."""
    if value in (None, ""):
        return NOT_ANSWERED
    try:
        if with_time:
            return format_wall_datetime(dt.datetime.fromisoformat(str(value)))
        return format_date(dt.date.fromisoformat(str(value)))
    except ValueError:
        return str(value)
