"""Checks of the files a policy names (certificates, keys, token, notice): present, readable, the right kind.

Loading validates the settings themselves, so a policy prepared on another machine can be checked there;
``policy check`` and ``doctor`` also check, here, that the files it names are present and look right.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from referral_desktop.policy.key_checks import holds_private_key, public_key_problem
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
    key_data = _readable(policy.iart_public_key)
    if key_data is not None and key_file(key_data):
        problem = public_key_problem(key_data)
        if problem:
            problems.append(f"{where}iart_public_key: the key in {policy.iart_public_key} {problem}")
    check("form_signing_key", policy.form_signing_key, key_file, "a public key (JWK or PEM)")
    check("privacy_notice.file", policy.privacy_notice.file)
    return problems



def _readable(path: Path | None) -> bytes | None:
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return data if data.strip() else None


def referenced_file_warnings(policy: Policy) -> list[str]:
    """What works but should not be so: a private key where only iART's public key belongs."""
    where = f"{policy.source}: " if policy.source else ""
    warnings = []
    for setting, path in (("iart_public_key", policy.iart_public_key), ("form_signing_key", policy.form_signing_key)):
        data = _readable(path)
        if data is not None and holds_private_key(data):
            warnings.append(
                f"{where}{setting}: {path} holds a private key; only its public half is used. Give laptops the "
                "public key only: whoever has the private key can read referrals (or sign form updates)"
            )
    return warnings


def machine_policy_problems(policy: Policy, machine_path: Path) -> list[str]:
    """When the policy in force is the machine-wide file: every way a non-administrator could change it."""
    from referral_desktop.policy.file_permissions import replaceable_by_users

    source = policy.source
    if source is None:
        return []
    try:
        if Path(source).resolve() != Path(machine_path).resolve():
            return []
    except OSError:
        return []
    return [f"{source}: users can change the machine policy: {reason}" for reason in replaceable_by_users(Path(source))]
