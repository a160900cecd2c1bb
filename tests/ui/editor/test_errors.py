"""GOV.UK error pattern: validation on leaving a section and on check, a summary whose links move focus."""

from __future__ import annotations

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from referral_desktop.ui.editor.demo_answers import full_answers
from referral_desktop.ui.editor.step_list import Mark

pytestmark = pytest.mark.gui


def test_no_errors_while_typing_only_when_leaving_the_section(open_editor):
    editor = open_editor()
    editor.go_to(editor._section_index("about_you"))
    editor.row_for("referrer_role").input.edit.setFocus()
    QTest.keyClicks(editor.row_for("referrer_role").input.edit, "Teacher")
    row = editor.row_for("referrer_name")
    row.input.edit.setFocus()
    assert row.error.isHidden()
    editor.go_next()
    about = editor._section_index("about_you")
    assert editor.step_list.marks[about] is Mark.ERRORS
    assert "Has errors" in editor.step_list.step_model.item(about).text()
    assert row.error.text() == "Enter your full name"  # "Error:" is for assistive technology only
    assert row.error.accessibleName() == "Error: Enter your full name"
    assert "Error: Enter your full name" in row.input.focus_target().accessibleDescription()
    page = editor.page_for_section("about_you")
    assert page.summary.isVisibleTo(page) and page.summary.title.text() == "There is a problem"


def test_passing_through_an_untouched_section_marks_nothing(open_editor):
    editor = open_editor()
    editor.go_next()
    editor.go_next()
    assert editor.step_list.marks[:2] == [Mark.NONE, Mark.NONE]
    assert editor.row_for("immediate_danger").error.isHidden()


def test_a_section_without_errors_is_marked_done(open_editor):
    editor = open_editor(answers={"immediate_danger": "no", "phone_referral_made": "no"})
    editor.row_for("iart_discussed").input.buttons["no"].click()
    editor.go_next()
    # "not discussed" breaks a rule shown on that question
    assert editor.step_list.marks[0] is Mark.ERRORS
    editor.go_previous()
    editor.row_for("iart_discussed").input.buttons["yes"].click()
    editor.row_for("iart_discussion_datetime").input.set_value("2026-11-20T10:00")
    editor.model.set(editor.row_for("iart_discussion_datetime").path, "2026-11-20T10:00")
    editor.model.set(editor.row_for("iart_worker_name").path, "Sam Example")
    editor.model.set(editor.row_for("iart_advice").path, "Send it")
    editor.go_next()
    assert editor.step_list.marks[0] is Mark.DONE
    assert "Done" in editor.step_list.step_model.item(0).text()


def test_summary_link_moves_focus_to_the_field_in_its_section_and_repeat_item(open_editor, qtbot):
    answers = full_answers("1.0.0")
    answers["children"].append({"unborn": "no", "family_name": "Second", "nhs_number": "9434765918"})
    editor = open_editor(answers=answers)
    editor.go_to_check()
    editor.check_page.send_button.click()  # validates everything; stays on the check page
    assert editor.current_page() is editor.check_page
    summary = editor.check_page.summary
    assert summary.isVisibleTo(editor.check_page)
    link = next(link for link in summary.links if link.property("path") == "children[1].nhs_number")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is summary)
    link.click()
    target = editor.row_for("children[1].nhs_number").input.focus_target()
    assert editor.current_page() is editor.page_for_section("children")
    qtbot.waitUntil(target.hasFocus)
    assert editor.row_for("children[1].nhs_number").error.isVisibleTo(editor)


def test_summary_link_to_a_declaration_focuses_it_on_the_check_page(open_editor, qtbot):
    answers = full_answers("1.0.0")
    del answers["declaration_accurate"]
    editor = open_editor(answers=answers)
    editor.go_to_check()
    editor.check_page.send_button.click()
    [link] = editor.check_page.summary.links
    assert link.property("path") == "declaration_accurate"
    link.click()
    qtbot.waitUntil(editor.check_page.declaration_rows["declaration_accurate"].input.focus_target().hasFocus)


def test_rejection_reasons_from_iart_are_shown_on_their_fields(open_editor):
    reasons = [("children[0].nhs_number", "The NHS number does not match the child's records")]
    editor = open_editor(answers=full_answers("1.0.0"), rejection_reasons=reasons)
    assert editor.banner.isVisibleTo(editor) and "could not accept" in editor.banner.text()
    children = editor._section_index("children")
    assert editor.step_list.marks[children] is Mark.ERRORS
    editor.go_to(children)
    row = editor.row_for("children[0].nhs_number")
    assert row.error.text() == "The NHS number does not match the child's records"
    page = editor.page_for_section("children")
    assert [link.text() for link in page.summary.links] == ["The NHS number does not match the child's records"]
    # Changing the answer clears the server's reason at the next validation.
    row.input.edit.setText("")
    editor.model.set(row.path, "9434765919 ")
    editor.go_next()
    assert editor.step_list.marks[children] is Mark.DONE


def test_send_with_a_valid_referral_emits_send_requested(open_editor, qtbot):
    editor = open_editor(answers=full_answers("1.0.0"))
    editor.go_to_check()
    with qtbot.waitSignal(editor.send_requested) as blocker:
        editor.check_page.send_button.click()
    assert blocker.args == [editor.referral_id]


def test_check_page_lists_answers_with_change_links(open_editor, qtbot):
    editor = open_editor(answers=full_answers("1.0.0"))
    editor.go_to_check()
    page = editor.check_page
    texts = {label.text() for label in page.findChildren(type(page.summary.title))}
    assert "Testperson" in texts and "27 March 2016" in texts and "White: British" in texts
    link = page.change_links["children[0].date_of_birth"]
    assert link.accessibleName() == "Change Date of birth"
    link.click()
    qtbot.waitUntil(editor.row_for("children[0].date_of_birth").input.day.hasFocus)


def test_a_path_given_before_the_editor_is_shown_gets_focus_once_shown(qtbot, marf, runner, new_referral):
    from referral_desktop.ui.editor import EditorScreen

    editor = EditorScreen(marf, new_referral(full_answers("1.0.0")), runner)
    qtbot.addWidget(editor)
    editor.navigate_to("children[0].upn")
    editor.show()
    editor.activateWindow()
    qtbot.waitUntil(editor.row_for("children[0].upn").input.edit.hasFocus)
