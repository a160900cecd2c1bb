"""Which addresses the transport may talk to: HTTPS anywhere, plain HTTP only to this computer.

Checked before anything is opened (by the session for each call and again by the adapter for each prepared
request), so a mistyped ``api_base_url`` never sends a referral in clear text over the network; a local
sandbox on 127.0.0.1 or localhost may use plain HTTP.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from referral_desktop.policy import is_loopback_host
from referral_desktop.sync.errors import TransportRefused


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
