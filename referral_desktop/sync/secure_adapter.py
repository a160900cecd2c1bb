"""The TLS set-up of every connection: the operating system's trust store plus the policy's CA bundle and
client certificate, TLS 1.2 at least, the optional pin check, and verification that cannot be switched off.

Separate from the session (which decides timeouts, proxies and headers per call) because this is what
decides whom the app trusts; requests lets an ``HTTPAdapter`` own the SSL context of every pool it makes,
direct or through a proxy, so the rules hold for both.
"""

from __future__ import annotations

import ssl
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool

from referral_desktop.sync.allowed_urls import check_url_allowed
from referral_desktop.sync.certificate_pins import pinned_pool_class
from referral_desktop.sync.errors import TransportRefused
from referral_desktop.sync.system_trust import system_trust_context
from referral_desktop.sync.transport_settings import TransportSettings


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


class SecureAdapter(HTTPAdapter):
    """HTTPAdapter using our SSL context for every HTTPS pool (direct or through a proxy), with the
    optional pin check, and refusing disallowed URLs before any connection."""

    def __init__(self, ssl_context: ssl.SSLContext, pins: frozenset[bytes], pool_maxsize: int = 4) -> None:
        self._ssl_context = ssl_context
        self._pool_classes: dict[str, type] | None = None
        if pins:
            self._pool_classes = {"http": HTTPConnectionPool, "https": pinned_pool_class(pins)}
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
