"""Finds and loads the versioned form definitions shipped in ``forms/<form_id>/<version>.json``.

A draft keeps the form version it was started on, so every published version stays loadable. A broken
definition is refused with one message naming the place in the file (``sections[3].items[2].options: must
not be empty``) instead of a traceback, because the people who edit forms are not Python developers.
Loaded forms are cached: validation runs on every autosave and must not re-read files.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from referral_desktop.bundled_data import forms_dir
from referral_desktop.domain.form_definition import CONDITION_TAGS, ITEM_TAGS, FormDefinition

_VERSION_FILE = re.compile(r"^(\d+)\.(\d+)\.(\d+)\.json$")
_FORM_ID = re.compile(r"^[a-z][a-z0-9-]*$")
_TAGS = CONDITION_TAGS | ITEM_TAGS
_ALIASES = {"not_": "not", "in_": "in", "schema_": "$schema"}


class FormDefinitionError(ValueError):
    """A form definition could not be read or is not valid; the message names the place."""


class UnknownForm(FormDefinitionError):
    """No definition exists for the requested form id (and version)."""


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


def load_form_file(path: Path | str) -> FormDefinition:
    """Loads one definition file; raises FormDefinitionError (file name and place in the message)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FormDefinitionError(f"{path.name}: cannot be read ({type(exc).__name__})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FormDefinitionError(
            f"{path.name}: is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    return parse_form(data, source=path.name)


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _versions_in(folder: Path) -> list[str]:
    versions = []
    for entry in folder.iterdir():
        match = _VERSION_FILE.match(entry.name)
        if match and entry.is_file():
            versions.append(entry.name.removesuffix(".json"))
    return sorted(versions, key=_version_key)


def available_forms(root: Path | None = None) -> dict[str, list[str]]:
    """Form id → its versions (oldest first) for every definition shipped with the app."""
    root = root or forms_dir()
    found: dict[str, list[str]] = {}
    for folder in sorted(root.iterdir()):
        if folder.is_dir() and _FORM_ID.match(folder.name):
            versions = _versions_in(folder)
            if versions:
                found[folder.name] = versions
    return found


@cache
def _load_cached(root: Path, form_id: str, version: str) -> FormDefinition:
    path = root / form_id / f"{version}.json"
    form = load_form_file(path)
    if form.form_id != form_id or form.version != version:
        raise FormDefinitionError(
            f"{form_id}/{version}.json: declares {form.form_id}@{form.version}; the file name must match"
        )
    return form


def load_form(form_id: str, version: str, *, root: Path | None = None) -> FormDefinition:
    """The definition of ``form_id`` at ``version`` (cached); UnknownForm when there is none."""
    root = root or forms_dir()
    if not isinstance(form_id, str) or not _FORM_ID.match(form_id) or not isinstance(version, str):
        raise UnknownForm("unknown form")
    if not re.match(r"^\d+\.\d+\.\d+$", version) or not (root / form_id / f"{version}.json").is_file():
        raise UnknownForm(f"there is no form {form_id}@{version}")
    return _load_cached(root, form_id, version)


def latest_form(form_id: str, *, root: Path | None = None) -> FormDefinition:
    """The newest version of ``form_id``; UnknownForm when there is none."""
    root = root or forms_dir()
    versions = available_forms(root).get(form_id) if isinstance(form_id, str) else None
    if not versions:
        raise UnknownForm(f"there is no form {form_id}")
    return load_form(form_id, versions[-1], root=root)


def resolve_form(spec: str, *, root: Path | None = None) -> FormDefinition:
    """``form_id`` (latest version) or ``form_id@version``, as commands accept them."""
    form_id, _, version = spec.partition("@")
    return load_form(form_id, version, root=root) if version else latest_form(form_id, root=root)
