"""Opening the SQLCipher file: key, quiet HMAC logging, and the durability settings.

Settings, and why:
- ``cipher_log_level = NONE`` before keying: SQLCipher otherwise prints an HMAC failure to stderr on
  every wrong passphrase.
- ``journal_mode = WAL`` + ``synchronous = FULL``: a save that returned has been fsynced, and a reader
  in another process (a second app window, the CLI) does not block the writer.
- ``busy_timeout``: a second process waits for the writer instead of failing at once.
- ``temp_store = MEMORY``: sorts and temporary tables never go to a file in the temp directory.
- ``secure_delete = ON``: freed pages are overwritten, so purged personal data cannot be recovered
  from free pages even by someone holding the passphrase.
- ``check_same_thread=False``: the UI opens the store on one thread and uses it from a worker; the
  Store serialises access with its own lock.

Keying once: SQLCipher derives the key from the passphrase with PBKDF2 (a deliberate ~0.2 s), and a
second connection keyed with the passphrase derives it all over again. So unlocking derives the key
here, once, exactly as SQLCipher 4 would (PBKDF2-HMAC-SHA512, 256,000 iterations, the 16-byte salt at
the start of the file), keys the connection with that raw key and salt, and keeps it as a
:class:`RawKey` that opens the background sender's own connection at no cost. The file is the same:
the standard ``sqlcipher`` shell still opens it with the passphrase.
"""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path
from typing import Any

import sqlcipher3

from referral_desktop.store.errors import DAMAGED_PAGES, StoreDamaged
from referral_desktop.store.passphrase import key_statement

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
#: SQLCipher 4's default page size; used to tell a truncated file from a wrong passphrase.
PAGE_SIZE = 4096

DatabaseError = sqlcipher3.dbapi2.DatabaseError
#: Below this much free space a failed -shm read is taken as a full disk (SQLite maps it 32 KB at a time).
FULL_BELOW_BYTES = 64 * 1024

# SQLite's primary result codes that name a fault of the file rather than of the statement.
SQLITE_IOERR = 10  # a read or write the operating system refused (for the -shm file: no room for it)
SQLITE_CORRUPT = 11  # "database disk image is malformed": a page failed its HMAC with the right key
SQLITE_FULL = 13  # "database or disk is full"
SQLITE_NOTADB = 26  # "file is not a database": page 1 does not decrypt (wrong key, or page 1 damaged)


#: SQLCipher 4's defaults, which the store keeps (see passphrase.py): PBKDF2-HMAC-SHA512 iterations,
#: key length, and the salt at the start of the file.
KDF_ITERATIONS = 256_000
KEY_BYTES = 32
SALT_BYTES = 16


class RawKey:
    """A store's key as SQLCipher derives it from the passphrase, with the file's salt. Opens further
    connections without deriving again. Holds no more than the open connection already does; its text
    is never shown (``repr`` hides it) or logged."""

    __slots__ = ("_statement",)

    def __init__(self, key: bytes, salt: bytes) -> None:
        self._statement = f"PRAGMA key = \"x'{key.hex()}{salt.hex()}'\""

    def statement(self) -> str:
        return self._statement

    def __repr__(self) -> str:
        return "RawKey(…)"


def derive_raw_key(db_path: Path, passphrase: str) -> RawKey | None:
    """The key SQLCipher would derive from ``passphrase`` for this file; None when the file has no salt
    yet (too short), in which case the passphrase keys the connection itself."""
    if "\x00" in passphrase:
        raise ValueError("A passphrase cannot contain a NUL character")
    with open(db_path, "rb") as file:
        salt = file.read(SALT_BYTES)
    if len(salt) < SALT_BYTES:
        return None
    key = hashlib.pbkdf2_hmac("sha512", passphrase.encode("utf-8"), salt, KDF_ITERATIONS, KEY_BYTES)
    return RawKey(key, salt)


class KeyRejected(Exception):
    """SQLCipher could not read page 1 with this key: a wrong passphrase, or a damaged first page."""


def _code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_damage(exc: BaseException) -> bool:
    """True when SQLite reports the file itself as damaged (not a bad statement, a lock or a full disk)."""
    if not isinstance(exc, DatabaseError):
        return False
    code = _code(exc)
    if code is not None:
        return code in (SQLITE_CORRUPT, SQLITE_NOTADB)
    text = str(exc)
    return "malformed" in text or "not a database" in text


def is_disk_full(exc: BaseException) -> bool:
    """True when a write failed because the disk (or the file's size limit) is full."""
    if not isinstance(exc, DatabaseError):
        return False
    code = _code(exc)
    if code is not None:
        return code == SQLITE_FULL
    return "disk is full" in str(exc)


def connect_keyed(db_path: Path, passphrase: str | RawKey) -> sqlcipher3.dbapi2.Connection:
    """A connection to ``db_path`` keyed with ``passphrase`` (or a :class:`RawKey` derived from it),
    proven to decrypt, with durability settings.

    Raises :class:`KeyRejected` when page 1 does not decrypt (SQLCipher cannot tell a wrong key from a
    damaged first page: both fail the page's HMAC), and :class:`StoreDamaged` when page 1 decrypts (so
    the key is right) but a page of the schema does not.
    """
    try:
        return _connect(db_path, passphrase, exclusive=False)
    except DatabaseError as exc:
        if not (_code(exc) == SQLITE_IOERR and disk_is_full(db_path.parent)):
            raise
    # A full disk: SQLite cannot grow the -shm file that WAL readers share, so even reading fails. With
    # exclusive locking the WAL index lives in this process's memory instead; other processes wait
    # (busy timeout) until this one closes the store, which is the price of unlocking at all.
    log.warning("the disk is full: opening the store for this process only")
    return _connect(db_path, passphrase, exclusive=True)


def _connect(db_path: Path, passphrase: str | RawKey, *, exclusive: bool) -> sqlcipher3.dbapi2.Connection:
    conn = sqlcipher3.connect(str(db_path), isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE").fetchall()
        conn.execute(passphrase.statement() if isinstance(passphrase, RawKey) else key_statement(passphrase))
        if exclusive:
            conn.execute("PRAGMA locking_mode = EXCLUSIVE").fetchall()
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except DatabaseError as exc:
            if _code(exc) == SQLITE_NOTADB or "not a database" in str(exc):
                raise KeyRejected() from exc
            if is_damage(exc):
                raise StoreDamaged(DAMAGED_PAGES) from None
            raise
        configure(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def disk_is_full(folder: Path) -> bool:
    """True when the file system holding ``folder`` has less room than SQLite needs to grow a file."""
    try:
        stats = os.statvfs(folder)
    except OSError:
        return False
    return stats.f_bavail * stats.f_frsize < FULL_BELOW_BYTES


def configure(conn: Any) -> None:  # a sqlcipher3 or (for the benchmark) sqlite3 connection
    """Durability and privacy settings, the same for the encrypted store and the benchmark's plain twin."""
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        log.warning("journal mode is %s, not wal", mode)
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA secure_delete = ON")
