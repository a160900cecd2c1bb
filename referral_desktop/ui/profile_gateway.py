"""The store's profile-level functions (create, open, reset, counts) behind one small object.

Why: the first-run, unlock and reset screens need these calls and nothing else; naming them in one
place keeps the screens free of import details and lets the screenshot tool and tests use a temporary
profile folder.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import datetime  # annotations only: not imported before the first screen is drawn

STORE_FILE_HINT = "store.db"  # referral_desktop.store.layout.STORE_FILENAME (checked by a test)
SNAPSHOTS_HINT = "snapshots"  # referral_desktop.store.snapshots.SNAPSHOTS_DIR (checked by a test)
EARLIER_COPIES_HINT = "snapshots-of-an-earlier-store"  # referral_desktop.store.snapshots.EARLIER_DIR (idem)


class ProfileGateway:
    def __init__(self, profile_dir: Path, clock: Callable[[], datetime]) -> None:
        self.profile_dir = profile_dir
        self.clock = clock

    @staticmethod
    def _store() -> Any:
        import referral_desktop.store as store_api

        return store_api

    def exists_hint(self) -> bool:
        """A quick guess without importing the store (start-up speed): is the store's file there?
        Always confirmed by :meth:`exists` afterwards."""
        return (self.profile_dir / STORE_FILE_HINT).exists()

    def exists(self) -> bool:
        return bool(self._store().store_exists(self.profile_dir))

    def passphrase_problems(self, passphrase: str) -> list[str]:
        return list(self._store().passphrase_problems(passphrase))

    def create(self, passphrase: str) -> Any:
        return self._store().create_store(self.profile_dir, passphrase, clock=self.clock)

    def open(self, passphrase: str) -> Any:
        return self._store().open_store(self.profile_dir, passphrase, clock=self.clock)

    def verify(self, passphrase: str) -> None:
        """Check a passphrase (re-unlock after auto-lock) by opening and closing a second connection."""
        self.open(passphrase).close()

    def reset(self) -> None:
        self._store().reset_store(self.profile_dir)

    def newest_snapshot_time(self) -> datetime | None:
        """When the newest encrypted copy of the store was taken (None: there is none)."""
        from referral_desktop.store.snapshots import list_snapshots

        newest = list_snapshots(self.profile_dir)[:1]
        return newest[0].taken_at if newest else None

    def missing_store_copy_time(self) -> datetime | None:
        """When the newest copy was taken, if ``store.db`` is missing but copies of it exist (None
        otherwise). Only a folder listing unless there are copies: the store's modules load then."""
        folder = self.profile_dir / SNAPSHOTS_HINT
        if self.exists_hint() or not folder.is_dir() or not any(folder.glob("store-*.db")):
            return None
        from referral_desktop.store.snapshots import missing_store_copy

        copy = missing_store_copy(self.profile_dir)
        return copy.taken_at if copy else None

    def restore_and_open(self, passphrase: str) -> Any:
        """Put the newest copy in place of the damaged (kept aside) or missing store, then unlock it."""
        from referral_desktop.store.snapshots import restore_snapshot

        restore_snapshot(self.profile_dir, passphrase)
        return self.open(passphrase)

    def unsent_counts(self) -> tuple[int, int]:
        """(drafts, waiting to send) — readable without the passphrase."""
        summary = self._store().unsent_summary(self.profile_dir)
        return int(getattr(summary, "drafts", 0)), int(getattr(summary, "waiting_to_send", 0))
