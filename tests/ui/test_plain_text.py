"""Text from the server, the form's data or the user is shown as plain text, never as HTML.

A 422 reason such as ``<b style='font-size:40px'>Phone 0800 …</b>`` was rendered as rich text on the field
(an ``<img>`` would even load a local file). Every QLabel showing such text must show it literally: either
it is a plain-text label, or (the app's own markup around it) the text is escaped.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QLabel

from tests.ui.conftest import create_store_now, real_store_available

pytestmark = pytest.mark.gui

HOSTILE = "<b style='font-size:40px'>Phone 0800 000 000</b><img src='file:///etc/hostname'>"


def assert_shown_literally(root) -> int:
    """Every label holding the hostile text shows it as text; returns how many labels held it."""
    holding = 0
    for label in root.findChildren(QLabel):
        text = label.text()
        if "<img" in text or "<b style" in text:
            holding += 1
            fmt = label.textFormat()
            plain = fmt == Qt.TextFormat.PlainText or (
                fmt == Qt.TextFormat.AutoText and not GuiQt.mightBeRichText(text))
            assert plain, f"{label.objectName() or type(label.parent()).__name__} renders server text as HTML"
        elif "&lt;img" in text:
            holding += 1  # escaped inside the app's own markup: shown literally
    return holding


@pytest.mark.skipif(not real_store_available(), reason="needs the real store")
def test_a_returned_referrals_reasons_on_the_detail_page(qtbot, context):
    from referral_desktop.ui.screens.referral_detail import ReferralDetailScreen

    store = create_store_now(context)

    def returned():
        referral = store.referrals.create_draft("cwac-marf", "1.0.0", {"immediate_danger": "no"})
        store.referrals.freeze(referral.id, b"payload", "application/json")
        store.outbox.enqueue(referral.id)
        store.referrals.set_state(referral.id, "sending")
        store.referrals.reject(referral.id, [("referrer_telephone", HOSTILE)])
        return str(referral.id)

    referral_id = context.runner.run_sync(returned)
    screen = ReferralDetailScreen(context)
    qtbot.addWidget(screen)
    screen.show()
    screen.load(referral_id)
    qtbot.waitUntil(lambda: any("Fix these answers" in lb.text() for lb in screen.findChildren(QLabel)),
                    timeout=5000)
    assert assert_shown_literally(screen) >= 1
