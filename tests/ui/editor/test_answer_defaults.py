"""The privacy notice's version is filled in from the notice in force when its question appears."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from referral_desktop.domain.privacy_notice import bundled_notice

pytestmark = pytest.mark.gui


def _privacy_section(editor):
    editor.go_to(editor._section_index("privacy_notice"))
    return editor


def test_version_appears_filled_in_when_the_notice_was_shared(open_editor):
    editor = _privacy_section(open_editor())
    version = bundled_notice().version
    assert "privacy_notice_version" not in editor.model.answers  # nothing recorded while hidden
    editor.row_for("privacy_notice_shared").input.buttons["yes"].click()
    assert editor.model.answers["privacy_notice_version"] == version
    assert editor.row_for("privacy_notice_version").input.edit.text() == version


def test_nothing_is_recorded_when_the_notice_was_not_shared(open_editor):
    editor = _privacy_section(open_editor())
    editor.row_for("privacy_notice_shared").input.buttons["no"].click()
    assert "privacy_notice_version" not in editor.model.answers


def test_an_answer_already_given_or_cleared_is_left_alone(open_editor, qtbot):
    editor = _privacy_section(open_editor(answers={"privacy_notice_shared": "yes",
                                                   "privacy_notice_version": "2023-2"}))
    assert editor.model.answers["privacy_notice_version"] == "2023-2"
    editor = _privacy_section(open_editor())
    editor.row_for("privacy_notice_shared").input.buttons["yes"].click()
    edit = editor.row_for("privacy_notice_version").input.edit
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)  # the professional clears it
    assert editor.model.answers.get("privacy_notice_version") in ("", None)
    editor.row_for("privacy_notice_shared").input.buttons["no"].click()
    editor.row_for("privacy_notice_shared").input.buttons["yes"].click()
    assert editor.model.answers.get("privacy_notice_version") in ("", None)  # filled once only
