"""Where each user's data lives on this machine, so that IT can back it up or remove it.

Why: a per-machine uninstall runs as an administrator (or SYSTEM), not as the user whose encrypted
store it should remove, so the per-user folders must be found from the folder that holds every user's
home. Each user's folders are the current user's platform folders (``platformdirs``) taken relative to
the current home and applied under every other home:

- Linux: ``~/.local/share/ReferralDesktop`` (store) and ``~/.local/state/ReferralDesktop`` (logs);
- Windows: ``%LOCALAPPDATA%\\ReferralDesktop`` (store and logs);
- macOS: ``~/Library/Application Support/ReferralDesktop`` and ``~/Library/Logs/ReferralDesktop``.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from referral_desktop.logging_setup import default_log_dir
from referral_desktop.profile_location import default_profile_dir


@dataclass(frozen=True)
class UserData:
    home: Path
    folders: tuple[Path, ...]


def _app_root(path: Path, home: Path) -> Path:
    """The first folder under ``home`` named after the app (so that its parents are never removed)."""
    relative = path.relative_to(home)
    parts = relative.parts
    for index, part in enumerate(parts):
        if part.lower().startswith("referraldesktop"):
            return Path(*parts[: index + 1])
    return relative


def relative_folders(home: Path | None = None) -> tuple[Path, ...]:
    """The app's per-user folders relative to a home folder."""
    home = home or Path.home()
    found = []
    for path in (default_profile_dir(), default_log_dir()):
        try:
            root = _app_root(path, home)
        except ValueError:  # the folder is not under the home (an override): only that user's
            continue
        if root not in found:
            found.append(root)
    return tuple(found)


def homes_root() -> Path:
    if sys.platform == "win32":
        return Path(os.environ.get("PUBLIC", r"C:\Users\Public")).parent
    return Path.home().parent if sys.platform == "darwin" else Path("/home")


def all_users_data() -> list[UserData]:
    """Every home folder with any of the app's folders in it."""
    relatives = relative_folders()
    result = []
    root = homes_root()
    homes = [p for p in root.iterdir() if p.is_dir()] if root.is_dir() else []
    if sys.platform.startswith("linux") and Path("/root").is_dir():
        homes.append(Path("/root"))
    for home in sorted(homes):
        folders = tuple(home / rel for rel in relatives if (home / rel).exists())
        if folders:
            result.append(UserData(home, folders))
    return result


def current_user_data() -> UserData:
    home = Path.home()
    folders = [home / rel for rel in relative_folders(home)]
    for path in (default_profile_dir(), default_log_dir()):  # overrides outside the home
        if not any(path == f or f in path.parents for f in folders):
            folders.append(path)
    return UserData(home, tuple(f for f in folders if f.exists()))
