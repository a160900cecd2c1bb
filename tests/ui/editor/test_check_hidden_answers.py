"""The check page and "What you sent" list what the form asks, as the editor's pages and validation do: a
question shown only by the answer to a question now hidden is not listed (with its Change link).

Found reviewing the editor's own fix for such questions: "Have you discussed this referral with iART?" is
not asked once the person says they phoned iART, yet the check page went on listing "Name of the iART
worker" and its answer with a Change link to a question no page showed, and "What you sent" listed it as
sent (it is not sent: ``sync/queueing``).
"""

from __future__ import annotations

import pytest

from referral_desktop.domain.form_catalog import load_form
from referral_desktop.ui.editor.demo_answers import current_demo_version, full_answers
from referral_desktop.ui.screens.sent_answers import SentAnswers

pytestmark = pytest.mark.gui

FOLLOW_UPS = ("iart_discussion_datetime", "iart_worker_name", "iart_advice")


def _answers_with_a_hidden_discussion() -> dict:
    answers = full_answers()
    answers.update(iart_discussed="yes", iart_worker_name="SENTINEL-worker", iart_advice="SENTINEL-advice",
                   phone_referral_made="yes", phone_referral_service="iart")
    return answers


def test_the_check_page_does_not_list_what_a_hidden_question_brought_up(qtbot, runner):
    from referral_desktop.ui.editor import EditorScreen

    from .conftest import FIXED_NOW, LAPTOP_EDITOR, make_referral

    form = load_form("cwac-marf", current_demo_version())
    answers = _answers_with_a_hidden_discussion()
    editor = EditorScreen(form, make_referral(answers), runner, clock=lambda: FIXED_NOW)
    qtbot.addWidget(editor)
    editor.resize(*LAPTOP_EDITOR)
    editor.show()
    editor.go_to_check()
    links = editor.check_page.change_links
    assert not [path for path in links if path in (*FOLLOW_UPS, "iart_discussed")], sorted(links)
    assert "phone_referral_made" in links and "referrer_name" in links
    assert editor.model.answers["iart_worker_name"] == "SENTINEL-worker"  # kept, for if it is asked again


def test_what_you_sent_does_not_list_what_a_hidden_question_brought_up(qtbot):
    form = load_form("cwac-marf", current_demo_version())
    view = SentAnswers()
    qtbot.addWidget(view)
    view.show_answers(form, _answers_with_a_hidden_discussion())
    shown = " ".join(f"{question} {answer}" for question, answer in view.lines)
    assert "SENTINEL" not in shown
    assert "Name of the iART worker" not in shown
    assert "Have you already made this referral by phone?" in shown


def test_in_a_child_a_question_shown_by_a_hidden_questions_answer_is_hidden_too(qtbot, runner):
    """"Does the child have special educational needs?" is not asked of an unborn baby; its details,
    answered before "Is this an unborn baby?" became Yes, stayed on the page under no question, and the
    check page listed them (validation, and now the payload, leave them out)."""
    from referral_desktop.ui.editor import EditorScreen

    from .conftest import FIXED_NOW, LAPTOP_EDITOR, make_referral

    form = load_form("cwac-marf", current_demo_version())
    answers = full_answers()
    answers["children"][0].update(unborn="no", sen="yes", sen_details="SENTINEL-sen")
    editor = EditorScreen(form, make_referral(answers), runner, clock=lambda: FIXED_NOW)
    qtbot.addWidget(editor)
    editor.resize(*LAPTOP_EDITOR)
    editor.show()
    editor.go_to(editor._section_index("children"))
    sen, details = editor.row_for("children[0].sen"), editor.row_for("children[0].sen_details")
    assert not sen.isHidden() and not details.isHidden()
    editor.row_for("children[0].unborn").input.buttons["yes"].click()
    assert sen.isHidden() and details.isHidden()
    editor.go_to_check()
    assert not [path for path in editor.check_page.change_links if "sen" in path.split(".")[-1]]
    assert editor.model.answers["children"][0]["sen_details"] == "SENTINEL-sen"  # kept
