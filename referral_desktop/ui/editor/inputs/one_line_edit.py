"""A one-line text box whose paste drops the white space around the pasted text.

Why: text copied from a letter or a clinical system usually brings a trailing newline or spaces with it
("CH1 2NU\n", "  Alex Sample "), which then fail validation or print oddly, and the user cannot see them.
Paste through the keyboard (Ctrl+V, Shift+Insert) or the context menu strips them and turns any line
breaks inside into single spaces. What someone types is never changed.
"""

from __future__ import annotations

from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLineEdit, QWidget


def tidy_pasted(text: str) -> str:
    """Strip leading/trailing white space; line breaks inside become single spaces."""
    return " ".join(line.strip() for line in text.strip().splitlines() if line.strip())


class OneLineEdit(QLineEdit):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)

    def paste_tidied(self) -> None:
        if self.isReadOnly():
            return
        self.insert_pasted(tidy_pasted(QGuiApplication.clipboard().text()))

    def insert_pasted(self, text: str) -> None:
        """Put the tidied pasted ``text`` in (a box may do more: the date boxes spread a whole date)."""
        if text:
            self.insert(text)  # replaces the selection and reports the edit like typing does

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste_tidied()
            event.accept()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 (Qt name)
        menu = self.createStandardContextMenu()
        for action in menu.actions():
            if action.objectName() == "edit-paste":
                action.triggered.disconnect()
                action.triggered.connect(self.paste_tidied)
        menu.exec(event.globalPos())
        menu.deleteLater()
