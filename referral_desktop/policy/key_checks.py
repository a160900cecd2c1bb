"""Is the policy's ``iart_public_key`` a key the sender can use, and is it only the public half?

Why at check time: an RSA-1024 or an EC key passed ``policy check`` and ``doctor``, and only ``queue``
refused it, on the referrer's laptop, with a referral in hand. The sender encrypts with RSA-OAEP-256,
which needs an RSA key of at least 2048 bits (``sync.payload.load_public_key`` refuses anything else);
these checks say the same before deployment. A private key is usable (its public half is taken) but it
should never be on a referrer's laptop: that is a warning.
"""

from __future__ import annotations

import base64
import json
from typing import Any

MIN_RSA_BITS = 2048


def _jwk_rsa_bits(jwk: dict[str, Any]) -> int:
    n = str(jwk.get("n", ""))
    raw = base64.urlsafe_b64decode(n + "=" * (-len(n) % 4))
    return len(raw.lstrip(b"\0")) * 8


def _describe_pem(data: bytes) -> tuple[str, int, bool] | None:
    """(key type, RSA bits or 0, is private) of a PEM key or certificate; None if it cannot be read."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key: Any = None
    private = False
    try:
        key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError):
        try:
            key = x509.load_pem_x509_certificate(data).public_key()
        except ValueError:
            try:
                key, private = serialization.load_pem_private_key(data, password=None), True
            except (ValueError, TypeError):
                return None
    if isinstance(key, rsa.RSAPublicKey | rsa.RSAPrivateKey):
        return "RSA", key.key_size, bool(private)
    return type(key).__name__.replace("_", "").replace("PublicKey", "").replace("PrivateKey", ""), 0, bool(private)


def describe_key(data: bytes) -> tuple[str, int, bool] | None:
    """(kty, RSA bits, is private) of a JWK (or a JWK set's first key) or a PEM key/certificate."""
    text = data.strip()
    if text.startswith(b"{"):
        try:
            jwk = json.loads(text)
        except ValueError:
            return None
        if isinstance(jwk, dict) and isinstance(jwk.get("keys"), list) and jwk["keys"]:
            jwk = jwk["keys"][0]
        if not isinstance(jwk, dict) or "kty" not in jwk:
            return None
        kty = str(jwk["kty"])
        private = "d" in jwk
        try:
            bits = _jwk_rsa_bits(jwk) if kty == "RSA" else 0
        except ValueError:
            return None
        return kty, bits, private
    return _describe_pem(text)


def public_key_problem(data: bytes) -> str | None:
    """Why the sender cannot encrypt to this key, or None when it can."""
    described = describe_key(data)
    if described is None:
        return "is not a readable public key (PEM or JWK)"
    kty, bits, _private = described
    if kty != "RSA":
        return f"must be an RSA key of at least {MIN_RSA_BITS} bits (this one is {kty}); the sender encrypts with RSA-OAEP-256"
    if bits < MIN_RSA_BITS:
        return f"must be an RSA key of at least {MIN_RSA_BITS} bits (this one has {bits})"
    return None


def holds_private_key(data: bytes) -> bool:
    described = describe_key(data)
    return bool(described and described[2])
