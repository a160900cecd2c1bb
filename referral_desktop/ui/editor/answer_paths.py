"""Field paths ("route", "children[0].nhs_number", "children") and how they address the answers dict.

The editor keeps every answer in one plain dict (the answers document's ``answers``), never in widgets, so
the renderer, the autosave, the error summary and the store's rejection reasons all meet on the same path
strings defined in the team interfaces. This module is plain Python so it can be tested without Qt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_PART = re.compile(r"^(?P<group>[A-Za-z_][A-Za-z0-9_]*)\[(?P<index>\d+)\]$")


@dataclass(frozen=True)
class FieldPath:
    """One field's address: a top-level field, or a field inside one item of a repeatable group."""

    field_id: str
    group_id: str | None = None
    index: int | None = None

    def __str__(self) -> str:
        if self.group_id is None:
            return self.field_id
        return f"{self.group_id}[{self.index}].{self.field_id}"

    @classmethod
    def parse(cls, text: str) -> FieldPath:
        """Read a path string; a bare group id ("children") is returned as a top-level path."""
        head, dot, tail = text.partition(".")
        match = _PART.match(head)
        if dot and match:
            return cls(field_id=tail.split(".")[0], group_id=match["group"], index=int(match["index"]))
        if match:  # "children[1]" — the item itself
            return cls(field_id=match["group"], group_id=None, index=int(match["index"]))
        return cls(field_id=head)


def is_answered(value: Any) -> bool:
    """The interfaces' rule: a missing key, None, "" or [] means "not answered"."""
    return value not in (None, "", [])


def get_value(answers: dict, path: FieldPath) -> Any:
    """The value at ``path``, or None when the item or key is absent."""
    if path.group_id is None:
        return answers.get(path.field_id)
    items = answers.get(path.group_id)
    if not isinstance(items, list) or path.index is None or not 0 <= path.index < len(items):
        return None
    item = items[path.index]
    return item.get(path.field_id) if isinstance(item, dict) else None


def set_value(answers: dict, path: FieldPath, value: Any) -> bool:
    """Store ``value`` at ``path`` (an unanswered value removes the key); True when something changed."""
    if path.group_id is None:
        target = answers
    else:
        items = answers.setdefault(path.group_id, [])
        while len(items) <= (path.index or 0):
            items.append({})
        target = items[path.index or 0]
    old = target.get(path.field_id)
    if not is_answered(value):
        if path.field_id in target:
            del target[path.field_id]
            return True
        return False
    if old == value:
        return False
    target[path.field_id] = value
    return True


def group_items(answers: dict, group_id: str) -> list[dict]:
    """The list of item dicts of a repeatable group (created empty when absent)."""
    items = answers.get(group_id)
    if not isinstance(items, list):
        items = []
        answers[group_id] = items
    return items
