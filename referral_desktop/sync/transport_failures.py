"""What went wrong, in the app's terms: requests, urllib3 and ssl exceptions mapped onto
:mod:`referral_desktop.sync.errors` classes with human messages.

The cause a user or IT can act on is often buried several exceptions deep (a ``ConnectionError`` wrapping a
``MaxRetryError`` wrapping an ``SSLCertVerificationError``), so the whole chain is searched; the result
decides whether a referral is retried (a network problem) or held until IT acts (a TLS refusal).
"""

from __future__ import annotations

import http.client
import socket
import ssl
from collections.abc import Iterable

import requests
import urllib3

from referral_desktop.sync.errors import NetworkError, RequestTimedOut, TlsError, TlsProblem, TransportError


def _causes(exc: BaseException) -> Iterable[BaseException]:
    seen: set[int] = set()
    stack = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for nxt in (current.__cause__, current.__context__, getattr(current, "reason", None)):
            if isinstance(nxt, BaseException):
                stack.append(nxt)
        for arg in getattr(current, "args", ()):
            if isinstance(arg, BaseException):
                stack.append(arg)


# OpenSSL X509_V_ERR_* codes
_EXPIRED_CODES = {9, 10}  # not yet valid, has expired
_HOSTNAME_CODES = {62, 64}  # hostname mismatch, IP address mismatch


def _classify_verification(err: ssl.SSLCertVerificationError) -> TlsProblem:
    code = getattr(err, "verify_code", None)
    text = (getattr(err, "verify_message", "") or str(err)).lower()
    if code in _EXPIRED_CODES or "expired" in text or "not yet valid" in text:
        return TlsProblem.EXPIRED
    if code in _HOSTNAME_CODES or "hostname" in text or "ip address mismatch" in text:
        return TlsProblem.WRONG_HOST
    return TlsProblem.UNTRUSTED_CA


def translate_exception(exc: BaseException, host: str = "") -> TransportError:
    """Map a requests / urllib3 / ssl exception onto our classes (with a human message)."""
    for cause in _causes(exc):
        if isinstance(cause, TransportError):
            return cause
    for cause in _causes(exc):
        if isinstance(cause, ssl.SSLCertVerificationError):
            return TlsError(_classify_verification(cause), host, getattr(cause, "verify_message", ""))
    for cause in _causes(exc):
        if isinstance(cause, ssl.SSLError):
            text = str(cause).lower()
            if "certificate required" in text or "bad certificate" in text or "unknown ca" in text:
                return TlsError(TlsProblem.CLIENT_CERTIFICATE, host, text)
            if "protocol version" in text or "unsupported protocol" in text:
                return TlsError(TlsProblem.OLD_PROTOCOL, host, text)
            if isinstance(cause, (ssl.SSLEOFError, ssl.SSLZeroReturnError)):
                break  # connection dropped mid-handshake: a network problem, retry
            return TlsError(TlsProblem.HANDSHAKE, host, text)
    if isinstance(exc, requests.Timeout):
        return RequestTimedOut(f"The server {host or ''} did not answer in time.".replace("  ", " "))
    if isinstance(exc, requests.exceptions.ProxyError):
        return NetworkError("The proxy server refused or failed the connection.")
    return NetworkError(f"Could not reach the server {host}.".replace("  ", " ") if host else "Could not reach the server.")


_DROPS = (ssl.SSLEOFError, ssl.SSLZeroReturnError, ConnectionResetError, ConnectionAbortedError, BrokenPipeError,
          http.client.RemoteDisconnected)
_NEVER_CONNECTED = (urllib3.exceptions.NewConnectionError, urllib3.exceptions.ProxyError, socket.gaierror,
                    ConnectionRefusedError, TimeoutError, requests.Timeout)


def dropped_after_connecting(exc: BaseException) -> bool:
    """Whether the server accepted the connection and then closed or reset it (rather than the connection
    never being made, or timing out): the one case in which a refused client certificate can hide behind
    "could not reach" (see :mod:`~referral_desktop.sync.client_certificate_probe`)."""
    causes = list(_causes(exc))
    if any(isinstance(cause, _NEVER_CONNECTED) for cause in causes):
        return False
    return any(isinstance(cause, _DROPS) for cause in causes)
