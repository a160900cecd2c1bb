"""The sandbox's sqlite3 file: its tables, and the connections and write transactions every part of the
storage goes through.

Several processes may use the same data folder at once (the server, and the ``sandbox acknowledge``
command): WAL mode and a busy timeout handle that. ``BEGIN IMMEDIATE`` takes the write lock at the start
of a transaction, so a read-check-write (an idempotency key, an upload offset) cannot interleave with
another writer's, across processes too.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from referral_desktop.sandbox.conversation_store import SCHEMA as CONVERSATION_SCHEMA
from referral_desktop.sandbox.conversation_store import upgrade as upgrade_conversation

_SCHEMA = """
CREATE TABLE IF NOT EXISTS referrals (
    id TEXT PRIMARY KEY,
    reference TEXT NOT NULL UNIQUE,
    fingerprint TEXT NOT NULL,
    form_id TEXT NOT NULL,
    form_version TEXT NOT NULL,
    payload_content_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    summary TEXT NOT NULL,
    received_at TEXT NOT NULL,
    decision_due TEXT NOT NULL,
    status TEXT NOT NULL,
    outcome TEXT,
    message TEXT,
    changed_at TEXT NOT NULL,
    replays INTEGER NOT NULL DEFAULT 0,
    activity_at TEXT
);
CREATE TABLE IF NOT EXISTS status_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    referral_id TEXT NOT NULL REFERENCES referrals(id),
    status TEXT NOT NULL,
    outcome TEXT,
    changed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS attachments (
    referral_id TEXT NOT NULL REFERENCES referrals(id),
    attachment_id TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    content_type TEXT NOT NULL,
    received INTEGER NOT NULL DEFAULT 0,
    complete INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (referral_id, attachment_id)
);
CREATE TABLE IF NOT EXISTS reference_counters (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
);
"""


class StorageConnections:
    """Opens (and creates or upgrades) the data folder's database; hands out connections."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.db_path = data_dir / "sandbox.sqlite3"
        self.attachments_dir = data_dir / "attachments"
        data_dir.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.executescript(_SCHEMA + CONVERSATION_SCHEMA)
            columns = {r["name"] for r in conn.execute("PRAGMA table_info(referrals)")}
            if "activity_at" not in columns:  # a data folder from before the conversation
                conn.execute("ALTER TABLE referrals ADD COLUMN activity_at TEXT")
            # The changes feed reads activity_at: a status move or a change in the conversation.
            conn.execute("UPDATE referrals SET activity_at = changed_at WHERE activity_at IS NULL")
            conn.execute("CREATE INDEX IF NOT EXISTS referrals_activity_at ON referrals(activity_at)")
            upgrade_conversation(conn)  # reply documents: a message_id on attachments, names on messages

    def connection(self):
        """A connection (closed on leaving the ``with``), for the conversation's reads."""
        return self._connect()

    def transaction(self):
        """A write transaction (``BEGIN IMMEDIATE`` … ``COMMIT``), for the conversation's writes."""
        return self._write()

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.db_path, timeout=10, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
        try:
            yield conn
        finally:
            conn.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
