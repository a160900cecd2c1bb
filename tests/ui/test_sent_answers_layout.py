""""What you sent" at 200 % text and on narrow windows: the check page's own summary list.

Why: each section was a grid whose question column took its labels' natural width, so at 200 % text the
questions took most of the page and the answers (the referrer's own words about the child) were squeezed
into a column a word or two wide, at a different place in each section. Then the questions had a fixed
40 %: long ones wrapped to many lines, and an email address too wide for its column widened the page. It
now uses the check page's list (``ui/editor/summary_list.py``): columns in line in every section, or, with
too little room, each question above its answer, nothing cut and nothing wider than the page.
"""

from __future__ import annotations

import pytest

from referral_desktop.domain.form_catalog import load_form
from referral_desktop.ui.editor.demo_answers import current_demo_version, full_answers
from referral_desktop.ui.editor.summary_columns import MAX_QUESTION_LINES
from referral_desktop.ui.screens.sent_answers import SentAnswers
from tests.ui.home_on_laptop import app_text

pytestmark = pytest.mark.gui

PAGE_WIDTH = 860  # the referral page's column on a 1366 px screen
NARROW = 330  # that column in an 800 px window at 200 % text
EMAIL = "safeguarding.lead.42@longschoolname.org"


@pytest.mark.parametrize(("scale", "width"), [(1.0, PAGE_WIDTH), (2.0, PAGE_WIDTH), (2.0, NARROW)])
def test_answers_have_room_and_line_up_in_every_section(qtbot, scale, width):
    version = current_demo_version()
    answers = full_answers(version)
    answers["referrer_email"] = EMAIL
    with app_text(scale):
        answers_view = SentAnswers()
        qtbot.addWidget(answers_view)
        answers_view.show_answers(load_form("cwac-marf", version), answers)
        assert answers_view.minimumSizeHint().width() <= NARROW  # nothing holds the page wider
        answers_view.resize(width, answers_view.heightForWidth(width))
        answers_view.show()
        qtbot.waitUntil(lambda: answers_view.summary.lines[0].key.width() > 1)
        pairs = answers_view.rows
        assert len(pairs) == len(answers_view.lines) > 40
        answer_lefts = {value.mapTo(answers_view, value.rect().topLeft()).x() for _key, value in pairs}
        assert len(answer_lefts) == 1, "answers start at the same place in every section"
        stacked = answers_view.summary.stacked
        assert stacked == (scale == 2.0)  # a 36-character email has no room beside the questions at 200 %
        for key, value in pairs:
            assert value.geometry().right() < width
            if stacked:  # question above its answer, each the whole width
                assert key.geometry().bottom() < value.geometry().top() and key.width() == value.width() == width
            else:
                assert value.width() >= 0.5 * width, (key.text(), value.width())
                assert key.geometry().right() < value.geometry().left()
                # A question is read beside the top of its answer, not half-way down a long one.
                assert key.geometry().top() == value.geometry().top(), key.text()
                assert key.line_count() <= MAX_QUESTION_LINES
            for label in (key, value):  # every line of the question and of the answer is shown
                assert label.height() >= label.heightForWidth(label.width()), label.text()
