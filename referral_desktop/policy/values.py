"""Checks of single policy values (addresses, pins, paths, media types), shared with the transport.

Kept apart from the model so that the transport can check a pin or a loopback host without loading the
whole policy, and so that each rule reads on its own.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import os
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, StrictStr, ValidationInfo


def is_loopback_host(host: str | None) -> bool:
    """True for localhost and loopback addresses: the only hosts plain http:// may reach (a local sandbox)."""
    if not host:
        return False
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_api_url(value: str) -> str:
    parts = urlsplit(value.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http") or not parts.hostname:
        raise ValueError("must be an https:// address, such as https://iart.example.gov.uk/api")
    if scheme == "http" and not is_loopback_host(parts.hostname):
        raise ValueError("must use https:// (plain http:// is allowed only to 127.0.0.1 or localhost)")
    if parts.username or parts.password:
        raise ValueError("must not contain a user name or password (use bearer_token_file)")
    if parts.query or parts.fragment:
        raise ValueError("must not contain ? or # parts")
    try:
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise ValueError("has a port that is not a number from 1 to 65535") from None
    return value.strip().rstrip("/")


def pin_digest(value: str) -> bytes:
    """The raw SHA-256 digest of a certificate pin written as ``sha256/<base64>`` (the HPKP / curl form),
    bare base64, or 64 hex digits (colons allowed); ``ValueError`` for anything else."""
    text = value.strip()
    if text.lower().startswith("sha256/"):
        text = text[7:]
    digest: bytes | None = None
    hex_text = text.replace(":", "")
    if len(hex_text) == 64:
        try:
            digest = bytes.fromhex(hex_text)
        except ValueError:
            digest = None
    if digest is None:
        try:
            digest = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            digest = None
    if digest is None or len(digest) != 32:
        raise ValueError(
            "must be the SHA-256 of a server's public key (SPKI), as sha256/<base64> (44 characters) "
            "or 64 hex digits"
        )
    return digest


def _normalise_pin(value: str) -> str:
    return "sha256/" + base64.b64encode(pin_digest(value)).decode("ascii")


def _resolve_path(value: Any, info: ValidationInfo) -> Any:
    if value is None:
        return None
    if not isinstance(value, str | os.PathLike):
        raise ValueError("must be a file path in quotes")
    text = os.fspath(value)
    if not str(text).strip():
        raise ValueError("must not be empty (leave the setting out instead)")
    path = Path(text)
    base_dir = (info.context or {}).get("base_dir") if info.context else None
    if not path.is_absolute() and base_dir is not None:
        path = Path(base_dir) / path
    return path


PolicyPath = Annotated[Path, BeforeValidator(_resolve_path)]

_MIME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789!#$&^_.+-")


def _check_mime(value: str) -> str:
    text = value.strip().lower()
    kind, slash, sub = text.partition("/")
    if not slash or not kind or not sub or not set(kind) <= _MIME_CHARS or not set(sub) <= _MIME_CHARS:
        raise ValueError("must be a media type such as application/pdf")
    return text


Pin = Annotated[StrictStr, AfterValidator(_normalise_pin)]
MediaType = Annotated[StrictStr, AfterValidator(_check_mime)]
