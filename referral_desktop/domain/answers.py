"""The answers document: what a referral holds, and the JSON Schema integrators can check it against.

``{"form_id": "cwac-marf", "form_version": "1.0.0", "answers": {...}}`` with answers keyed by field id and
repeat groups as lists of objects. The document names its form version because a draft keeps the version
it was started on. The schema published here is generated from the form definition, so it can never
drift from what the app validates; it describes encodings (types, codes, formats), while the validator
adds the rules a schema cannot say well (check digits, conditions, dates relative to today).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic import Field as PydanticField

from referral_desktop.domain.field_types import CHOICE_TYPES, DEFAULT_MAX_LENGTH, FieldType
from referral_desktop.domain.form_definition import Field, FormDefinition, RepeatGroup


class AnswersDocument(BaseModel):
    """One referral's answers with the form (id and version) they belong to."""

    model_config = ConfigDict(extra="forbid")

    form_id: str = PydanticField(min_length=1, max_length=64)
    form_version: str = PydanticField(pattern=r"^\d+\.\d+\.\d+$")
    answers: dict[str, Any] = PydanticField(default_factory=dict)


_DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
_DATETIME_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$"
_UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


def _field_schema(form: FormDefinition, field: Field) -> dict[str, Any]:
    schema: dict[str, Any] = {"title": field.label}
    if field.hint:
        schema["description"] = field.hint
    kind = field.type
    if kind in (FieldType.YES_NO, FieldType.YES_NO_UNKNOWN) or kind == FieldType.SINGLE_CHOICE:
        schema.update(type="string", enum=[o.code for o in form.options_for(field)])
    elif kind == FieldType.MULTIPLE_CHOICE:
        schema.update(
            type="array",
            items={"type": "string", "enum": [o.code for o in form.options_for(field)]},
            uniqueItems=True,
        )
    elif kind == FieldType.DATE:
        schema.update(type="string", format="date", pattern=_DATE_PATTERN)
    elif kind == FieldType.DATETIME:
        schema.update(
            type="string",
            pattern=_DATETIME_PATTERN,
            description=(schema.get("description", "") + " (UK local time, YYYY-MM-DDTHH:MM)").strip(),
        )
    elif kind == FieldType.INTEGER:
        schema["type"] = "integer"
        if field.min_value is not None:
            schema["minimum"] = field.min_value
        if field.max_value is not None:
            schema["maximum"] = field.max_value
    elif kind == FieldType.ATTACHMENT:
        schema.update(type="array", items={"type": "string", "pattern": _UUID_PATTERN})
    else:
        schema["type"] = "string"
        schema["maxLength"] = field.max_length or DEFAULT_MAX_LENGTH.get(kind, 200)
        if field.min_length:
            schema["minLength"] = field.min_length
        if kind == FieldType.EMAIL:
            schema["format"] = "email"
    if kind in CHOICE_TYPES | {FieldType.YES_NO, FieldType.YES_NO_UNKNOWN}:
        schema["x-options"] = {o.code: o.label for o in form.options_for(field)}
    # Every answer may be absent or null while a draft is in progress.
    wrapped: dict[str, Any] = {"anyOf": [schema, {"type": "null"}]}
    if field.confidential:
        # Golden rule 5: iART must never show this to the family (for example who reported a concern).
        wrapped["x-confidential"] = True
    return wrapped


def _group_schema(form: FormDefinition, group: RepeatGroup) -> dict[str, Any]:
    return {
        "title": group.label,
        "type": "array",
        "maxItems": group.max_items,
        "items": {
            "type": "object",
            "title": group.item_label,
            "properties": {field.id: _field_schema(form, field) for field in group.fields},
        },
    }


def answers_schema(form: FormDefinition) -> dict[str, Any]:
    """The JSON Schema (2020-12) of an answers document for ``form`` (encodings, codes and limits)."""
    properties: dict[str, Any] = {}
    for section in form.sections:
        for item in section.items:
            if isinstance(item, RepeatGroup):
                properties[item.id] = _group_schema(form, item)
            else:
                properties[item.id] = _field_schema(form, item)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:referral-desktop:answers:{form.form_id}:{form.version}",
        "title": f"Answers document: {form.title} (version {form.version})",
        "description": (
            "A referral's answers. Required questions, conditions and identifier check digits are checked "
            "by `referral-desktop validate`; this schema describes the encodings."
        ),
        "type": "object",
        "required": ["form_id", "form_version", "answers"],
        "additionalProperties": False,
        "properties": {
            "form_id": {"const": form.form_id},
            "form_version": {"const": form.version},
            "answers": {"type": "object", "properties": properties},
        },
    }
