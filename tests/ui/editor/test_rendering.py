"""The whole MARF renders from its definition, with labels, hints, optional markers and accessible names."""

from __future__ import annotations

import pytest

from referral_desktop.domain.form_definition import RepeatGroup
from referral_desktop.ui.editor.step_list import CHECK_STEP_TITLE

pytestmark = pytest.mark.gui


def test_every_section_and_field_of_the_marf_renders(open_editor, marf, qtbot):
    editor = open_editor()
    titles = [editor.step_list.step_model.item(r).text() for r in range(editor.step_list.step_model.rowCount())]
    shown_sections = [s for s in marf.sections if s.id != "declarations"]
    assert titles == [f"{n}. {s.title}" for n, s in enumerate(shown_sections, 1)] + [
        f"{len(shown_sections) + 1}. {CHECK_STEP_TITLE}"
    ]
    for index, section in enumerate(editor.sections):
        editor.go_to(index)
        page = editor.pages[index]
        assert page.built
        for item in section.items:
            if isinstance(item, RepeatGroup):
                view = page.groups[item.id]
                assert view.count == max(item.min_items, 0)
                if view.count == 0:
                    view.add_item()
                for field in item.fields:
                    row = editor.row_for(f"{item.id}[0].{field.id}")
                    assert row is not None and row.field is field
            else:
                assert editor.row_for(item.id).field is item
    # The declarations are real questions on the check page.
    editor.go_to_check()
    assert set(editor.check_page.declaration_rows) == {"subject_access_confirmed", "declaration_accurate"}


def test_inputs_are_named_by_their_label_and_described_by_their_hint(open_editor):
    editor = open_editor()
    row = editor.row_for("referrer_name")
    target = row.input.focus_target()
    assert target.accessibleName() == "Your full name"
    assert row.field.hint and row.field.hint in target.accessibleDescription()
    date_row = editor.row_for("children[0].date_of_birth")
    # A repeated item's questions say which item they belong to ("Child 1: ..."), as Child 2's will.
    assert date_row.input.year.accessibleName() == "Child 1: Date of birth, year"
    radio = editor.row_for("immediate_danger").input.buttons["yes"]
    assert radio.accessibleName().startswith("Is a child in immediate danger")


def test_optional_questions_say_so_and_required_ones_do_not(open_editor):
    editor = open_editor()
    assert editor.row_for("referrer_name").label.text() == "Your full name"
    assert editor.row_for("children[0].child_aliases").label.text().endswith("(optional)")
    attachments = editor.row_for("attachments").label.text()
    assert attachments.count("(optional)") == 1


def test_pages_are_built_only_when_shown(open_editor):
    editor = open_editor()
    assert [page.built for page in editor.pages][:2] == [True, False]


def test_opening_a_full_referral_shows_its_answers(open_editor, marf, qtbot):
    """(How fast it opens is tests/benchmarks/bench_editor.py's job, against an anchor.)"""
    from referral_desktop.ui.editor.demo_answers import full_answers

    editor = open_editor(answers=full_answers("1.0.0"))
    assert editor.row_for("referrer_name").input.edit.text() == full_answers("1.0.0")["referrer_name"]
