"""Conditional questions follow the answers; repeatable groups add and remove within their limits."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui


def test_conditional_question_appears_and_disappears(open_editor):
    editor = open_editor()
    follow_up = editor.row_for("phone_referral_datetime")
    assert follow_up.isHidden()
    editor.row_for("phone_referral_made").input.buttons["yes"].click()
    assert not follow_up.isHidden()
    assert not editor.row_for("phone_referral_service").isHidden()
    editor.row_for("phone_referral_made").input.buttons["no"].click()
    assert follow_up.isHidden()


def test_conditions_inside_a_repeat_item_look_at_that_item(open_editor):
    editor = open_editor(answers={"children": [{"unborn": "yes"}, {"unborn": "no"}]})
    editor.go_to(editor._section_index("children"))
    assert not editor.row_for("children[0].expected_delivery_date").isHidden()
    assert editor.row_for("children[0].date_of_birth").isHidden()
    assert editor.row_for("children[1].expected_delivery_date").isHidden()
    assert not editor.row_for("children[1].date_of_birth").isHidden()
    editor.row_for("children[1].unborn").input.buttons["yes"].click()
    assert not editor.row_for("children[1].expected_delivery_date").isHidden()


def test_children_start_with_one_and_cannot_go_below_the_minimum(open_editor):
    editor = open_editor()
    editor.go_to(editor._section_index("children"))
    view = editor.page_for_section("children").groups["children"]
    assert view.count == 1
    assert view.remove_buttons[0].isHidden()
    assert view.add_button.text() == "Add another child"
    view.add_item()
    assert view.count == 2
    assert [b.isHidden() for b in view.remove_buttons] == [False, False]
    assert view.item_rows[1][0].parent().findChildren(type(view.title))[0].text() == "Child 2"
    assert editor.model.answers["children"] == [{}, {}]


def test_remove_takes_out_the_right_item_and_renumbers(open_editor):
    editor = open_editor(answers={"children": [{"given_names": "A"}, {"given_names": "B"}, {"given_names": "C"}]})
    editor.go_to(editor._section_index("children"))
    view = editor.page_for_section("children").groups["children"]
    view.remove_buttons[1].click()
    assert [c["given_names"] for c in editor.model.answers["children"]] == ["A", "C"]
    assert editor.row_for("children[1].given_names").input.edit.text() == "C"
    assert view.remove_buttons[1].text() == "Remove child 2"


def test_add_stops_at_the_maximum(open_editor, marf):
    group = marf.find("children")
    editor = open_editor(answers={"children": [{} for _ in range(group.max_items - 1)]})
    editor.go_to(editor._section_index("children"))
    view = editor.page_for_section("children").groups["children"]
    view.add_button.click()
    assert view.count == group.max_items
    assert not view.add_button.isEnabled()
    assert "up to 12" in view.limit_note.text()
    view.add_item()
    assert view.count == group.max_items


def test_optional_group_starts_empty_and_adds_on_request(open_editor):
    editor = open_editor()
    editor.go_to(editor._section_index("professionals"))
    view = editor.page_for_section("professionals").groups["professionals"]
    assert view.count == 0 and view.add_button.text() == "Add a professional"
    view.add_button.click()
    assert view.count == 1
    assert view.item_rows[0][0].input.focus_target().hasFocus()
    view.remove_buttons[0].click()
    assert view.count == 0


def test_removing_an_item_offers_undo_that_puts_it_back_with_its_answers(open_editor, recording_store, qtbot):
    children = [{"given_names": "A"}, {"given_names": "B", "family_name": "Bee"}, {"given_names": "C"}]
    editor = open_editor(answers={"children": [dict(c) for c in children]})
    editor.go_to(editor._section_index("children"))
    view = editor.page_for_section("children").groups["children"]
    assert view.undo_button.isHidden()
    view.remove_buttons[1].click()
    assert view.removed_note.text() == "Child 2 removed." and view.undo_button.isVisible()
    assert view.undo_button.hasFocus()  # Enter or Space undoes at once
    view.undo_button.click()
    assert editor.model.answers["children"] == children
    assert editor.row_for("children[1].family_name").input.edit.text() == "Bee"
    assert view.undo_button.isHidden()
    editor.flush()
    assert recording_store.referrals.saves[-1][1]["children"] == children  # the undo is saved too


def test_undo_is_withdrawn_once_another_item_is_added(open_editor):
    editor = open_editor(answers={"children": [{"given_names": "A"}, {"given_names": "B"}]})
    editor.go_to(editor._section_index("children"))
    view = editor.page_for_section("children").groups["children"]
    view.remove_buttons[0].click()
    view.add_button.click()
    assert view.undo_button.isHidden()
    view.undo_remove()
    assert [c.get("given_names") for c in editor.model.answers["children"]] == ["B", None]


def test_a_question_shown_by_a_hidden_questions_answer_is_hidden_with_it(new_referral_editor):
    """On the current form "Have you discussed this referral with iART?" is not asked once the person
    says they phoned iART. Its follow-ups ("When did you discuss it?", the worker's name, the advice)
    stayed on the page under no question, asking for a discussion the page no longer asks about, while
    validation (and so the check and the send) treated them as not asked."""
    editor = new_referral_editor()
    discussed = editor.row_for("iart_discussed")
    discussed.input.buttons["yes"].click()
    follow_ups = [editor.row_for(f) for f in ("iart_discussion_datetime", "iart_worker_name", "iart_advice")]
    assert not any(row.isHidden() for row in follow_ups)
    editor.row_for("phone_referral_made").input.buttons["yes"].click()
    editor.row_for("phone_referral_service").input.buttons["iart"].click()
    assert discussed.isHidden()
    assert [row.isHidden() for row in follow_ups] == [True, True, True]
    assert editor.model.answers["iart_discussed"] == "yes"  # kept, for when the question is asked again
    editor.row_for("phone_referral_service").input.buttons["other"].click()
    assert not discussed.isHidden() and not any(row.isHidden() for row in follow_ups)
