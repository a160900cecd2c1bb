"""What was sent: a read-only check-your-answers view on a referral's own page.

Why: after sending, people are asked "what did you tell iART about the school?" and used to have only the
PDF export to find out. This shows the answers the way "Check your answers" showed them before sending —
every visible question of every section, answers in words — without "Change" links. Answers are the
user's own text: shown as plain text, never as HTML. After the retention purge there are none to show.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from referral_desktop.domain.conditions import evaluate
from referral_desktop.domain.form_definition import RepeatGroup
from referral_desktop.ui.editor.answer_text import answer_text
from referral_desktop.ui.editor.check_answers import declaration_section
from referral_desktop.ui.editor.repeat_group import item_title
from referral_desktop.ui.theme import heading
from referral_desktop.ui.widgets.empty_layout import empty_layout
from referral_desktop.ui.widgets.plain_label import plain_label

_QUESTION_SHARE = 0.4  # of the width; the answers have the rest


class SentAnswers(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sentAnswers")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.lines: list[tuple[str, str]] = []  # (question, answer) as shown, for tests
        self.rows: list[tuple[QLabel, QLabel]] = []  # their labels

    def show_answers(self, form: Any, answers: dict) -> None:
        empty_layout(self._layout)
        self.lines, self.rows = [], []
        declaration = declaration_section(form)
        for section in form.sections:
            if section is declaration or not evaluate(section.visible_when, answers):
                continue
            box = QWidget(self)
            grid = QGridLayout(box)
            grid.setContentsMargins(0, 6, 0, 6)
            grid.setColumnStretch(1, 1)
            title = plain_label(section.title, box)
            heading(title, 3)
            grid.addWidget(title, 0, 0, 1, 2)
            row = 1
            for item in section.items:
                if not evaluate(item.visible_when, answers):
                    continue
                if isinstance(item, RepeatGroup):
                    entries = answers.get(item.id)
                    values = entries if isinstance(entries, list) else []
                    for index, entry in enumerate(values):
                        entry = entry if isinstance(entry, dict) else {}
                        grid.addWidget(plain_label(item_title(item, index), box), row, 0, 1, 2)
                        row += 1
                        for field in item.fields:
                            if evaluate(field.visible_when, answers, entry):
                                row = self._line(grid, box, row, field.label,
                                                 answer_text(field, entry.get(field.id), form))
                else:
                    row = self._line(grid, box, row, item.label, answer_text(item, answers.get(item.id), form))
            self._layout.addWidget(box)

    def _line(self, grid: QGridLayout, box: QWidget, row: int, question: str, answer: str) -> int:
        key = plain_label(question, box)
        key.setWordWrap(True)
        font = key.font()
        font.setBold(True)
        key.setFont(font)
        value = plain_label(answer, box)
        value.setWordWrap(True)
        key.setFixedWidth(self._key_width())
        grid.addWidget(key, row, 0, Qt.AlignmentFlag.AlignTop)  # beside the top of a long answer
        grid.addWidget(value, row, 1, Qt.AlignmentFlag.AlignTop)
        self.lines.append((question, answer))
        self.rows.append((key, value))
        return row + 1

    def _key_width(self) -> int:
        return max(1, round(self.width() * _QUESTION_SHARE))

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        """Questions take the same share of the width in every section and at every text size: sized by
        their text, they took most of the width at 200 % and squeezed the answers (the referrer's own words)
        to a word or two a line, at another place in each section."""
        super().resizeEvent(event)
        width = self._key_width()
        for key, _value in self.rows:
            if key.width() != width:
                key.setFixedWidth(width)
