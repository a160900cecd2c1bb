"""The open store: one keyed connection, a lock around it, and the repositories that use it.

Thread use: the connection is opened with ``check_same_thread=False`` and every use goes through
``read()``/``write()``, which hold a re-entrant lock, so the UI can open the store on one thread and
hand it to a worker thread (one at a time, or even concurrently: calls are serialised). Another
process on the same profile uses its own Store; WAL and the busy timeout let them share the file.

Writes are ``BEGIN IMMEDIATE … COMMIT`` (the write lock is taken up front, so two processes never
deadlock upgrading a read lock) and with ``synchronous = FULL`` a save that returned is on disk.
"""

from __future__ import annotations

import getpass
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from referral_desktop.store import migrations
from referral_desktop.store.attachment_uploads import AttachmentUploads
from referral_desktop.store.attachments import Attachments
from referral_desktop.store.audit import AuditEvent, AuditLog
from referral_desktop.store.changes_feed import ChangesFeedPosition
from referral_desktop.store.connection import DatabaseError, RawKey, is_damage, is_disk_full
from referral_desktop.store.errors import (
    DAMAGED_PAGES,
    DiskFull,
    StoreDamaged,
    StoreError,
    StoreLocked,
    WeakPassphrase,
    WrongPassphrase,
)
from referral_desktop.store.form_moves import FormMoves
from referral_desktop.store.layout import StoreFiles
from referral_desktop.store.losses_told import LossesTold
from referral_desktop.store.not_at_iart import NotAtIartCounts
from referral_desktop.store.outbox import Outbox
from referral_desktop.store.passphrase import key_statement, passphrase_problems
from referral_desktop.store.records import StoreCheckReport, UnsentSummary
from referral_desktop.store.referrals import Referrals
from referral_desktop.store.referrer_profile import ReferrerProfile
from referral_desktop.store.replies import Replies
from referral_desktop.store.retention import DEFAULT_RETENTION_DAYS, Receipts, purge_expired
from referral_desktop.store.snapshots import Snapshots
from referral_desktop.store.status_heard import StatusHeard
from referral_desktop.store.unsent import count_unsent, write_unsent_summary

log = logging.getLogger(__name__)


def current_user() -> str:
    """The OS user name recorded in the audit log."""
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): still record something non-personal
        return "unknown"


class Store:
    """An unlocked store. Build one with ``create_store``/``open_store``; close it to lock."""

    def __init__(self, conn: Any, files: StoreFiles, *, clock: Callable[[], datetime],
                 user: str | None = None, write_summary_file: bool = True) -> None:
        self._conn = conn
        self._files = files
        self._lock = threading.RLock()
        self._counts_dirty = False
        self._counts_batches = 0  # > 0 inside batched_unsent_counts()
        self._last_written_summary: UnsentSummary | None = None
        self._write_summary_file = write_summary_file
        self.clock = clock
        self.user = user or current_user()
        #: The key derived at unlock (a RawKey), for a second connection without deriving it again;
        #: None for a store just created.
        self.raw_key: RawKey | None = None
        self.audit = AuditLog(self)
        self.referrals = Referrals(self)
        self.form_moves = FormMoves(self)
        self.attachments = Attachments(self)
        self.uploads = AttachmentUploads(self)
        self.outbox = Outbox(self)
        self.profile = ReferrerProfile(self)
        self.receipts = Receipts(self)
        self.snapshots = Snapshots(self)
        self.replies = Replies(self)
        self.changes_feed = ChangesFeedPosition(self)
        self.status_heard = StatusHeard(self)
        self.losses_told = LossesTold(self)
        self.not_at_iart = NotAtIartCounts(self)

    # --- transactions -------------------------------------------------------------------------------
    def _connection(self) -> Any:  # a sqlcipher3 connection (the library has no type information)
        if self._conn is None:
            raise StoreLocked()
        return self._conn

    @contextmanager
    def read(self) -> Iterator[Any]:
        """The connection, under the lock (statements run in autocommit unless the caller begins).

        SQLite's reports of a damaged file or a full disk become :class:`StoreDamaged` / :class:`DiskFull`
        here, once, so that no caller shows a raw ``DatabaseError`` and none mistakes damage for a bug.
        """
        with self._lock, self._faults_named():
            yield self._connection()

    @contextmanager
    def _faults_named(self) -> Iterator[None]:
        try:
            yield
        except DatabaseError as exc:
            if is_damage(exc):
                log.error("the store is damaged: %s", type(exc).__name__)
                raise StoreDamaged(DAMAGED_PAGES) from None
            if is_disk_full(exc):
                log.error("a save failed: the disk is full")
                raise DiskFull(str(self._files.profile_dir)) from None
            raise

    @contextmanager
    def write(self, counts_changed: bool = False, *, fsync: bool = True) -> Iterator[Any]:
        """One transaction (nested calls join the outer one); refreshes the unsent counts if asked.

        ``fsync=False`` commits without waiting for the disk (``synchronous = NORMAL`` for this one
        transaction). It survives the process being killed, as every commit does in WAL mode, and is made
        durable by the next ordinary commit; only a power cut in between can lose it. It is for marks
        that are safe to lose that way, such as "sending" before an attempt (lost, the referral is simply
        sent again under the same idempotency key), never for answers or a received acknowledgement.
        """
        with self._lock, self._faults_named():
            conn = self._connection()
            if counts_changed:
                self._counts_dirty = True
            if conn.in_transaction:
                yield conn
                return
            if not fsync:
                conn.execute("PRAGMA synchronous = NORMAL")
            deferred = self.audit.take_deferred()
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    if deferred:  # entries a full disk held back (unlock), in their own order and time
                        self.audit.insert_rows(conn, deferred)
                    yield conn
                except BaseException:
                    if conn.in_transaction:  # SQLite may already have rolled back (a full disk)
                        conn.execute("ROLLBACK")
                    raise
                try:
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
            except BaseException:
                self.audit.give_back(deferred)
                raise
            finally:
                if not fsync:
                    conn.execute("PRAGMA synchronous = FULL")
            if self._counts_dirty and not self._counts_batches:
                self._counts_dirty = False
                self.refresh_unsent_summary()

    @contextmanager
    def batched_unsent_counts(self) -> Iterator[None]:
        """Rewrite the unsent-counts file once, on leaving, instead of after every commit inside.

        For the sender, whose every acknowledgement moves a referral out of "waiting to send": writing the
        file each time was a fifth of its bookkeeping per referral. Within a batch, referrals only leave
        the counts (received) or move between them (returned to draft), so a kill inside leaves a file
        that shows no fewer drafts and unsent referrals together than there are; it is rewritten at the
        next unlock in any case.
        """
        with self._lock:
            self._counts_batches += 1
        try:
            yield
        finally:
            with self._lock:
                self._counts_batches -= 1
                flush = self._counts_dirty and not self._counts_batches
                if flush:
                    self._counts_dirty = False
            if flush:
                self.refresh_unsent_summary()

    def note_counts_changed(self) -> None:
        """Inside :meth:`write`: the unsent counts move, so rewrite their file after the commit."""
        self._counts_dirty = True

    def refresh_unsent_summary(self) -> None:
        if not self._write_summary_file:
            return
        with self.read() as conn:
            summary = count_unsent(conn)
        if summary == self._last_written_summary:
            # Most state changes (queued -> sending -> received) move nothing between the counted
            # groups; rewriting and fsyncing the file for them doubled the cost of each send.
            return
        try:
            write_unsent_summary(self._files, summary)
        except OSError as exc:  # advisory file: never fail a save over it
            log.warning("could not write the unsent counts file: %s", type(exc).__name__)
        else:
            self._last_written_summary = summary

    # --- whole-store operations -----------------------------------------------------------------
    @property
    def files(self) -> StoreFiles:
        return self._files

    @property
    def schema_version(self) -> int:
        with self.read() as conn:
            return migrations.current_version(conn)

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    def purge_expired(self, now: datetime, retention_days: int = DEFAULT_RETENTION_DAYS,
                      on_purged: Callable[[str], None] | None = None) -> int:
        purged = purge_expired(self, now, retention_days, on_purged)
        if purged:
            self.snapshots.replace_all()
        return purged

    def check(self) -> StoreCheckReport:
        """``PRAGMA integrity_check`` and ``cipher_integrity_check`` (every page's HMAC), schema version."""
        with self.read() as conn:
            try:
                integrity = [str(row[0]) for row in conn.execute("PRAGMA integrity_check").fetchall()]
            except Exception as exc:  # a damaged page can stop the check itself
                integrity = [f"integrity check could not finish: {exc}"]
            try:
                cipher = [str(row[0]) for row in conn.execute("PRAGMA cipher_integrity_check").fetchall()]
            except Exception as exc:  # plain sqlite3 (benchmark twin) has no such pragma
                cipher = [f"cipher integrity check unavailable: {type(exc).__name__}"]
            version = migrations.current_version(conn)
        return StoreCheckReport(
            schema_version=version,
            latest_schema_version=migrations.LATEST_VERSION,
            integrity_problems=[] if integrity == ["ok"] else integrity,
            cipher_integrity_problems=cipher,
        )

    def change_passphrase(self, old: str, new: str) -> None:
        """Re-key the store. The old passphrase is checked first (someone at an unlocked screen is not
        necessarily its owner); the new one must pass :func:`passphrase_problems`."""
        from referral_desktop.store.connection import KeyRejected, connect_keyed

        problems = passphrase_problems(new)
        if problems:
            raise WeakPassphrase(problems)
        with self._lock:
            try:
                connect_keyed(self._files.db, old).close()
            except KeyRejected:
                raise WrongPassphrase(0) from None
            conn = self._connection()
            conn.execute(key_statement(new, pragma="rekey"))
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.audit.record(AuditEvent.PASSPHRASE_CHANGED)

    def close(self) -> None:
        """Lock: close the connection. The Store cannot be used again; unlock opens a new one."""
        with self._lock:
            if self._conn is not None and self.audit.has_deferred:
                try:
                    with self.write():  # the deferred entries go in with this (otherwise empty) commit
                        pass
                except StoreError as exc:  # still no room: they are lost, as the log file says
                    log.warning("audit entries deferred by a full disk not written: %s", type(exc).__name__)
            if self._conn is not None:
                try:
                    self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
                except Exception as exc:  # another process may hold the database: checkpoint later
                    log.info("checkpoint skipped on close: %s", type(exc).__name__)
                self._conn.close()
                self._conn = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
