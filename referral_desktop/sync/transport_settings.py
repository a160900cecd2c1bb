"""What the transport is told: the API address, trust additions, pins, client certificate, token, proxy,
timeouts and the answer size limit, as one frozen value.

A value of its own, apart from the session that uses it: the worker, ``doctor`` and the tests build it from
a policy (:meth:`TransportSettings.from_policy`), where the policy's names, defaults and token file are
turned into what a connection needs, and only then is a session opened with it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from referral_desktop.sync.certificate_pins import parse_pins
from referral_desktop.sync.errors import TransportRefused

DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_READ_TIMEOUT = 30.0
DEFAULT_MAX_RESPONSE_BYTES = 1_000_000


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
