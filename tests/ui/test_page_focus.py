"""Arriving on a page, keyboard focus is on its heading, not on the page itself.

Why: the window gives a new screen focus (``setFocus`` on it). A referral's page, the contacts page and the
privacy notice are containers with no name, so a screen reader said "filler" (the AT-SPI walk showed it) and
nothing of where the person had arrived. Focus on the heading reads it ("Referral for AL — Received by
iART"); Tab then goes to the page's first control, as before.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QLabel

from referral_desktop.ui.screens.contacts import ContactsScreen
from referral_desktop.ui.screens.privacy_notice import PrivacyNoticeScreen
from referral_desktop.ui.screens.referral_detail import ReferralDetailScreen
from tests.ui.conftest import create_store_now, real_store_available
from tests.ui.test_referral_detail import _received

pytestmark = pytest.mark.gui


def _arrive(qtbot, screen) -> None:
    """As the window does: the screen shown in an active window, then given focus."""
    qtbot.addWidget(screen)
    screen.resize(1000, 700)
    screen.show()
    screen.activateWindow()
    qtbot.waitUntil(screen.isActiveWindow, timeout=2_000)
    screen.setFocus()
    qtbot.wait(10)


def _heading_has_focus(screen, heading: str, first_control: str) -> None:
    focused = QApplication.focusWidget()
    assert isinstance(focused, QLabel) and focused.text() == heading, focused
    screen.focusNextChild()  # Tab
    assert QApplication.focusWidget().text() == first_control


@pytest.mark.skipif(not real_store_available(), reason="needs the real store")
def test_a_referrals_page_opens_on_its_heading(qtbot, context):
    store = create_store_now(context)
    referral_id = context.runner.run_sync(lambda: _received(store))
    screen = ReferralDetailScreen(context)
    _arrive(qtbot, screen)
    screen.load(referral_id)
    qtbot.waitUntil(lambda: "IART-2026-000123" in screen.summary.text(), timeout=5000)
    _heading_has_focus(screen, screen.title.text(), "Back to referrals")
    assert screen.title.text().endswith(" — Received by iART")  # loaded: what the heading read says


def test_the_contacts_page_opens_on_its_heading(qtbot, context):
    screen = ContactsScreen(context)
    _arrive(qtbot, screen)
    _heading_has_focus(screen, "Contacts and hours", "Back to referrals")


def test_the_privacy_notice_opens_on_its_heading(qtbot, context):
    screen = PrivacyNoticeScreen(context)
    _arrive(qtbot, screen)
    _heading_has_focus(screen, screen.title_label.text(), "Print or save as PDF…")
