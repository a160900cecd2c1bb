"""Answers are never changed, cut or lost by surprise: the wheel, long and pasted text, continuous typing."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from referral_desktop.ui.editor.step_list import Mark
from tests.ui.test_wheel_guard_everywhere import wheel as _wheel

pytestmark = pytest.mark.gui


def test_the_wheel_over_an_unfocused_drop_down_scrolls_the_page_not_the_answer(open_editor, qapp):
    editor = open_editor()
    editor.resize(1100, 500)  # short enough that the page scrolls
    editor.go_to(editor._section_index("about_you"))
    combo = editor.row_for("referral_source").input.combo
    combo.setCurrentIndex(1)
    chosen = combo.currentText()
    editor.row_for("referrer_name").input.edit.setFocus()
    page = editor.current_page()
    page.ensureWidgetVisible(combo)
    before = page.verticalScrollBar().value()
    _wheel(combo, -2)
    assert combo.currentText() == chosen
    assert not combo.hasFocus()
    assert page.verticalScrollBar().value() > before  # the page moved instead
    # With focus, the wheel is the user's way of choosing and still works.
    combo.setFocus()
    _wheel(combo, -1)
    assert combo.currentText() != chosen


def test_pasted_long_text_is_kept_whole_and_counted(open_editor, qtbot):
    editor = open_editor()
    index = editor._section_index("concerns")
    editor.go_to(index)
    row = editor.row_for("concern_details")
    edit, count = row.input.edit, row.input.count
    assert count.text() == "You have 10000 characters remaining"
    text = ("word " * 2100).strip()  # 10,499 characters
    QGuiApplication.clipboard().setText(text)
    edit.setFocus()
    QTest.keySequence(edit, "Ctrl+V")
    assert editor.model.answers["concern_details"] == text
    assert count.text() == "You have 499 characters too many"
    assert count.over and count.isVisible()
    # The box grew with its content rather than hiding it behind its own scroll bar.
    assert edit.height() > edit.fontMetrics().lineSpacing() * 20
    editor.go_to(editor._section_index("early_help"))
    assert editor.step_list.marks[index] is Mark.ERRORS
    assert "10000 characters or fewer" in (row.error_text or "")
    editor.go_to(index)
    edit.setFocus()
    edit.moveCursor(edit.textCursor().MoveOperation.End)
    for _ in range(499):
        QTest.keyClick(edit, Qt.Key.Key_Backspace)
    # 10,000 characters, the last a space, which the check (and so the count) leaves out.
    assert count.text() == "You have 1 character remaining" and not count.over


def test_one_line_answers_are_not_cut_and_say_when_too_long(open_editor):
    editor = open_editor()
    editor.go_to(editor._section_index("about_you"))
    line = editor.row_for("referrer_name").input
    assert not line.count.isVisible()  # a short box shows its count only at the limit
    QGuiApplication.clipboard().setText("A" * 105)
    line.edit.setFocus()
    QTest.keySequence(line.edit, "Ctrl+V")
    assert editor.model.answers["referrer_name"] == "A" * 105
    assert line.count.isVisible() and line.count.text() == "You have 5 characters too many"


def test_paste_into_a_one_line_answer_drops_surrounding_white_space(open_editor):
    editor = open_editor()
    editor.go_to(editor._section_index("about_you"))
    edit = editor.row_for("referrer_postcode").input.edit
    QGuiApplication.clipboard().setText("  CH1 2NU \n")
    edit.setFocus()
    QTest.keySequence(edit, "Ctrl+V")
    assert editor.model.answers["referrer_postcode"] == "CH1 2NU"
    name = editor.row_for("referrer_name").input.edit
    QGuiApplication.clipboard().setText("\tAlex\r\nSample  \n")
    name.setFocus()
    QTest.keySequence(name, "Ctrl+V")
    assert editor.model.answers["referrer_name"] == "Alex Sample"
    QTest.keyClicks(name, "  ")  # typing is never changed
    assert editor.model.answers["referrer_name"] == "Alex Sample  "


def test_context_menu_paste_is_tidied_too(open_editor, qtbot):
    editor = open_editor()
    editor.go_to(editor._section_index("about_you"))
    edit = editor.row_for("referrer_role").input.edit
    QGuiApplication.clipboard().setText(" Teacher \n")
    menu = edit.createStandardContextMenu()
    assert "edit-paste" in [a.objectName() for a in menu.actions()]
    edit.setFocus()
    edit.paste_tidied()
    assert editor.model.answers["referrer_role"] == "Teacher"


def test_continuous_typing_is_saved_at_least_once_a_second_in_the_real_store(
    qtbot, marf, real_store_runner
):
    from referral_desktop.ui.editor import EditorScreen

    runner = real_store_runner
    referral = runner.run_sync(lambda: runner.store.referrals.create_draft(marf.form_id, marf.version))
    editor = EditorScreen(marf, referral, runner)
    qtbot.addWidget(editor)
    editor.show()
    editor.go_to(editor._section_index("concerns"))
    edit = editor.row_for("concern_details").input.edit
    edit.setFocus()
    saves = []
    editor.autosaver.saved.connect(saves.append)
    started = time.monotonic()
    while time.monotonic() - started < 5.0:
        QTest.keyClick(edit, Qt.Key.Key_A)
        # The app's own event loop between keys (QTest.qWait holds Python's GIL while it waits, which
        # starves the store's worker thread in a way the running app never does).
        pause = QEventLoop()
        QTimer.singleShot(150, pause.quit)
        pause.exec()
    typed = editor.model.answers["concern_details"]
    assert len(saves) >= 4, f"{len(saves)} saves in 5 s of typing"
    stored = runner.run_sync(lambda: runner.store.referrals.get(referral.id)).answers.get("concern_details", "")
    assert typed.startswith(stored) and len(typed) - len(stored) <= 8  # under a second of keys unsaved


def test_the_count_agrees_with_the_check_on_spaces_and_line_breaks_around_the_text(open_editor, qtbot):
    """A paste with a line break after it, exactly at the limit, said "You have 1 character too many" while
    the section passed: the check leaves out the spaces and line breaks around an answer, the count did not."""
    editor = open_editor()
    index = editor._section_index("concerns")
    editor.go_to(index)
    row = editor.row_for("concern_details")
    edit, count = row.input.edit, row.input.count
    QGuiApplication.clipboard().setText("x" * 10_000 + "\n")
    edit.setFocus()
    QTest.keySequence(edit, "Ctrl+V")
    assert count.text() == "You have 0 characters remaining" and not count.over
    editor.go_to(editor._section_index("early_help"))
    assert "10000 characters or fewer" not in (row.error_text or "")
