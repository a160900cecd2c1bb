"""Why a referral is still waiting to send, and when the next attempt is, in words a professional uses.

Why: "Waiting to send" alone leaves people guessing whether to phone iART, resend or call IT. The outbox
keeps the last attempt's error code and the next attempt's time; this turns them into a sentence.
Codes that no retry will cure (a certificate, a refused client, a wrong address) say that IT must check
the computer's connection settings, because the professional cannot fix them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from referral_desktop.sync.errors import NEEDS_IT_CODES
from referral_desktop.ui.display_format import when_text

_REASONS = {
    "network": "iART could not be reached (no connection to the internet or to iART's server)",
    "timeout": "iART's server did not answer in time",
    "unavailable": "iART's server is busy or down for maintenance",
    "http_429": "iART's server asked the app to wait before sending again",
    "http_503": "iART's server is busy or down for maintenance",
    "tls": "Cannot send: IT must check the certificate of the connection to iART",
    "refused": "Cannot send: IT must check this computer's connection settings for iART",
    "not_authorised": "Cannot send: iART did not accept this computer's credentials; IT must check them",
    "wrong_address": (
        "Cannot send: something other than iART answered at the address this computer sends to; "
        "IT must check the connection settings (the API address or the proxy)"
    ),
}


#: A 5xx other than 503: what is known is that an error came back instead of iART's acknowledgement (a
#: gateway or proxy on the way answers 502 and 504 too).
_SERVER_ERROR = "iART's server, or a network device on the way to it, answered with an error instead of taking it"


def needs_it(code: str | None) -> bool:
    return bool(code) and (code in NEEDS_IT_CODES)


def reason_text(code: str | None) -> str:
    """Why the last attempt did not go through ("" before any attempt)."""
    if not code:
        return ""
    if code in _REASONS:
        return _REASONS[code]
    if code.startswith("http_5"):  # 500, 502, 504: an error, which says nothing of being busy or of maintenance
        return _SERVER_ERROR
    return "iART's server did not accept it this time"


#: While an attempt is under way: not "waiting", and not "sent" before iART's acknowledgement.
SENDING_NOW = "It is being sent to iART now; iART's reference shows here once iART has received it"


def waiting_text(entry: Any, online: bool | None, now: datetime, state: str | None = None) -> str:
    """One sentence for a referral in the outbox: why it is waiting and when it will be sent, or tried again
    once an attempt has been made; while an attempt is under way, that it is being sent (the last
    attempt's error and next time would say it waits for a try that is happening). ``state`` is the
    referral's (the sender marks the referral ``sending`` for the attempt; the outbox row stays due)."""
    if state == "sending":
        return f"{SENDING_NOW}."
    code = getattr(entry, "last_error_code", None) if entry is not None else None
    next_at: datetime | None = getattr(entry, "next_attempt_at", None) if entry is not None else None
    if needs_it(code):
        return f"{reason_text(code)}. It stays safely on this computer until then."
    why = reason_text(code) or ("There is no connection to iART at the moment" if online is False
                                 else "It is waiting for its turn to send")
    tried = bool(code) or bool(getattr(entry, "attempts", 0))  # "again" only after an attempt
    verb = "try again" if tried else "send it"
    when = f" The app will {verb} {when_text(max(next_at, now), now)}, by itself." if next_at else (
        " It will be sent by itself as soon as iART can be reached.")
    return f"{why}.{when}"


#: Where IT finds every connection check, whatever the screens could tell.
RUN_DOCTOR = "Running 'referral-desktop doctor' on this computer shows every connection check."


def for_it_text(worker: Any) -> str:
    """The line for IT under a referral that cannot be sent until IT acts: what to check, as ``doctor``
    words it, when the sender knows (its last health probe), and always where to look further."""
    detail = str(getattr(worker, "needs_it_detail", "") or "")
    return f"For IT: {detail} {RUN_DOCTOR}" if detail else f"For IT: {RUN_DOCTOR}"
