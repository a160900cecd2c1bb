"""Conditions in a form definition (``visible_when``, ``required_when``, rules): all / any / not /
equals / in / answered, as structured data that is evaluated (:mod:`referral_desktop.domain.conditions`),
never as code. Kept apart from :mod:`referral_desktop.domain.form_definition`, which re-exports them, so
that each module can be read on its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from pydantic import Discriminator, Tag
from pydantic import Field as PydanticField

from referral_desktop.domain.definition_base import ID_PATTERN as _ID_PATTERN
from referral_desktop.domain.definition_base import DefinitionModel as _Model

# Tags name the kind of each union member; they are stripped from error locations so that a message
# names the place in the file (``sections[2].items[0].visible_when.equals.field``).
CONDITION_TAGS = frozenset({"all-condition", "any-condition", "not-condition", "equals-condition",
                            "in-condition", "answered-condition"})


class FieldEquals(_Model):
    """The answer to ``field`` equals ``value`` (for multiple choice: the list contains ``value``)."""

    field: str = PydanticField(pattern=_ID_PATTERN)
    value: str | int | bool


class FieldIn(_Model):
    """The answer to ``field`` is one of ``values`` (for multiple choice: any of them is chosen)."""

    field: str = PydanticField(pattern=_ID_PATTERN)
    values: list[str | int | bool] = PydanticField(min_length=1)


class AllCondition(_Model):
    all: list[Condition] = PydanticField(min_length=1)


class AnyCondition(_Model):
    any: list[Condition] = PydanticField(min_length=1)


class NotCondition(_Model):
    not_: Condition = PydanticField(alias="not")


class EqualsCondition(_Model):
    equals: FieldEquals


class InCondition(_Model):
    in_: FieldIn = PydanticField(alias="in")


class AnsweredCondition(_Model):
    """The field has an answer (not missing, None, "" or [])."""

    answered: str = PydanticField(pattern=_ID_PATTERN)


_CONDITION_KEYS = {
    "all": "all-condition",
    "any": "any-condition",
    "not": "not-condition",
    "equals": "equals-condition",
    "in": "in-condition",
    "answered": "answered-condition",
}


def _condition_kind(value: Any) -> str | None:
    if isinstance(value, dict):
        keys = [key for key in value if key in _CONDITION_KEYS]
        if len(keys) == 1 and len(value) == 1:
            return _CONDITION_KEYS[keys[0]]
        return None
    for cls, tag in _CONDITION_CLASSES:
        if isinstance(value, cls):
            return tag
    return None


Condition = Annotated[
    Annotated[AllCondition, Tag("all-condition")]
    | Annotated[AnyCondition, Tag("any-condition")]
    | Annotated[NotCondition, Tag("not-condition")]
    | Annotated[EqualsCondition, Tag("equals-condition")]
    | Annotated[InCondition, Tag("in-condition")]
    | Annotated[AnsweredCondition, Tag("answered-condition")],
    Discriminator(
        _condition_kind,
        custom_error_type="condition_kind",
        custom_error_message="must be an object with exactly one of: all, any, not, equals, in, answered",
    ),
]

_CONDITION_CLASSES = (
    (AllCondition, "all-condition"),
    (AnyCondition, "any-condition"),
    (NotCondition, "not-condition"),
    (EqualsCondition, "equals-condition"),
    (InCondition, "in-condition"),
    (AnsweredCondition, "answered-condition"),
)

for _cls in (AllCondition, AnyCondition, NotCondition):
    _cls.model_rebuild()


def condition_field_ids(condition: Any) -> Iterator[str]:
    """Every field id a condition refers to (used to check a definition refers only to real fields)."""
    if isinstance(condition, AllCondition):
        for part in condition.all:
            yield from condition_field_ids(part)
    elif isinstance(condition, AnyCondition):
        for part in condition.any:
            yield from condition_field_ids(part)
    elif isinstance(condition, NotCondition):
        yield from condition_field_ids(condition.not_)
    elif isinstance(condition, EqualsCondition):
        yield condition.equals.field
    elif isinstance(condition, InCondition):
        yield condition.in_.field
    elif isinstance(condition, AnsweredCondition):
        yield condition.answered
