"""macOS managed preferences as a policy source: what a configuration profile (Jamf, Intune for Mac) sets.

A profile with a ``com.apple.ManagedClient.preferences`` payload (or an MDM's custom settings for the
app's bundle id) makes macOS write ``/Library/Managed Preferences/org.referraldesktop.app.plist``, a
property list with one key per setting, named exactly as in the policy file (an example profile is
``build/macos/policy/org.referraldesktop.app.mobileconfig``). It is read with :mod:`plistlib` and checked
by the same model, its messages prefixed with the file's path. Relative paths start from the
machine-wide policy folder.
"""

from __future__ import annotations

import plistlib
from dataclasses import dataclass
from pathlib import Path

from referral_desktop.policy.errors import PolicyError, PolicyUnreadable
from referral_desktop.policy.sources import RawSettings, as_model_types

BUNDLE_ID = "org.referraldesktop.app"
MANAGED_PREFERENCES_PATH = Path("/Library/Managed Preferences") / f"{BUNDLE_ID}.plist"


@dataclass(frozen=True)
class ManagedPreferencesSource:
    """The managed-preferences property list, as a :class:`~referral_desktop.policy.sources.PolicySource`."""

    path: Path = MANAGED_PREFERENCES_PATH
    base_dir: Path | None = None

    def read(self) -> RawSettings | None:
        path = self.path
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise PolicyUnreadable(f"{path}: cannot be read ({exc.strerror or 'unreadable'})", path) from None
        try:
            data = plistlib.loads(raw)
        except (plistlib.InvalidFileException, ValueError):
            raise PolicyError(f"{path}: is not a property list", path) from None
        if not isinstance(data, dict):
            raise PolicyError(f"{path}: must hold a dictionary of settings", path) from None
        if not data:
            return None
        return RawSettings(as_model_types(data), str(path), kind="managed preferences", base_dir=self.base_dir)
