"""Certificate pinning: SHA-256 pins of the server's SubjectPublicKeyInfo, parsed from the policy and checked
on the live connection.

The check runs right after the TLS handshake and before a byte of the request is written (urllib3 connects
before it sends), so a server with the wrong key never sees the referral; a mismatch closes the connection
and raises :class:`TlsError` (``pin_mismatch``). Pins are of the public key, not of the whole certificate,
so that a renewal with the same key keeps working.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import ssl
from collections.abc import Iterable

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from urllib3.connection import HTTPSConnection
from urllib3.connectionpool import HTTPSConnectionPool

from referral_desktop.policy import pin_digest
from referral_desktop.sync.errors import TlsError, TlsProblem

log = logging.getLogger(__name__)


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


def pinned_pool_class(pins: frozenset[bytes]) -> type[HTTPSConnectionPool]:
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
