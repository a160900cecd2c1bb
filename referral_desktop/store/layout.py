"""The files a store keeps in the profile folder, and how they are kept private.

One store per OS user: ``store.db`` (SQLCipher, with its ``-wal`` and ``-shm`` companions), migration
backups in ``backups/`` (still encrypted), and two small plain files that hold no personal data:
``unlock-throttle.json`` (failed unlock count and time) and ``unsent-summary.json`` (counts only).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from referral_desktop.private_files import write_private_atomically
from referral_desktop.profile_location import ensure_private_dir

STORE_FILENAME = "store.db"


@dataclass(frozen=True)
class StoreFiles:
    profile_dir: Path

    @property
    def db(self) -> Path:
        return self.profile_dir / STORE_FILENAME

    @property
    def wal(self) -> Path:
        return self.profile_dir / (STORE_FILENAME + "-wal")

    @property
    def shm(self) -> Path:
        return self.profile_dir / (STORE_FILENAME + "-shm")

    @property
    def journal(self) -> Path:
        return self.profile_dir / (STORE_FILENAME + "-journal")

    @property
    def backups_dir(self) -> Path:
        return self.profile_dir / "backups"

    @property
    def throttle(self) -> Path:
        return self.profile_dir / "unlock-throttle.json"

    @property
    def unsent_summary(self) -> Path:
        return self.profile_dir / "unsent-summary.json"

    def database_files(self) -> list[Path]:
        return [self.db, self.wal, self.shm, self.journal]

    def ensure_dir(self) -> None:
        ensure_private_dir(self.profile_dir)

    def tighten(self) -> None:
        """Owner-only permissions on every store file that exists (SQLite copies the db's mode, but be sure)."""
        if os.name != "posix":
            return
        for path in self.database_files():
            try:
                os.chmod(path, 0o600)
            except FileNotFoundError:
                pass


def write_private_json(path: Path, data: dict[str, Any], *, durable: bool = True) -> None:
    """Write a small JSON file atomically (temp file in the same folder, replace), mode 0600.

    ``durable`` adds an fsync before the replace. The unsent counts skip it: they are advisory, rewritten
    on every unlock, read as "unknown" when unreadable, and the fsync doubled the cost of each send.
    """
    ensure_private_dir(path.parent)
    write_private_atomically(path, json.dumps(data, sort_keys=True).encode("utf-8"), durable=durable)


def read_json(path: Path) -> dict[str, Any] | None:
    """The file's JSON object, or None when it is absent or unreadable (these files are advisory)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
