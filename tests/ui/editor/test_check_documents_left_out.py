"""The check page says when a document the person attached will not be sent, because the question it was
attached to is no longer asked: without it, a report attached under "Attach the completed assessment"
before "Have you used an evidence-based assessment tool?" was changed to No left with no word, since the
question (and its "1 file attached") is not listed (``tests/sync/test_hidden_documents_not_sent.py``).
"""

from __future__ import annotations

import pytest

from referral_desktop.domain.form_catalog import load_form
from referral_desktop.ui.editor.demo_answers import current_demo_version, full_answers

pytestmark = pytest.mark.gui

REPORT = "0b5e6f1c-1d2e-4f3a-8b4c-5d6e7f8a9b0c"
ASSESSMENT = "1c6f7a2d-2e3f-4a4b-9c5d-6e7f8a9b0c1d"
SAID = ("1 document you attached will not be sent: it is attached to “Attach the completed assessment”, a "
        "question your answers no longer ask. It stays with this draft and is sent if you change your "
        "answers so that the question is asked again.")


def _editor(qtbot, runner, answers, state="draft"):
    from referral_desktop.ui.editor import EditorScreen

    from .conftest import FIXED_NOW, LAPTOP_EDITOR, make_referral

    form = load_form("cwac-marf", current_demo_version())
    editor = EditorScreen(form, make_referral(answers, state), runner, clock=lambda: FIXED_NOW)
    qtbot.addWidget(editor)
    editor.resize(*LAPTOP_EDITOR)
    editor.show()
    return editor


def test_the_check_page_says_a_document_under_a_question_no_longer_asked_is_not_sent(qtbot, runner):
    answers = full_answers()
    answers.update(attachments=[REPORT], assessment_tool_used="yes", assessment_tool_attachments=[ASSESSMENT])
    editor = _editor(qtbot, runner, answers)
    editor.go_to_check()
    page = editor.check_page
    assert page.left_out_notice.isHidden()  # both documents go: nothing to say
    editor.go_to(editor._section_index("early_help"))
    editor.row_for("assessment_tool_used").input.buttons["no"].click()
    editor.go_to_check()
    assert not page.left_out_notice.isHidden()
    assert page.left_out_notice.text() == SAID
    # Heard too by someone who tabs straight to the button: it is what sending will do.
    assert SAID in page.send_button.accessibleDescription()
    assert editor.model.answers["assessment_tool_attachments"] == [ASSESSMENT]  # kept in the draft
    editor.go_to(editor._section_index("early_help"))
    editor.row_for("assessment_tool_used").input.buttons["yes"].click()
    editor.go_to_check()
    assert page.left_out_notice.isHidden() and SAID not in page.send_button.accessibleDescription()


def test_several_documents_and_questions_are_counted_and_named(qtbot, runner):
    answers = full_answers()
    answers.update(route="c", assessment_tool_used="yes", assessment_tool_attachments=[ASSESSMENT, REPORT])
    editor = _editor(qtbot, runner, answers)  # early help is not asked on route c
    editor.go_to_check()
    assert editor.check_page.left_out_notice.text().startswith(
        "2 documents you attached will not be sent: they are attached to “Attach the completed assessment”, "
        "a question your answers no longer ask. They stay with this draft and are sent if")


def test_nothing_is_said_of_a_referral_already_sent(qtbot, runner):
    """A sent referral shown read-only went without them already; "will not be sent" would not be true."""
    answers = full_answers()
    answers.update(assessment_tool_used="no", assessment_tool_attachments=[ASSESSMENT])
    editor = _editor(qtbot, runner, answers, state="received")
    editor.go_to_check()
    assert editor.check_page.left_out_notice.isHidden()


def test_inset_text_has_its_grey_bar(qtbot):
    """GOV.UK's inset text, as the notice is shown: a grey bar to its left (the palette's mid grey, darkened
    where needed to stand out 3:1, ``theme.inset_bar_colour``; its contrast is measured in
    ``tests/ui/test_contrast_pixels.py``). The style
    sheet's rule for it had never drawn one (Qt draws a one-sided border only once the others have a style)."""
    from PySide6.QtWidgets import QApplication

    from referral_desktop.ui.theme import inset_bar_colour, refresh_style
    from referral_desktop.ui.widgets.plain_label import plain_label

    app = QApplication.instance()
    old_sheet = app.styleSheet()
    refresh_style(app)  # the app's own style sheet, as apply_theme sets it
    try:
        notice = plain_label("1 document you attached will not be sent")
        notice.setProperty("role", "inset")
        qtbot.addWidget(notice)
        notice.show()
        bar = notice.grab().toImage().pixelColor(3, notice.height() // 2)
        assert bar.name() == inset_bar_colour(notice.palette())
        assert notice.contentsRect().left() >= 25  # the text starts after the bar and its gap
    finally:
        app.setStyleSheet(old_sheet)


def test_the_pdf_copy_and_what_you_sent_list_only_the_documents_question_asked(qtbot):
    """After sending, as before it: "Other documents: 1 file attached", and nothing under the assessment
    question the answers no longer asked (its document was not sent)."""
    from types import SimpleNamespace

    from referral_desktop.ui.referral_document import referral_html
    from referral_desktop.ui.screens.sent_answers import SentAnswers

    form = load_form("cwac-marf", current_demo_version())
    answers = full_answers()
    answers.update(attachments=[REPORT], assessment_tool_used="no", assessment_tool_attachments=[ASSESSMENT])
    view = SentAnswers()
    qtbot.addWidget(view)
    view.show_answers(form, answers)
    assert ("Other documents (optional)", "1 file attached") in view.lines
    assert not [line for line in view.lines if "assessment" in line[0].lower() and "attach" in line[0].lower()]
    from .conftest import FIXED_NOW

    referral = SimpleNamespace(answers=answers, iart_reference="IART-2026-000123", state="received", outcome=None,
                               created_at=FIXED_NOW, form_id="cwac-marf", form_version=current_demo_version())
    printed = referral_html(referral, form)
    assert "Other documents (optional)" in printed and "1 file attached" in printed
    assert "Attach the completed assessment" not in printed
