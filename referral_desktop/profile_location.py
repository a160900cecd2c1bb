"""Where a user's profile (encrypted store, throttle state, logs) lives.

One profile per operating-system user, under the platform's per-user data directory. Tests and IT
override it with ``--profile DIR`` or the ``REFERRAL_DESKTOP_PROFILE`` environment variable.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "ReferralDesktop"
APP_AUTHOR = "ReferralDesktop"
PROFILE_ENV = "REFERRAL_DESKTOP_PROFILE"


def default_profile_dir() -> Path:
    """The platform's per-user data directory for the app (not created here)."""
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR, roaming=False))


def resolve_profile_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The profile folder: an explicit option first, then the environment, then the platform default."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    from_env = os.environ.get(PROFILE_ENV)
    if from_env:
        return Path(from_env).expanduser().resolve()
    return default_profile_dir()


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) readable by the owner only, and tighten it if it already exists."""
    path.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(path, 0o700)
    return path
