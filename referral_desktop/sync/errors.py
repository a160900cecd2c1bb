"""What can go wrong talking to the iART API, as exception classes whose messages a person can act on.

Messages name settings (``ca_bundle``, ``certificate_pins``), host names and status codes only — never
anything from a referral. Each class says whether trying again later can help, because the outbox
decides between "retry", "rejected" and "needs IT" from that alone.
"""

from __future__ import annotations

from enum import StrEnum


class TransportError(Exception):
    """Base class: the request did not produce a usable answer. ``retryable`` says if waiting helps;
    ``needs_it`` that a person must change this computer's settings (the item stays queued meanwhile)."""

    retryable: bool = True
    needs_it: bool = False
    code: str = "transport"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TransportRefused(TransportError):
    """The client refused to send at all (for example plain HTTP to another machine). Nothing left the
    machine; trying again will not help until the policy is changed."""

    retryable = False
    needs_it = True
    code = "refused"


class TlsProblem(StrEnum):
    UNTRUSTED_CA = "untrusted_ca"
    WRONG_HOST = "wrong_host"
    EXPIRED = "expired"
    PIN_MISMATCH = "pin_mismatch"
    CLIENT_CERTIFICATE = "client_certificate"
    CLIENT_CERTIFICATE_WANTED = "client_certificate_wanted"
    CLIENT_CERTIFICATE_SUSPECTED = "client_certificate_suspected"
    OLD_PROTOCOL = "old_protocol"
    HANDSHAKE = "handshake"


_TLS_MESSAGES = {
    TlsProblem.UNTRUSTED_CA: (
        "The server {host} presented a certificate from an authority this computer does not trust. "
        "Nothing was sent. If your organisation inspects secure traffic, IT must add its certificate "
        "to the system's trusted certificates or to the policy setting ca_bundle."
    ),
    TlsProblem.WRONG_HOST: (
        "The server's certificate is not valid for the name {host}. Nothing was sent. "
        "Check the policy setting api_base_url, or ask IT."
    ),
    TlsProblem.EXPIRED: (
        "The server {host} presented a certificate that has expired (or is not yet valid: check this "
        "computer's date and time). Nothing was sent."
    ),
    TlsProblem.PIN_MISMATCH: (
        "The server {host} presented a certificate whose key is not one of the keys pinned in the "
        "policy setting certificate_pins. Nothing was sent. Ask IT: the server's certificate may have "
        "changed, or the connection is being intercepted."
    ),
    TlsProblem.CLIENT_CERTIFICATE: (
        "The server {host} did not accept this computer's client certificate (policy settings "
        "client_cert and client_key). Nothing was sent. Ask IT."
    ),
    TlsProblem.CLIENT_CERTIFICATE_WANTED: (
        "The server {host} asks for a client certificate, and none is configured on this computer (policy "
        "settings client_cert and client_key). Nothing was sent. Ask IT."
    ),
    TlsProblem.CLIENT_CERTIFICATE_SUSPECTED: (
        "The server {host} asked for a client certificate, then closed the connection without saying why. "
        "That is what a server does when it refuses this computer's certificate, or wants one and none is "
        "configured (policy settings client_cert and client_key), so this is probably not a network outage; "
        "the server did not confirm it. The referral stays queued and is tried again. Ask IT to run "
        "'referral-desktop doctor'."
    ),
    TlsProblem.OLD_PROTOCOL: (
        "The server {host} offers only {protocol}, an old version of TLS that this app refuses: it needs "
        "TLS 1.2 or newer. Nothing was sent. Ask IT to have the server updated."
    ),
    TlsProblem.HANDSHAKE: (
        "A secure connection to {host} could not be set up. Nothing was sent. Ask IT to run "
        "'referral-desktop doctor'."
    ),
}


#: The same problems worded for IT, as ``doctor`` shows them: IT is the one running doctor, so these say
#: what to check rather than "ask IT to run doctor" (the messages above, for the professional's screens),
#: and speak of no referral, since doctor's probe carried none.
_TLS_CHECKS_FOR_IT = {
    TlsProblem.UNTRUSTED_CA: (
        "The server {host} presented a certificate from an authority this computer does not trust. If your "
        "organisation inspects secure traffic, add its certificate to the system's trusted certificates or "
        "to the policy setting ca_bundle; if not, check that api_base_url is the iART API's address and that "
        "nothing between this computer and the server intercepts the connection."
    ),
    TlsProblem.WRONG_HOST: (
        "The server's certificate is not valid for the name {host}. Check that the policy setting "
        "api_base_url uses the server name that its certificate is issued for."
    ),
    TlsProblem.EXPIRED: (
        "The server {host} presented a certificate that has expired or is not yet valid. Check this "
        "computer's date, time and time zone; if they are right, the server's certificate must be renewed "
        "by whoever runs the server."
    ),
    TlsProblem.PIN_MISMATCH: (
        "The server {host} presented a certificate whose key is not one of the keys pinned in the policy "
        "setting certificate_pins. Either the server's certificate has changed (then add its new key to "
        "certificate_pins) or the connection is being intercepted: find out which before changing the pins."
    ),
    TlsProblem.CLIENT_CERTIFICATE: (
        "The server {host} did not accept this computer's client certificate. Check the policy settings "
        "client_cert and client_key: that the files are this computer's certificate and its matching key, "
        "that the certificate has not expired, and that the iART service accepts it."
    ),
    TlsProblem.CLIENT_CERTIFICATE_WANTED: (
        "The server {host} asks for a client certificate, and none is configured on this computer. Set the "
        "policy settings client_cert and client_key to this computer's certificate and key."
    ),
    TlsProblem.CLIENT_CERTIFICATE_SUSPECTED: (
        "The server {host} asked for a client certificate, then closed the connection without saying why. "
        "That is what a server does when it refuses this computer's certificate, or wants one and none is "
        "configured, so this is probably not a network outage; the server did not confirm it. Check the "
        "policy settings client_cert and client_key: that they are set, that the certificate has not expired, "
        "and that the iART service accepts it."
    ),
    TlsProblem.OLD_PROTOCOL: (
        "The server {host} offers only {protocol}, an old version of TLS that this app refuses: it needs TLS "
        "1.2 or newer. The server, or a proxy between this computer and it that handles TLS itself, must be "
        "updated."
    ),
    TlsProblem.HANDSHAKE: (
        "A secure connection to {host} could not be set up. Check that the policy setting api_base_url gives "
        "the iART API's HTTPS address and port (a server at that port that does not speak TLS fails like "
        "this), and that no proxy or firewall between this computer and the server interferes with TLS."
    ),
}


class TlsError(TransportError):
    """The secure connection was refused by certificate checks: nothing was sent. Waiting rarely helps
    (a person must fix trust settings), so the outbox keeps the referral queued and reports it."""

    retryable = False
    needs_it = True
    code = "tls"

    def __init__(self, problem: TlsProblem, host: str, detail: str = "") -> None:
        self.problem = TlsProblem(problem)
        self.host = host
        self.detail = detail
        protocol = detail if self.problem is TlsProblem.OLD_PROTOCOL and detail.startswith("TLS") else "TLS 1.0 or 1.1"
        self._words = {"host": host or "the server", "protocol": protocol}
        super().__init__(_TLS_MESSAGES[self.problem].format(**self._words))

    @property
    def for_it(self) -> str:
        """The problem as ``doctor`` tells IT: what to check, and the TLS library's own reason when it gave
        one (a certificate or protocol error, never anything from a referral), which IT can look up."""
        text = _TLS_CHECKS_FOR_IT[self.problem].format(**self._words)
        reason = self.detail.split(" (_ssl.c:")[0].strip() if self.problem is not TlsProblem.OLD_PROTOCOL else ""
        return f"{text} (The TLS library said: {reason}.)" if reason else text


class NetworkError(TransportError):
    """No answer: no route, connection refused or reset, proxy failure, timeout. Retry later."""

    code = "network"


class RequestTimedOut(NetworkError):
    code = "timeout"


class ResponseTooLarge(TransportError):
    """The answer was bigger than any answer the contract allows: it was cut off and discarded."""

    code = "too_large"

    def __init__(self, limit: int) -> None:
        super().__init__(f"The server's answer was larger than {limit} bytes and was discarded.")
        self.limit = limit


class ServerUnavailable(TransportError):
    """The server answered but could not take the request now (5xx, 429, or an unexpected status).
    ``retry_after`` is the server's ``Retry-After`` in seconds, when it gave one."""

    code = "unavailable"

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after
        if status is not None:
            self.code = f"http_{status}"


class UnexpectedAnswer(TransportError):
    """Something answered, but not with the documented body — typically a captive portal or a proxy's
    login page answering ``200`` with HTML. Never taken for success; retry later."""

    code = "unexpected_answer"


class ReferralRejected(TransportError):
    """The server refused the referral's content (422, 409, 413). Retrying the same bytes cannot
    succeed: the referral goes back to the referrer with ``reasons`` as (answer path, message)."""

    retryable = False
    code = "rejected"

    def __init__(
        self, message: str, *, status: int, reasons: list[tuple[str, str]], problem_type: str = ""
    ) -> None:
        super().__init__(message)
        self.status = status
        self.reasons = reasons
        self.problem_type = problem_type
        self.code = f"rejected_{status}"


class NotAuthorised(TransportError):
    """401/403: this computer's credentials (bearer token, client certificate) were refused. The
    referral stays queued; IT must act."""

    retryable = False
    needs_it = True
    code = "not_authorised"

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status
        self.code = f"http_{status}"


class WrongAddress(TransportError):
    """A bare 404 or 405 (no problem document) where the iART API should be: a web server at a mistyped
    ``api_base_url``, or a proxy that does not know the route, answered instead of iART. Not iART's
    verdict (iART says "not found" with a problem document) and not an outage that waiting cures: the
    item stays queued, is tried again on the usual capped backoff, and IT must check the address."""

    retryable = False
    needs_it = True
    code = "wrong_address"

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status


#: The codes above whose items wait for IT rather than for time (the screens say who must act).
NEEDS_IT_CODES = frozenset({
    TlsError.code, TransportRefused.code, NotAuthorised.code, "http_401", "http_403", WrongAddress.code,
})
