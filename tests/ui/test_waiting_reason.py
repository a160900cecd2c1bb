"""Why a referral waits, in words: "try again" only after an attempt.

Why: a referral that had never been tried (queued, its turn not yet come, or offline from the start) was
said to be tried "again" on the confirmation page and its own page: "It is waiting for its turn to send.
The app will try again at 10:00am", as if an attempt had already failed.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from referral_desktop.ui.waiting_reason import waiting_text
from tests.ui.conftest import FIXED_NOW


def _entry(attempts: int, code: str | None = None, minutes: int = 0) -> SimpleNamespace:
    return SimpleNamespace(attempts=attempts, last_error_code=code,
                           next_attempt_at=FIXED_NOW + timedelta(minutes=minutes))


def test_a_referral_never_tried_is_sent_not_tried_again():
    assert waiting_text(_entry(0), True, FIXED_NOW) == (
        "It is waiting for its turn to send. The app will send it at 10am, by itself.")
    assert waiting_text(_entry(0, minutes=3), False, FIXED_NOW) == (
        "There is no connection to iART at the moment. The app will send it at 10:03am, by itself.")


def test_after_an_attempt_it_is_tried_again():
    assert waiting_text(_entry(1, "network", minutes=7), False, FIXED_NOW) == (
        "iART could not be reached (no connection to the internet or to iART's server). The app will try "
        "again at 10:07am, by itself.")
    # Tried, with no error kept (the attempt was cut short): still "again".
    assert "will try again at 10:05am" in waiting_text(_entry(2, minutes=5), True, FIXED_NOW)


def test_a_server_error_is_not_called_busy_or_maintenance():
    """A 500 (or a gateway's 502/504) says an error came back; only a 503 says busy or maintenance."""
    from referral_desktop.ui.waiting_reason import reason_text

    for code in ("http_500", "http_502", "http_504"):
        assert reason_text(code) == ("iART's server, or a network device on the way to it, answered with an error "
                                     "instead of taking it")
    assert reason_text("http_503") == "iART's server is busy or down for maintenance"
