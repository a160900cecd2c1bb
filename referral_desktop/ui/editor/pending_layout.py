"""Laying out now what Qt would lay out on the next turn of its event loop, before measuring a page.

Why: the editor scrolls a page to show something just built or resized (a section opened, a child added,
a long answer grown), and Qt settles sizes through posted layout requests, each settling the next
container out: the box, the page's content, the page's scroll range. Measured before they run, a place
was where the thing had been, and the page scrolled short of it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

#: Enough for the editor's nesting: an input, its question row or repeat panel, the page's content.
ROUNDS = 3


def settle_pending_layout() -> None:
    for _ in range(ROUNDS):
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
