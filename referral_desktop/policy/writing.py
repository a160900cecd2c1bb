"""Writing a policy file from settings, as the installers do (``write-policy``).

- **Empty means unset.** The MSI passes every property, the ones IT did not give as ``""``: a blank
  value (or a list of blanks) is left out, for every setting, so the default applies.
- **TOML written by a TOML writer** (tomli-w), UTF-8, so a path such as ``C:\\Users\\Zoë\\ca.pem`` is
  written as itself and read back unchanged.
- **Upgrades keep IT's edits.** An upgrade runs the installer again with its properties. With
  ``update=True`` an existing file is left alone unless a given setting differs from what the file already
  says (a pin counts as present when the file lists it, so a backup pin IT added by hand stays). When one
  does, only the changed settings are replaced, the rest of the file is kept, and the previous file is
  copied beside it as ``policy.toml.previous`` first.
"""

from __future__ import annotations

import os
import shutil
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import tomli_w

from referral_desktop.policy.errors import PolicyError
from referral_desktop.policy.loading import policy_from_mapping
from referral_desktop.policy.model import Policy

# The settings an installer can fix, with the kind of value each takes; the rest keep their defaults
# (IT edits the file for more).
WRITABLE_SETTINGS: dict[str, str] = {
    "api_base_url": "url",
    "proxy_url": "url",
    "ca_bundle": "file",
    "certificate_pins": "list",
    "client_cert": "file",
    "client_key": "file",
    "bearer_token_file": "file",
    "iart_public_key": "file",
    "form_signing_key": "file",
    "retention_days": "int",
    "auto_lock_minutes": "int",
    "test_deployment": "bool",
    "log_level": "level",
}

PREVIOUS_SUFFIX = ".previous"
_HEADER = (
    "# Referral Desktop deployment policy, written by 'referral-desktop write-policy'.\n"
    "# Reference: the README's 'Deployment policy' section; check with 'referral-desktop policy check'.\n"
)


def settings_from_arguments(given: Mapping[str, Any]) -> dict[str, Any]:
    """The settings to write, from command-line values by setting name (strings, or lists of strings for
    pins). Blank values are left out. Raises :class:`PolicyError` naming the setting for a value that is
    not even of the right kind (a number that is not a number)."""
    settings: dict[str, Any] = {}
    problems: list[str] = []
    for setting, kind in WRITABLE_SETTINGS.items():
        value = given.get(setting)
        if kind == "list":
            items = [str(item).strip() for item in (value or [])]
            if any(items):
                settings[setting] = [item for item in items if item]
            continue
        if value is None or not str(value).strip():
            continue  # an MSI passes empty properties for settings IT did not give
        text = str(value).strip()
        if kind == "int":
            try:
                settings[setting] = int(text)
            except ValueError:
                problems.append(f"{setting}: must be a whole number")
        elif kind == "bool":
            if text.lower() not in ("1", "0", "true", "false", "yes", "no"):
                problems.append(f"{setting}: must be true or false")
            else:
                settings[setting] = text.lower() in ("1", "true", "yes")
        elif kind == "file":
            settings[setting] = str(Path(text).expanduser().resolve())
        else:
            settings[setting] = text
    if problems:
        raise PolicyError(problems)
    return settings


@dataclass(frozen=True)
class WriteResult:
    """What :func:`write_policy_file` did: ``written`` (new or replaced), ``updated`` (changed settings
    replaced, the rest kept, the previous file in ``previous``) or ``unchanged`` (nothing differed)."""

    action: Literal["written", "updated", "unchanged"]
    settings: tuple[str, ...]
    previous: Path | None = None


class PolicyExists(PolicyError):
    """The output exists and neither replacing nor updating was asked for."""


def write_policy_file(settings: Mapping[str, Any], output: Path, *, replace: bool = False,
                      update: bool = False) -> WriteResult:
    """Check ``settings`` exactly as the app will read them, then write them to ``output``.

    An existing file is refused (:class:`PolicyExists`) unless ``replace`` (write only these settings)
    or ``update`` (see the module's docstring). Raises :class:`PolicyError` naming each wrong setting,
    before anything is written; ``OSError`` if the file cannot be written.
    """
    new_policy = policy_from_mapping(settings, path=output)
    if output.exists() and update:
        return _update(settings, new_policy, output)
    if output.exists() and not replace:
        raise PolicyExists(f"{output} exists; use --force to replace it.", output)
    _write_atomically(output, dict(settings))
    return WriteResult("written", tuple(settings))


def _update(settings: Mapping[str, Any], new_policy: Policy, output: Path) -> WriteResult:
    try:
        current_data = tomllib.loads(output.read_text(encoding="utf-8-sig"))
        current = policy_from_mapping(current_data, path=output)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, PolicyError):
        current_data, current = {}, None  # unreadable or invalid: replaced, with the old copy kept
    changed = [name for name in settings if current is None or not _already_says(current, new_policy, name)]
    if not changed:
        return WriteResult("unchanged", ())
    merged = dict(current_data) | {name: settings[name] for name in changed}
    policy_from_mapping(merged, path=output)  # the merge is checked as a whole before anything moves
    previous = output.with_name(output.name + PREVIOUS_SUFFIX)
    shutil.copy2(output, previous)
    _write_atomically(output, merged)
    return WriteResult("updated", tuple(changed), previous)


def _already_says(current: Policy, new: Policy, name: str) -> bool:
    have, want = getattr(current, name), getattr(new, name)
    if name == "certificate_pins":
        return set(want) <= set(have)  # IT's backup pins stay
    return bool(have == want)


def _write_atomically(output: Path, settings: dict[str, Any]) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    temporary = output.with_name(output.name + ".new")
    temporary.write_text(_HEADER + tomli_w.dumps(settings), encoding="utf-8")
    if os.name == "posix":
        os.chmod(temporary, 0o644)  # every user's app reads it; only administrators write it
    os.replace(temporary, output)
