"""A "Change" link on the check page, and Continue after the change (GOV.UK "Check answers" pattern).

"Change" takes the person to the question; after changing it, Continue took them on through every later
section, though they had come only to mend one answer. It now brings them back to the check page, with
focus on the Change link they followed (its answer shown changed beside it). Anywhere else they go first
(Previous, the list of sections) is the ordinary section-by-section flow again. A change that brings up
a further required question keeps them on its page until it is answered.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from referral_desktop.ui.editor.demo_answers import full_answers

pytestmark = pytest.mark.gui


def _follow_change(editor, qtbot, path):
    editor.go_to_check()
    link = editor.check_page.change_links[path]
    link.setFocus()
    link.click()
    row = editor.row_for(path)
    qtbot.waitUntil(lambda: row.isAncestorOf(QApplication.focusWidget()))
    return row


def _answer_beside(link):
    return link.window().check_page.answer_beside(link).text()


def test_continue_after_change_returns_to_the_check_page_with_focus_on_that_link(open_editor, qtbot):
    editor = open_editor(answers=full_answers("1.0.0"))
    row = _follow_change(editor, qtbot, "referrer_role")
    assert editor.page_id() == "about_you"
    row.input.set_value("Class teacher")
    editor.model.set(row.path, "Class teacher")
    editor.continue_button.click()
    assert editor.page_id() == "check"  # not "route_and_level", the next section
    link = editor.check_page.change_links["referrer_role"]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is link)
    assert link.accessibleName() == "Change Your role"
    assert _answer_beside(link) == "Class teacher"
    assert editor.step_list.currentIndex().row() == editor.step_list.check_row


def test_a_change_in_a_repeated_item_returns_to_its_own_link(open_editor, qtbot):
    editor = open_editor(answers=full_answers("1.0.0"))
    _follow_change(editor, qtbot, "children[0].family_name")
    assert editor.page_id() == "children"
    editor.continue_button.click()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.check_page.change_links["children[0].family_name"])


def test_moving_elsewhere_after_change_keeps_the_ordinary_flow(open_editor, qtbot):
    editor = open_editor(answers=full_answers("1.0.0"))
    _follow_change(editor, qtbot, "referrer_role")
    editor.previous_button.click()
    assert editor.page_id() == "before_you_start"
    editor.continue_button.click()
    assert editor.page_id() == "about_you"
    editor.continue_button.click()
    assert editor.page_id() == "route_and_level"  # section by section, as without a Change link


def test_back_on_the_check_page_each_answer_is_drawn_once(open_editor, qtbot):
    """The check page is rebuilt each time it is shown; the rows it replaced stayed on screen until Qt
    deleted them, drawn under the new ones a pixel apart (a smeared double text in the screenshots)."""
    from PySide6.QtWidgets import QLabel

    editor = open_editor(answers=full_answers("1.0.0"))
    _follow_change(editor, qtbot, "referrer_role")
    editor.continue_button.click()
    holder = editor.check_page.answers_holder
    shown = [label for label in holder.findChildren(QLabel) if label.text() == "Your role" and label.isVisibleTo(holder)]
    assert len(shown) == 1


def test_a_change_that_asks_a_new_required_question_keeps_the_person_on_its_page(open_editor, qtbot):
    """GOV.UK "Check answers": an answer changed that brings up a further required question keeps the
    person in the flow until it is answered. Continue sent them back to the check page with "Has errors";
    it now stays, the error summary above the page taking focus, as on any page with problems."""
    from referral_desktop.ui.editor.step_list import Mark

    editor = open_editor(answers=full_answers("1.0.0"))
    row = _follow_change(editor, qtbot, "disclosure_made")
    row.input.buttons["yes"].click()  # "Details of the disclosure" is asked now, and required
    editor.continue_button.click()
    page = editor.current_page()
    assert editor.page_id() == "concerns"
    assert page.errors == [("disclosure_details", "Enter details of the disclosure")]
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.summary)
    concerns = editor._section_index("concerns")
    assert editor.step_list.marks[concerns] is Mark.ERRORS  # the list says what the page shows
    qtbot.keyClicks(editor.row_for("disclosure_details").input.focus_target(), "Told her teacher")
    editor.continue_button.click()
    assert editor.page_id() == "check"  # answered: back where the Change began
    qtbot.waitUntil(lambda: QApplication.focusWidget() is editor.check_page.change_links["disclosure_made"])
    assert editor.step_list.marks[concerns] is Mark.DONE
    assert _answer_beside(editor.check_page.change_links["disclosure_details"]) == "Told her teacher"
