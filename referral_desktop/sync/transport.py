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
"""

from __future__ import annotations

import base64
import hashlib
import logging
import ssl
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from referral_desktop.policy import is_loopback_host, pin_digest
from referral_desktop.sync.errors import (
    NetworkError,
    RequestTimedOut,
    ResponseTooLarge,
    TlsError,
    TlsProblem,
    TransportError,
    TransportRefused,
)
from referral_desktop.sync.system_trust import system_trust_context
from referral_desktop.sync.tls_probe import offered_protocol

log = logging.getLogger(__name__)

DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_READ_TIMEOUT = 30.0
DEFAULT_MAX_RESPONSE_BYTES = 1_000_000
USER_AGENT = "referral-desktop"


# --------------------------------------------------------------------------------------------- settings


@dataclass(frozen=True)
class TransportSettings:
    """Everything the transport needs, usually taken from the deployment policy (:meth:`from_policy`)."""

    base_url: str
    ca_bundle: Path | None = None
    certificate_pins: frozenset[bytes] = frozenset()
    client_cert: Path | None = None
    client_key: Path | None = None
    bearer_token: str | None = None
    proxies: Mapping[str, str] | None = None  # None: from the environment / operating system
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    read_timeout: float = DEFAULT_READ_TIMEOUT
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
    extra_headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def timeout(self) -> tuple[float, float]:
        return (self.connect_timeout, self.read_timeout)

    @classmethod
    def from_policy(cls, policy: Any, **overrides: Any) -> TransportSettings:
        """Build settings from a ``referral_desktop.policy.Policy`` (fields read by name, so that optional
        ones may be absent)."""

        def opt_path(name: str) -> Path | None:
            value = getattr(policy, name, None)
            return Path(value) if value else None

        reader = getattr(policy, "read_bearer_token", None)
        if callable(reader):
            token = reader()  # raises the policy's own error naming bearer_token_file
        else:
            token = getattr(policy, "bearer_token", None)
            secret = getattr(token, "get_secret_value", None)
            if callable(secret):
                token = secret()
            token_file = getattr(policy, "bearer_token_file", None)
            if not token and token_file:
                try:
                    token = Path(token_file).read_text(encoding="utf-8").strip()
                except OSError:
                    raise TransportRefused(
                        "The file named by the policy setting bearer_token_file could not be read."
                    ) from None
        proxy = getattr(policy, "proxy", None) or getattr(policy, "proxy_url", None)
        values: dict[str, Any] = {
            "base_url": str(policy.api_base_url),
            "ca_bundle": opt_path("ca_bundle"),
            "certificate_pins": parse_pins(getattr(policy, "certificate_pins", None) or ()),
            "client_cert": opt_path("client_cert"),
            "client_key": opt_path("client_key"),
            "bearer_token": token or None,
            "proxies": {"http": str(proxy), "https": str(proxy)} if proxy else None,
        }
        for name in ("connect_timeout", "read_timeout", "max_response_bytes"):
            value = getattr(policy, name, None)
            if value:
                values[name] = value
        values.update(overrides)
        return cls(**values)


def parse_pins(pins: Iterable[str | bytes]) -> frozenset[bytes]:
    """SPKI SHA-256 pins as raw digests (32-byte digests pass as they are; text as policy.pin_digest)."""
    digests = set()
    for pin in pins:
        if isinstance(pin, bytes) and len(pin) == 32:
            digests.add(pin)
            continue
        text = pin.decode() if isinstance(pin, bytes) else str(pin)
        try:
            digests.add(pin_digest(text))
        except ValueError:
            raise ValueError(
                "A certificate pin must be the SHA-256 of a public key, as sha256/<base64> or 64 hex digits."
            ) from None
    return frozenset(digests)


def spki_sha256(der_certificate: bytes) -> bytes:
    """SHA-256 of a DER certificate's SubjectPublicKeyInfo (survives certificate renewal with the same
    key, which is why pins use it rather than the whole certificate)."""
    cert = x509.load_der_x509_certificate(der_certificate)
    spki = cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(spki).digest()


def spki_pin(der_certificate: bytes) -> str:
    """The ``sha256/<base64>`` pin for a certificate (what IT writes in the policy)."""
    return "sha256/" + base64.b64encode(spki_sha256(der_certificate)).decode("ascii")


# ------------------------------------------------------------------------------------------ URL policy


def check_url_allowed(url: str) -> None:
    """Refuse, before anything is opened, any URL that is not HTTPS or plain HTTP to loopback."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "https" and parts.hostname:
        return
    if scheme == "http" and is_loopback_host(parts.hostname):
        return
    if scheme == "http":
        raise TransportRefused(
            f"Refusing to send to {parts.hostname or 'that address'} over plain HTTP: only HTTPS is "
            "allowed, except to a sandbox on this computer (127.0.0.1 or localhost). "
            "Check the policy setting api_base_url."
        )
    raise TransportRefused(
        "The API address must be an https:// address (policy setting api_base_url); nothing was sent."
    )


# ----------------------------------------------------------------------------------- TLS and pinning


def build_ssl_context(settings: TransportSettings) -> ssl.SSLContext:
    """The operating system's trust store, plus the policy's CA bundle and client certificate."""
    ctx = system_trust_context()
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    if settings.ca_bundle is not None:
        try:
            ctx.load_verify_locations(cafile=str(settings.ca_bundle))
        except (OSError, ssl.SSLError):
            raise TransportRefused(
                "The certificate bundle named by the policy setting ca_bundle could not be read."
            ) from None
    if settings.client_cert is not None:
        try:
            ctx.load_cert_chain(
                str(settings.client_cert),
                str(settings.client_key) if settings.client_key else None,
            )
        except (OSError, ssl.SSLError):
            raise TransportRefused(
                "The client certificate named by the policy settings client_cert and client_key "
                "could not be loaded."
            ) from None
    return ctx


def _pinned_pool_class(pins: frozenset[bytes]) -> type[HTTPSConnectionPool]:
    """A connection pool whose connections check the server's key against ``pins`` after the TLS
    handshake and before the request is written (urllib3 connects before it sends)."""

    class PinnedHTTPSConnection(HTTPSConnection):
        def connect(self) -> None:
            super().connect()
            sock = self.sock
            candidates: list[bytes] = []
            try:
                leaf = sock.getpeercert(binary_form=True)  # type: ignore[union-attr]
                if leaf:
                    candidates.append(leaf)
                chain = getattr(sock, "get_verified_chain", None)  # Python 3.13+
                if chain is not None:
                    candidates.extend(c if isinstance(c, bytes) else c.public_bytes() for c in chain())
            except (AttributeError, ssl.SSLError, ValueError):
                pass
            if not any(spki_sha256(der) in pins for der in candidates):
                host = self.host
                self.close()
                log.warning("certificate pin mismatch for %s; connection closed before sending", host)
                raise TlsError(TlsProblem.PIN_MISMATCH, host)

    class PinnedHTTPSConnectionPool(HTTPSConnectionPool):
        ConnectionCls = PinnedHTTPSConnection

    return PinnedHTTPSConnectionPool


class SecureAdapter(HTTPAdapter):
    """HTTPAdapter using our SSL context for every HTTPS pool (direct or through a proxy), with the
    optional pin check, and refusing disallowed URLs before any connection."""

    def __init__(self, ssl_context: ssl.SSLContext, pins: frozenset[bytes], pool_maxsize: int = 4) -> None:
        self._ssl_context = ssl_context
        self._pool_classes: dict[str, type] | None = None
        if pins:
            self._pool_classes = {"http": HTTPConnectionPool, "https": _pinned_pool_class(pins)}
        super().__init__(pool_connections=2, pool_maxsize=pool_maxsize, max_retries=0)

    def _adapt_manager(self, manager: Any) -> Any:
        if self._pool_classes is not None:
            manager.pool_classes_by_scheme = dict(self._pool_classes)
        return manager

    def init_poolmanager(self, connections: int, maxsize: int, block: bool = False, **pool_kwargs: Any) -> None:
        pool_kwargs["ssl_context"] = self._ssl_context
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)
        self._adapt_manager(self.poolmanager)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        known = proxy in self.proxy_manager
        proxy_kwargs["ssl_context"] = self._ssl_context
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if not known:
            self._adapt_manager(manager)
        return manager

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        check_url_allowed(request.url or "")
        kwargs["verify"] = True  # never switched off, whatever the caller passes
        kwargs["cert"] = None  # the client certificate lives in the SSL context
        return super().send(request, *args, **kwargs)


# ------------------------------------------------------------------------------------------- session


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
            raise self._explained(translate_exception(exc, host), url_text) from exc

    def _explained(self, error: TransportError, url: str) -> TransportError:
        """Say what the server wanted: a certificate when none is configured, or which old TLS it speaks."""
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

    def url(self, path: str) -> str:
        return self.settings.base_url.rstrip("/") + "/" + path.lstrip("/")


def build_session(settings: TransportSettings) -> ApiSession:
    return ApiSession(settings)


# --------------------------------------------------------------------------------- error translation


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


# ----------------------------------------------------------------------------------- response limits


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
