"""Where policy settings come from: each source hands over raw settings behind one interface.

A source (:class:`PolicySource`) only reads: it returns the settings it holds as a plain mapping, with a
label for messages and the folder relative paths start from (:class:`RawSettings`), or ``None`` when it
holds none. Validation happens once, in :mod:`referral_desktop.policy.loading`, whatever the source, so a
setting is checked by the same rules and named in the same words wherever IT wrote it.

Sources other than files (the Windows registry written by Group Policy or Intune, macOS managed
preferences written by a configuration profile) hold values of their own types (a DWORD for a yes/no,
an integer for a number of seconds): :func:`as_model_types` turns them into what the model expects, from
the model's own schema, so that each source needs no list of settings of its own.

The machine-wide file lives at a fixed place per platform (:func:`machine_policy_path`):
``/etc/referral-desktop/policy.toml`` on Linux (not ``$XDG_CONFIG_DIRS``, which a user can change),
``%ProgramData%\\ReferralDesktop\\policy.toml`` on Windows and
``/Library/Application Support/ReferralDesktop/policy.toml`` on macOS.
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import platformdirs

from referral_desktop.policy.errors import PolicyError, PolicyUnreadable

APP_NAME = "ReferralDesktop"
POLICY_ENV = "REFERRAL_DESKTOP_POLICY"
POLICY_FILE_NAME = "policy.toml"
LINUX_POLICY_PATH = Path("/etc/referral-desktop/policy.toml")


@dataclass(frozen=True)
class RawSettings:
    """Settings as one source holds them, before validation.

    ``label`` prefixes every message about them (a file's path, a registry key); ``kind`` says what sort
    of source it is (``file``, ``registry``, ``managed preferences``), for ``doctor``; ``path`` is the file
    they came from, if any (it becomes ``Policy.source``); relative paths in them start from ``base_dir``
    (by default the file's folder).
    """

    data: Mapping[str, Any]
    label: str
    path: Path | None = None
    kind: str = "file"
    base_dir: Path | None = None

    @property
    def relative_to(self) -> Path | None:
        """The folder relative paths in these settings start from."""
        if self.base_dir is not None:
            return self.base_dir
        return self.path.resolve().parent if self.path is not None else None


class PolicySource(Protocol):
    """Anything that can hand over policy settings: a file, the Windows registry, managed preferences."""

    def read(self) -> RawSettings | None:
        """The settings this source holds, or None if it holds none. Raises :class:`PolicyError` (or
        :class:`PolicyUnreadable`) naming the source when it exists but cannot be read."""
        ...


@dataclass(frozen=True)
class FileSource:
    """A TOML policy file. ``required``: a missing file is an error (a file named with ``--policy``)
    rather than "no settings here" (the machine-wide file, which most machines lack)."""

    path: Path
    required: bool = True

    def read(self) -> RawSettings | None:
        path = self.path
        if not self.required and not path.exists():
            return None
        try:
            with path.open("rb") as handle:
                raw = handle.read()
        except FileNotFoundError:
            raise PolicyUnreadable(f"{path}: no such file", path) from None
        except IsADirectoryError:
            raise PolicyUnreadable(f"{path}: is a folder, not a policy file", path) from None
        except OSError as exc:
            raise PolicyUnreadable(f"{path}: cannot be read ({exc.strerror or 'unreadable'})", path) from None
        try:
            # utf-8-sig: Windows PowerShell 5.1 saves "UTF8" with a byte-order mark, which TOML itself refuses.
            data = tomllib.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise PolicyError(f"{path}: is not UTF-8 text", path) from None
        except tomllib.TOMLDecodeError as exc:
            raise PolicyError(f"{path}: is not valid TOML: {exc}", path) from None
        return RawSettings(data, str(path), path)


def machine_policy_path() -> Path:
    """Where IT (or the installer) puts the machine-wide policy on this platform."""
    if sys.platform == "win32" or sys.platform == "darwin":
        return Path(platformdirs.site_config_dir(APP_NAME, appauthor=False)) / POLICY_FILE_NAME
    return LINUX_POLICY_PATH


def setting_kind(name: str) -> str:
    """What sort of value the setting ``name`` takes, from the model's schema: ``boolean``, ``integer``,
    ``number``, ``array``, ``path``, ``string`` or ``table`` (privacy_notice, contacts); ``unknown``
    for a name the model does not have."""
    from referral_desktop.policy.model import Policy

    prop = Policy.model_json_schema()["properties"].get(name)
    if prop is None:
        return "unknown"
    variants = [v for v in prop.get("anyOf", [prop]) if v.get("type") != "null"]
    first = variants[0] if variants else prop
    if "$ref" in first or first.get("type") == "object":
        return "table"
    if first.get("format") == "path":
        return "path"
    return str(first.get("type", "string"))


def as_model_types(data: Mapping[str, Any]) -> dict[str, Any]:
    """Values from a registry or a property list, turned into the model's types where the meaning is
    plain: 0/1 for a yes/no, a whole number for a number of seconds, one text for a list of one.
    Anything else is left for the model to refuse, naming the setting."""
    converted: dict[str, Any] = {}
    for name, value in data.items():
        kind = setting_kind(name)
        if kind == "boolean" and type(value) is int and value in (0, 1):
            value = bool(value)
        elif kind == "number" and type(value) is int:
            value = float(value)
        elif kind == "array" and isinstance(value, str):
            value = [value]
        elif kind == "array" and isinstance(value, list | tuple):
            value = [item for item in value if not (isinstance(item, str) and not item.strip())]
        converted[name] = value
    return converted
