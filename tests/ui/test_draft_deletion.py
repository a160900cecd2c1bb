"""A draft can be deleted from home (button, Delete key, context menu), only after a confirmation that
names the child's initials; Cancel is the default; anything sent cannot be deleted here. Real store."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from referral_desktop.ui.screens.home import HomeScreen
from referral_desktop.ui.screens.referral_table_model import ID_ROLE
from tests.ui.conftest import create_store_now, real_store_available

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]


@pytest.fixture
def drafts(context):
    store = create_store_now(context)

    def make() -> dict[str, str]:
        child = {"children": [{"given_names": "Ada", "family_name": "Lovelock"}]}
        ids = {"draft": store.referrals.create_draft("cwac-marf", "1.0.0", child).id}
        sent = store.referrals.create_draft("cwac-marf", "1.0.0", {"children": [{"given_names": "Zed",
                                                                                 "family_name": "Quill"}]}).id
        store.referrals.freeze(sent, b"{}", "application/json")
        store.outbox.enqueue(sent)
        store.referrals.set_state(sent, "queued")
        ids["sent"] = sent
        return ids

    return store, context.runner.run_sync(make)


def _home(qtbot, context) -> HomeScreen:
    home = HomeScreen(context)
    qtbot.addWidget(home)
    home.resize(1240, 760)
    home.show()
    home.reload()
    context.runner.wait_idle()
    qtbot.waitUntil(lambda: home.proxy.rowCount() == 2)
    return home


def _select(home, referral_id):
    for row in range(home.proxy.rowCount()):
        if home.proxy.index(row, 0).data(ID_ROLE) == referral_id:
            home.table.selectRow(row)
            return
    raise AssertionError("row not found")


def _ids(context, store) -> set[str]:
    return {s.id for s in context.runner.run_sync(store.referrals.list_summaries)}


def test_delete_key_asks_naming_the_initials_and_cancel_keeps_the_draft(qtbot, context, drafts):
    store, ids = drafts
    home = _home(qtbot, context)
    _select(home, ids["draft"])
    home.table.setFocus()
    QTest.keyClick(home.table, Qt.Key.Key_Delete)
    box = home.draft_deleter.confirmation
    assert isinstance(box, QMessageBox)
    assert "the draft referral for AL" in box.text() and "cannot be undone" in box.text()
    assert "Ada" not in box.text() and "Lovelock" not in box.text()
    assert box.defaultButton().objectName() != "confirmDelete"  # Enter alone never deletes
    box.escapeButton().click()
    context.runner.wait_idle()
    assert _ids(context, store) == {ids["draft"], ids["sent"]}


def test_the_button_deletes_the_draft_after_confirmation(qtbot, context, drafts):
    store, ids = drafts
    home = _home(qtbot, context)
    _select(home, ids["draft"])
    assert home.draft_deleter.button.isEnabled()
    home.draft_deleter.button.click()
    box = home.draft_deleter.confirmation
    with qtbot.waitSignal(home.loaded, timeout=5000):
        box.findChild(type(box.escapeButton()), "confirmDelete").click()
    assert _ids(context, store) == {ids["sent"]}
    assert home.proxy.rowCount() == 1


def test_a_sent_referral_cannot_be_deleted_and_the_menu_says_so(qtbot, context, drafts):
    _store, ids = drafts
    home = _home(qtbot, context)
    _select(home, ids["sent"])
    assert not home.draft_deleter.button.isEnabled()
    assert home.draft_deleter.ask() is None
    rect = home.table.visualRect(home.table.selectionModel().selectedRows()[0])
    home.draft_deleter._menu(rect.center())
    [action] = home.draft_deleter.menu.actions()
    assert action.text() == "Delete draft…" and not action.isEnabled()
    home.draft_deleter.menu.close()
    _select(home, ids["draft"])
    rect = home.table.visualRect(home.table.selectionModel().selectedRows()[0])
    home.draft_deleter._menu(rect.center())
    [action] = home.draft_deleter.menu.actions()
    assert action.isEnabled()
    home.draft_deleter.menu.close()


def test_a_deletion_and_a_failed_one_are_heard(qtbot, context, drafts, announced, monkeypatch):
    """Focus goes back to the list after a deletion: a screen reader said "Referrals, table" and nothing of
    whether the draft had gone, and a failure was only written in the list's count line. Both are announced
    (the failure assertively), without the child's initials."""
    store, ids = drafts
    home = _home(qtbot, context)
    _select(home, ids["draft"])
    home.draft_deleter.button.click()
    box = home.draft_deleter.confirmation
    with qtbot.waitSignal(home.loaded, timeout=5000):
        box.findChild(type(box.escapeButton()), "confirmDelete").click()
    assert "Draft deleted." in announced

    monkeypatch.setattr(type(store.referrals), "delete_draft", lambda self, rid: (_ for _ in ()).throw(OSError()))
    context.runner.run_sync(lambda: store.referrals.create_draft("cwac-marf", "1.0.0", {}))
    home.reload()
    context.runner.wait_idle()
    qtbot.waitUntil(lambda: home.proxy.rowCount() == 2)
    _select(home, next(i for i in _ids(context, store) if i != ids["sent"]))
    home.draft_deleter.button.click()
    box = home.draft_deleter.confirmation
    box.findChild(type(box.escapeButton()), "confirmDelete").click()
    context.runner.wait_idle()
    qtbot.waitUntil(lambda: "could not be deleted" in home.count_label.text(), timeout=5000)
    assert "Error: the draft could not be deleted. Try again." in announced
    assert not [text for text in announced if "AL" in text or "Ada" in text]


def test_at_200_percent_text_the_confirmation_s_icons_are_twice_as_large(qtbot, context, drafts):
    from tests.ui.home_on_laptop import app_text
    from tests.ui.test_message_box_icons import assert_icons_scaled

    _store, ids = drafts
    with app_text(2.0):
        home = _home(qtbot, context)
        _select(home, ids["draft"])
        home.table.setFocus()
        QTest.keyClick(home.table, Qt.Key.Key_Delete)
        box = home.draft_deleter.confirmation
        qtbot.waitExposed(box)
        assert_icons_scaled(box, 2.0)
        box.escapeButton().click()


def test_a_draft_without_a_name_is_asked_about_as_such_whatever_the_list_shows_for_no_name(
        qtbot, context, monkeypatch):
    """The confirmation decides "no child's name yet" by the list's own no-name mark (``NO_NAME_SHOWN``), not
    by a copy of it: with a copy, a changed mark would have it ask about "the draft referral for —"."""
    from referral_desktop.ui.screens import referral_table_model

    monkeypatch.setattr(referral_table_model, "NO_NAME_SHOWN", "(no name)")
    store = create_store_now(context)
    nameless = context.runner.run_sync(lambda: store.referrals.create_draft("cwac-marf", "1.0.0", {}).id)
    home = HomeScreen(context)
    qtbot.addWidget(home)
    home.show()
    home.reload()
    qtbot.waitUntil(lambda: home.proxy.rowCount() == 1)
    _select(home, nameless)
    box = home.draft_deleter.ask()
    assert box is not None
    assert "Delete this draft referral (no child's name yet)" in box.text()
    assert "(no name)" not in box.text()
    box.escapeButton().click()
