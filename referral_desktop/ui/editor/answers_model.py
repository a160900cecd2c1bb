"""The answers dict the editor edits, with one signal per change.

Answers live here and nowhere else: widgets write into this model as the user types and read from it
when they are (re)built, so the autosave, the check page and conditional questions all see the same
state, and nothing typed lives only in a widget.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from referral_desktop.ui.editor.answer_paths import FieldPath, get_value, group_items, set_value


class AnswersModel(QObject):
    changed = Signal(str)  # the path that changed ("route", "children[1].upn", or "children")

    def __init__(self, answers: dict | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.answers: dict = answers if isinstance(answers, dict) else {}
        self.filled_defaults: set[str] = set()  # paths answer_defaults filled once (never again)

    def get(self, path: FieldPath) -> Any:
        return get_value(self.answers, path)

    def set(self, path: FieldPath, value: Any) -> None:
        if set_value(self.answers, path, value):
            self.changed.emit(str(path))

    def items(self, group_id: str) -> list[dict]:
        return group_items(self.answers, group_id)

    def item_count(self, group_id: str) -> int:
        value = self.answers.get(group_id)
        return len(value) if isinstance(value, list) else 0

    def ensure_items(self, group_id: str, count: int) -> None:
        """Give a group at least ``count`` (empty) items without reporting a change (the minimum shown)."""
        items = self.items(group_id)
        while len(items) < count:
            items.append({})

    def add_item(self, group_id: str) -> int:
        items = self.items(group_id)
        items.append({})
        self.changed.emit(group_id)
        return len(items) - 1

    def remove_item(self, group_id: str, index: int) -> dict | None:
        """Remove and return the item (so it can be put back), or None when there is none there."""
        items = self.items(group_id)
        if 0 <= index < len(items):
            removed = items.pop(index)
            self.changed.emit(group_id)
            return removed
        return None

    def insert_item(self, group_id: str, index: int, item: dict) -> None:
        """Put a removed item back where it was (Undo)."""
        items = self.items(group_id)
        items.insert(max(0, min(index, len(items))), item)
        self.changed.emit(group_id)
