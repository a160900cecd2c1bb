"""A QLabel that shows its text exactly as given: never as HTML.

Why: a QLabel's default text format is "auto", which renders anything that looks like HTML as rich text.
Text from iART (reasons, messages), from the form's data (labels, hints, titles) or from the user (answers,
file names) once came through as ``<b style='font-size:40px'>Phone 0800 …</b>`` in large type, and an
``<img>`` would load a local file. Every label that shows such text is built here; only the app's own
markup (with the outside text ``html.escape``-d inside it) uses rich text.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    # Qt is imported here, not at the top: screens imported at start-up use this module, and touching the
    # Qt namespace costs the unlock screen ~30 ms (tests/ui/test_startup.py).
    from PySide6.QtCore import Qt

    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label
