"""Drafts untouched for 90 days: offered for deletion on home, never deleted silently or unconfirmed.

Real SQLCipher store, a fixed clock (drafts are made with the clock set back, then it returns to
"now"), real widgets driven by pytest-qt.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QLabel, QMessageBox

from referral_desktop.ui.screens.home import HomeScreen
from referral_desktop.ui.screens.old_drafts import OldDraftsDialog
from referral_desktop.ui.screenshots import Clock
from tests.ui.conftest import FIXED_NOW, create_store_now, real_store_available
from tests.ui.test_accessibility import clipped_labels, doubled_font

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]


def _child(given: str, family: str) -> dict:
    return {"children": [{"given_names": given, "family_name": family}]}


@pytest.fixture
def old_drafts(context):
    """Two drafts last changed 100 and 95 days ago, one fresh draft, one old referral already sent."""
    clock = Clock(FIXED_NOW - timedelta(days=100))
    context.clock = clock
    store = create_store_now(context)

    def make() -> dict[str, str]:
        ids = {"oldest": store.referrals.create_draft("cwac-marf", "1.0.0", _child("Ada", "Lovelock")).id}
        sent = store.referrals.create_draft("cwac-marf", "1.0.0", _child("Zed", "Quill")).id
        store.referrals.freeze(sent, b"{}", "application/json")
        store.outbox.enqueue(sent)
        store.referrals.set_state(sent, "queued")
        clock.now += timedelta(days=5)
        ids["older"] = store.referrals.create_draft("cwac-marf", "1.0.0", _child("Ben", "Okafor")).id
        clock.now = FIXED_NOW - timedelta(days=10)
        ids["fresh"] = store.referrals.create_draft("cwac-marf", "1.0.0", _child("Cara", "Singh")).id
        ids["sent"] = sent
        clock.now = FIXED_NOW
        return ids

    ids = context.runner.run_sync(make)
    return store, ids


def _home(qtbot, context) -> HomeScreen:
    home = HomeScreen(context)
    qtbot.addWidget(home)
    home.resize(1240, 760)
    home.show()
    home.reload()
    context.runner.wait_idle()
    return home


def _remaining(context, store) -> set[str]:
    return {s.id for s in context.runner.run_sync(store.referrals.list_summaries)}


def _open_dialog(qtbot, home) -> OldDraftsDialog:
    qtbot.mouseClick(home.old_drafts_notice.review_button, Qt.MouseButton.LeftButton)
    dialog = home.old_drafts_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def test_notice_says_how_many_drafts_are_old_in_words(qtbot, context, old_drafts):
    home = _home(qtbot, context)
    notice = home.old_drafts_notice
    assert notice.isVisible()
    assert notice.text.text() == "2 drafts have not been changed for 90 days."
    assert notice.review_button.text() == "Review old drafts"
    assert notice.review_button.isVisible()


def test_no_notice_without_old_drafts(qtbot, context):
    clock = Clock(FIXED_NOW - timedelta(days=89))
    context.clock = clock
    store = create_store_now(context)
    context.runner.run_sync(lambda: store.referrals.create_draft("cwac-marf", "1.0.0", {}))
    clock.now = FIXED_NOW
    home = _home(qtbot, context)
    assert not home.old_drafts_notice.isVisible()


def test_dialog_lists_initials_and_dates_only_all_ticked(qtbot, context, old_drafts):
    store, ids = old_drafts
    home = _home(qtbot, context)
    dialog = _open_dialog(qtbot, home)
    assert [box.text() for box in dialog.checkboxes] == ["AL", "BO"]  # oldest first
    assert all(box.isChecked() for box in dialog.checkboxes)
    assert dialog.ticked_ids() == [ids["oldest"], ids["older"]]
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "16 August 2026" in texts and "21 August 2026" in texts  # created / last changed
    assert dialog.checkboxes[0].accessibleName() == "Draft for AL, created 16 August 2026, last changed 16 August 2026"
    shown = texts + " ".join(box.text() + box.accessibleName() for box in dialog.checkboxes)
    for name in ("Ada", "Lovelock", "Ben", "Okafor", "Cara", "Zed"):
        assert name not in shown


def test_nothing_is_deleted_without_confirmation_then_only_the_ticked_ones(qtbot, context, old_drafts):
    store, ids = old_drafts
    home = _home(qtbot, context)
    dialog = _open_dialog(qtbot, home)
    dialog.checkboxes[1].setChecked(False)  # keep Ben's draft
    assert dialog.delete_button.text() == "Delete the ticked draft"

    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    box = dialog.confirmation
    assert isinstance(box, QMessageBox)
    assert "This cannot be undone" in box.text()
    assert box.defaultButton().text() == "Cancel"
    box.defaultButton().click()  # Cancel
    context.runner.wait_idle()
    assert _remaining(context, store) == set(ids.values())

    qtbot.mouseClick(dialog.delete_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(dialog.deleted, timeout=5_000) as deleted:
        next(b for b in dialog.confirmation.buttons() if b.objectName() == "confirmDelete").click()
    assert deleted.args == [1]
    context.runner.wait_idle()
    assert _remaining(context, store) == {ids["older"], ids["fresh"], ids["sent"]}
    events = [e.event for e in context.runner.run_sync(store.audit.list, ids["oldest"])]
    assert events[-1] == "deleted"
    # The notice now counts the draft that was kept, and focus is not lost.
    assert home.old_drafts_notice.text.text() == "1 draft has not been changed for 90 days."
    assert home.old_drafts_dialog is None


def test_deleting_everything_reports_it_and_leaves_other_referrals(qtbot, context, old_drafts, announced):
    store, ids = old_drafts
    home = _home(qtbot, context)
    dialog = _open_dialog(qtbot, home)
    box = dialog.ask_to_delete()
    assert box.text() == "Delete 2 drafts? This cannot be undone."
    with qtbot.waitSignal(dialog.deleted, timeout=5_000):
        next(b for b in box.buttons() if b.objectName() == "confirmDelete").click()
    context.runner.wait_idle()
    assert _remaining(context, store) == {ids["fresh"], ids["sent"]}
    assert home.old_drafts_notice.text.text() == "2 old drafts deleted."
    assert "2 old drafts deleted." in announced  # heard: focus goes back to the list, which says nothing of it
    assert not home.old_drafts_notice.review_button.isVisible()
    assert home.focusWidget() is home.table  # focus not left on the hidden button


def test_a_draft_changed_meanwhile_is_not_deleted(qtbot, context, old_drafts):
    store, ids = old_drafts
    home = _home(qtbot, context)
    dialog = _open_dialog(qtbot, home)
    context.runner.run_sync(store.referrals.save_answers, ids["older"], _child("Ben", "Okafor-Smith"))
    box = dialog.ask_to_delete()
    with qtbot.waitSignal(dialog.deleted, timeout=5_000) as deleted:
        next(b for b in box.buttons() if b.objectName() == "confirmDelete").click()
    assert deleted.args == [1]
    context.runner.wait_idle()
    assert ids["older"] in _remaining(context, store)


def test_keep_them_hides_the_notice_until_the_next_unlock(qtbot, context, old_drafts):
    store, ids = old_drafts
    home = _home(qtbot, context)
    dialog = _open_dialog(qtbot, home)
    qtbot.mouseClick(dialog.keep_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert not home.old_drafts_notice.isVisible()
    home.reload()  # back to home later in the same session
    context.runner.wait_idle()
    assert not home.old_drafts_notice.isVisible()
    assert _remaining(context, store) == set(ids.values())  # never deleted silently
    # The next unlock builds a new home screen: offered again.
    again = _home(qtbot, context)
    assert again.old_drafts_notice.isVisible()


def test_keyboard_only(qtbot, context, old_drafts):
    store, ids = old_drafts
    home = _home(qtbot, context)
    home.activateWindow()
    button = home.old_drafts_notice.review_button
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    dialog = home.old_drafts_dialog
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.checkboxes[0])
    qtbot.keyClick(dialog.checkboxes[0], Qt.Key.Key_Space)  # untick the first
    assert not dialog.checkboxes[0].isChecked()
    qtbot.keyClick(dialog.checkboxes[0], Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.checkboxes[1]
    qtbot.keyClick(dialog.checkboxes[1], Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.delete_button
    qtbot.keyClick(dialog.delete_button, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.keep_button
    # Escape closes without deciding: nothing deleted, the notice stays, focus back on its button.
    qtbot.keyClick(dialog.keep_button, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert home.old_drafts_notice.isVisible()
    qtbot.waitUntil(lambda: home.focusWidget() is button)
    assert _remaining(context, store) == set(ids.values())
    # Accessible names: every control says what it is without sight of the layout.
    for widget in (*dialog.checkboxes, dialog.delete_button, dialog.keep_button):
        assert widget.accessibleName() or widget.text()


def test_lays_out_at_200_percent_text(qtbot, context, old_drafts):
    with doubled_font():
        home = _home(qtbot, context)
        assert home.old_drafts_notice.isVisible()
        assert clipped_labels(home) == []
        dialog = _open_dialog(qtbot, home)
        assert dialog.findChildren(QCheckBox)
        assert clipped_labels(dialog) == []
        for button in (dialog.delete_button, dialog.keep_button):
            assert button.width() >= button.sizeHint().width()


def test_at_200_percent_text_the_confirmation_s_icons_are_twice_as_large(qtbot, context, old_drafts):
    from tests.ui.home_on_laptop import app_text
    from tests.ui.test_message_box_icons import assert_icons_scaled

    with app_text(2.0):
        dialog = _open_dialog(qtbot, _home(qtbot, context))
        box = dialog.ask_to_delete()
        qtbot.waitExposed(box)
        assert_icons_scaled(box, 2.0)
        box.escapeButton().click()
