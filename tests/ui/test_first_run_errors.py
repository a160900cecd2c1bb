"""First run: errors found after a button was pressed are said and take focus to the field, and the rules
line under the passphrase never wipes an error out of its description (real widgets, the real SQLCipher
store; Enter in the second field with different passphrases is checked on the AT-SPI bus, in
tests/ui/atspi/test_screen_reader_walk.py)."""

from __future__ import annotations

import pytest

from referral_desktop.ui.screens.first_run import FirstRunScreen
from tests.ui.conftest import PASSPHRASE, real_store_available

pytestmark = pytest.mark.gui

PROFILE = {"referrer_name": "Alex Example", "referrer_role": "School nurse",
           "referrer_organisation": "Example Street Primary School", "referrer_telephone": "01244 977277",
           "referrer_email": "alex.example@example.org", "referrer_postcode": "CH1 1AA",
           "referrer_address": "1 Example Street\nChester"}


@pytest.fixture
def screen(qtbot, context):
    first = FirstRunScreen(context)
    qtbot.addWidget(first)
    first.show()
    first.activateWindow()
    qtbot.waitActive(first)  # focus is asserted
    return first


def test_the_rules_line_keeps_the_error_in_the_passphrases_description(qtbot, screen):
    qtbot.keyClicks(screen.passphrase, "short")
    screen.create_button.click()
    error = screen.passphrase_row.error.text()
    assert error and screen.passphrase.accessibleDescription().startswith(f"Error: {error}")
    qtbot.keyClicks(screen.passphrase, "er")  # the rules line is worked out again as the passphrase changes
    qtbot.wait(400)  # the rules line waits 150 ms after the last key
    assert screen.rules.text().startswith("Not yet")
    description = screen.passphrase.accessibleDescription()
    assert description.startswith(f"Error: {error}"), description  # still shown, so still carried
    assert description.endswith(screen.rules.text()), description


@pytest.mark.skipif(not real_store_available(), reason="needs the real SQLCipher store")
def test_the_stores_own_refusal_of_a_passphrase_is_said_in_the_field(qtbot, screen, announced, monkeypatch):
    monkeypatch.setattr(screen.gateway, "passphrase_problems", lambda _p: [])  # the screen's check let it by
    qtbot.keyClicks(screen.passphrase, "short")
    qtbot.keyClicks(screen.confirm, "short")
    screen.create_button.setFocus()
    screen.create_button.click()
    qtbot.waitUntil(lambda: bool(screen.passphrase_row.error.text()), timeout=10_000)
    error = screen.passphrase_row.error.text()
    assert screen.passphrase.hasFocus()
    assert any(error.rstrip(".") in text for text in announced), announced
    assert not any("short" in text for text in announced)  # the refusal, never what was typed
    assert screen.pages.currentIndex() == 0 and not (screen.context.profile_dir / "store.db").exists()


def test_details_that_could_not_be_saved_are_said_in_the_first_field(qtbot, screen, announced):
    """No store open (as when it was closed under the screen): saving fails after the button was pressed."""
    screen.pages.setCurrentIndex(1)
    screen.profile_form.set_values(PROFILE)
    screen.save_profile_button.setFocus()
    screen.save_profile_button.click()
    row = screen.profile_form.rows["referrer_name"]
    qtbot.waitUntil(lambda: bool(row.error.text()), timeout=10_000)
    assert screen.profile_form.inputs["referrer_name"].hasFocus()
    assert "Your details could not be saved. Try again." in announced, announced
    assert PASSPHRASE not in " ".join(announced)
