"""Moves a draft's answers from an older form version to a newer one, by the newer form's own mapping.

A draft keeps the version it was started on, but a draft on a version whose rules were wrong (a 1.0.0
statutory notification can never be sent) must be able to move on. What carries over is declared as
data in the newer definition (``carried_from``): each question that still means the same, by id. An
answer is carried only when it still fits (a choice that is no longer offered, or whose meaning
changed, is not), and everything not carried is listed with its reason. Nothing is lost: the caller
keeps the earlier answers with the referral (see ``earlier``) until it is sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from referral_desktop.domain.conditions import is_answered
from referral_desktop.domain.field_types import CHOICE_TYPES, FieldType
from referral_desktop.domain.form_definition import CarriedFrom, Field, FormDefinition, RepeatGroup

_NO_LONGER_OFFERED = "The answer is no longer one of the choices: answer it again."
_SOME_NO_LONGER_OFFERED = "Some of the choices are no longer offered or now mean something else: choose again."
_KIND_CHANGED = "The question now takes a different kind of answer: answer it again."


class CannotMove(ValueError):
    """The newer form declares no way to carry drafts from this version."""


@dataclass(frozen=True)
class NotCarried:
    """An earlier answer that was not carried: where it was, the question it answered, and why."""

    path: str
    label: str
    reason: str


@dataclass(frozen=True)
class FormMove:
    """The outcome of moving one draft: the new answers and what people are told about the move."""

    from_version: str
    to_version: str
    answers: dict[str, Any]
    carried: tuple[str, ...]
    not_carried: tuple[NotCarried, ...]
    new_questions: tuple[tuple[str, str], ...]
    earlier: dict[str, Any] = field(default_factory=dict)


def can_move(old: FormDefinition, new: FormDefinition) -> bool:
    """Whether ``new`` declares how drafts of ``old`` move to it."""
    return old.form_id == new.form_id and new.carried_from_version(old.version) is not None


def _fits(old_field: Field, new_field: Field, new: FormDefinition, value: Any, carry: CarriedFrom) -> tuple[Any, str | None]:
    """The value to carry (or None) and the reason when some or all of it is not carried."""
    if old_field.type != new_field.type:
        return None, _KIND_CHANGED
    if new_field.type not in CHOICE_TYPES:
        return value, None
    allowed = {option.code for option in new.options_for(new_field)}
    allowed -= set(carry.changed_codes.get(new_field.id, ()))
    if new_field.type is FieldType.SINGLE_CHOICE:
        return (value, None) if value in allowed else (None, _NO_LONGER_OFFERED)
    if not isinstance(value, list):
        return None, _NO_LONGER_OFFERED
    kept = [code for code in value if code in allowed]
    return (kept or None), (None if len(kept) == len(value) else _SOME_NO_LONGER_OFFERED)


def plan_move(old: FormDefinition, new: FormDefinition, answers: Mapping[str, Any]) -> FormMove:
    """The answers of a draft on ``old`` as answers of ``new``, with what was and was not carried.

    Raises :class:`CannotMove` when ``new`` has no ``carried_from`` entry for ``old``'s version.
    """
    carry = new.carried_from_version(old.version) if old.form_id == new.form_id else None
    if carry is None:
        raise CannotMove(f"{new.key} does not say how to carry drafts of {old.key}")
    old_to_new = {old_id: new_id for new_id, old_id in carry.fields.items()}
    moved: dict[str, Any] = {}
    carried: list[str] = []
    dropped: list[NotCarried] = []

    def label_of(old_id: str) -> str:
        item, group = old.find(old_id), old.group_for(old_id)
        if item is None:
            return old_id
        return f"{group.label}: {item.label}" if group is not None else item.label

    def carry_value(old_id: str, value: Any, path: str, target: dict[str, Any]) -> None:
        new_id = old_to_new.get(old_id)
        old_field, new_field = old.find(old_id), new.find(new_id) if new_id else None
        if new_id is None or not isinstance(old_field, Field) or not isinstance(new_field, Field):
            why = carry.not_carried.get(old_id, "This question is not in the newer form.")
            dropped.append(NotCarried(path, label_of(old_id), why))
            return
        kept, reason = _fits(old_field, new_field, new, value, carry)
        if kept is not None:
            target[new_id] = kept
            carried.append(new_id)
        if reason:
            dropped.append(NotCarried(path, label_of(old_id), reason))

    for old_id, value in answers.items():
        if not is_answered(value):
            continue
        old_item = old.find(old_id)
        if isinstance(old_item, RepeatGroup) and isinstance(value, list):
            new_id = old_to_new.get(old_id)
            if new_id is None or not isinstance(new.find(new_id), RepeatGroup):
                reason = carry.not_carried.get(old_id, "This question is not in the newer form.")
                dropped.append(NotCarried(old_id, old_item.label, reason))
                continue
            items = []
            for index, entry in enumerate(value):
                item: dict[str, Any] = {}
                if isinstance(entry, Mapping):
                    for field_id, field_value in entry.items():
                        if is_answered(field_value):
                            carry_value(field_id, field_value, f"{old_id}[{index}].{field_id}", item)
                items.append(item)
            moved[new_id] = items
            carried.append(new_id)
        else:
            carry_value(old_id, value, old_id, moved)

    carried_ids = set(carry.fields)
    new_questions: list[tuple[str, str]] = []
    for section in new.sections:
        for top in section.items:
            if top.id not in carried_ids:
                new_questions.append((top.id, top.label))  # a new group is named once, not field by field
            elif isinstance(top, RepeatGroup):
                new_questions.extend((f.id, f"{top.label}: {f.label}") for f in top.fields if f.id not in carried_ids)
    return FormMove(
        from_version=old.version,
        to_version=new.version,
        answers=moved,
        carried=tuple(dict.fromkeys(carried)),
        not_carried=tuple(dropped),
        new_questions=tuple(new_questions),
        earlier={"form_version": old.version, "answers": dict(answers)},
    )
