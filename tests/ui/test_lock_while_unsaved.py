"""The idle lock while the store refuses writes: the words typed since the last save are taken off the
screen (the lock's purpose) but not lost. The real window, the real SQLCipher store, the fault made as in
``test_save_fault_end_to_end`` (SQLite's own read-only error on the window's connection).

They are held in memory, never written anywhere but the store, saved as soon as the store takes them,
and given back to the editor if the draft is opened again first.
"""

from __future__ import annotations

import pytest

from referral_desktop.ui.screens.unlock import UnlockScreen
from referral_desktop.ui.window_navigation import is_editor_host
from tests.ui.conftest import PASSPHRASE, real_store_available
from tests.ui.test_main_window import _text_inputs
from tests.ui.test_save_fault_end_to_end import SENTINEL, _editing, _stored, _writes

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]


def _lock(qtbot, window) -> None:
    window.lock()
    qtbot.waitUntil(lambda: isinstance(window.current, UnlockScreen), timeout=5_000)
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # the editor's widgets, gone


def _unlock(qtbot, window) -> None:
    window.current.passphrase.setText(PASSPHRASE)
    window.current.unlock_button.click()
    qtbot.waitUntil(lambda: window.unlocked, timeout=10_000)


def test_words_taken_off_the_screen_by_the_lock_are_saved_when_the_fault_clears(qtbot, context, tmp_path):
    window, editor, edit, rid = _editing(qtbot, context, {"immediate_danger": "no"})
    _lock(qtbot, window)
    assert not any(SENTINEL in text for text in _text_inputs())  # off the screen: the lock's purpose
    assert _stored(context, rid)["referrer_role"] == "Teacher"
    context.held_answers._retry.setInterval(100)  # the app tries every 5 s; the test need not wait
    _writes(context, allowed=True)  # IT mends the folder while the app is locked
    qtbot.waitUntil(lambda: _stored(context, rid)["referrer_role"] == f"Teacher to {SENTINEL}", timeout=15_000)
    assert not _sentinel_in_files(tmp_path)
    window.close()


def test_a_draft_opened_again_before_the_fault_clears_shows_the_words_typed(qtbot, context):
    window, editor, edit, rid = _editing(qtbot, context, {"immediate_danger": "no"})
    _lock(qtbot, window)
    _unlock(qtbot, window)
    window.open_editor(rid)
    qtbot.waitUntil(lambda: is_editor_host(window.current) and window.current.editor is not None, timeout=10_000)
    reopened = window.current.editor
    reopened.autosaver._retry_ms = 300
    reopened.go_to(reopened._section_index("about_you"))
    assert reopened.row_for("referrer_role").input.edit.text() == f"Teacher to {SENTINEL}"
    _writes(context, allowed=True)
    qtbot.waitUntil(lambda: _stored(context, rid)["referrer_role"] == f"Teacher to {SENTINEL}", timeout=15_000)
    window.close()


def _sentinel_in_files(root) -> list[str]:
    """Files under the test's folders (profile, settings, logs) other than the encrypted store holding it."""
    found = []
    for path in root.rglob("*"):
        if path.is_file() and SENTINEL.encode() in path.read_bytes():
            found.append(str(path))
    return found


def test_answers_for_a_draft_that_is_gone_are_given_up_not_tried_for_ever(qtbot, context):
    from referral_desktop.ui.held_answers import HeldAnswers
    from tests.ui.conftest import create_store_now

    store = create_store_now(context)
    rid = str(context.runner.run_sync(lambda: store.referrals.create_draft("cwac-marf", "1.0.0", {})).id)
    context.runner.run_sync(lambda: store.referrals.delete_draft(rid))
    held = HeldAnswers(context.runner, retry_ms=50)
    held.hold(rid, {"referrer_role": SENTINEL})
    qtbot.waitUntil(lambda: rid not in held, timeout=5_000)


def test_closing_the_app_while_words_are_held_saves_them_or_asks_first(qtbot, context):
    window, editor, edit, rid = _editing(qtbot, context, {"immediate_danger": "no"})
    _lock(qtbot, window)
    window.close()  # the store still refuses them: asked, and the app stays open by default
    box = window.held_answers_dialog
    assert box.isVisible() and window.isVisible()
    assert box.defaultButton().text() == "Keep this app open"
    assert SENTINEL not in box.text()
    box.defaultButton().click()
    assert window.isVisible()
    _writes(context, allowed=True)
    window.close()  # now they are saved on the way out, and the app closes without asking
    assert not window.isVisible()
    assert _stored(context, rid)["referrer_role"] == f"Teacher to {SENTINEL}"
