"""'Send referral' shows progress at once and can be pressed again only if queueing failed."""

from __future__ import annotations

import pytest

from referral_desktop.ui.editor.demo_answers import full_answers

pytestmark = pytest.mark.gui


def test_send_says_sending_at_once_and_recovers_when_refused(open_editor, qtbot):
    editor = open_editor(answers=full_answers("1.0.0"))
    editor.go_to_check()
    button = editor.check_page.send_button
    with qtbot.waitSignal(editor.send_requested):
        button.click()
    assert button.text() == "Sending…" and not button.isEnabled()  # no second press while it queues
    editor.sending_finished()
    assert button.text() == "Send referral" and button.isEnabled()


def test_send_with_errors_does_not_pretend_to_send(open_editor, qtbot):
    answers = full_answers("1.0.0")
    del answers["referrer_name"]
    editor = open_editor(answers=answers)
    editor.go_to_check()
    with qtbot.assertNotEmitted(editor.send_requested):
        editor.check_page.send_button.click()
    assert editor.check_page.send_button.text() == "Send referral"
    assert editor.check_page.summary.isVisibleTo(editor.check_page)
