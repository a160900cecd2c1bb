"""JSON as it can travel: no NaN or Infinity, no number beyond what every JSON reader holds exactly.

Why: Python's ``json`` accepts ``NaN``/``Infinity`` (not JSON at all) and integers of any length, so an
answers document with them passed ``validate`` and ``import``, then ``queue`` crashed serialising it; a
5,000-digit integer crashed ``validate`` itself (Python refuses to convert it); a deeply nested document
ran the parser out of stack (the sandbox answered 500). Every reader of an answers document that came
from outside (a file, a server request) parses it here and gets :class:`UnusableJson` with a sentence
that never quotes the content.
"""

from __future__ import annotations

import json
import math
from typing import Any

#: The largest integer every JSON reader (JavaScript included) holds exactly: 2**53 - 1.
MAX_SAFE_INTEGER = 2**53 - 1
#: Longer digit strings are refused before Python converts them (its own limit is 4,300 digits).
_MAX_INTEGER_DIGITS = 16


class UnusableJson(ValueError):
    """Valid-looking text that cannot be used: ``reason`` is a sentence without the content."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


_BAD_NUMBER = "it holds a number that cannot be used (NaN, Infinity, or one too large to keep exactly)"


def _constant(_name: str) -> Any:
    raise UnusableJson(_BAD_NUMBER)


def _integer(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_INTEGER_DIGITS or abs(int(text)) > MAX_SAFE_INTEGER:
        raise UnusableJson(_BAD_NUMBER)
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise UnusableJson(_BAD_NUMBER)
    return value


def loads(text: str | bytes) -> Any:
    """``json.loads`` that refuses NaN, Infinity, overflowing floats, unsafe integers and deep nesting.

    Raises ``json.JSONDecodeError`` for text that is not JSON and :class:`UnusableJson` for the rest.
    """
    try:
        return json.loads(text, parse_constant=_constant, parse_int=_integer, parse_float=_float)
    except RecursionError:
        raise UnusableJson("it is nested too deeply") from None


def is_finite_json(value: Any) -> bool:
    """True when ``value`` (already parsed, or built in memory) has no NaN, Infinity or unsafe integer."""
    try:
        json.dumps(value, allow_nan=False, default=_refuse)
    except (ValueError, TypeError, RecursionError):
        return False
    return _integers_safe(value)


def _refuse(_value: Any) -> Any:
    raise TypeError


def _integers_safe(value: Any, depth: int = 0) -> bool:
    if depth > 200:
        return False
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        return abs(value) <= MAX_SAFE_INTEGER
    if isinstance(value, dict):
        return all(_integers_safe(v, depth + 1) for v in value.values())
    if isinstance(value, list):
        return all(_integers_safe(v, depth + 1) for v in value)
    return True
