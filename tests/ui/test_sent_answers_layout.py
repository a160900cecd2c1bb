""""What you sent" at 200 % text: the answers keep a column wide enough to read, the same in every section.

Why: each section was a grid whose question column took its labels' natural width, so at 200 % text the
questions took most of the page and the answers (the referrer's own words about the child) were squeezed
into a column a word or two wide, at a different place in each section.
"""

from __future__ import annotations

import pytest

from referral_desktop.domain.form_catalog import load_form
from referral_desktop.ui.editor.demo_answers import current_demo_version, full_answers
from referral_desktop.ui.screens.sent_answers import SentAnswers
from tests.ui.home_on_laptop import app_text

pytestmark = pytest.mark.gui

PAGE_WIDTH = 860  # the referral page's column on a 1366 px screen


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_answers_have_room_and_line_up_in_every_section(qtbot, scale):
    version = current_demo_version()
    with app_text(scale):
        answers_view = SentAnswers()
        qtbot.addWidget(answers_view)
        answers_view.show_answers(load_form("cwac-marf", version), full_answers(version))
        answers_view.resize(PAGE_WIDTH, answers_view.heightForWidth(PAGE_WIDTH))
        answers_view.show()
        qtbot.wait(30)
        pairs = answers_view.rows
        assert len(pairs) == len(answers_view.lines) > 40
        answer_lefts = {value.mapTo(answers_view, value.rect().topLeft()).x() for _key, value in pairs}
        assert len(answer_lefts) == 1, "answers start at the same place in every section"
        for key, value in pairs:
            assert value.width() >= 0.55 * PAGE_WIDTH, (key.text(), value.width())
            assert key.geometry().right() < value.geometry().left()
            # A question is read beside the top of its answer, not half-way down a long one.
            assert key.geometry().top() == value.geometry().top(), key.text()
            for label in (key, value):  # every line of the question and of the answer is shown
                assert label.height() >= label.heightForWidth(label.width()), label.text()
