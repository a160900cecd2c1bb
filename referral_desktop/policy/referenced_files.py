"""Checks of the files a policy names (certificates, keys, token, notice): present, readable, the right kind.

Loading validates the settings themselves, so a policy prepared on another machine can be checked there;
``policy check`` and ``doctor`` also check, here, that the files it names are present and look right.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from referral_desktop.policy.model import Policy


def check_referenced_files(policy: Policy) -> list[str]:
    """Problems with the files the policy names (missing, unreadable, not the right kind), one
    ``file: setting: message`` line each. Never repeats a file's content."""
    where = f"{policy.source}: " if policy.source else ""
    problems: list[str] = []

    def check(setting: str, path: Path | None, looks_right: Any = None, what: str = "") -> None:
        if path is None:
            return
        try:
            text = path.read_bytes()
        except FileNotFoundError:
            problems.append(f"{where}{setting}: the file {path} does not exist")
            return
        except OSError as exc:
            problems.append(f"{where}{setting}: the file {path} cannot be read ({exc.strerror or 'unreadable'})")
            return
        if not text.strip():
            problems.append(f"{where}{setting}: the file {path} is empty")
        elif looks_right is not None and not looks_right(text):
            problems.append(f"{where}{setting}: the file {path} does not look like {what}")

    def pem(*labels: str) -> Callable[[bytes], bool]:
        return lambda data: any(f"-----BEGIN {label}".encode() in data for label in labels)

    def key_file(data: bytes) -> bool:
        if pem("PUBLIC KEY", "RSA PUBLIC KEY", "CERTIFICATE", "EC PUBLIC KEY")(data):
            return True
        try:
            parsed = json.loads(data)
        except ValueError:
            return False
        return isinstance(parsed, dict) and ("kty" in parsed or "keys" in parsed)

    check("ca_bundle", policy.ca_bundle, pem("CERTIFICATE"), "PEM certificates")
    check("client_cert", policy.client_cert, pem("CERTIFICATE"), "a PEM certificate")
    check("client_key", policy.client_key, pem("PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY"), "a PEM private key")
    check("bearer_token_file", policy.bearer_token_file)
    check("iart_public_key", policy.iart_public_key, key_file, "a public key (JWK or PEM)")
    check("form_signing_key", policy.form_signing_key, key_file, "a public key (JWK or PEM)")
    check("privacy_notice.file", policy.privacy_notice.file)
    return problems

