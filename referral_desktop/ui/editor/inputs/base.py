"""The contract every field input keeps, whatever widgets it is made of.

An input never owns an answer: it shows the value it is given (``set_value``, without echoing a change)
and reports each edit as an already-encoded value (``value_changed``) in the encodings of the team
interfaces. The field row around it owns the label, hint and error; the input only needs to know how to
name its own inner widgets for assistive technology and where keyboard focus should land.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget


class FieldInput(QWidget):
    """Base class: subclasses build their widgets and call ``_emit(value)`` on each user edit."""

    value_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False

    # -- what subclasses implement -------------------------------------------------------------------
    def _show_value(self, value: Any) -> None:
        raise NotImplementedError

    def focus_target(self) -> QWidget:
        """The widget that takes keyboard focus when this question is the target of a link."""
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        raise NotImplementedError

    def describe(self, name: str, description: str) -> None:
        """Give every inner focusable widget an accessible name (the label) and description."""
        target = self.focus_target()
        target.setAccessibleName(name)
        target.setAccessibleDescription(description)

    # -- shared plumbing -------------------------------------------------------------------------------
    def set_value(self, value: Any) -> None:
        """Show ``value`` without reporting it back as an edit."""
        self._loading = True
        try:
            self._show_value(value)
        finally:
            self._loading = False

    def _emit(self, value: Any) -> None:
        if not self._loading:
            self.value_changed.emit(value)
