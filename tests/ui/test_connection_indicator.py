"""The connection indicator says what is known: connected (last answer), offline (next retry), needs IT;
never "not checked yet" once the sender has answered; "Send now" offline says iART did not answer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest

from referral_desktop.ui.screens import connection_indicator
from referral_desktop.ui.screens.home import HomeScreen
from tests.ui.conftest import FIXED_NOW, create_store_now, real_store_available

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]


class Sender:
    """The sync worker's surface the home screen uses: ``online`` and ``nudge()``."""

    def __init__(self, online):
        self.online = online
        self.nudges = 0

    def nudge(self):
        self.nudges += 1


def _waiting(context, store, code="network", minutes=2):
    def make():
        referral = store.referrals.create_draft("cwac-marf", "1.0.0", {})
        store.referrals.freeze(referral.id, b"{}", "application/json")
        store.outbox.enqueue(referral.id)
        store.referrals.set_state(referral.id, "queued")
        store.outbox.mark(referral.id, state="retrying", attempts=1,
                          next_attempt_at=FIXED_NOW + timedelta(minutes=minutes), last_error_code=code)
        return referral.id

    return context.runner.run_sync(make)


def _home(qtbot, context) -> HomeScreen:
    home = HomeScreen(context)
    qtbot.addWidget(home)
    home.resize(1366, 700)
    home.show()
    home.reload()
    context.runner.wait_idle()
    qtbot.wait(10)
    context.runner.wait_idle()
    return home


def test_a_sender_that_already_answered_shows_connected_not_unchecked(qtbot, context):
    create_store_now(context)
    context.sync_worker = Sender(online=True)
    home = _home(qtbot, context)
    assert home.connection.text() == "● Connected to iART (last answer at 10am)"
    assert "not checked" not in home.connection.text()
    accessible = QAccessible.queryAccessibleInterface(home.connection)
    assert accessible.text(QAccessible.Text.Name) == home.connection.text()  # a screen reader hears the words


def test_offline_says_when_it_will_retry(qtbot, context):
    store = create_store_now(context)
    context.sync_worker = Sender(online=False)
    _waiting(context, store, minutes=2)
    home = _home(qtbot, context)
    qtbot.waitUntil(lambda: home.connection.text() == "○ Offline: will retry at 10:02am")


def test_a_certificate_failure_says_it_needs_it(qtbot, context):
    store = create_store_now(context)
    context.sync_worker = Sender(online=False)
    _waiting(context, store, code="tls")
    home = _home(qtbot, context)
    qtbot.waitUntil(lambda: "IT must check the certificate" in home.connection.text())
    assert home.connection.text().startswith("✕ Cannot send")


def test_send_now_offline_says_iart_did_not_answer_and_the_next_try(qtbot, context, monkeypatch):
    monkeypatch.setattr(connection_indicator, "SEND_NOW_PATIENCE_MS", 200)
    store = create_store_now(context)
    sender = Sender(online=False)
    context.sync_worker = sender
    _waiting(context, store, minutes=5)
    home = _home(qtbot, context)
    home.send_button.click()
    assert sender.nudges == 1
    assert home.connection.text() == "Trying iART now…"
    qtbot.waitUntil(lambda: "did not answer" in home.connection.text(), timeout=3000)
    qtbot.waitUntil(lambda: home.connection.text() == "○ iART did not answer. Offline: will retry at 10:05am")
    QTest.qWait(50)
    assert "Trying" not in home.connection.text()


def test_send_now_that_reaches_iart_says_connected(qtbot, context):
    create_store_now(context)
    context.sync_worker = Sender(online=False)
    home = _home(qtbot, context)
    home.send_button.click()
    context.sync_events.emit_connection(True)
    qtbot.waitUntil(lambda: home.connection.text().startswith("● Connected to iART"))


def test_a_tls13_server_refusing_the_client_certificate_says_it_needs_it(qtbot, context, tmp_path):
    """End to end: the real sender meets a TLS 1.3 server that requires a client certificate none is
    configured for (its alert is often lost to the reset behind it); home says IT must check the
    certificate, not "Offline"."""
    import trustme

    from referral_desktop.policy import load_policy
    from referral_desktop.sync.outbox_worker import OutboxWorker
    from referral_desktop.sync.queueing import queue_referral
    from tests.sync.sync_testing.e2e import valid_answers
    from tests.sync.sync_testing.servers import Reply, TestServer, server_tls_context

    ca = trustme.CA()
    server = TestServer(lambda _rec: Reply(200, b"{}"), server_tls_context(
        ca.issue_cert("127.0.0.1"), require_client_cert_from=trustme.CA(), tls13_only=True))
    try:
        ca.cert_pem.write_to_path(str(tmp_path / "ca.pem"))
        (tmp_path / "token").write_text("t0ken\n", encoding="utf-8")
        (tmp_path / "policy.toml").write_text(
            f'api_base_url = "{server.url}"\nca_bundle = "{tmp_path / "ca.pem"}"\n'
            f'bearer_token_file = "{tmp_path / "token"}"\nrequest_timeout_seconds = 2.0\n', encoding="utf-8")
        policy = load_policy(tmp_path / "policy.toml")
        store = create_store_now(context)

        def send_once():
            referral = store.referrals.create_draft("cwac-marf", "1.0.0", valid_answers())
            queue_referral(store, str(referral.id), policy, FIXED_NOW.date())
            worker = OutboxWorker.from_policy(store, policy)
            try:
                return worker.send_due()
            finally:
                worker.close()

        [result] = context.runner.run_sync(send_once)
        assert (result.error_code, result.needs_it) == ("tls", True)
    finally:
        server.close()
    context.sync_worker = Sender(online=False)
    home = _home(qtbot, context)
    qtbot.waitUntil(lambda: "IT must check the certificate" in home.connection.text())
    assert home.connection.text().startswith("✕ Cannot send") and "Offline" not in home.connection.text()
