"""What was sent: a read-only check-your-answers view on a referral's own page.

Why: after sending, people are asked "what did you tell iART about the school?" and used to have only the
PDF export to find out. This shows the answers the way "Check your answers" showed them before sending —
every visible question of every section, answers in words — without "Change" links. Answers are the
user's own text: shown as plain text, never as HTML. After the retention purge there are none to show.

The list is the check page's own (``ui/editor/summary_list.py``): the questions take the same share of
the width in every section and at every text size, and on a narrow window or at large text the question
goes above its answer, with nothing cut and no sideways scrolling (an email address breaks if it must).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from referral_desktop.domain.conditions import evaluate
from referral_desktop.domain.form_definition import RepeatGroup
from referral_desktop.domain.validation import visible_answers
from referral_desktop.ui.editor.answer_text import answer_text
from referral_desktop.ui.editor.check_answers import declaration_section
from referral_desktop.ui.editor.repeat_group import item_title
from referral_desktop.ui.editor.summary_list import SummaryList


class SentAnswers(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sentAnswers")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary = SummaryList(self)
        layout.addWidget(self.summary)
        self.lines: list[tuple[str, str]] = []  # (question, answer) as shown, for tests
        self.rows: list[tuple[QLabel, QLabel]] = []  # their labels

    def show_answers(self, form: Any, answers: dict) -> None:
        # What the form asks of this referral, which is what was sent (``sync/queueing``): an answer to a
        # question later answers hid is kept in the referral but was not sent, and is not listed as sent.
        answers = visible_answers(form, answers)
        self.summary.clear()
        self.lines, self.rows = [], []
        declaration = declaration_section(form)
        for section in form.sections:
            if section is declaration or not evaluate(section.visible_when, answers):
                continue
            self.summary.add_title(section.title, 3)
            for item in section.items:
                if not evaluate(item.visible_when, answers):
                    continue
                if isinstance(item, RepeatGroup):
                    entries = answers.get(item.id)
                    values = entries if isinstance(entries, list) else []
                    for index, entry in enumerate(values):
                        entry = entry if isinstance(entry, dict) else {}
                        self.summary.add_title(item_title(item, index), None)
                        for field in item.fields:
                            if evaluate(field.visible_when, answers, entry):
                                self._line(field.label, answer_text(field, entry.get(field.id), form))
                else:
                    self._line(item.label, answer_text(item, answers.get(item.id), form))

    def _line(self, question: str, answer: str) -> None:
        line = self.summary.add_line(question, answer)
        self.lines.append((question, answer))
        self.rows.append((line.key, line.value))
