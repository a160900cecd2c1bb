"""The marks beside the sections in the editor's list: "Done" only for a section the person has been through.

A person reads "Done" as "I have been through this". "Send referral" checks every section, and a section
holding only optional questions (Early help) passed the check and was marked "Done" though nobody had
opened it. It now reads "Not started" until it has been opened, or (a draft reopened later, when the app
cannot know which pages were opened before) until any of its answers has been given. The list's text and
what a screen reader reads from it (the item's description) say the same.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from referral_desktop.ui.editor.step_list import Mark

pytestmark = pytest.mark.gui


def _step(editor, section_id):
    row = editor._section_index(section_id)
    item = editor.step_list.step_model.item(row)
    return editor.step_list.marks[row], item.text(), item.data(Qt.ItemDataRole.AccessibleDescriptionRole)


def _send_from_check(editor):
    editor.go_to_check()
    editor.check_page.send_button.click()  # checks every section; problems keep it on the check page


def test_a_section_nobody_opened_is_not_done_after_send_checks_it(open_editor):
    editor = open_editor(answers={"immediate_danger": "no"})
    _send_from_check(editor)
    mark, text, heard = _step(editor, "early_help")
    assert "Done" not in text and text.endswith("\nNot started")
    assert heard == "Not started"
    assert mark.value == "Not started"
    # A section with required questions nobody answered still says what Send relies on.
    assert _step(editor, "concerns")[0] is Mark.ERRORS
    assert editor.check_page.errors  # and Send did not go


def test_a_section_opened_and_left_with_nothing_to_answer_is_done(open_editor):
    editor = open_editor()
    editor.go_to(editor._section_index("early_help"), focus_page=True)
    editor.go_next()
    _send_from_check(editor)
    mark, text, heard = _step(editor, "early_help")
    assert (mark, heard) == (Mark.DONE, "Done") and text.endswith("\nDone")


def test_a_reopened_draft_counts_a_section_with_an_answer_as_started(open_editor, qtbot):
    """The app keeps no record of which pages were opened, so a reopened draft goes by the answers."""
    answered = open_editor(answers={"taf_in_place": "no"})
    _send_from_check(answered)
    assert _step(answered, "early_help")[0] is Mark.DONE
    unanswered = open_editor(answers={"immediate_danger": "no"})
    _send_from_check(unanswered)
    assert _step(unanswered, "early_help")[0].value == "Not started"


def test_only_the_page_the_editor_shows_on_opening_counts_as_opened(qtbot, marf, runner, new_referral):
    """A draft reopened returns to the page it was left on before the editor is shown: the first page,
    passed through on the way, was never seen."""
    from referral_desktop.ui.editor import EditorScreen

    editor = EditorScreen(marf, new_referral({"immediate_danger": "no"}), runner)
    qtbot.addWidget(editor)
    editor.go_to_page("early_help")
    editor.show()
    qtbot.waitExposed(editor)
    assert editor.error_timing.seen == {"early_help"}


@pytest.mark.parametrize("leave", ["continue", "list"])
def test_a_not_started_section_opened_and_left_unanswered_reads_done(open_editor, leave):
    """After Send marked Early help "Not started", opening it and leaving it with nothing answered left it
    with no mark at all until the next Send. It was opened: "Done", as any opened section without errors,
    in the list and to a screen reader, whether left with Continue or by the list."""
    editor = open_editor(answers={"immediate_danger": "no"})
    _send_from_check(editor)
    assert _step(editor, "early_help")[0] is Mark.NOT_STARTED
    editor.go_to(editor._section_index("early_help"), focus_page=True)
    if leave == "continue":
        editor.go_next()
    else:
        editor.go_to(editor._section_index("consent"))
    mark, text, heard = _step(editor, "early_help")
    assert (mark, heard) == (Mark.DONE, "Done") and text.endswith("\nDone"), (mark, text, heard)
