"""Freezing a referral: its answers document turned, once, into the exact bytes that will be sent.

Why once: the idempotency contract says "the same key and the same bytes → the same reference; the
same key with different bytes → 409". If the bytes were rebuilt at every attempt, a changed library
version or key order could turn a harmless retry into a conflict. So the document is serialised to
canonical JSON (sorted keys, UTF-8, no insignificant white space) at freeze time, and — when the
policy holds iART's public key — encrypted to a JWE compact token (RSA-OAEP-256 + A256GCM, joserfc).
Those bytes are stored with the referral and sent unchanged on every attempt. JWE encryption is
randomised, which is one more reason it must happen exactly once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from joserfc import jwe
from joserfc.jwk import RSAKey

JSON_CONTENT_TYPE = "application/json"
JWE_CONTENT_TYPE = "application/jose"
JWE_ALGORITHM = "RSA-OAEP-256"
JWE_ENCRYPTION = "A256GCM"
_REGISTRY = jwe.JWERegistry(algorithms=[JWE_ALGORITHM, JWE_ENCRYPTION])


class PayloadKeyError(ValueError):
    """The public key in the policy (``iart_public_key``) cannot be used."""


@dataclass(frozen=True)
class FrozenPayload:
    data: bytes
    content_type: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def encrypted(self) -> bool:
        return self.content_type == JWE_CONTENT_TYPE


def canonical_json(document: Mapping[str, Any]) -> bytes:
    """Deterministic bytes for a JSON document: sorted keys, compact separators, UTF-8 (not \\u-escaped)."""
    return json.dumps(
        document, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    ).encode("utf-8")


def answers_document(form_id: str, form_version: str, answers: Mapping[str, Any],
                     attachment_names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The plaintext a referral's payload carries (the contract's ``ReferralPayload``): with documents,
    also their file names by id (``attachment_names``, inside what is encrypted, never in the manifest)."""
    document: dict[str, Any] = {"form_id": form_id, "form_version": form_version, "answers": dict(answers)}
    if attachment_names:
        document["attachment_names"] = dict(attachment_names)
    return document


def load_public_key(value: Any) -> RSAKey:
    """iART's RSA public key from the policy: PEM text, a JWK (dict or JSON text), or a path to either."""
    if isinstance(value, RSAKey):
        return value
    if hasattr(value, "get_secret_value"):
        value = value.get_secret_value()
    try:
        if isinstance(value, Mapping):
            key = RSAKey.import_key(dict(value))
        else:
            text = value.decode() if isinstance(value, bytes) else str(value)
            stripped = text.strip()
            if not stripped.startswith(("-----BEGIN", "{")):
                path = Path(stripped).expanduser()
                if path.is_file():
                    stripped = path.read_text(encoding="utf-8").strip()
            if stripped.startswith("{"):
                key = RSAKey.import_key(json.loads(stripped))
            else:
                key = RSAKey.import_key(stripped.encode("ascii"))
    except Exception as exc:  # joserfc / cryptography raise several types for bad keys
        raise PayloadKeyError(
            "The policy setting iart_public_key is not a readable RSA public key (PEM or JWK)."
        ) from exc
    if key.is_private:
        # Only ever keep the public half on a referrer's laptop.
        key = RSAKey.import_key(key.as_dict(private=False))
    size = key.raw_value.key_size if hasattr(key.raw_value, "key_size") else 0
    if size and size < 2048:
        raise PayloadKeyError("The policy setting iart_public_key must be an RSA key of at least 2048 bits.")
    return key


def encrypt_compact(plaintext: bytes, public_key: Any) -> bytes:
    key = load_public_key(public_key)
    header = {
        "alg": JWE_ALGORITHM,
        "enc": JWE_ENCRYPTION,
        "cty": JSON_CONTENT_TYPE,
        "kid": key.thumbprint(),
    }
    token = jwe.encrypt_compact(header, plaintext, key, registry=_REGISTRY)
    return token.encode("ascii")


def decrypt_compact(token: bytes | str, private_key: Any) -> bytes:
    """The inverse, for the receiving side and tests (needs the private key, which the app never has)."""
    key = private_key if isinstance(private_key, RSAKey) else RSAKey.import_key(private_key)
    text = token.decode("ascii") if isinstance(token, bytes) else token
    plaintext = jwe.decrypt_compact(text, key, registry=_REGISTRY).plaintext
    if plaintext is None:
        raise ValueError("the token has no payload")
    return plaintext


def freeze_document(document: Mapping[str, Any], public_key: Any | None = None) -> FrozenPayload:
    """Serialise once, and encrypt when a public key is given."""
    data = canonical_json(document)
    if public_key:
        return FrozenPayload(encrypt_compact(data, public_key), JWE_CONTENT_TYPE)
    return FrozenPayload(data, JSON_CONTENT_TYPE)
