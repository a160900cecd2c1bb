"""Arriving on the confirmation page or the form, focus goes straight to a control or words that say
where the person is, never first to the unnamed page. The keyboard journey (tests/ui/atspi/journey_driver.py)
heard "filler", "filler" before "Back to your referrals" after Send referral, and "filler" before the
form's sections as it opened: the window gives the new screen focus, and a screen with no focus proxy takes
it itself. Real window, real store."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from referral_desktop.ui.main_window import MainWindow
from referral_desktop.ui.screens.editor_host import EditorHost
from referral_desktop.ui.screens.sent_confirmation import SentConfirmationScreen
from tests.ui.conftest import real_store_available
from tests.ui.test_main_window import _first_run

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]


def _unlocked_window(qtbot, context) -> MainWindow:
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=2_000)
    _first_run(qtbot, window)
    window.home.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.home.table, timeout=2_000)
    return window


def _focus_changes() -> list[object]:
    focused: list[object] = []
    QApplication.instance().focusChanged.connect(lambda _old, new: focused.append(new))
    return focused


def test_the_confirmation_page_takes_focus_on_its_button_not_the_page(qtbot, context):
    window = _unlocked_window(qtbot, context)

    def queued() -> str:
        store = context.runner.store
        referral = store.referrals.create_draft("cwac-marf", "1.0.0", {})
        store.referrals.freeze(referral.id, b"{}", "application/json")
        store.outbox.enqueue(referral.id)
        store.referrals.set_state(referral.id, "queued")
        return str(referral.id)

    referral_id = context.runner.run_sync(queued)
    focused = _focus_changes()
    window.show_confirmation(referral_id)
    screen = window.current
    assert isinstance(screen, SentConfirmationScreen)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is screen.back_button, timeout=5_000)
    qtbot.wait(50)
    assert [w for w in focused if w is not None] == [screen.back_button], focused


def test_opening_the_form_never_gives_focus_to_the_unnamed_host(qtbot, context):
    window = _unlocked_window(qtbot, context)
    referral_id = context.runner.run_sync(
        lambda: str(context.runner.store.referrals.create_draft("cwac-marf", "1.0.0", {}).id))
    focused = _focus_changes()
    window.open_editor(referral_id)
    host = window.current
    assert isinstance(host, EditorHost)
    qtbot.waitUntil(lambda: host.editor is not None and host.editor.isAncestorOf(QApplication.focusWidget()),
                    timeout=10_000)
    assert host not in focused, focused
    first = next(w for w in focused if w is not None)
    assert first.accessibleName() or getattr(first, "text", lambda: "")(), first


def test_opening_the_form_at_a_question_still_lands_on_that_question(qtbot, context):
    """A returned referral's "Fix" opens the form at the question: the words held while it opens never keep
    focus from it."""
    window = _unlocked_window(qtbot, context)
    referral_id = context.runner.run_sync(
        lambda: str(context.runner.store.referrals.create_draft("cwac-marf", "1.0.0", {}).id))
    focused = _focus_changes()
    window.open_editor(referral_id, "referrer_name")
    host = window.current
    qtbot.waitUntil(lambda: host.editor is not None and host.editor.isAncestorOf(QApplication.focusWidget()),
                    timeout=10_000)
    qtbot.wait(100)
    assert host not in focused, focused
    now = QApplication.focusWidget()
    assert now is not host.editor.step_list and "Your full name" == now.accessibleName(), now.accessibleName()
