"""Rolling encrypted snapshots of the store, and restoring one.

Why: WAL and ``synchronous = FULL`` make every save durable against a crash or a kill, but not against
the file itself being damaged later (a failing disk, a truncated or damaged ``-wal``, a bad copy), which
``store check`` can report but not undo. A snapshot is a whole, consistent copy made with
``VACUUM INTO``: still encrypted with the same passphrase (SQLCipher keys the copy like the original),
owner-only (0600, in a 0700 folder), checked page by page before it is restored.

When: after each referral is queued (the moment a referral's content becomes final) and, while someone
is editing, after a save when the newest snapshot is more than an hour old. The last ``KEEP`` are kept.
What a restore can lose: everything saved after the snapshot was taken (at most an hour of editing, or
nothing queued since). The damaged file is never deleted by a restore; it is moved to ``damaged/``.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from referral_desktop.store.connection import connect_keyed
from referral_desktop.store.errors import DAMAGED_LOST_WORK, StoreDamaged, StoreError, WrongPassphrase
from referral_desktop.store.layout import StoreFiles

if TYPE_CHECKING:
    from referral_desktop.store.encrypted_store import Store

log = logging.getLogger(__name__)

KEEP = 3
EDITING_INTERVAL = timedelta(hours=1)
SNAPSHOTS_DIR = "snapshots"
#: ``store-<UTC time>-a<last audit entry id>.db``: the id lets unlock notice a store that lost work.
_NAME = re.compile(r"^store-(\d{8}T\d{6}\d{6}Z)-a(\d+)\.db$")
_STAMP = "%Y%m%dT%H%M%S%fZ"


class NoSnapshot(StoreError):
    def __init__(self) -> None:
        super().__init__("There is no copy of the store to restore")


@dataclass(frozen=True)
class Snapshot:
    path: Path
    taken_at: datetime
    last_audit_id: int = 0


def missing_store_copy(profile_dir: Path) -> Snapshot | None:
    """The newest snapshot when ``store.db`` itself is missing (deleted, a bad copy): a store to restore,
    not a first run. None when the store file is there or there is no copy."""
    if StoreFiles(Path(profile_dir)).db.exists():
        return None
    return next(iter(list_snapshots(profile_dir)), None)


def copy_time(taken_at: datetime) -> str:
    """'27 Nov 10:42' in UK time: how commands and ``doctor`` name a snapshot (the month in English
    whatever the locale: ``domain/clock_words.py``)."""
    from referral_desktop.domain.clock_words import month_name
    from referral_desktop.domain.working_days import uk_local

    local = uk_local(taken_at)
    return f"{local.day} {month_name(local, short=True)} {local:%H:%M}"


def missing_store_sentence(profile_dir: Path, copy: Snapshot) -> str:
    """What commands and ``doctor`` say when ``store.db`` is missing but a copy of it exists."""
    return (f"The store file is missing from {profile_dir}, but a copy of it from {copy_time(copy.taken_at)} is "
            f"in {snapshots_dir(profile_dir)}. Restore it with: referral-desktop store restore")


def snapshots_dir(profile_dir: Path) -> Path:
    return Path(profile_dir) / SNAPSHOTS_DIR


def list_snapshots(profile_dir: Path) -> list[Snapshot]:
    """The snapshots in the profile, newest first (read from their names: no passphrase needed)."""
    folder = snapshots_dir(profile_dir)
    found = []
    if folder.is_dir():
        for path in folder.iterdir():
            match = _NAME.match(path.name)
            if match:
                taken = datetime.strptime(match.group(1), _STAMP).replace(tzinfo=UTC)
                found.append(Snapshot(path, taken, int(match.group(2))))
    return sorted(found, key=lambda s: s.taken_at, reverse=True)


class Snapshots:
    """Taking snapshots of an open store (``store.snapshots``)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def take(self) -> Snapshot | None:
        """A new snapshot now, the oldest beyond ``KEEP`` removed; None (logged) if it could not be made.

        Never raises: a snapshot is a safety net, and failing to make one (a full disk) must not fail
        the save or the queueing that asked for it.
        """
        folder = snapshots_dir(self._store.files.profile_dir)
        taken_at = self._store.clock().astimezone(UTC)
        partial = folder / f"store-{taken_at.strftime(_STAMP)}.partial"
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
            os.chmod(folder, 0o700)
            # VACUUM INTO writes into an empty file that already exists: create it owner-only first.
            os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
            with self._store.read() as conn:
                last_audit_id = last_audit_entry(conn)
                conn.execute("VACUUM INTO ?", (str(partial),))
            target = folder / f"store-{taken_at.strftime(_STAMP)}-a{last_audit_id}.db"
            with open(partial, "rb+") as f:
                os.fsync(f.fileno())
            os.replace(partial, target)
        except (OSError, StoreError, Exception) as exc:  # noqa: BLE001 - see the docstring
            log.warning("could not take a snapshot of the store: %s", type(exc).__name__)
            partial.unlink(missing_ok=True)
            return None
        for old in list_snapshots(self._store.files.profile_dir)[KEEP:]:
            old.path.unlink(missing_ok=True)
        _remove_abandoned(folder)
        return Snapshot(target, taken_at, last_audit_id)

    def replace_all(self) -> None:
        """After the retention purge: a fresh snapshot, and every older one deleted, so that purged
        answers do not live on in copies (only the newest snapshot is kept when it could be made)."""
        fresh = self.take()
        if fresh is None:
            return
        for old in list_snapshots(self._store.files.profile_dir):
            if old.path != fresh.path:
                old.path.unlink(missing_ok=True)

    def take_if_due(self, interval: timedelta = EDITING_INTERVAL) -> Snapshot | None:
        """A snapshot if the newest is older than ``interval`` (or there is none): for saves while editing."""
        newest = list_snapshots(self._store.files.profile_dir)[:1]
        if newest and self._store.clock() - newest[0].taken_at < interval:
            return None
        return self.take()


EARLIER_DIR = "snapshots-of-an-earlier-store"


def set_aside_earlier_snapshots(profile_dir: Path, now: datetime) -> Path | None:
    """Move the snapshots of a store that is gone to ``snapshots-of-an-earlier-store/<time>/``.

    Why: when ``store.db`` is missing (deleted, a bad copy, a sync tool) and a new, empty store is made,
    the new store's own snapshots would rotate the earlier store's copies out (only ``KEEP`` are kept),
    losing the only copy of its unsent referrals and drafts. Set aside, they are never rotated or
    deleted; ``store restore`` can use them once moved back into ``snapshots/``. None: there were none.
    """
    earlier = list_snapshots(profile_dir)
    if not earlier:
        return None
    aside = Path(profile_dir) / EARLIER_DIR / now.astimezone(UTC).strftime(_STAMP)
    aside.mkdir(mode=0o700, parents=True, exist_ok=False)
    os.chmod(aside.parent, 0o700)
    for snapshot in earlier:
        os.replace(snapshot.path, aside / snapshot.path.name)
    log.info("set %d snapshot(s) of an earlier store aside", len(earlier))
    return aside


def _remove_abandoned(folder: Path, older_than: timedelta = timedelta(minutes=10)) -> None:
    """Delete ``.partial`` copies a killed process left (a snapshot under way elsewhere is younger)."""
    cutoff = datetime.now(UTC).timestamp() - older_than.total_seconds()
    for partial in folder.glob("*.partial"):
        try:
            if partial.stat().st_mtime < cutoff:
                partial.unlink()
        except OSError:
            continue


def last_audit_entry(conn: Any) -> int:
    """The id of the newest audit entry: every save adds one, so it only grows."""
    return int(conn.execute("SELECT coalesce(max(id), 0) FROM audit_log").fetchone()[0])


def check_nothing_lost(profile_dir: Path, conn: Any) -> None:
    """:class:`StoreDamaged` when the newest snapshot holds audit entries the store no longer has.

    A truncated or damaged ``-wal`` file loses its commits silently (SQLite ignores frames that fail
    their checksum) and every page still passes its check; the snapshot taken after those commits is
    the witness that they happened.
    """
    newest = next(iter(list_snapshots(profile_dir)), None)
    if newest is None or newest.last_audit_id <= last_audit_entry(conn):
        return
    created = conn.execute("SELECT min(applied_at) FROM schema_versions").fetchone()[0]
    try:
        created_at = datetime.fromisoformat(created)
    except (TypeError, ValueError):
        created_at = None
    if created_at is not None and newest.taken_at < created_at:
        return  # a copy of an earlier store (store.db was deleted and a new one made): not this one's
    raise StoreDamaged(DAMAGED_LOST_WORK)


def restore_snapshot(profile_dir: Path, passphrase: str, snapshot: Snapshot | None = None,
                     *, now: datetime | None = None) -> Snapshot:
    """Put ``snapshot`` (default: the newest) in place of the store; the store found there is kept.

    The snapshot is opened with ``passphrase`` and checked page by page first, so a wrong passphrase or a
    damaged copy changes nothing (``WrongPassphrase`` / :class:`StoreDamaged`). The current ``store.db``
    and its ``-wal``/``-shm`` are moved to ``damaged/<time>/``, never deleted (when ``store.db`` is
    missing, the copy is simply put in its place).
    """
    from referral_desktop.store.errors import UnlockThrottled
    from referral_desktop.store.throttle import UnlockThrottle

    files = StoreFiles(Path(profile_dir))
    chosen = snapshot or next(iter(list_snapshots(profile_dir)), None)
    if chosen is None:
        raise NoSnapshot()
    from referral_desktop.store.attempt_lock import attempt_lock

    with attempt_lock(files.profile_dir):
        throttle = UnlockThrottle(files.throttle, lambda: now or datetime.now(UTC))
        wait = throttle.wait_seconds()
        if wait > 0:  # the same delay as unlocking: a copy is no way round it
            raise UnlockThrottled(wait)
        try:
            _check_copy(chosen.path, passphrase)
        except WrongPassphrase:
            raise WrongPassphrase(throttle.record_failure()) from None
    stamp = (now or datetime.now(UTC)).strftime(_STAMP)
    present = [path for path in files.database_files() if path.exists()]
    if present:  # none when store.db went missing: nothing to keep aside
        aside = Path(profile_dir) / "damaged" / stamp
        aside.mkdir(mode=0o700, parents=True, exist_ok=False)
        os.chmod(aside.parent, 0o700)
        for path in present:
            os.replace(path, aside / path.name)
    partial = files.db.with_name(files.db.name + ".restoring")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with open(fd, "wb") as out, open(chosen.path, "rb") as src:
        shutil.copyfileobj(src, out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, files.db)
    log.info("restored the store from a snapshot; the previous file was kept aside")
    return chosen


def _check_copy(path: Path, passphrase: str) -> None:
    from referral_desktop.store.connection import KeyRejected

    try:
        conn = connect_keyed(path, passphrase)
    except KeyRejected:
        raise WrongPassphrase(0) from None
    try:
        problems = conn.execute("PRAGMA cipher_integrity_check").fetchall()
        integrity = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
    except Exception:  # noqa: BLE001 - a page so damaged that the check itself stops
        problems, integrity = ["unreadable"], []
    finally:
        conn.close()
    if problems or integrity != ["ok"]:
        raise StoreDamaged("The copy of the store is damaged too")
