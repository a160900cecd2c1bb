"""Version 2: attachments kept inside the encrypted store (in chunks), and the outbox of the sender.

Chunks (256 KiB each) let the sync client stream an upload without holding a large file in memory,
and keep each SQLite row a sensible size.
"""

from typing import Any

VERSION = 2


def apply(conn: Any) -> None:
    conn.execute(
        """CREATE TABLE attachments (
            id TEXT PRIMARY KEY,
            referral_id TEXT NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
            filename TEXT NOT NULL,
            content_type TEXT NOT NULL,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            created_at TEXT NOT NULL
        )"""
    )
    conn.execute("CREATE INDEX attachments_by_referral ON attachments (referral_id)")
    conn.execute(
        """CREATE TABLE attachment_chunks (
            attachment_id TEXT NOT NULL REFERENCES attachments (id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (attachment_id, seq)
        )"""
    )
    conn.execute(
        """CREATE TABLE outbox (
            referral_id TEXT PRIMARY KEY REFERENCES referrals (id) ON DELETE CASCADE,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            last_error_code TEXT,
            state TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
    conn.execute("CREATE INDEX outbox_due ON outbox (state, next_attempt_at)")
