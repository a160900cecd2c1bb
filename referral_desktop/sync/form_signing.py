"""Form signatures: the policy's ``form_signing_key`` read as P-256 public key(s), and a detached compact
JWS checked against them.

Why so strict (PRODUCT.md §5): a form definition decides what a referral asks and what it refuses, so only
a definition the deployment's key signed may be used. Only ES256 is accepted: ``none``, HMAC (``HS*``,
which would let anyone who knows the public key sign), RSA or anything else is refused, and so is a header
that changes how the payload is read (``b64``, ``crit``). Errors name the setting, never the key.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey

FORM_SIGNING_ALGORITHM = "ES256"
_ALLOWED_HEADER = {"alg", "kid", "typ", "cty"}


class FormSigningKeyError(ValueError):
    """The policy's ``form_signing_key`` cannot be used (the message names the setting, never the key)."""


def load_signing_keys(value: Any) -> tuple[ECKey, ...]:
    """The public P-256 key(s) from the policy: a path to, or the text of, a JWK, a JWK set
    (``{"keys": [...]}``) or a PEM public key. Private halves are dropped."""
    if isinstance(value, ECKey):
        candidates: list[Any] = [value]
    else:
        try:
            if isinstance(value, Mapping):
                data: Any = dict(value)
            else:
                text = value.decode() if isinstance(value, bytes) else str(value)
                stripped = text.strip()
                if not stripped.startswith(("-----BEGIN", "{")):
                    stripped = Path(stripped).expanduser().read_text(encoding="utf-8").strip()
                data = json.loads(stripped) if stripped.startswith("{") else stripped.encode("ascii")
            if isinstance(data, dict) and isinstance(data.get("keys"), list):
                candidates = [ECKey.import_key(k) for k in data["keys"] if isinstance(k, dict) and k.get("kty") == "EC"]
            else:
                candidates = [ECKey.import_key(data)]
        except Exception as exc:  # joserfc / cryptography / OS raise several types
            raise FormSigningKeyError(
                "The policy setting form_signing_key is not a readable EC public key (JWK or PEM)."
            ) from exc
    keys = []
    for key in candidates:
        if key.as_dict(private=False).get("crv") != "P-256":
            raise FormSigningKeyError("The policy setting form_signing_key must be a P-256 key (for ES256).")
        if key.is_private:
            public = key.as_dict(private=False)
            key = ECKey.import_key(public)
        keys.append(key)
    if not keys:
        raise FormSigningKeyError("The policy setting form_signing_key holds no EC key.")
    return tuple(keys)



class FormSignatureInvalid(ValueError):
    """The signature does not prove that the policy's key signed these exact bytes."""


def _b64url_json(segment: str) -> Any:
    padded = segment + "=" * (-len(segment) % 4)
    return json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))


def verify_detached(definition: bytes, signature: str, keys: Sequence[ECKey]) -> None:
    """Raises :class:`FormSignatureInvalid` (with a plain reason) unless ``signature`` is a detached
    compact ES256 JWS over ``definition`` made with one of ``keys``."""
    if not isinstance(signature, str) or not signature.strip():
        raise FormSignatureInvalid("the definition is not signed")
    parts = signature.strip().split(".")
    if len(parts) != 3:
        raise FormSignatureInvalid("the signature is not a compact JWS")
    header_b64, payload_b64, signature_b64 = parts
    if payload_b64:
        raise FormSignatureInvalid("the signature is not detached from the definition")
    try:
        header = _b64url_json(header_b64)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise FormSignatureInvalid("the signature's header cannot be read") from None
    if not isinstance(header, dict):
        raise FormSignatureInvalid("the signature's header cannot be read")
    alg = header.get("alg")
    if alg != FORM_SIGNING_ALGORITHM:
        shown = alg if isinstance(alg, str) and len(alg) <= 20 and alg.isprintable() else "unknown"
        raise FormSignatureInvalid(f"it is signed with {shown}; only {FORM_SIGNING_ALGORITHM} is accepted")
    unexpected = set(header) - _ALLOWED_HEADER
    if unexpected:
        raise FormSignatureInvalid("the signature's header has settings this app does not accept")
    if not signature_b64:
        raise FormSignatureInvalid("the signature part is missing")
    kid = header.get("kid")
    candidates = [k for k in keys if kid is None or k.kid is None or k.kid == kid]
    if not candidates:
        raise FormSignatureInvalid("it is signed with a key that is not the policy's form_signing_key")
    for key in candidates:
        try:
            jws.deserialize_compact(
                signature.strip(), key, algorithms=[FORM_SIGNING_ALGORITHM], payload=definition
            )
            return
        except (JoseError, ValueError):
            continue
    raise FormSignatureInvalid("the signature does not match the definition and the policy's form_signing_key")
