"""What the confirmation page says while the API answers an error, hangs on a request and then answers, and
what "Send now" does: the real window, the real store, the real sender, the real sandbox over TLS.

Why: the page said "Referral saved and waiting to send ... The app will try again at 10:42am" all through
an attempt that was under way (a request hanging near its timeout), and "Send now" after a server error
did nothing: the referral sat out its own backoff (up to 15 minutes) while the indicator said "Trying
iART now…", then "Connected". Every title the page shows is recorded: never "Referral sent" before iART's
acknowledgement, and "Sending" only while the request is out.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from referral_desktop.policy import load_policy
from referral_desktop.sync.backoff import Backoff
from referral_desktop.ui.clock_warning import clock_warning
from referral_desktop.ui.screens.home import HomeScreen
from referral_desktop.ui.screens.sent_confirmation import SentConfirmationScreen
from referral_desktop.ui.sync_startup import start_sync
from tests.sync.sync_testing.e2e import SENTINEL, valid_answers, write_policy
from tests.ui.conftest import real_store_available, window_through_first_run

#: What the page says of a referral not acknowledged: true after a timeout too, when iART may hold it.
NOT_CONFIRMED = "It is stored encrypted on this computer. iART has not confirmed receiving it yet."

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]


def _first_run(qtbot, context, tmp_path, sandbox, clock=lambda: datetime.now(UTC), ca_bundle=None, timeout=10,
               **policy):
    """The real window through first run to home, with the real sender on the sandbox: (window, sync,
    the draft of valid answers with sentinels)."""
    policy_file = write_policy(tmp_path / "policy", sandbox, timeout=timeout, **policy)
    if ca_bundle is not None:
        policy_file.write_text(policy_file.read_text().replace(str(sandbox.ca_file), str(ca_bundle)))
    context.policy = load_policy(policy_file)
    context.clock = clock
    sync = start_sync(context)
    window, referral = window_through_first_run(qtbot, context, valid_answers())
    qtbot.waitUntil(lambda: context.sync_worker is not None, timeout=10_000)
    return window, sync, referral


def test_the_page_says_waiting_then_sending_then_sent_and_send_now_sends_now(qtbot, context, tmp_path, sandbox,
                                                                             announced, caplog):
    caplog.set_level(logging.DEBUG)  # every log line the app writes, searched for the sentinel
    window, sync, referral = _first_run(qtbot, context, tmp_path, sandbox)
    qtbot.waitUntil(lambda: window.home.connection.text().startswith("● Connected"), timeout=10_000)
    assert "clock" not in window.home.connection.text()  # a right clock: nothing said about it
    worker = context.sync_worker
    worker.backoff = Backoff(base_seconds=240)  # after the error, the next attempt is minutes away
    sandbox.set_faults([{"endpoint": "submit", "kind": "error", "status": 500, "times": 1}])

    window.send_referral(str(referral.id))
    qtbot.waitUntil(lambda: isinstance(window.current, SentConfirmationScreen), timeout=10_000)
    page = window.current
    titles: list[str] = []
    page.title_changed.connect(titles.append)
    # A 500 says an error came back (not "busy or down for maintenance", which only a 503 says).
    qtbot.waitUntil(lambda: "answered with an error instead of taking it" in page.next_text.text(), timeout=15_000)
    assert page.panel_title.text() == "Referral saved and waiting to send"
    assert page.panel_body.text() == NOT_CONFIRMED

    # The next request hangs for 6 s (within the 10 s timeout); Send now, as the home button does.
    sandbox.set_faults([{"endpoint": "submit", "kind": "latency", "latency_ms": 6000, "times": 1}])
    worker.send_now()
    qtbot.waitUntil(lambda: page.panel_title.text() == "Sending your referral to iART", timeout=8_000)
    assert "being sent to iART now" in page.next_text.text()
    assert "try again" not in page.next_text.text() and "answered with an error" not in page.next_text.text()
    qtbot.waitUntil(lambda: page.panel_title.text() == "Referral sent", timeout=15_000)
    assert titles.index("Referral sent") > titles.index("Sending your referral to iART")
    assert [t for t in titles if t == "Referral sent"] == ["Referral sent"]
    assert "IART" in page.panel_body.text()
    assert not any(SENTINEL in text for text in announced)
    assert [r["replays"] for r in sandbox.referrals() if r["referral_id"] == str(referral.id)] == [0]
    assert SENTINEL not in caplog.text and SENTINEL not in page.next_text.text()
    sync.stop()
    window.close()


def test_the_home_send_now_button_asks_the_sender_to_send_now_not_only_to_wake(qtbot, context):
    """The button calls the sender's ``send_now`` (every waiting referral due now), not the plain
    ``nudge`` that a network change uses (which keeps each referral's backoff after a server error)."""
    from tests.ui.conftest import create_store_now

    calls: list[str] = []

    class Sender:
        online = True

        def nudge(self):
            calls.append("nudge")

        def send_now(self):
            calls.append("send_now")

    create_store_now(context)
    context.sync_worker = Sender()
    home = HomeScreen(context)
    qtbot.addWidget(home)
    home.show()
    home.send_button.click()
    assert calls == ["send_now"]
    assert home.connection.text() == "Trying iART now…"


def test_a_clock_hours_out_is_said_under_the_connection_and_heard_once(qtbot, context, tmp_path, sandbox, announced):
    """This computer's clock three hours ahead (a wrong time zone): iART's health answer shows it, and
    home says so under the connection line, with what it affects and who mends it."""
    window, sync, _referral = _first_run(qtbot, context, tmp_path, sandbox,
                                         clock=lambda: datetime.now(UTC) + timedelta(hours=3))
    line = window.home.connection
    qtbot.waitUntil(lambda: "clock" in line.text(), timeout=10_000)
    warning = ("This computer's clock is about 3 hours ahead of iART's, so who to call now and the times "
               "shown may be wrong. Ask IT to set the date, time and time zone.")
    assert line.text().startswith("● Connected to iART") and line.text().endswith(f"⚠ {warning}")
    assert announced.count(warning) == 1
    sync.stop()
    window.close()


def test_how_far_out_the_clock_is_in_words():
    assert clock_warning(None) == "" and clock_warning(300) == "" and clock_warning(-299) == ""
    assert clock_warning(-720).startswith("This computer's clock is 12 minutes behind iART's")
    assert clock_warning(3 * 3600 + 600).startswith("This computer's clock is about 3 hours ahead of")
    assert clock_warning(-3 * 86400).startswith("This computer's clock is about 3 days behind")


@pytest.mark.parametrize("fault", ["pin", "authority"])
def test_a_certificate_refused_tells_the_professional_it_is_safe_and_it_what_to_check(
        qtbot, context, tmp_path, sandbox, announced, fault):
    """A pin that does not match the server's key, or a server certificate from an authority the policy
    does not trust: the page says the referral is safe and waiting and IT must act, and tells IT what to
    check (the policy setting, as doctor words it) and where to see every check."""
    import base64

    import trustme

    if fault == "pin":
        setting = {"certificate_pins": ["sha256/" + base64.b64encode(bytes(range(32))).decode()]}
        check = "not one of the keys pinned in the policy setting certificate_pins"
    else:
        other = tmp_path / "other-ca.pem"
        trustme.CA().cert_pem.write_to_path(str(other))
        setting = {"ca_bundle": other}
        check = "a certificate from an authority this computer does not trust"
    window, sync, referral = _first_run(qtbot, context, tmp_path, sandbox, **setting)
    window.send_referral(str(referral.id))
    qtbot.waitUntil(lambda: isinstance(window.current, SentConfirmationScreen), timeout=10_000)
    page = window.current
    qtbot.waitUntil(lambda: page.panel_title.text() == "Cannot send: IT must check", timeout=15_000)
    qtbot.waitUntil(lambda: "For IT:" in page.next_text.text(), timeout=10_000)
    text = page.next_text.text()
    assert page.panel_body.text() == NOT_CONFIRMED
    assert "It stays safely on this computer until then" in text and "You do not need to send it again" in text
    assert check in text and "referral-desktop doctor" in text
    assert not any(SENTINEL in said for said in announced) and SENTINEL not in text
    assert sandbox.referrals() == []  # nothing reached iART
    sync.stop()
    window.close()


def test_an_answer_lost_after_iart_took_it_is_not_called_not_reached(qtbot, context, tmp_path, sandbox):
    """iART takes the referral but its answer comes after the 2 s timeout: the page must not say the
    referral has not reached iART (it has); Send now then gets the same reference, held once."""
    window, sync, referral = _first_run(qtbot, context, tmp_path, sandbox, timeout=2)
    context.sync_worker.backoff = Backoff(base_seconds=240)
    sandbox.set_faults([{"endpoint": "submit", "kind": "slow_answer", "latency_ms": 4000, "times": 1}])
    window.send_referral(str(referral.id))
    qtbot.waitUntil(lambda: isinstance(window.current, SentConfirmationScreen), timeout=10_000)
    page = window.current
    qtbot.waitUntil(lambda: "did not answer in time" in page.next_text.text(), timeout=15_000)
    assert [r["referral_id"] for r in sandbox.referrals()] == [str(referral.id)]  # iART holds it
    assert page.panel_title.text() == "Referral saved and waiting to send"
    assert page.panel_body.text() == NOT_CONFIRMED
    context.sync_worker.send_now()
    qtbot.waitUntil(lambda: page.panel_title.text() == "Referral sent", timeout=15_000)
    assert [r["replays"] for r in sandbox.referrals()] == [1]  # the same referral, answered again
    sync.stop()
    window.close()


def test_send_now_while_iart_asked_to_wait_says_so(qtbot, context, tmp_path, sandbox, monkeypatch):
    """iART answers 429 with Retry-After: Send now keeps that wait (tests/sync/test_send_now.py), and the
    line under it used to go back to a bare 'Connected to iART', as if the button had done nothing."""
    from referral_desktop.ui.screens import connection_indicator

    monkeypatch.setattr(connection_indicator, "SEND_NOW_PATIENCE_MS", 500)
    window, sync, referral = _first_run(qtbot, context, tmp_path, sandbox)
    sandbox.set_faults([{"endpoint": "submit", "kind": "rate_limited", "retry_after": 600, "times": 1}])
    window.send_referral(str(referral.id))
    qtbot.waitUntil(lambda: isinstance(window.current, SentConfirmationScreen), timeout=10_000)
    page = window.current
    qtbot.waitUntil(lambda: "asked the app to wait" in page.next_text.text(), timeout=15_000)
    page.back_button.click()
    qtbot.waitUntil(lambda: isinstance(window.current, HomeScreen), timeout=5_000)
    home = window.current
    home.send_button.click()
    assert home.connection.text() == "Trying iART now…"

    def says_iart_asked_to_wait() -> None:  # an assertion: at a timeout, the words it said instead
        said = home.connection.text()
        assert "iART asked the app to wait: the next try is at" in said, (said, home.connection.facts)

    qtbot.waitUntil(says_iart_asked_to_wait, timeout=10_000)
    assert home.connection.text().startswith("● Connected to iART")
    assert sandbox.referrals() == []
    sync.stop()
    window.close()
