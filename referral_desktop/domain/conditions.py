"""Evaluates the structured conditions of a form definition against answers.

Conditions decide which questions are shown and which are required ("required when route is b or c").
They are data (all / any / not / equals / in / answered), so evaluating them is a small interpreter over
dicts; it never evaluates code and never raises, whatever the answers hold, because it runs on every
keystroke of a half-written draft.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from referral_desktop.domain.form_conditions import (
    AllCondition,
    AnsweredCondition,
    AnyCondition,
    EqualsCondition,
    InCondition,
    NotCondition,
)

_MISSING = object()


def is_answered(value: Any) -> bool:
    """A missing key, None, "" (or only spaces) and [] all mean "not answered"."""
    if value is None or value is _MISSING:
        return False
    if isinstance(value, str):
        return value.strip() != ""
    if isinstance(value, (list, dict)):
        return len(value) > 0
    return True


def lookup(field_id: str, answers: Any, item: Any = None) -> Any:
    """The answer to ``field_id``: from the current repeat item first, then from the top-level answers."""
    if isinstance(item, Mapping) and field_id in item:
        return item[field_id]
    if isinstance(answers, Mapping):
        return answers.get(field_id, _MISSING)
    return _MISSING


def _same(answer: Any, expected: Any) -> bool:
    # bool is an int in Python: keep True from matching 1 and "yes" from matching True.
    if type(answer) is bool or type(expected) is bool:
        return type(answer) is type(expected) and answer == expected
    if isinstance(answer, (str, int)) and isinstance(expected, (str, int)):
        return type(answer) is type(expected) and answer == expected
    return False


def _matches(answer: Any, expected: Any) -> bool:
    if isinstance(answer, list):  # multiple choice: any chosen code matches
        return any(_same(choice, expected) for choice in answer)
    return _same(answer, expected)


def evaluate(condition: Any, answers: Any, item: Any = None) -> bool:
    """Whether ``condition`` holds. ``None`` (no condition) holds; ``item`` is the current repeat item."""
    if condition is None:
        return True
    if isinstance(condition, AllCondition):
        return all(evaluate(part, answers, item) for part in condition.all)
    if isinstance(condition, AnyCondition):
        return any(evaluate(part, answers, item) for part in condition.any)
    if isinstance(condition, NotCondition):
        return not evaluate(condition.not_, answers, item)
    if isinstance(condition, EqualsCondition):
        return _matches(lookup(condition.equals.field, answers, item), condition.equals.value)
    if isinstance(condition, InCondition):
        answer = lookup(condition.in_.field, answers, item)
        return any(_matches(answer, value) for value in condition.in_.values)
    if isinstance(condition, AnsweredCondition):
        return is_answered(lookup(condition.answered, answers, item))
    return False
