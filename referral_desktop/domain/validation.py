"""Validates a whole referral's answers against its form definition: one result, a list of (path, message).

Why one function for everything: the same result drives the error summary at the top of the screen, the
messages next to each field, the "ready to send" gate and the sandbox server's replies, so they can never
disagree. It is pure (``today`` and ``test_deployment`` are arguments) and never raises, whatever the
answers hold, because it runs on every autosave of half-written drafts and on anything a client sends.

Order of work:
1. which questions are visible (``visible_when``; hidden sections hide their questions) — hidden questions
   are not validated and their answers count as not given in conditions;
2. each visible question: required (``required`` / ``required_when``), then its type and limits;
3. repeat groups: item counts, then each item's questions with the item looked up first in conditions;
4. the form's cross-field rules.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date
from typing import Any

from referral_desktop.domain.conditions import evaluate, is_answered
from referral_desktop.domain.field_checks import CompiledField
from referral_desktop.domain.form_definition import FormDefinition, RepeatGroup, Rule, Section

logger = logging.getLogger(__name__)

_UNREADABLE = "The answers could not be read: they must be a JSON object of named answers"
_INTERNAL = "The answers could not be checked completely: save the referral and try again"


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem: ``path`` points at the answer (``children[1].nhs_number``), ``message`` says how to fix it."""

    path: str
    message: str
    section_id: str | None = None


@dataclass(frozen=True)
class ValidationResult:
    """Every problem with a referral's answers, in the order the questions appear."""

    errors: list[FieldError] = dataclass_field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def errors_for_section(self, section_id: str) -> list[FieldError]:
        return [error for error in self.errors if error.section_id == section_id]

    def errors_for(self, path: str) -> list[FieldError]:
        return [error for error in self.errors if error.path == path]

    def as_pairs(self) -> list[tuple[str, str]]:
        return [(error.path, error.message) for error in self.errors]


# --------------------------------------------------------------------------------------------------
# The compiled form: worked out once per definition
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _CompiledGroup:
    group: RepeatGroup
    fields: tuple[CompiledField, ...]
    position: int
    by_id: dict[str, CompiledField]


@dataclass(frozen=True, slots=True)
class _CompiledSection:
    section: Section
    # Each entry: (position, CompiledField | _CompiledGroup)
    items: tuple[tuple[int, CompiledField | _CompiledGroup], ...]


@dataclass(frozen=True, slots=True)
class _CompiledForm:
    sections: tuple[_CompiledSection, ...]
    positions: dict[str, int]
    section_of: dict[str, str]
    group_rules: dict[str, tuple[Rule, ...]]
    form_rules: tuple[Rule, ...]


def _compile(form: FormDefinition) -> _CompiledForm:
    compiled = form._compiled  # noqa: SLF001 - the definition carries its own cache
    if isinstance(compiled, _CompiledForm):
        return compiled
    positions: dict[str, int] = {}
    section_of: dict[str, str] = {}
    sections = []
    for section in form.sections:
        items: list[tuple[int, CompiledField | _CompiledGroup]] = []
        for item in section.items:
            position = len(positions)
            positions[item.id] = position
            section_of[item.id] = section.id
            if isinstance(item, RepeatGroup):
                fields = []
                for field in item.fields:
                    positions[field.id] = len(positions)
                    section_of[field.id] = section.id
                    fields.append(CompiledField.build(form, field))
                items.append(
                    (position, _CompiledGroup(item, tuple(fields), position, {f.field.id: f for f in fields}))
                )
            else:
                items.append((position, CompiledField.build(form, item)))
        sections.append(_CompiledSection(section, tuple(items)))
    group_rules: dict[str, list[Rule]] = {}
    form_rules = []
    for rule in form.rules:
        if rule.group:
            group_rules.setdefault(rule.group, []).append(rule)
        else:
            form_rules.append(rule)
    compiled = _CompiledForm(
        tuple(sections),
        positions,
        section_of,
        {key: tuple(value) for key, value in group_rules.items()},
        tuple(form_rules),
    )
    form._compiled = compiled  # noqa: SLF001
    return compiled


# --------------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------------


def _visible_answers(compiled: _CompiledForm, answers: Mapping[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """The answers with hidden questions' answers removed, and the ids of the hidden top-level items.

    Two passes so that a question hidden because the question it depends on is itself hidden also counts
    as not answered.
    """
    effective: Mapping[str, Any] = answers
    hidden: set[str] = set()
    for _ in range(2):
        hidden = set()
        for csection in compiled.sections:
            section_visible = evaluate(csection.section.visible_when, effective)
            for _, item in csection.items:
                spec = item.group if isinstance(item, _CompiledGroup) else item.field
                if not section_visible or not evaluate(spec.visible_when, effective):
                    hidden.add(spec.id)
        effective = {key: value for key, value in answers.items() if key not in hidden}
    return dict(effective), hidden


def visible_answers(form: FormDefinition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers that the form's conditions read: those of hidden questions left out, as validation
    leaves them out, so that a question shown only by the answer to a question now hidden is hidden too;
    inside each repeated item as well (an unborn baby's "special educational needs" details). The editor
    shows and hides its questions with these, so what it asks is what validation checks, and they are
    what is sent and printed. Every item is kept, in its place: only answers within it are left out."""
    compiled = _compile(form)
    effective = _visible_answers(compiled, answers)[0]
    for csection in compiled.sections:
        for _, item in csection.items:
            entries = effective.get(item.group.id) if isinstance(item, _CompiledGroup) else None
            if isinstance(item, _CompiledGroup) and isinstance(entries, list):
                effective[item.group.id] = [_visible_item(item, entry, effective) if isinstance(entry, Mapping)
                                            else entry for entry in entries]
    return effective


def _visible_item(group: _CompiledGroup, item: Mapping[str, Any], answers: Mapping[str, Any]) -> dict[str, Any]:
    effective: Mapping[str, Any] = item
    for _ in range(2):
        current = effective
        effective = {}
        for key, value in item.items():
            cfield = group.by_id.get(key) if isinstance(key, str) else None
            if cfield is None or evaluate(cfield.field.visible_when, answers, current):
                effective[key] = value
    return dict(effective)


def _check_field(
    cfield: CompiledField,
    answers: Mapping[str, Any],
    item: Mapping[str, Any] | None,
    value: Any,
    path: str,
    options: dict[str, Any],
) -> str | None:
    field = cfield.field
    if not is_answered(value):
        required = field.required or (
            field.required_when is not None and evaluate(field.required_when, answers, item)
        )
        return cfield.m_required if required else None
    return cfield.check(value, **options)


def _validate(
    form: FormDefinition, answers: Any, *, today: date, options: dict[str, Any]
) -> list[tuple[tuple[int, ...], FieldError]]:
    if not isinstance(answers, Mapping):
        return [((-1,), FieldError("answers", _UNREADABLE, None))]
    compiled = _compile(form)
    effective, hidden = _visible_answers(compiled, answers)
    found: list[tuple[tuple[int, ...], FieldError]] = []
    error_paths: set[str] = set()

    def add(order: tuple[int, ...], path: str, message: str, section_id: str) -> None:
        if path not in error_paths:
            error_paths.add(path)
            found.append((order, FieldError(path, message, section_id)))

    visible_items: dict[str, list[dict[str, Any] | None]] = {}
    for csection in compiled.sections:
        section_id = csection.section.id
        for position, item in csection.items:
            if isinstance(item, CompiledField):
                if item.field.id in hidden:
                    continue
                message = _check_field(item, effective, None, answers.get(item.field.id), item.field.id, options)
                if message:
                    add((position,), item.field.id, message, section_id)
                continue
            group = item.group
            if group.id in hidden:
                continue
            raw = answers.get(group.id)
            if not is_answered(raw):
                raw = []
            if not isinstance(raw, list):
                add((position,), group.id, f"The answers about each {group.item_label} could not be read: "
                    f"add them again", section_id)
                continue
            if len(raw) < group.min_items:
                add((position,), group.id, group.too_few_message or
                    f"Add at least {group.min_items} {group.item_label}", section_id)
            elif len(raw) > group.max_items:
                add((position,), group.id, group.too_many_message or
                    f"You can add up to {group.max_items}: remove the extra ones", section_id)
            items_seen: list[dict[str, Any] | None] = []
            for index, entry in enumerate(raw):
                item_path = f"{group.id}[{index}]"
                if not isinstance(entry, Mapping):
                    add((position, index), item_path,
                        f"The answers about this {group.item_label} could not be read: add them again", section_id)
                    items_seen.append(None)
                    continue
                visible_entry = _visible_item(item, entry, effective)
                items_seen.append(visible_entry)
                for cfield in item.fields:
                    field_id = cfield.field.id
                    if not evaluate(cfield.field.visible_when, effective, visible_entry):
                        continue
                    path = f"{item_path}.{field_id}"
                    message = _check_field(cfield, effective, visible_entry, entry.get(field_id), path, options)
                    if message:
                        add((position, index, compiled.positions[field_id]), path, message, section_id)
            visible_items[group.id] = items_seen

    for rule in compiled.form_rules:
        if rule.path in hidden:
            continue
        if evaluate(rule.when, effective) and not evaluate(rule.check, effective):
            add((compiled.positions[rule.path],), rule.path, rule.message, compiled.section_of[rule.path])
    for group_id, rules in compiled.group_rules.items():
        for index, entry in enumerate(visible_items.get(group_id, ())):
            if entry is None:
                continue
            for rule in rules:
                target = form.find(rule.path)
                if target is not None and not evaluate(target.visible_when, effective, entry):
                    continue
                if evaluate(rule.when, effective, entry) and not evaluate(rule.check, effective, entry):
                    add(
                        (compiled.positions[group_id], index, compiled.positions[rule.path]),
                        f"{group_id}[{index}].{rule.path}",
                        rule.message,
                        compiled.section_of[rule.path],
                    )
    return found


def validate(
    form: FormDefinition,
    answers: Any,
    *,
    today: date,
    test_deployment: bool = False,
    known_attachments: Collection[str] | None = None,
) -> ValidationResult:
    """Checks ``answers`` (the ``answers`` object of an answers document) against ``form``.

    ``today`` bounds dates (date of birth in the past, expected delivery within 10 months...);
    ``test_deployment`` allows the NHS 999 test range; ``known_attachments``, when given, is the set of
    attachment ids stored for this referral, and references to anything else are reported.
    """
    options = {
        "today": today,
        "test_deployment": bool(test_deployment),
        "known_attachments": None
        if known_attachments is None
        else frozenset(str(ref).lower() for ref in known_attachments),
    }
    try:
        found = _validate(form, answers, today=today, options=options)
    except (RecursionError, MemoryError):
        logger.warning("validation stopped: answers nested too deeply or too large")
        return ValidationResult([FieldError("answers", _UNREADABLE, None)])
    except Exception as exc:  # never take the caller down; the cause is logged without any value
        logger.error("validation failed unexpectedly (%s); reporting the answers as unchecked", type(exc).__name__)
        return ValidationResult([FieldError("answers", _INTERNAL, None)])
    found.sort(key=lambda pair: pair[0])
    return ValidationResult([error for _, error in found])
