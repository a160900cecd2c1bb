"""The editor shows iART's reasons and the user's own answers as plain text (see tests/ui/test_plain_text.py)."""

from __future__ import annotations

import pytest

from tests.ui.test_plain_text import HOSTILE, assert_shown_literally

pytestmark = pytest.mark.gui


def test_reasons_on_the_field_and_answers_on_check_answers(open_editor, qtbot):
    answers = {"immediate_danger": "no", "referrer_name": HOSTILE}
    editor = open_editor(answers=answers, rejection_reasons=[("referrer_telephone", HOSTILE)])
    editor.go_to(editor._section_index("about_you"))
    qtbot.wait(50)
    assert assert_shown_literally(editor) >= 1
    editor.go_to_check()
    qtbot.wait(50)
    assert assert_shown_literally(editor) >= 2
