"""A referral or a reply that met a bare 404 where iART should be (a mistyped address, a proxy that does
not know the route) says that IT must check the connection settings, on the home screen's connection
indicator and in the conversation, rather than "iART's server did not accept it this time"."""

from __future__ import annotations

import os
from datetime import timedelta
from types import SimpleNamespace

import pytest

from referral_desktop.ui.screens.conversation_panel import reply_state_text
from referral_desktop.ui.waiting_reason import waiting_text
from tests.ui.conftest import FIXED_NOW, create_store_now, real_store_available
from tests.ui.test_connection_indicator import Sender, _home, _waiting

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]


def test_the_home_screen_says_it_must_check_the_address(qtbot, context):
    store = create_store_now(context)
    context.sync_worker = Sender(online=True)
    _waiting(context, store, code="wrong_address")
    home = _home(qtbot, context)
    qtbot.waitUntil(lambda: home.connection.text().startswith("✕ Cannot send"))
    assert "IT must check the connection settings" in home.connection.text()
    if os.environ.get("SCREENSHOT_DIR"):  # to look at it: SCREENSHOT_DIR=/tmp/shots pytest ...
        home.grab().save(os.path.join(os.environ["SCREENSHOT_DIR"], "home-wrong-address.png"))


def test_a_reply_and_a_referral_waiting_on_a_wrong_address_say_it_needs_it():
    reply = SimpleNamespace(state="retrying", last_error_code="wrong_address",
                            next_attempt_at=FIXED_NOW + timedelta(minutes=5))
    assert reply_state_text(reply) == "Waiting to send — IT must check this computer's connection to iART"
    entry = SimpleNamespace(last_error_code="wrong_address", next_attempt_at=FIXED_NOW + timedelta(minutes=5))
    text = waiting_text(entry, True, FIXED_NOW)
    assert text.startswith("Cannot send: something other than iART answered")
    assert "did not accept it this time" not in text
