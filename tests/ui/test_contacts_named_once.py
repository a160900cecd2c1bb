"""The screen with every contact and its hours has one name wherever the app points to it: the menu's.

Why: a purged referral's page said "Phone iART (see Who to call)" in three of its lines and "(View → Contacts
and hours)" in a fourth, while the screen's title bar said "Who to call" and its heading "Contacts, hours and
offices". Someone told to "see Who to call" finds no such item in the menus. Real SQLCipher store, the real
screens and the real main window's menus.
"""

from __future__ import annotations

import html
import re

import pytest
from PySide6.QtWidgets import QLabel, QMenu

from referral_desktop.ui.contacts_place import CONTACTS, CONTACTS_MENU_PATH
from referral_desktop.ui.main_window import MainWindow
from referral_desktop.ui.screens.contacts import ContactsScreen
from referral_desktop.ui.window_title import title_for
from tests.ui.conftest import create_store_now, real_store_available
from tests.ui.test_purged_refused_reply_documents import _purged_with_a_refused_reply
from tests.ui.test_purged_unsent_draft_reply import _purged_with_a_draft
from tests.ui.test_referral_detail import _open

pytestmark = pytest.mark.gui


def _plain(text: str) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", text).split()))


def test_the_menu_holds_the_screen_under_the_name_the_messages_use(qtbot, context):
    window = MainWindow(context)
    qtbot.addWidget(window)
    menu_name, action_name = CONTACTS_MENU_PATH.split(" → ")
    # The menus as the menu bar's children (PySide6 6.10's QAction.menu() handed back a wrapper whose menu
    # was already gone).
    menu = next(m for m in window.menuBar().findChildren(QMenu) if m.title().replace("&", "") == menu_name)
    assert action_name in [a.text().replace("&", "") for a in menu.actions()]
    assert action_name == CONTACTS
    screen = ContactsScreen(context)
    qtbot.addWidget(screen)
    assert title_for(screen) == CONTACTS  # the title bar and a screen reader's window list
    assert CONTACTS in [label.text() for label in screen.findChildren(QLabel)]  # the heading


@pytest.mark.skipif(not real_store_available(), reason="needs the real store")
@pytest.mark.parametrize("purged", [_purged_with_a_refused_reply, _purged_with_a_draft])
def test_a_purged_referrals_page_names_the_contacts_screen_as_the_menu_does(qtbot, context, purged):
    store = create_store_now(context)
    referral_id = context.runner.run_sync(lambda: purged(store))
    screen = _open(qtbot, context, referral_id)
    shown = [_plain(label.text()) for label in screen.findChildren(QLabel) if label.isVisibleTo(screen)]
    told = [text for text in shown if "phone iart" in text.casefold() or "phone them" in text]
    assert len(told) >= 2, shown  # the lines about what never reached iART, and the replies closed
    for text in told:
        assert f"({CONTACTS_MENU_PATH})" in text, text
    assert not any("Who to call" in text for text in shown)
