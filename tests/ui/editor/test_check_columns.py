"""The check page's question and answer columns at 100 % and 200 % text, in a laptop's editor.

The question column was a fixed 300 px: at 200 % text long questions wrapped to seven lines while the
answer column had room to spare. The columns now share the width as GOV.UK's summary list does (the
question about a third), the question column growing with the text up to half (summary_columns.py), and
no question or answer is cut at any size.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication

from referral_desktop.ui.editor.demo_answers import full_answers
from tests.ui.editor.conftest import LAPTOP_EDITOR
from tests.ui.test_accessibility import themed

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("base_text_size_pinned")]



def _columns(editor):
    """(key label, answer label) of every answer line on the check page, as laid out."""
    editor.go_to_check()
    QApplication.processEvents()
    return [(line.key, line.value) for line in editor.check_page.answers_holder.lines]


def _cut(label) -> bool:
    """Whether ``label`` is drawn smaller than its wrapped text."""
    return label.height() < label.heightForWidth(label.width())


def _links_in_sight(page) -> bool:
    """No sideways scrolling: every "Change" link within the page's width."""
    right = page.viewport().width()
    return not page.horizontalScrollBar().isVisible() and all(
        link.mapTo(page.viewport(), QPoint(link.width(), 0)).x() <= right for link in page.change_links.values())


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_questions_and_answers_share_the_width_and_nothing_is_cut(open_editor, qtbot, scale):
    with themed(None, scale):
        editor = open_editor(answers=full_answers())
        editor.resize(*LAPTOP_EDITOR)
        pairs = _columns(editor)
        for width in (1600, LAPTOP_EDITOR[0]):  # wider, then narrowed: the columns give the room back
            editor.resize(width, LAPTOP_EDITOR[1])
            qtbot.waitUntil(lambda: not any(_cut(key) or _cut(answer) for key, answer in pairs))
            qtbot.waitUntil(lambda: _links_in_sight(editor.check_page))
        holder = editor.check_page.answers_holder
        lefts = {key.mapTo(holder, QPoint(0, 0)).x() for key, _answer in pairs}
        widths = {(key.width(), answer.mapTo(holder, QPoint(0, 0)).x()) for key, answer in pairs}
        assert len(lefts) == 1 and len(widths) == 1, (lefts, widths)  # every section's columns line up
        key, answer = pairs[0]
        share = key.width() / (key.width() + answer.width())
        assert 0.3 <= share <= 0.5, (key.width(), answer.width())  # the answers keep at least half


def test_the_question_column_grows_with_the_text(open_editor, qtbot):
    widths = {}
    for scale in (1.0, 2.0):
        with themed(None, scale):
            editor = open_editor(answers=full_answers())
            editor.resize(*LAPTOP_EDITOR)
            key, _answer = _columns(editor)[0]
            widths[scale] = key.width()
            editor.close()
    assert widths[2.0] > widths[1.0] * 1.1, widths  # a fixed 300 px at both before


def test_an_answer_word_too_wide_for_the_columns_stacks_every_section(open_editor, qtbot):
    """A word does not break while the columns can hold it: a long email address beside the wider
    question column was cut (and the Change links pushed out of sight); then only its section's questions
    were narrowed, out of line with the rest. Now every section keeps the one question width, or, with
    no room for the word beside it, every section stacks (question above answer); nothing is cut."""
    answers = full_answers()
    answers["referrer_email"] = "safeguarding.lead.42@longschoolname.org"  # no break in it
    with themed(None, 2.0):
        editor = open_editor(answers=answers)
        editor.resize(*LAPTOP_EDITOR)
        pairs = _columns(editor)
        page = editor.check_page
        qtbot.waitUntil(lambda: not any(_cut(key) or _cut(answer) for key, answer in pairs))
        qtbot.waitUntil(lambda: _links_in_sight(page))
        holder = page.answers_holder
        if holder.stacked:
            assert {key.mapTo(holder, QPoint(0, 0)).x() for key, _answer in pairs} == {0}
        else:
            assert len({key.width() for key, _answer in pairs}) == 1
        email = next(answer for _key, answer in pairs if "@" in answer.text())
        assert email.line_count() == 1  # the address is not broken while there is room for it whole


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_the_check_page_opens_at_its_title(open_editor, qtbot, scale):
    """Opened from the list or by Continue, the check page put focus on its first "Change" link before it
    was laid out, and was left scrolled past its title ("Check your answers before sending your
    referral"): a person arrived with no heading to say where they were. It opens at its top now."""
    with themed(None, scale):
        editor = open_editor(answers=full_answers())
        editor.resize(*LAPTOP_EDITOR)
        editor.go_to(len(editor.sections) - 1, focus_page=True)
        editor.continue_button.click()
        page = editor.check_page
        first = next(iter(page.change_links.values()))
        qtbot.waitUntil(lambda: QApplication.focusWidget() is first)
        assert page.title.mapTo(page.viewport(), QPoint(0, 0)).y() >= 0, page.verticalScrollBar().value()
        bottom = first.mapTo(page.viewport(), QPoint(0, first.height())).y()
        assert bottom <= page.viewport().height()  # and the link focused is in sight
