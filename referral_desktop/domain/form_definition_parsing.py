"""Turns one form definition (JSON text, already-parsed data, or a file) into a :class:`FormDefinition`,
or into one message naming the place in the file (``sections[3].items[2].options: must not be empty``).

Why a module of its own: the people who edit forms are not Python developers, so pydantic's errors are
reworded here into places they can find in the JSON, whoever reads the definition — the catalog of
bundled forms (:mod:`referral_desktop.domain.form_catalog`), the sync layer checking a signed update
before it is cached, or a test. Where definitions come from and which version wins is the catalog's
business, not this module's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from referral_desktop.domain.form_conditions import CONDITION_TAGS
from referral_desktop.domain.form_definition import ITEM_TAGS, FormDefinition

#: Tags of the discriminated unions: pydantic puts them in an error's place, a form's author never wrote them.
_TAGS = CONDITION_TAGS | ITEM_TAGS
#: Python names of fields whose JSON names are keywords or start with "$".
_ALIASES = {"not_": "not", "in_": "in", "schema_": "$schema"}


class FormDefinitionError(ValueError):
    """A form definition could not be read or is not valid; the message names the place."""


def _place(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif part in _TAGS:
            continue
        else:
            name = _ALIASES.get(str(part), str(part))
            text += f".{name}" if text else name
    return text


def _describe(error: ValidationError) -> str:
    lines = []
    for detail in error.errors(include_url=False, include_input=False):
        message = str(detail.get("msg", "is not valid"))
        place = _place(tuple(detail.get("loc", ())))
        if not place and detail.get("type") == "value_error":
            # Our own cross-reference checks already name their places, separated by "; ".
            lines.extend(message.removeprefix("Value error, ").split("; "))
            continue
        message = message[0].lower() + message[1:] if message else message
        if detail.get("type") == "extra_forbidden":
            message = "is not a known setting (check the spelling)"
        elif detail.get("type") == "missing":
            message = "is missing"
        lines.append(f"{place or '(top level)'}: {message}")
    return "; ".join(lines)


def parse_form(data: Any, *, source: str = "form definition") -> FormDefinition:
    """Builds a definition from already-parsed JSON data, or raises FormDefinitionError naming the place."""
    if not isinstance(data, dict):
        raise FormDefinitionError(f"{source}: the definition must be a JSON object")
    try:
        return FormDefinition.model_validate(data)
    except ValidationError as exc:
        raise FormDefinitionError(f"{source}: {_describe(exc)}") from None
    except (RecursionError, TypeError, ValueError) as exc:  # pragma: no cover - defensive
        raise FormDefinitionError(f"{source}: the definition could not be read ({type(exc).__name__})") from None


def parse_form_text(text: str, *, source: str = "form definition") -> FormDefinition:
    """Builds a definition from JSON text, or raises FormDefinitionError naming the place."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormDefinitionError(
            f"{source}: is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    except RecursionError:
        raise FormDefinitionError(f"{source}: is nested too deeply to read") from None
    return parse_form(data, source=source)


def load_form_file(path: Path | str) -> FormDefinition:
    """Loads one definition file; raises FormDefinitionError (file name and place in the message)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FormDefinitionError(f"{path.name}: cannot be read ({type(exc).__name__})") from None
    return parse_form_text(text, source=path.name)


def check_declared(form: FormDefinition, form_id: str, version: str) -> None:
    """Refuses a definition whose own ``form_id``/``version`` differ from the place it was found under
    (``<form_id>/<version>.json``): a draft records the id and version, and must get that form back."""
    if form.form_id != form_id or form.version != version:
        raise FormDefinitionError(
            f"{form_id}/{version}.json: declares {form.form_id}@{form.version}; the file name must match"
        )
