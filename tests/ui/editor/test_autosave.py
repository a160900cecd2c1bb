"""Autosave: debounced, off the GUI thread, with a quiet indicator; flushed on close; survives a restart."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtTest import QTest

pytestmark = pytest.mark.gui


def test_typing_saves_once_after_a_quiet_moment_on_the_worker_thread(open_editor, recording_store, qtbot):
    editor = open_editor()
    editor.go_to(editor._section_index("about_you"))
    edit = editor.row_for("referrer_name").input.edit
    edit.setFocus()
    QTest.keyClicks(edit, "Alex Sample")
    assert recording_store.referrals.saves == []  # nothing yet: the timer waits for a pause
    qtbot.waitUntil(lambda: len(recording_store.referrals.saves) == 1, timeout=3000)
    QTest.qWait(600)
    assert len(recording_store.referrals.saves) == 1
    thread_id, answers = recording_store.referrals.saves[0]
    assert thread_id != threading.get_ident()
    assert answers["referrer_name"] == "Alex Sample"
    qtbot.waitUntil(lambda: editor.saved_label.text() == "Saved 10:42am")


def test_flush_saves_at_once_and_closing_the_editor_flushes(open_editor, recording_store, qtbot):
    editor = open_editor()
    editor.go_to(editor._section_index("about_you"))
    edit = editor.row_for("referrer_role").input.edit
    edit.setFocus()
    QTest.keyClicks(edit, "Teacher")
    assert editor.flush() is True
    assert recording_store.referrals.saves[-1][1]["referrer_role"] == "Teacher"
    QTest.keyClicks(edit, " of Year 4")
    editor.close()
    assert recording_store.referrals.saves[-1][1]["referrer_role"] == "Teacher of Year 4"


def test_closing_the_main_window_around_the_editor_flushes(qtbot, marf, runner, recording_store, new_referral):
    from PySide6.QtWidgets import QMainWindow

    from referral_desktop.ui.editor import EditorScreen

    window = QMainWindow()
    qtbot.addWidget(window)
    editor = EditorScreen(marf, new_referral(), runner)
    window.setCentralWidget(editor)
    window.show()
    qtbot.waitExposed(window)
    editor.row_for("immediate_danger").input.buttons["no"].click()
    window.close()
    assert recording_store.referrals.saves[-1][1] == {"immediate_danger": "no"}


def test_back_to_referrals_flushes_and_emits_closed(open_editor, recording_store, qtbot):
    editor = open_editor()
    editor.row_for("immediate_danger").input.buttons["yes"].click()
    with qtbot.waitSignal(editor.closed):
        editor.close_button.click()
    assert recording_store.referrals.saves[-1][1] == {"immediate_danger": "yes"}


def test_a_failed_save_says_so_and_tries_again(open_editor, recording_store, qtbot, monkeypatch):
    calls = []
    original = recording_store.referrals.save_answers

    def flaky(referral_id, answers):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("disk busy")
        return original(referral_id, answers)

    recording_store.referrals.save_answers = flaky
    editor = open_editor()
    editor.autosaver._retry_ms = 50
    editor.row_for("immediate_danger").input.buttons["no"].click()
    qtbot.waitUntil(lambda: editor.saved_label.text().startswith("Not saved: this computer could not write"), timeout=3000)
    qtbot.waitUntil(lambda: editor.saved_label.text().startswith("Saved"), timeout=3000)
    assert recording_store.referrals.saves[-1][1] == {"immediate_danger": "no"}


def _store_api():
    store = pytest.importorskip("referral_desktop.store")
    if not hasattr(store, "create_store"):
        pytest.skip("the SQLCipher store has not landed yet")
    return store


def test_answers_survive_an_app_restart_with_the_real_store(qtbot, marf, tmp_path):
    store_api = _store_api()
    from referral_desktop.ui.editor import EditorScreen
    from referral_desktop.ui.task_runner import StoreTaskRunner

    passphrase = "correct horse battery staple violet"
    profile = tmp_path / "profile"
    runner = StoreTaskRunner()
    runner.store = runner.run_sync(store_api.create_store, profile, passphrase)
    referral = runner.run_sync(lambda: runner.store.referrals.create_draft(marf.form_id, marf.version))
    editor = EditorScreen(marf, referral, runner)
    qtbot.addWidget(editor)
    editor.show()
    editor.go_to(editor._section_index("about_you"))
    edit = editor.row_for("referrer_name").input.edit
    edit.setFocus()
    QTest.keyClicks(edit, "Alex Sample")
    qtbot.waitUntil(lambda: editor.saved_label.text().startswith("Saved"), timeout=5000)
    editor.deleteLater()
    runner.shutdown()  # closes the store: the "app" has gone

    runner = StoreTaskRunner()
    runner.store = runner.run_sync(store_api.open_store, profile, passphrase)
    reopened = runner.run_sync(lambda: runner.store.referrals.get(referral.id))
    assert reopened.answers["referrer_name"] == "Alex Sample"
    editor = EditorScreen(marf, reopened, runner)
    qtbot.addWidget(editor)
    assert editor.row_for("referrer_name").input.edit.text() == "Alex Sample"
    runner.shutdown()


def test_a_full_disk_says_so_keeps_the_answers_and_saves_once_there_is_room(open_editor, recording_store, qtbot):
    from referral_desktop.store import DiskFull

    full = [True]
    original = recording_store.referrals.save_answers

    def on_a_full_disk(referral_id, answers):  # the store's own DiskFull, as its write() raises it
        if full[0]:
            raise DiskFull("/home/alex/.local/share/ReferralDesktop")
        return original(referral_id, answers)

    recording_store.referrals.save_answers = on_a_full_disk
    editor = open_editor()
    editor.autosaver._retry_ms = 50
    editor.row_for("immediate_danger").input.buttons["no"].click()
    qtbot.waitUntil(lambda: editor.saved_label.text().startswith("Not saved: the disk is full"), timeout=3000)
    assert "free space on /home/alex/.local/share/ReferralDesktop" in editor.saved_label.text()
    assert "kept on this screen" in editor.saved_label.text()
    # wrapped within the section column: the long sentence does not widen it and squeeze the questions
    assert editor.saved_label.wordWrap() and editor.saved_label.width() <= editor.step_list.maximumWidth()
    QTest.qWait(200)  # it keeps trying, and the answer stays on screen meanwhile
    assert editor.row_for("immediate_danger").input.buttons["no"].isChecked()
    full[0] = False
    qtbot.waitUntil(lambda: editor.saved_label.text().startswith("Saved"), timeout=3000)
    assert recording_store.referrals.saves[-1][1] == {"immediate_danger": "no"}
