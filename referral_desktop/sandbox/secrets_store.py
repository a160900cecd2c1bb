"""The sandbox's own secrets, created on first run and kept in ``<data>``: bearer tokens and JOSE keys.

- ``client-token.txt``: the bearer token a client sends (policy ``bearer_token_file`` can point here).
- ``operator-token.txt``: the token for the sandbox's admin endpoints and operator page; a client token
  there gets ``403``.
- ``keys/payload-private.jwk.json`` / ``keys/payload-public.jwk.json``: the payload-encryption key pair
  (RSA 3072, for RSA-OAEP-256 + A256GCM JWE). The public JWK is what the deployment policy's
  ``iart_public_key`` holds; the sandbox decrypts with the private one.
- ``keys/form-signing-private.jwk.json`` / ``keys/form-signing-public.jwk.json``: the EC P-256 key
  (ES256) that signs ``GET /v1/forms/current``; policy ``form_signing_key`` holds the public JWK.

Private files are readable by the owner only. Nothing here is ever logged.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from joserfc.jwk import ECKey, RSAKey

PAYLOAD_KEY_BITS = 3072


@dataclass(frozen=True)
class SandboxSecrets:
    client_token: str
    operator_token: str
    payload_key: RSAKey
    form_signing_key: ECKey
    client_token_file: Path
    operator_token_file: Path
    payload_public_jwk_file: Path
    form_signing_public_jwk_file: Path


def _write_private_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def _token(path: Path, given: str | None) -> str:
    if given:
        _write_private_text(path, given + "\n")
        return given
    if path.is_file():
        existing = path.read_text(encoding="utf-8").strip()
        if existing:
            return existing
    token = secrets.token_urlsafe(32)
    _write_private_text(path, token + "\n")
    return token


def _key_pair(private_path: Path, public_path: Path, make):
    if private_path.is_file():
        key = make.import_key(json.loads(private_path.read_text(encoding="utf-8")))
    else:
        key = make.generate()
        _write_private_text(private_path, json.dumps(key.as_dict(private=True)))
    public = key.as_dict(private=False)
    public_text = json.dumps(public, indent=2) + "\n"
    if not public_path.is_file() or public_path.read_text(encoding="utf-8") != public_text:
        public_path.write_text(public_text, encoding="utf-8")
    return key


class _PayloadKeyMaker:
    import_key = staticmethod(RSAKey.import_key)

    @staticmethod
    def generate() -> RSAKey:
        key = RSAKey.generate_key(PAYLOAD_KEY_BITS, private=True)
        return RSAKey.import_key(
            key.as_dict(private=True), {"kid": key.thumbprint(), "use": "enc", "alg": "RSA-OAEP-256"}
        )


class _SigningKeyMaker:
    import_key = staticmethod(ECKey.import_key)

    @staticmethod
    def generate() -> ECKey:
        key = ECKey.generate_key("P-256", private=True)
        return ECKey.import_key(
            key.as_dict(private=True), {"kid": key.thumbprint(), "use": "sig", "alg": "ES256"}
        )


def ensure_secrets(
    data_dir: Path,
    *,
    client_token: str | None = None,
    operator_token: str | None = None,
    payload_private_jwk: Path | None = None,
) -> SandboxSecrets:
    """Load the sandbox's secrets, creating whichever are missing; given values replace stored ones."""
    keys = data_dir / "keys"
    keys.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(keys, 0o700)
    client_file = data_dir / "client-token.txt"
    operator_file = data_dir / "operator-token.txt"
    payload_private = keys / "payload-private.jwk.json"
    if payload_private_jwk is not None:
        _write_private_text(payload_private, payload_private_jwk.read_text(encoding="utf-8"))
    payload_public = keys / "payload-public.jwk.json"
    signing_public = keys / "form-signing-public.jwk.json"
    return SandboxSecrets(
        client_token=_token(client_file, client_token),
        operator_token=_token(operator_file, operator_token),
        payload_key=_key_pair(payload_private, payload_public, _PayloadKeyMaker),
        form_signing_key=_key_pair(keys / "form-signing-private.jwk.json", signing_public, _SigningKeyMaker),
        client_token_file=client_file,
        operator_token_file=operator_file,
        payload_public_jwk_file=payload_public,
        form_signing_public_jwk_file=signing_public,
    )
