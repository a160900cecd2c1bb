"""End to end against the real sandbox (a separate process over TLS on loopback): a valid referral is
queued from the shell, the background sender delivers it, and the home list shows it received."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from referral_desktop.bundled_data import forms_dir
from referral_desktop.policy import load_policy
from referral_desktop.ui.demo_sandbox import start_demo_sandbox
from referral_desktop.ui.screens.sent_confirmation import SentConfirmationScreen
from referral_desktop.ui.sync_startup import start_sync
from tests.ui.conftest import real_store_available, window_through_first_run

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]


def test_queued_referral_is_sent_and_shown_as_received(qtbot, context, tmp_path):
    pytest.importorskip("uvicorn")
    sandbox, policy_file = start_demo_sandbox(tmp_path / "demo")
    assert sandbox is not None, (tmp_path / "demo" / "sandbox-output.txt").read_text()
    try:
        context.policy = load_policy(policy_file)
        context.clock = lambda: datetime.now(UTC)
        sync = start_sync(context)
        answers = json.loads((forms_dir() / "examples" / "valid-route-a.json").read_text())["answers"]
        window, referral = window_through_first_run(qtbot, context, answers)
        qtbot.waitUntil(lambda: context.sync_worker is not None, timeout=10_000)
        qtbot.waitUntil(lambda: sync.network_watch is not None, timeout=5_000)  # with the sender, on the GUI thread
        window.send_referral(str(referral.id))
        # The confirmation page follows the sender: waiting, then sent with iART's reference.
        qtbot.waitUntil(lambda: isinstance(window.current, SentConfirmationScreen), timeout=10_000)
        confirmation = window.current
        qtbot.waitUntil(lambda: confirmation.panel_title.text() == "Referral sent", timeout=30_000)
        assert "IART" in confirmation.panel_body.text()
        assert "aim to decide by" in confirmation.next_text.text()
        assert "999" in confirmation.phone_text.text()
        confirmation.back_button.click()
        home = window.home

        def state_on_screen() -> str:
            rows = [r for r in home.model.rows if r.referral_id == str(referral.id)]
            return rows[0].state if rows else ""

        qtbot.waitUntil(lambda: state_on_screen() in ("received", "acknowledged"), timeout=30_000)
        assert [r.reference for r in home.model.rows if r.referral_id == str(referral.id)][0].startswith("IART")
        qtbot.waitUntil(lambda: "Connected" in home.connection.text(), timeout=10_000)
        sync.stop()
        window.close()
    finally:
        sandbox.stop()
