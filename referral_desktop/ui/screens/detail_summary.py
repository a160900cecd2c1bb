"""A referral page's summary: its facts as one list, then each warning and each note a paragraph of its own.

Why: the facts ("State: …", "iART reference: …", the dates, the outcome), the warnings ("⚠ 1 document …
never reached iART", "⚠ 2 replies you sent never reached iART") and the notes (why it is waiting, the
retention sentence) were one label, the lines run together; at 200 % text a screen of it with nothing to
tell one warning from the next. As GOV.UK's patterns: a warning is a paragraph of its own (warning text, its
"⚠" and bold lead), a note is set apart (inset text: the style sheet's grey bar, ``QLabel[role="inset"]``),
and each is a node of its own to a screen reader. All of it is the app's own markup, with anything from
outside escaped by the caller.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

WARNING, INSET = "warning", "inset"


def _paragraph(text: str, role: str | None = None) -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    if role:
        label.setProperty("role", role)
    label.setText(text)
    return label


class DetailSummary(QWidget):
    """The facts' list and the paragraphs under it. ``text()`` is everything it shows, the facts' lines and
    then the paragraphs, separated by ``<br>`` (what the page says, for its tests and callers)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailSummary")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.facts = _paragraph("")
        self.facts.setObjectName("detailFacts")
        self._layout.addWidget(self.facts)
        self.paragraphs: list[QLabel] = []
        self._space_for_font()

    def show_summary(self, facts: list[str], paragraphs: list[tuple[str, str]]) -> None:
        """``facts``: rich-text lines of the list; ``paragraphs``: (WARNING or INSET, rich text), in order."""
        self.facts.setText("<br>".join(facts))
        for label in self.paragraphs:
            self._layout.removeWidget(label)
            label.deleteLater()
        self.paragraphs = [_paragraph(text, role) for role, text in paragraphs]
        for label in self.paragraphs:
            self._layout.addWidget(label)
            label.show()  # now: a label added to a shown page is otherwise shown only by a queued call

    def setText(self, text: str) -> None:  # noqa: N802 (as QLabel's)
        """One line and nothing else ("This referral could not be read.")."""
        self.show_summary([text], [])

    def text(self) -> str:
        return "<br>".join([self.facts.text(), *(label.text() for label in self.paragraphs)])

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Type.FontChange:
            self._space_for_font()
        super().changeEvent(event)

    def _space_for_font(self) -> None:
        """Two thirds of a line between paragraphs at any text size (a fixed gap all but vanishes at 200 %)."""
        self._layout.setSpacing(max(8, self.fontMetrics().lineSpacing() * 2 // 3))
