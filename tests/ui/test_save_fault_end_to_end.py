"""The store stops taking writes while a draft is being typed: the real window, the real SQLCipher store.

How the fault is made: ``PRAGMA query_only`` on the window's own store connection, so each save meets
SQLite's own ``SQLITE_READONLY`` ("attempt to write a readonly database"), as on a profile that became
read-only under the app; the background sender's connection is untouched. Clearing it is IT mending the
folder. (A disk really full is ``tests/store/test_full_disk.py``; its sentence is tested in
``tests/ui/editor/test_autosave.py``.)

What a person must see and hear: at once, that the changes are not saved, as an error; the words kept
on screen; no way out of the page that drops them without asking (Back to referrals, closing the window);
no referral sent that is not the one on screen; and the words saved once the fault clears, untyped.
"""

from __future__ import annotations

import json
import logging

import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from referral_desktop.bundled_data import forms_dir
from referral_desktop.ui.main_window import MainWindow
from referral_desktop.ui.screens.home import HomeScreen
from referral_desktop.ui.screens.unlock import UnlockScreen
from referral_desktop.ui.window_navigation import is_editor_host
from tests.ui.conftest import PASSPHRASE, real_store_available, shown_window_creating_its_store

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]

SENTINEL = "Zebulon Quartermaine"  # typed into an answer: never in what is said, only in the store


def _unlocked_window(qtbot, context) -> MainWindow:
    window = shown_window_creating_its_store(qtbot, context)
    qtbot.waitUntil(lambda: context.runner.store is not None, timeout=10_000)
    window.unlocked = True  # past first run: the profile form is not what these tests are about
    window.lock()
    qtbot.waitUntil(lambda: isinstance(window.current, UnlockScreen), timeout=5_000)
    window.current.passphrase.setText(PASSPHRASE)
    window.current.unlock_button.click()
    qtbot.waitUntil(lambda: isinstance(window.current, HomeScreen), timeout=10_000)
    return window


def _writes(context, allowed: bool) -> None:
    store = context.runner.store
    context.runner.run_sync(lambda: store._conn.execute(f"PRAGMA query_only = {0 if allowed else 1}"))


def _stored(context, referral_id: str) -> dict:
    store = context.runner.store
    return context.runner.run_sync(lambda: store.referrals.get(referral_id).answers)


def _editing(qtbot, context, answers: dict):
    """The window, with a draft of ``answers`` open on "About you", its role typed and saved; then the
    fault, and the sentinel typed after it."""
    window = _unlocked_window(qtbot, context)
    store = context.runner.store
    rid = str(context.runner.run_sync(lambda: store.referrals.create_draft("cwac-marf", "1.0.0", answers)).id)
    window.open_editor(rid)
    qtbot.waitUntil(lambda: is_editor_host(window.current) and window.current.editor is not None, timeout=10_000)
    editor = window.current.editor
    editor.autosaver._retry_ms = 300  # the app tries again every 5 s; the tests need not wait that long
    editor.go_to(editor._section_index("about_you"))
    edit = editor.row_for("referrer_role").input.edit
    edit.setFocus()
    edit.selectAll()
    QTest.keyClicks(edit, "Teacher")
    qtbot.waitUntil(lambda: editor.saved_label.text().startswith("Saved"), timeout=5_000)
    _writes(context, allowed=False)
    QTest.keyClicks(edit, f" to {SENTINEL}")
    qtbot.waitUntil(lambda: editor.saved_label.text().startswith("Not saved"), timeout=5_000)
    return window, editor, edit, rid


def _dialog(editor) -> QMessageBox:
    box = editor.unsaved.dialog
    assert box is not None and box.isVisible()
    return box


def test_a_failed_save_is_an_error_at_once_and_the_words_are_saved_when_the_fault_clears(qtbot, context, announced,
                                                                                          caplog):
    caplog.set_level(logging.DEBUG)  # every log line the app writes, searched for the sentinel
    window, editor, edit, rid = _editing(qtbot, context, {"immediate_danger": "no"})
    label = editor.saved_label
    assert label.text() == ("Not saved: this computer could not write your latest changes. "
                            "They are kept on this screen and saving is tried again.")
    assert label.property("role") == "error"  # bold, in the error colour (the style sheet's rule)
    assert announced.count(label.text()) == 1  # heard once, though each retry fails again
    assert edit.text() == f"Teacher to {SENTINEL}"
    assert _stored(context, rid)["referrer_role"] == "Teacher"

    _writes(context, allowed=True)  # IT mends the folder; nobody types anything
    qtbot.waitUntil(lambda: label.text().startswith("Saved"), timeout=8_000)
    assert label.property("role") != "error"
    assert announced[-1].startswith("Saved")
    assert _stored(context, rid)["referrer_role"] == f"Teacher to {SENTINEL}"
    assert not any(SENTINEL in text for text in announced)
    assert "autosave failed (OperationalError)" in caplog.text and SENTINEL not in caplog.text
    window.close()


def test_back_to_referrals_while_unsaved_asks_and_keeps_the_page_by_default(qtbot, context, announced):
    window, editor, edit, rid = _editing(qtbot, context, {"immediate_danger": "no"})
    host = window.current
    editor.close_button.click()
    box = _dialog(editor)
    assert window.current is host and edit.text() == f"Teacher to {SENTINEL}"
    assert box.windowTitle() == "Your latest changes are not saved"
    assert "changes made since the last save are lost" in box.text()
    assert box.defaultButton().text() == "Keep this page open" and box.escapeButton() is box.defaultButton()
    assert SENTINEL not in box.text()
    box.defaultButton().click()
    assert window.current is host

    _writes(context, allowed=True)
    qtbot.waitUntil(lambda: editor.saved_label.text().startswith("Saved"), timeout=8_000)
    editor.close_button.click()  # saved now: back at once, nothing asked
    qtbot.waitUntil(lambda: isinstance(window.current, HomeScreen), timeout=5_000)
    assert _stored(context, rid)["referrer_role"] == f"Teacher to {SENTINEL}"
    window.close()


def test_leaving_anyway_is_the_persons_choice(qtbot, context):
    window, editor, _edit, rid = _editing(qtbot, context, {"immediate_danger": "no"})
    editor.close_button.click()
    box = _dialog(editor)
    box.findChild(type(box.defaultButton()), "loseChanges").click()
    qtbot.waitUntil(lambda: isinstance(window.current, HomeScreen), timeout=5_000)
    _writes(context, allowed=True)
    assert _stored(context, rid)["referrer_role"] == "Teacher"
    window.close()


def test_closing_the_window_while_unsaved_asks_first(qtbot, context):
    window, editor, edit, rid = _editing(qtbot, context, {"immediate_danger": "no"})
    assert window.close() is False
    assert window.isVisible() and edit.text() == f"Teacher to {SENTINEL}"
    box = _dialog(editor)
    assert box.windowTitle() == "Close Referral Desktop without your latest changes?"
    assert box.defaultButton().text() == "Keep this page open"
    box.defaultButton().click()
    assert window.isVisible()

    assert window.close() is False  # asked again, not closed behind the question
    box = _dialog(editor)
    box.findChild(type(box.defaultButton()), "loseChanges").click()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5_000)


def test_send_while_unsaved_sends_nothing_and_says_why(qtbot, context, announced):
    answers = json.loads((forms_dir() / "examples" / "valid-route-a.json").read_text())["answers"]
    window, editor, edit, rid = _editing(qtbot, context, answers)
    editor.request_send()
    box = _dialog(editor)
    assert box.windowTitle() == "Not sent"
    assert box.text().startswith("Nothing was sent: your latest changes are not saved")
    assert SENTINEL not in box.text()
    box.defaultButton().click()
    context.runner.wait_idle()
    assert context.runner.run_sync(lambda: context.runner.store.referrals.get(rid).state.value) == "draft"
    assert not editor.read_only and edit.text() == f"Teacher to {SENTINEL}"

    _writes(context, allowed=True)
    qtbot.waitUntil(lambda: editor.saved_label.text().startswith("Saved"), timeout=8_000)
    editor.request_send()  # saved now: the referral on screen is the one queued
    qtbot.waitUntil(lambda: context.runner.run_sync(
        lambda: context.runner.store.referrals.get(rid).state.value) != "draft", timeout=10_000)
    assert _stored(context, rid)["referrer_role"] == f"Teacher to {SENTINEL}"
    window.close()


@pytest.mark.qt_no_exception_capture
@pytest.mark.parametrize("saves", ["working", "refused"])
def test_close_the_app_after_an_unexpected_error_saves_first_or_asks(qtbot, context, monkeypatch, saves):
    """'Something went wrong … nothing you entered has been lost' → 'Close the app' ended the event loop at
    once: the editor's save on close never ran, so the last words typed were lost, and with saves refused
    nothing asked. It now closes the windows first, as their close button does."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from referral_desktop.ui.excepthook import ErrorReporter

    window, editor, edit, rid = _editing(qtbot, context, {"immediate_danger": "no"})
    if saves == "working":
        _writes(context, allowed=True)
        qtbot.waitUntil(lambda: editor.saved_label.text().startswith("Saved"), timeout=8_000)
        QTest.keyClicks(edit, " again")  # within the autosave's pause
    app = QApplication.instance()
    exits: list[int] = []
    monkeypatch.setattr(app, "exit", lambda code=0: exits.append(code))
    reporter = ErrorReporter(app).install()
    try:
        def broken_slot() -> None:
            raise RuntimeError("unexpected")

        QTimer.singleShot(0, broken_slot)
        qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible(), timeout=5_000)
        reporter.dialog.button(QMessageBox.StandardButton.Close).click()
    finally:
        reporter.uninstall()
    if saves == "working":
        assert exits == [70] and not window.isVisible()
        assert _stored(context, rid)["referrer_role"] == f"Teacher to {SENTINEL} again"
    else:
        assert exits == [] and window.isVisible()
        assert _dialog(editor).windowTitle() == "Close Referral Desktop without your latest changes?"
        editor.unsaved.dialog.defaultButton().click()  # keep the page open
        _writes(context, allowed=True)
        assert window.close() is True  # saved now: it closes without asking
        assert _stored(context, rid)["referrer_role"] == f"Teacher to {SENTINEL}"


def test_the_error_window_does_not_say_nothing_was_lost():
    """It said 'nothing you entered has been lost', untrue while the store refuses the answers; it says
    what is true in every case."""
    from referral_desktop.ui.excepthook import MESSAGE

    text = MESSAGE.format(kind="RuntimeError")
    assert "has been lost" not in text
    assert "if a page could not save them, it says so and keeps them on screen" in text
