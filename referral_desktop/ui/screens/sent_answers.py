"""What was sent: a read-only check-your-answers view on a referral's own page.

Why: after sending, people are asked "what did you tell iART about the school?" and used to have only the
PDF export to find out. This shows the answers the way "Check your answers" showed them before sending —
every visible question of every section, answers in words — without "Change" links. Answers are the
user's own text: shown as plain text, never as HTML. After the retention purge there are none to show.

The list is the check page's own (``ui/editor/summary_list.py``): the questions take the same share of
the width in every section and at every text size, and on a narrow window or at large text the question
goes above its answer, with nothing cut and no sideways scrolling (an email address breaks if it must).

A document attached under a question the answers no longer ask is not sent (``domain.attachment_references``),
and the check page said so before sending. Here the list opens with the same inset, so that the person can
still see afterwards which question's document did not go and why: the question no longer listed, it is
the only place the page says the document existed (its bytes are deleted when iART acknowledges the
referral). Worked out from the answers, which keep the document's id after the bytes are gone, by the rule
the check page uses (``left_out_documents``); the question is named, never the file, whose name may be
personal.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from referral_desktop.domain.attachment_references import left_out_documents
from referral_desktop.domain.conditions import evaluate
from referral_desktop.domain.form_definition import Field, RepeatGroup
from referral_desktop.domain.validation import visible_answers
from referral_desktop.ui.editor.answer_text import answer_text
from referral_desktop.ui.editor.check_answers import declaration_section
from referral_desktop.ui.editor.repeat_group import item_title
from referral_desktop.ui.editor.summary_list import SummaryList
from referral_desktop.ui.widgets.plain_label import plain_label


def left_out_said(left_out: list[tuple[Field, int]], received: bool) -> str:
    """What the referral went without, in words ("" when nothing): while it waits to send, that the document
    is not being sent and is kept until iART receives the referral; once iART has it, that it was not sent
    and was deleted then (``Attachments.drop_left_out``). The check page's sentence, told afterwards."""
    count = sum(n for _, n in left_out)
    if not count:
        return ""
    names = [f"“{field.label.removesuffix(' (optional)')}”" for field, _ in left_out]
    named = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    one = count == 1
    documents = "1 document" if one else f"{count} documents"
    questions = "a question" if len(names) == 1 else "questions"
    if received:
        return (f"{documents} you attached {'was' if one else 'were'} not sent: {'it was' if one else 'they were'} "
                f"attached to {named}, {questions} your answers no longer asked. {'It was' if one else 'They were'} "
                "deleted from this computer when iART received the referral.")
    return (f"{documents} you attached {'is' if one else 'are'} not being sent: {'it is' if one else 'they are'} "
            f"attached to {named}, {questions} your answers no longer ask. {'It is' if one else 'They are'} kept "
            "on this computer until iART receives the referral, then deleted.")


class SentAnswers(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sentAnswers")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.left_out_notice = plain_label("", self)  # GOV.UK inset text, as on the check page
        self.left_out_notice.setWordWrap(True)
        self.left_out_notice.setProperty("role", "inset")
        self.left_out_notice.hide()
        layout.addWidget(self.left_out_notice)
        self.summary = SummaryList(self)
        layout.addWidget(self.summary)
        self.lines: list[tuple[str, str]] = []  # (question, answer) as shown, for tests
        self.rows: list[tuple[QLabel, QLabel]] = []  # their labels

    def show_answers(self, form: Any, answers: dict, *, received: bool = True) -> None:
        """List what was sent; ``received``: iART holds the referral (else it is still waiting to send)."""
        said = left_out_said(left_out_documents(form, answers), received)
        self.left_out_notice.setText(said)
        self.left_out_notice.setVisible(bool(said))
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
