"""The one way this app opens connections to the iART API: a locked-down ``requests.Session``.

Why each rule is here (PRODUCT.md §5):

* HTTPS only; plain HTTP only to a loopback address (a local sandbox). Anything else is refused
  before a socket is opened.
* Certificate verification is always on, against the operating system's trust store (``system_trust``),
  so a corporate TLS-inspection root that IT installed on the machine works — plus an optional extra CA
  bundle from the policy (``ca_bundle``), which *adds* to the system store.
* ``REQUESTS_CA_BUNDLE`` / ``CURL_CA_BUNDLE`` are deliberately ignored (``session.trust_env = False``):
  in requests they *replace* the trust store, and trust is fixed by the machine and the policy, not by
  a user's environment. ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` likewise (``system_trust``). ``.netrc`` is
  ignored for the same reason (it could replace the bearer token).
  Proxy settings from the environment / operating system ARE honoured (resolved per request, with
  ``no_proxy``), unless the policy names a proxy; plain HTTP to loopback never goes through a proxy.
* Optional certificate pinning: SHA-256 of the server certificate's SubjectPublicKeyInfo, checked on
  the live connection right after the handshake and before a byte of the request is written; a
  mismatch closes the connection and raises :class:`TlsError` (``pin_mismatch``).
* Optional client certificate (mutual TLS), loaded into the same SSL context.
* Timeouts on every call (a default is applied when the caller gives none); redirects are never
  followed (an API call that redirects is a captive portal or a misconfiguration, not an answer).
* Response size limits: :func:`read_limited` streams a body and cuts it off at a limit.

The rules live in small modules, each with its reasons: :mod:`~referral_desktop.sync.allowed_urls` (which
addresses), :mod:`~referral_desktop.sync.secure_adapter` (trust, TLS version, client certificate),
:mod:`~referral_desktop.sync.certificate_pins`, :mod:`~referral_desktop.sync.transport_failures` (exceptions
into the app's errors) and :mod:`~referral_desktop.sync.transport_settings`; this module is the session that
puts them together, and the size-limited reading of an answer.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

import requests

from referral_desktop.policy import is_loopback_host
from referral_desktop.sync.allowed_urls import check_url_allowed
from referral_desktop.sync.client_certificate_probe import client_certificate_problem
from referral_desktop.sync.errors import (
    NetworkError,
    RequestTimedOut,
    ResponseTooLarge,
    TlsError,
    TlsProblem,
    TransportError,
)
from referral_desktop.sync.secure_adapter import SecureAdapter, build_ssl_context
from referral_desktop.sync.tls_probe import offered_protocol
from referral_desktop.sync.transport_failures import dropped_after_connecting, translate_exception
from referral_desktop.sync.transport_settings import TransportSettings

USER_AGENT = "referral-desktop"


class ApiSession(requests.Session):
    """A ``requests.Session`` with the rules above. Exceptions from requests are translated into
    :mod:`referral_desktop.sync.errors` classes with human messages."""

    def __init__(self, settings: TransportSettings) -> None:
        super().__init__()
        check_url_allowed(settings.base_url)
        self.settings = settings
        self._proxy_cache: dict[tuple[str, str, int | None], dict[str, str]] = {}
        self.trust_env = False
        self.verify = True
        self.headers["User-Agent"] = USER_AGENT
        self.headers.update(settings.extra_headers)
        if settings.bearer_token:
            self.headers["Authorization"] = f"Bearer {settings.bearer_token}"
        adapter = SecureAdapter(build_ssl_context(settings), settings.certificate_pins)
        self.mount("https://", adapter)
        self.mount("http://", adapter)

    def proxies_for(self, url: str) -> dict[str, str]:
        parts = urlsplit(url)
        if parts.scheme == "http" and is_loopback_host(parts.hostname):
            return {}  # plain HTTP never leaves the machine, not even to a proxy
        if self.settings.proxies is not None:
            return dict(self.settings.proxies)
        # Environment variables, or the operating system's settings (Windows registry, macOS
        # System Configuration) — with no_proxy / bypass lists applied. Looked up once per host for
        # the life of the session (the lookup scans the whole environment; ~1 ms a request).
        key = (parts.scheme, parts.hostname or "", parts.port)
        cached = self._proxy_cache.get(key)
        if cached is None:
            cached = self._proxy_cache[key] = requests.utils.get_environ_proxies(url)
        return dict(cached)

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
        url_text = url.decode() if isinstance(url, bytes) else url
        check_url_allowed(url_text)
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.settings.timeout
        kwargs.setdefault("allow_redirects", False)
        if kwargs.get("proxies") is None:
            kwargs["proxies"] = self.proxies_for(url_text)
        kwargs["verify"] = True
        kwargs.pop("cert", None)
        host = urlsplit(url_text).hostname or ""
        try:
            method_text = method.decode() if isinstance(method, bytes) else method
            return super().request(method_text, url_text, *args, **kwargs)
        except TransportError:
            raise
        except requests.RequestException as exc:
            raise self._explained(translate_exception(exc, host), url_text, exc) from exc

    def _explained(self, error: TransportError, url: str, cause: BaseException) -> TransportError:
        """Say what the server wanted: a certificate when none is configured (also when TLS 1.3's alert was
        lost to a reset, see :mod:`~referral_desktop.sync.client_certificate_probe`), or which old TLS it
        speaks."""
        if type(error) is NetworkError and dropped_after_connecting(cause):
            error = self._certificate_refusal(url) or error
        if not isinstance(error, TlsError):
            return error
        if error.problem is TlsProblem.CLIENT_CERTIFICATE and self.settings.client_cert is None:
            return TlsError(TlsProblem.CLIENT_CERTIFICATE_WANTED, error.host, error.detail)
        if error.problem is TlsProblem.OLD_PROTOCOL:
            parts = urlsplit(url)
            direct = not self.proxies_for(url).get("https")
            timeout = self.settings.timeout
            connect_timeout = float(timeout[0] if isinstance(timeout, tuple) else timeout)
            offered = offered_protocol(parts.hostname or "", parts.port or 443, connect_timeout) if direct else None
            return TlsError(TlsProblem.OLD_PROTOCOL, error.host, offered or "")
        return error

    def _certificate_refusal(self, url: str) -> TlsError | None:
        """After a dropped connection, probe once, the way the request went (directly or through the proxy)."""
        parts = urlsplit(url)
        if parts.scheme != "https":
            return None
        timeout = self.settings.timeout
        connect_timeout = float(timeout[0] if isinstance(timeout, tuple) else timeout)
        host = parts.hostname or ""
        problem = client_certificate_problem(build_ssl_context(self.settings), host, parts.port or 443,
                                             connect_timeout, self.proxies_for(url).get("https"))
        return TlsError(problem, host) if problem is not None else None

    def url(self, path: str) -> str:
        return self.settings.base_url.rstrip("/") + "/" + path.lstrip("/")


def build_session(settings: TransportSettings) -> ApiSession:
    return ApiSession(settings)


def read_limited(response: requests.Response, max_bytes: int, *, total_seconds: float = 120.0) -> bytes:
    """Read a streamed response body, refusing more than ``max_bytes`` (declared or actual) and a body
    that trickles in for longer than ``total_seconds``. The response is always closed."""
    try:
        declared = response.headers.get("Content-Length")
        if declared is not None:
            try:
                if int(declared) > max_bytes:
                    raise ResponseTooLarge(max_bytes)
            except ValueError:
                pass
        chunks: list[bytes] = []
        size = 0
        deadline = time.monotonic() + total_seconds
        try:
            for chunk in response.iter_content(chunk_size=65536):
                size += len(chunk)
                if size > max_bytes:
                    raise ResponseTooLarge(max_bytes)
                if time.monotonic() > deadline:
                    raise RequestTimedOut("The server's answer took too long to arrive.")
                chunks.append(chunk)
        except TransportError:
            raise
        except (requests.RequestException, OSError) as exc:
            raise translate_exception(exc, urlsplit(response.url or "").hostname or "") from exc
        return b"".join(chunks)
    finally:
        response.close()
