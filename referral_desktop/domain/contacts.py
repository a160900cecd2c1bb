"""Who to call, and when: the contact directory and its opening hours, as data.

When a professional answers "yes" to "is a child in immediate danger?", the form stops and the app
shows who to phone *now* (PRODUCT.md §2 rule 1). Getting that wrong at 16:15 on a Friday or on a bank
holiday Monday sends someone to a closed line, so the answer is computed from the clock and from data:

- 999 comes first, always;
- then every service open at that moment — iART and the Emergency Duty Team overlap on weekday
  afternoons (16:30–17:00 Monday to Thursday, 16:00–16:30 on Friday) and both are shown;
- then Cheshire Police, always;
- then the duty social work offices open at that moment.

Numbers, hours and addresses live in ``resources/contacts.json`` so that they can be corrected without a
code change; the deployment policy may override any of them (:func:`load_contacts`). Opening hours are
weekly intervals in UK local time plus a bank-holiday rule; intervals may run past midnight (the EDT's
16:30–08:30). All instants are compared in UTC, so clock changes need no special cases.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping
from datetime import datetime, time, timedelta
from functools import lru_cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from referral_desktop.bundled_data import read_resource_text
from referral_desktop.domain.clock_words import clock_time, month_name, weekday_name
from referral_desktop.domain.data_file_errors import describe_errors
from referral_desktop.domain.opening_hours import OpeningHours
from referral_desktop.domain.working_days import uk_local

CONTACTS_RESOURCE = "contacts.json"


class ContactsError(ValueError):
    """The contacts data (bundled or as overridden by policy) is not valid. ``problems`` holds one
    ``place: message`` line per mistake; ``str()`` joins them."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PhoneNumber(_Frozen):
    """One number to ring. ``verify`` marks a number taken from an incomplete source, to be confirmed
    by the deployment (shown as such)."""

    number: str = Field(min_length=3)
    label: str | None = None
    verify: bool = False


class Service(_Frozen):
    """A service one can phone. ``hours`` None means always available (999, police)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: Literal["emergency", "service", "police"]
    name: str = Field(min_length=1)
    summary: str = ""
    numbers: tuple[PhoneNumber, ...] = Field(min_length=1)
    hours: OpeningHours | None = None
    email: str | None = None
    email_note: str | None = None
    receives_online_referrals: bool = False
    source: str | None = None  # where the numbers were checked, for whoever corrects them


class Office(_Frozen):
    """A duty social work office one can visit."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1)
    address: tuple[str, ...] = Field(min_length=1)
    postcode: str = Field(min_length=1)
    summary: str = ""
    hours: OpeningHours | None = None
    hours_verify: bool = False

    @property
    def full_address(self) -> str:
        return ", ".join((*self.address, self.postcode))


class ContactDirectory(_Frozen):
    """Everything the "who to call" panel needs: services, their numbers and hours, and the offices."""

    version: str = ""
    source: str = ""
    notes: str = ""
    services: tuple[Service, ...] = Field(min_length=1)
    offices: tuple[Office, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> ContactDirectory:
        ids = [s.id for s in self.services] + [o.id for o in self.offices]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"ids must be unique; repeated: {', '.join(duplicates)}")
        if sum(1 for s in self.services if s.kind == "emergency") != 1:
            raise ValueError("there must be exactly one service of kind 'emergency' (999)")
        iart = next((s for s in self.services if s.id == "iart"), None)
        if iart is None or iart.hours is None:
            raise ValueError("the service 'iart' with opening hours is required (it sets the working day)")
        return self

    def service(self, service_id: str) -> Service:
        """The service with this id; KeyError if there is none."""
        for service in self.services:
            if service.id == service_id:
                return service
        raise KeyError(service_id)


class OpenService(_Frozen):
    """One line of the "who to call now" answer."""

    service_id: str
    kind: Literal["emergency", "service", "police", "office"]
    name: str
    numbers: tuple[PhoneNumber, ...] = ()
    why: str
    open_until: datetime | None = None
    address: str | None = None


def who_to_call(now: datetime, directory: ContactDirectory) -> list[OpenService]:
    """Who to phone at ``now`` (tz-aware): 999 first, then every service open now (all of them when
    their hours overlap), then the police (always), then the duty offices open now."""
    local = uk_local(now)
    answer: list[OpenService] = []
    emergency = [s for s in directory.services if s.kind == "emergency"]
    with_hours = [s for s in directory.services if s.kind != "emergency" and s.hours is not None]
    always = [s for s in directory.services if s.kind != "emergency" and s.hours is None]
    for service in emergency:
        answer.append(_always_entry(service))
    for service in with_hours:
        assert service.hours is not None
        if service.hours.is_open(now):
            until = service.hours.open_until(now)
            answer.append(
                OpenService(
                    service_id=service.id,
                    kind=service.kind,
                    name=service.name,
                    numbers=service.numbers,
                    why=_open_why(service.summary, local, until),
                    open_until=until,
                )
            )
    for service in always:
        answer.append(_always_entry(service))
    for office in directory.offices:
        if office.hours is None or office.hours.is_open(now):
            until = office.hours.open_until(now) if office.hours else None
            answer.append(
                OpenService(
                    service_id=office.id,
                    kind="office",
                    name=office.name,
                    why=_open_why(office.summary, local, until) if office.hours else office.summary,
                    open_until=until,
                    address=office.full_address,
                )
            )
    return answer


def _always_entry(service: Service) -> OpenService:
    prefix = "Emergency" if service.kind == "emergency" else service.summary
    return OpenService(
        service_id=service.id,
        kind=service.kind,
        name=service.name,
        numbers=service.numbers,
        why=f"{prefix} — always" if prefix else "Always",
    )


def _open_why(summary: str, local_now: datetime, until: datetime | None) -> str:
    if until is None:
        when = "open now, around the clock"
    else:
        day = until.date()
        clock = clock_time(until.time())  # "5pm", "8:30am" (GOV.UK style), never "17:00"
        if until.time() == time(0):  # "until midnight" reads better as the end of the day before
            day = day - timedelta(days=1)
        if day == local_now.date():
            when = f"open now until {clock}"
        elif day == local_now.date() + timedelta(days=1):
            when = f"open now until {clock} tomorrow"
        else:
            when = f"open now until {clock} on {weekday_name(day)} {day.day} {month_name(day)}"
    return f"{summary} — {when}" if summary else when[0].upper() + when[1:]


# ------------------------------------------------------------------------------------------ loading


@lru_cache(maxsize=1)
def _bundled_raw() -> str:
    return read_resource_text(CONTACTS_RESOURCE)


@lru_cache(maxsize=1)
def _bundled_directory() -> ContactDirectory:
    return _build(json.loads(_bundled_raw()), None)


def load_contacts(overrides: Mapping[str, Any] | None = None) -> ContactDirectory:
    """The bundled contact directory, with the deployment policy's ``overrides`` applied.

    ``overrides`` has the shape of the policy's ``[contacts]`` table: top-level keys replace the
    file's (``version``, ``source``), and ``services`` / ``offices`` are tables keyed by id whose
    entries are merged into the service or office of that id (a table merges, a list or value replaces;
    an unknown id adds a new entry, which must then be complete). For example, in TOML::

        [contacts.services.edt]
        numbers = [{ number = "01244 977277" }]
        [contacts.services.edt.hours]
        bank_holidays = "open_all_day"

    Raises :class:`ContactsError` naming the place of every mistake.
    """
    if not overrides:
        return _bundled_directory()
    return _build(json.loads(_bundled_raw()), overrides)


def _build(data: dict[str, Any], overrides: Mapping[str, Any] | None) -> ContactDirectory:
    problems: list[str] = []
    if overrides:
        data = _apply_overrides(data, overrides, problems)
        if problems:
            raise ContactsError(problems)
    names: dict[tuple[Any, ...], str] = {}
    for key in ("services", "offices"):
        for index, entry in enumerate(data.get(key) or ()):
            if isinstance(entry, dict) and isinstance(entry.get("id"), str):
                names[(key, index)] = f"{key}.{entry['id']}"
    try:
        return ContactDirectory.model_validate(data)
    except ValidationError as exc:
        raise ContactsError(describe_errors(exc, names=names)) from None


def _apply_overrides(data: dict[str, Any], overrides: Mapping[str, Any], problems: list[str]) -> dict[str, Any]:
    merged = copy.deepcopy(data)
    for key, value in overrides.items():
        if key in ("services", "offices"):
            if not isinstance(value, Mapping):
                problems.append(f"{key}: must be a table keyed by {key[:-1]} id, such as [contacts.{key}.iart]")
                continue
            entries = merged.setdefault(key, [])
            for entry_id, change in value.items():
                if not isinstance(change, Mapping):
                    problems.append(f"{key}.{entry_id}: must be a table of settings")
                    continue
                existing = next((e for e in entries if e.get("id") == entry_id), None)
                if existing is None:
                    entries.append({"id": entry_id, **copy.deepcopy(dict(change))})
                else:
                    _deep_merge(existing, change)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _deep_merge(target: dict[str, Any], change: Mapping[str, Any]) -> None:
    for key, value in change.items():
        if isinstance(value, Mapping) and isinstance(target.get(key), dict):
            _deep_merge(target[key], value)
        else:
            target[key] = copy.deepcopy(value)


def iter_all_numbers(directory: ContactDirectory) -> Iterator[tuple[str, PhoneNumber]]:
    """Every (service id, number) in the directory, e.g. for a printed contact sheet."""
    for service in directory.services:
        for number in service.numbers:
            yield service.id, number
