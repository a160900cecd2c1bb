"""Fills the contact placeholders of a form's text from the contacts in force.

Why: numbers and opening hours typed into a form's hints and messages stay on screen after the
deployment policy corrects them in the contact directory. A form refers to a contact instead, as
``{contact:iart.number}``, ``{contact:edt.hours}``, ``{contact:police.numbers}`` or
``{contact:iart.name}``; :func:`render_form` returns the definition with every text filled from the
directory given (the bundled ``resources/contacts.json`` with the policy's overrides applied), so that
screens, validation messages and the sandbox all show the same, current numbers.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from datetime import time
from typing import Any

from referral_desktop.domain.clock_words import clock_time
from referral_desktop.domain.contacts import ContactDirectory, Service
from referral_desktop.domain.form_definition import FormDefinition
from referral_desktop.domain.opening_hours import OpeningHours, days_in_words

PLACEHOLDER = re.compile(r"\{contact:([a-z][a-z0-9_]*)\.(name|number|numbers|hours)\}")
_BANK_HOLIDAYS = {
    "closed": "closed on bank holidays",
    "open_all_day": "all day on bank holidays",
    "as_weekly": "the same hours on bank holidays",
}
_UNKNOWN = "(see the contacts list)"


def describe_hours(hours: OpeningHours | None) -> str:
    """Opening hours in words, times written the GOV.UK way as every screen writes them: ``Monday to
    Thursday 8:30am to 5pm; Friday 8:30am to 4:30pm; closed on bank holidays``. None (always open) reads
    "at any time"."""
    if hours is None:
        return "at any time"
    parts = []
    for interval in hours.weekly:
        days = days_in_words(interval.days)
        if interval.opens == time(0) and interval.closes == time.max:
            parts.append(f"{days} all day")
        elif interval.closes == time.max:
            parts.append(f"{days} from {clock_time(interval.opens)}")
        elif interval.opens == time(0):
            parts.append(f"{days} until {clock_time(interval.closes)}")
        elif interval.overnight:
            parts.append(f"{days} {clock_time(interval.opens)} to {clock_time(interval.closes)} the next morning")
        else:
            parts.append(f"{days} {clock_time(interval.opens)} to {clock_time(interval.closes)}")
    parts.append(_BANK_HOLIDAYS[hours.bank_holidays])
    return "; ".join(parts)


def _numbers(service: Service) -> str:
    texts = []
    for number in service.numbers:
        text = f"{number.number} ({number.label})" if number.label else number.number
        texts.append(text + (" [to be confirmed]" if number.verify else ""))
    return " or ".join(texts)


def _value(directory: ContactDirectory, contact_id: str, part: str) -> str:
    try:
        service = directory.service(contact_id)
    except KeyError:
        return _UNKNOWN
    if part == "name":
        return service.name
    if part == "number":
        return service.numbers[0].number
    if part == "numbers":
        return _numbers(service)
    return describe_hours(service.hours)


def fill(text: str, directory: ContactDirectory) -> str:
    """``text`` with every contact placeholder replaced; an unknown contact id reads as a pointer to
    the contacts list rather than as a wrong number."""
    if "{contact:" not in text:
        return text
    return PLACEHOLDER.sub(lambda match: _value(directory, match.group(1), match.group(2)), text)


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)


def _filled(value: Any, directory: ContactDirectory) -> Any:
    if isinstance(value, str):
        return fill(value, directory)
    if isinstance(value, dict):
        return {key: _filled(item, directory) for key, item in value.items()}
    if isinstance(value, list):
        return [_filled(item, directory) for item in value]
    return value


def placeholders(form: FormDefinition) -> set[tuple[str, str]]:
    """Every (contact id, part) the form's text refers to."""
    data = form.model_dump(by_alias=True, exclude_none=True)
    return {(match.group(1), match.group(2)) for text in _texts(data) for match in PLACEHOLDER.finditer(text)}


_cache: dict[tuple[int, int], tuple[FormDefinition, ContactDirectory, FormDefinition]] = {}
_cache_lock = threading.Lock()


def render_form(form: FormDefinition, directory: ContactDirectory) -> FormDefinition:
    """The definition with its contact placeholders filled (the same object when it has none).

    Cached per (definition, directory) so that autosave validation never re-renders.
    """
    key = (id(form), id(directory))
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] is form and hit[1] is directory:
            return hit[2]
    data = form.model_dump(by_alias=True, exclude_none=True)
    if not any("{contact:" in text for text in _texts(data)):
        rendered = form
    else:
        rendered = FormDefinition.model_validate(_filled(data, directory))
    with _cache_lock:
        if len(_cache) > 32:
            _cache.clear()
        _cache[key] = (form, directory, rendered)
    return rendered
