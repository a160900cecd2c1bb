"""The form definition format: what a versioned form (such as the MARF) is made of, as pydantic models.

The app builds both its screens and its validation from one definition held as data in ``forms/``, so
that the council can change a question, a hint or a code list without a code change, and so that a draft
keeps the exact form version it was started on. Conditions are structured data (see
:mod:`referral_desktop.domain.conditions`), never expressions evaluated as code.

Answers are keyed by field id; field ids are unique across the whole form, including inside repeatable
groups. Sections only group questions for display.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import Discriminator, PrivateAttr, Tag, model_validator
from pydantic import Field as PydanticField

from referral_desktop.domain.definition_base import ID_PATTERN as _ID_PATTERN
from referral_desktop.domain.definition_base import DefinitionModel as _Model
from referral_desktop.domain.field_types import CHOICE_TYPES, YES_NO_OPTIONS, FieldType
from referral_desktop.domain.form_conditions import Condition, condition_field_ids

_VERSION_PATTERN = r"^\d+\.\d+\.\d+$"
_FORM_ID_PATTERN = r"^[a-z][a-z0-9-]*$"


# Conditions (visible_when, required_when, rules) are in form_conditions.
ITEM_TAGS = frozenset({"field-item", "repeat-group-item"})


# --------------------------------------------------------------------------------------------------
# Fields, groups, sections, rules (the kinds of field are in field_types)
# --------------------------------------------------------------------------------------------------


class Option(_Model):
    """One choice: ``code`` is what is stored and sent, ``label`` what people read."""

    code: str = PydanticField(min_length=1, max_length=40)
    label: str = PydanticField(min_length=1)
    hint: str | None = None
    #: The same answer's code in a national list, where one exists (a CIN census factor such as "18C").
    census_code: str | None = PydanticField(default=None, min_length=1, max_length=10)


class CodeList(_Model):
    """A named list of options shared by several fields (ethnicity, disability, referral source...)."""

    title: str = PydanticField(min_length=1)
    source: str | None = None
    options: list[Option] = PydanticField(min_length=1)


class RelativeDate(_Model):
    """A date relative to the day of validation: ``{"years": -18}`` is 18 years ago, ``{}`` is today."""

    years: int = 0
    months: int = 0
    days: int = 0


class FieldMessages(_Model):
    """Error messages overriding the ones built from ``error_name`` (GOV.UK style, never echo values)."""

    required: str | None = None
    invalid: str | None = None
    too_long: str | None = None
    too_early: str | None = None
    too_late: str | None = None
    too_small: str | None = None
    too_large: str | None = None
    test_number: str | None = None


class Field(_Model):
    """One question.

    ``error_name`` is the noun phrase used in messages ("a date of birth" → "Enter a date of birth");
    when absent the label is used. ``earliest``/``latest`` bound date and date-time answers relative to
    the validation day; ``min_value``/``max_value`` bound integers; ``min_length``/``max_length`` text.
    """

    type: FieldType
    id: str = PydanticField(pattern=_ID_PATTERN, max_length=64)
    label: str = PydanticField(min_length=1)
    hint: str | None = None
    error_name: str | None = None
    required: bool = False
    required_when: Condition | None = None
    visible_when: Condition | None = None
    options: list[Option] | None = None
    code_list: str | None = None
    min_length: int | None = PydanticField(default=None, ge=0)
    max_length: int | None = PydanticField(default=None, ge=1)
    min_value: int | None = None
    max_value: int | None = None
    earliest: RelativeDate | None = None
    latest: RelativeDate | None = None
    messages: FieldMessages = PydanticField(default_factory=FieldMessages)
    #: Never shown on anything the family could receive (an informant who must not be identified);
    #: the payload lists such fields for iART (see :func:`confidential_paths`).
    confidential: bool = False

    @property
    def kind(self) -> Literal["field"]:
        return "field"


class RepeatGroup(_Model):
    """A repeatable group of fields; its answer is a list of objects keyed by the group's field ids."""

    type: Literal["repeat"] = "repeat"
    id: str = PydanticField(pattern=_ID_PATTERN, max_length=64)
    label: str = PydanticField(min_length=1)
    item_label: str = PydanticField(min_length=1)
    hint: str | None = None
    min_items: int = PydanticField(default=0, ge=0)
    max_items: int = PydanticField(default=20, ge=1)
    fields: list[Field] = PydanticField(min_length=1)
    visible_when: Condition | None = None
    too_few_message: str | None = None
    too_many_message: str | None = None

    @property
    def kind(self) -> Literal["repeat"]:
        return "repeat"


def _item_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        return "repeat-group-item" if value.get("type") == "repeat" else "field-item"
    if isinstance(value, RepeatGroup):
        return "repeat-group-item"
    if isinstance(value, Field):
        return "field-item"
    return None


SectionItem = Annotated[
    Annotated[Field, Tag("field-item")] | Annotated[RepeatGroup, Tag("repeat-group-item")],
    Discriminator(
        _item_kind,
        custom_error_type="item_kind",
        custom_error_message="must be an object describing a field or a repeat group",
    ),
]


class Section(_Model):
    """A page of the form. Hidden sections (``visible_when`` false) are neither shown nor validated."""

    id: str = PydanticField(pattern=_ID_PATTERN, max_length=64)
    title: str = PydanticField(min_length=1)
    description: str | None = None
    items: list[SectionItem] = PydanticField(min_length=1)
    visible_when: Condition | None = None


class Rule(_Model):
    """A cross-field rule: when ``when`` holds (or always), ``check`` must hold, else ``message`` at ``path``.

    With ``group`` set, the rule is checked for each item of that repeat group, conditions look in the item
    first, and ``path`` is a field id of the group (the error goes to ``group[i].path``).
    """

    id: str = PydanticField(pattern=_ID_PATTERN, max_length=64)
    description: str = PydanticField(min_length=1)
    group: str | None = None
    when: Condition | None = None
    check: Condition
    path: str = PydanticField(pattern=_ID_PATTERN)
    message: str = PydanticField(min_length=1)


class CarriedFrom(_Model):
    """How a draft on an older ``version`` moves to this one: data, never code.

    ``fields`` maps each field or repeat group of this version to the id it had in the older one, for
    every question that still means the same (an id mapped to itself is carried unchanged). Every older
    question not carried is named in ``not_carried`` with the reason people are shown. ``changed_codes``
    lists, per carried choice field of this version, older codes whose meaning changed (so an answer
    with one is not carried); a code that is simply no longer offered is never carried either.
    """

    version: str = PydanticField(pattern=_VERSION_PATTERN)
    fields: dict[str, str] = PydanticField(min_length=1)
    not_carried: dict[str, str] = PydanticField(default_factory=dict)
    changed_codes: dict[str, list[str]] = PydanticField(default_factory=dict)


class FormDefinition(_Model):
    """A whole versioned form: sections of fields and repeat groups, shared code lists and rules."""

    schema_: str | None = PydanticField(default=None, alias="$schema")
    form_id: str = PydanticField(pattern=_FORM_ID_PATTERN, max_length=64)
    version: str = PydanticField(pattern=_VERSION_PATTERN)
    title: str = PydanticField(min_length=1)
    description: str | None = None
    code_lists: dict[str, CodeList] = PydanticField(default_factory=dict)
    sections: list[Section] = PydanticField(min_length=1)
    rules: list[Rule] = PydanticField(default_factory=list)
    carried_from: list[CarriedFrom] = PydanticField(default_factory=list)

    _index: dict[str, tuple[Field | RepeatGroup, Section, RepeatGroup | None]] = PrivateAttr(
        default_factory=dict
    )
    _compiled: Any = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _check_references(self) -> FormDefinition:
        problems: list[str] = []
        index: dict[str, tuple[Field | RepeatGroup, Section, RepeatGroup | None]] = {}

        def add(item: Field | RepeatGroup, place: str, section: Section, group: RepeatGroup | None) -> None:
            if item.id in index:
                problems.append(f"{place}.id: the field id {item.id!r} is used more than once")
            else:
                index[item.id] = (item, section, group)

        section_ids: set[str] = set()
        for s, section in enumerate(self.sections):
            if section.id in section_ids:
                problems.append(f"sections[{s}].id: the section id {section.id!r} is used more than once")
            section_ids.add(section.id)
            for i, item in enumerate(section.items):
                place = f"sections[{s}].items[{i}]"
                add(item, place, section, None)
                if isinstance(item, RepeatGroup):
                    if item.min_items > item.max_items:
                        problems.append(f"{place}.min_items: must not be more than max_items")
                    for f, field in enumerate(item.fields):
                        add(field, f"{place}.fields[{f}]", section, item)

        def check_field(field: Field, place: str) -> None:
            if field.type in CHOICE_TYPES:
                if field.options is not None and field.code_list is not None:
                    problems.append(f"{place}: give either options or code_list, not both")
                elif field.options is None and field.code_list is None:
                    problems.append(f"{place}.options: a {field.type.value} field needs options or a code_list")
                elif field.options is not None and not field.options:
                    problems.append(f"{place}.options: must not be empty")
                elif field.code_list is not None and field.code_list not in self.code_lists:
                    problems.append(f"{place}.code_list: there is no code list {field.code_list!r}")
                codes = [o.code for o in field.options or []]
                if len(codes) != len(set(codes)):
                    problems.append(f"{place}.options: option codes must be unique")
            elif field.options is not None or field.code_list is not None:
                problems.append(f"{place}.options: only choice fields take options")
            if (
                field.min_length is not None
                and field.max_length is not None
                and field.min_length > field.max_length
            ):
                problems.append(f"{place}.min_length: must not be more than max_length")
            if field.min_value is not None and field.max_value is not None and field.min_value > field.max_value:
                problems.append(f"{place}.min_value: must not be more than max_value")
            for key in ("required_when", "visible_when"):
                check_condition(getattr(field, key), f"{place}.{key}")

        def check_condition(condition: Any, place: str) -> None:
            for ref in condition_field_ids(condition):
                if ref not in index:
                    problems.append(f"{place}: refers to an unknown field {ref!r}")

        for s, section in enumerate(self.sections):
            check_condition(section.visible_when, f"sections[{s}].visible_when")
            for i, item in enumerate(section.items):
                place = f"sections[{s}].items[{i}]"
                if isinstance(item, RepeatGroup):
                    check_condition(item.visible_when, f"{place}.visible_when")
                    for f, field in enumerate(item.fields):
                        check_field(field, f"{place}.fields[{f}]")
                else:
                    check_field(item, place)

        for name, code_list in self.code_lists.items():
            codes = [o.code for o in code_list.options]
            if len(codes) != len(set(codes)):
                problems.append(f"code_lists.{name}.options: option codes must be unique")
            if not re.match(_ID_PATTERN, name):
                problems.append(f"code_lists.{name}: a code list name must be snake_case")

        rule_ids: set[str] = set()
        for r, rule in enumerate(self.rules):
            place = f"rules[{r}]"
            if rule.id in rule_ids:
                problems.append(f"{place}.id: the rule id {rule.id!r} is used more than once")
            rule_ids.add(rule.id)
            check_condition(rule.when, f"{place}.when")
            check_condition(rule.check, f"{place}.check")
            target = index.get(rule.path)
            if target is None:
                problems.append(f"{place}.path: refers to an unknown field {rule.path!r}")
            if rule.group is not None:
                group = index.get(rule.group)
                if group is None or not isinstance(group[0], RepeatGroup):
                    problems.append(f"{place}.group: there is no repeat group {rule.group!r}")
                elif target is not None and target[2] is not group[0]:
                    problems.append(f"{place}.path: {rule.path!r} is not a field of the group {rule.group!r}")
            elif target is not None and target[2] is not None:
                problems.append(f"{place}.path: {rule.path!r} is inside a repeat group; set group")

        for c, carry in enumerate(self.carried_from):
            place = f"carried_from[{c}]"
            if carry.version == self.version:
                problems.append(f"{place}.version: a form cannot be carried from itself")
            for new_id, old_id in carry.fields.items():
                entry = index.get(new_id)
                if entry is None:
                    problems.append(f"{place}.fields.{new_id}: there is no field {new_id!r} in this form")
                elif entry[2] is not None and entry[2].id not in carry.fields:
                    problems.append(f"{place}.fields.{new_id}: its group {entry[2].id!r} must be carried too")
                if old_id in carry.not_carried:
                    problems.append(f"{place}.not_carried.{old_id}: is also carried")
            for new_id in carry.changed_codes:
                if new_id not in carry.fields:
                    problems.append(f"{place}.changed_codes.{new_id}: is not a carried field")

        if problems:
            raise ValueError("; ".join(problems))
        self._index = index
        return self

    # -- helpers --------------------------------------------------------------------------------------

    def iter_fields(self) -> Iterator[Field]:
        """Every field in display order, including the fields inside repeat groups."""
        for section in self.sections:
            for item in section.items:
                if isinstance(item, RepeatGroup):
                    yield from item.fields
                else:
                    yield item

    def iter_groups(self) -> Iterator[RepeatGroup]:
        """Every repeat group in display order."""
        for section in self.sections:
            for item in section.items:
                if isinstance(item, RepeatGroup):
                    yield item

    def find(self, field_id: str) -> Field | RepeatGroup | None:
        """The field or repeat group with this id, or None."""
        entry = self._index.get(field_id)
        return entry[0] if entry else None

    def section_for(self, field_id: str) -> Section | None:
        """The section holding this field or group (fields inside a group: the group's section)."""
        entry = self._index.get(field_id)
        return entry[1] if entry else None

    def group_for(self, field_id: str) -> RepeatGroup | None:
        """The repeat group a field belongs to, or None for a top-level field."""
        entry = self._index.get(field_id)
        return entry[2] if entry else None

    def options_for(self, field: Field) -> list[Option]:
        """The options of a choice field (its own, or its code list's); yes/no types get the built-in ones."""
        if field.type in YES_NO_OPTIONS:
            return [Option(code=code, label=label) for code, label in YES_NO_OPTIONS[field.type]]
        if field.options is not None:
            return list(field.options)
        if field.code_list is not None and field.code_list in self.code_lists:
            return list(self.code_lists[field.code_list].options)
        return []

    def carried_from_version(self, version: str) -> CarriedFrom | None:
        """The mapping that moves drafts of ``version`` to this version, or None when there is none."""
        return next((carry for carry in self.carried_from if carry.version == version), None)

    @property
    def key(self) -> str:
        """``form_id@version``, the way commands and logs name a form."""
        return f"{self.form_id}@{self.version}"


def definition_json_schema() -> dict[str, Any]:
    """The JSON Schema of the definition format, published as ``forms/form-definition.schema.json``."""
    schema = FormDefinition.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "urn:referral-desktop:form-definition"
    return schema
