"""Where policy settings come from: each source hands over raw settings behind one interface.

A source (:class:`PolicySource`) only reads: it returns the settings it holds as a plain mapping, with a
label for messages and the folder relative paths start from (:class:`RawSettings`), or ``None`` when it
holds none. Validation happens once, in :mod:`referral_desktop.policy.loading`, whatever the source, so a
setting is checked by the same rules and named in the same words wherever IT wrote it.

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

    ``label`` prefixes every message about them (a file's path); ``path`` is the file they came from, if
    any (its folder is where relative paths start, and it becomes ``Policy.source``).
    """

    data: Mapping[str, Any]
    label: str
    path: Path | None = None


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
