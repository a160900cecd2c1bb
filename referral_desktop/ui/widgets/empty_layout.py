"""Emptying a layout before it is filled again: the one loop four rebuilt lists shared."""

from __future__ import annotations

from PySide6.QtWidgets import QLayout


def empty_layout(layout: QLayout) -> None:
    """Take every item out of ``layout``; its widgets are deleted once control returns to Qt's event
    loop (``deleteLater``), so a widget still handling the click that caused the rebuild survives it."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.deleteLater()
