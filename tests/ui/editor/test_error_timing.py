"""Errors appear only after the user acts (leaving an answered section, Continue, Check) and go when fixed."""

from __future__ import annotations

import pytest
from PySide6.QtTest import QTest

from referral_desktop.ui.editor.demo_answers import full_answers
from referral_desktop.ui.editor.step_list import Mark

pytestmark = pytest.mark.gui

#: What a new referral holds before the user has done anything: "About you" copied from the profile
#: (without the questions the profile does not have) and the answer to the first question.
NEW_REFERRAL = {
    "immediate_danger": "no",
    "referrer_name": "Alex Example",
    "referrer_role": "School nurse",
    "referrer_postcode": "CH1 1AA",
}


def _no_errors_anywhere(editor) -> None:
    assert Mark.ERRORS not in editor.step_list.marks
    for index in range(len(editor.step_list.marks)):
        assert "Has errors" not in editor.step_list.step_model.item(index).text()
    for page in editor.pages:
        if page.built:
            assert not page.summary.isVisibleTo(page)
            assert all(row.error.isHidden() for row in page.all_rows())


def test_a_new_referral_opens_without_any_problem_shown(open_editor):
    editor = open_editor(answers=dict(NEW_REFERRAL))
    _no_errors_anywhere(editor)
    editor.go_to(editor._section_index("about_you"))  # looking at it is not acting on it
    _no_errors_anywhere(editor)


def test_a_reopened_draft_marks_complete_sections_done_and_nothing_wrong(open_editor):
    answers = full_answers("1.0.0")
    del answers["referrer_name"]
    editor = open_editor(answers=answers)
    _no_errors_anywhere(editor)
    assert editor.step_list.marks[editor._section_index("children")] is Mark.DONE
    assert editor.step_list.marks[editor._section_index("about_you")] is Mark.NONE
    editor.go_to(editor._section_index("about_you"))
    editor.go_next()  # now the user has acted: leaving an answered section shows its errors
    assert editor.step_list.marks[editor._section_index("about_you")] is Mark.ERRORS


def test_an_error_goes_as_soon_as_it_is_fixed(open_editor):
    editor = open_editor(answers=dict(NEW_REFERRAL))
    about = editor._section_index("about_you")
    editor.go_to(about)
    editor.go_next()
    editor.go_to(about)
    row = editor.row_for("referrer_telephone")
    page = editor.page_for_section("about_you")
    assert row.error.isVisibleTo(page)
    paths = [link.property("path") for link in page.summary.links]
    assert "referrer_telephone" in paths
    row.input.edit.setFocus()
    QTest.keyClicks(row.input.edit, "01244 977277")
    assert row.error.isHidden()
    assert "referrer_telephone" not in [link.property("path") for link in page.summary.links]
    # Other questions' errors stay, and no new error appears while typing elsewhere.
    assert editor.row_for("referrer_email").error.isVisibleTo(page)
    assert editor.step_list.marks[about] is Mark.ERRORS


def test_check_your_answers_summary_is_rebuilt_when_an_answer_changes(open_editor, qtbot):
    answers = full_answers("1.0.0")
    del answers["referrer_name"]
    del answers["declaration_accurate"]
    editor = open_editor(answers=answers)
    editor.go_to_check()
    editor.check_page.send_button.click()
    summary = editor.check_page.summary
    assert sorted(link.property("path") for link in summary.links) == ["declaration_accurate", "referrer_name"]
    editor.check_page.declaration_rows["declaration_accurate"].input.buttons["yes"].click()
    assert [link.property("path") for link in summary.links] == ["referrer_name"]
    editor.navigate_to("referrer_name")
    QTest.keyClicks(editor.row_for("referrer_name").input.edit, "Alex Example")
    editor.go_to_check()
    assert summary.links == [] and not summary.isVisibleTo(editor.check_page)
    assert editor.step_list.marks[editor._section_index("about_you")] is Mark.DONE
