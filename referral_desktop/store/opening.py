"""Creating, unlocking and resetting the store in a profile folder.

Wrong passphrase or damage? SQLCipher checks page 1's HMAC when it first reads the file, and a wrong
key and a damaged page 1 fail that check identically ("file is not a database"), so damage to the first
4 KB of ``store.db`` cannot be told from a wrong passphrase: the message says both and asks the user to
contact IT before resetting. With the right key, a damaged page anywhere else is "database disk image is
malformed" when it is read: that is :class:`StoreDamaged`, never counted as a wrong attempt. Unlock reads
the schema, the referrals' summary rows and the audit log, so damage there stops unlock; damage elsewhere
is found when that page is read, or by ``store check`` (``PRAGMA cipher_integrity_check``). A file that
is too short or not a whole number of pages is reported as damaged.

Before an older store is migrated, its encrypted file is copied to ``backups/`` (same key) so that a
failed migration loses nothing.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from referral_desktop.store import migrations
from referral_desktop.store.attempt_lock import attempt_lock
from referral_desktop.store.audit import AuditEvent
from referral_desktop.store.connection import (
    PAGE_SIZE,
    KeyRejected,
    RawKey,
    connect_keyed,
    derive_raw_key,
    is_damage,
    is_disk_full,
)
from referral_desktop.store.encrypted_store import Store
from referral_desktop.store.errors import (
    DAMAGED_PAGES,
    DiskFull,
    StoreDamaged,
    StoreError,
    StoreExists,
    StoreNotFound,
    UnlockThrottled,
    WeakPassphrase,
    WrongPassphrase,
)
from referral_desktop.store.layout import StoreFiles
from referral_desktop.store.passphrase import passphrase_problems
from referral_desktop.store.snapshots import check_nothing_lost, set_aside_earlier_snapshots, snapshots_dir
from referral_desktop.store.throttle import UnlockThrottle
from referral_desktop.store.timestamps import utc_now

log = logging.getLogger(__name__)


class StoreFromNewerVersion(StoreError):
    def __init__(self, version: int) -> None:
        super().__init__(
            f"This store was made by a newer version of the app (schema {version}); update the app to open it"
        )
        self.version = version


def store_exists(profile_dir: Path) -> bool:
    return StoreFiles(Path(profile_dir)).db.exists()


def create_store(profile_dir: Path, passphrase: str, *, clock: Callable[[], datetime] | None = None,
                 user: str | None = None) -> Store:
    """Create an empty store keyed with ``passphrase`` (which must pass :func:`passphrase_problems`).

    Snapshots of an earlier store found in the profile (its ``store.db`` is gone) are first moved to
    ``snapshots-of-an-earlier-store/`` so that the new store's snapshots never rotate them out.
    """
    clock = clock or utc_now
    files = StoreFiles(Path(profile_dir))
    problems = passphrase_problems(passphrase)
    if problems:
        raise WeakPassphrase(problems)
    if files.db.exists():
        raise StoreExists()
    files.ensure_dir()
    set_aside_earlier_snapshots(files.profile_dir, clock())
    # Create the file owner-only before SQLite touches it; SQLite gives -wal and -shm the same mode.
    fd = os.open(files.db, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)
    for leftover in (files.wal, files.shm, files.journal):
        leftover.unlink(missing_ok=True)
    try:
        conn = connect_keyed(files.db, passphrase)
    except BaseException:
        files.db.unlink(missing_ok=True)
        raise
    files.tighten()
    migrations.migrate(conn, clock)
    files.tighten()
    UnlockThrottle(files.throttle, clock).record_success()
    store = Store(conn, files, clock=clock, user=user)
    store.audit.record(AuditEvent.UNLOCKED)
    store.refresh_unsent_summary()
    return store


def _looks_truncated(files: StoreFiles) -> bool:
    size = files.db.stat().st_size
    return 0 < size < PAGE_SIZE or size % PAGE_SIZE != 0


def open_store(profile_dir: Path, passphrase: str | RawKey, *, clock: Callable[[], datetime] | None = None,
               user: str | None = None, target_version: int | None = None) -> Store:
    """Unlock the store, migrating it (after a backup) if an older app version made it.

    The key is derived from the passphrase once, here; the store keeps it as ``store.raw_key`` so a
    second connection (the background sender's) opens with ``open_store(profile, store.raw_key)``
    without deriving it again (see :mod:`referral_desktop.store.connection`).

    Raises ``StoreNotFound``, ``UnlockThrottled(wait_seconds)`` (too soon after a wrong passphrase: not
    tried), ``WrongPassphrase(retry_after_seconds)``, ``StoreDamaged``, ``StoreFromNewerVersion``.
    ``target_version`` is for tests that build stores of earlier schema versions.
    """
    clock = clock or utc_now
    files = StoreFiles(Path(profile_dir))
    if not files.db.exists():
        raise StoreNotFound()
    # One attempt at a time across processes: the delay is read before and written after each.
    with attempt_lock(files.profile_dir):
        throttle = UnlockThrottle(files.throttle, clock)
        wait = throttle.wait_seconds()
        if wait > 0:
            raise UnlockThrottled(wait)
        if _looks_truncated(files):
            raise StoreDamaged("The store file is damaged: it is not a whole number of pages")
        key = derive_raw_key(files.db, passphrase) if isinstance(passphrase, str) else passphrase
        try:
            conn = connect_keyed(files.db, key or passphrase)
        except KeyRejected:
            log.info("unlock refused")
            raise WrongPassphrase(throttle.record_failure()) from None
        throttle.record_success()
    files.tighten()
    try:
        version = migrations.current_version(conn)
        if version > migrations.LATEST_VERSION:
            raise StoreFromNewerVersion(version)
        target = migrations.LATEST_VERSION if target_version is None else target_version
        if 0 < version < target:
            backup_before_migration(conn, files, version, clock)
        migrations.migrate(conn, clock, target)
        check_nothing_lost(files.profile_dir, conn)
    except StoreError:
        conn.close()
        raise
    except Exception as exc:
        conn.close()
        if is_disk_full(exc):
            raise DiskFull(str(files.profile_dir)) from None
        if is_damage(exc):
            raise StoreDamaged(DAMAGED_PAGES) from None
        raise StoreDamaged(f"The store could not be read ({type(exc).__name__})") from None
    store = Store(conn, files, clock=clock, user=user)
    store.raw_key = key
    if target_version is None:
        try:
            try:
                store.audit.record(AuditEvent.UNLOCKED)
            except DiskFull:  # the answers are safe and readable: unlock, write the entry later
                log.warning("unlocked on a full disk; the audit entry waits for room")
                store.audit.defer(AuditEvent.UNLOCKED)
            store.refresh_unsent_summary()
        except BaseException:
            store.close()
            raise
    return store


def backup_before_migration(conn: Any, files: StoreFiles, version: int, clock: Callable[[], datetime]) -> Path:
    """Copy the encrypted file (after folding the WAL into it) to ``backups/store-v<N>-<time>.db``."""
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    files.backups_dir.mkdir(mode=0o700, exist_ok=True)
    stamp = clock().strftime("%Y%m%dT%H%M%S%fZ")
    target = files.backups_dir / f"store-v{version}-{stamp}.db"
    conn.execute("BEGIN IMMEDIATE")  # no other process writes while we copy
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with open(fd, "wb") as out, open(files.db, "rb") as src:
            shutil.copyfileobj(src, out)
            out.flush()
            os.fsync(out.fileno())
        if files.wal.exists() and files.wal.stat().st_size:
            wal_target = target.with_name(target.name + "-wal")
            fd = os.open(wal_target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with open(fd, "wb") as out, open(files.wal, "rb") as src:
                shutil.copyfileobj(src, out)
                os.fsync(out.fileno())
    finally:
        conn.execute("ROLLBACK")
    log.info("backed up schema version %s before migrating", version)
    return target


def reset_store(profile_dir: Path) -> None:
    """Delete the store and everything kept with it (for a forgotten passphrase). Cannot be undone."""
    files = StoreFiles(Path(profile_dir))
    for path in (*files.database_files(), files.throttle, files.unsent_summary, files.profile_dir / "unlock.lock"):
        path.unlink(missing_ok=True)
    shutil.rmtree(files.backups_dir, ignore_errors=True)
    shutil.rmtree(snapshots_dir(files.profile_dir), ignore_errors=True)
