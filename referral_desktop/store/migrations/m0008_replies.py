"""Version 8: the referrer's replies to iART, ids of iART's messages, and a count on the receipt.

A reply is written offline like a referral and sent exactly once like one, so it carries the same
machinery in one row: its own UUID (the idempotency key, for ever), its state (``draft`` while
autosaved, ``queued``/``sending``/``retrying`` while the sender owns it, ``sent`` once iART holds it,
``refused`` if iART said no), the frozen bytes sent on every attempt (JSON, or JWE to iART's key),
attempts and the next attempt's time, and what iART later reports (when it received and read it). The
text is personal data: it lives only in this encrypted file and is purged with its referral. At most
one draft per referral (the reply box autosaves into it).

iART's messages gain ``message_id`` (the feeds now give each message an id, so a message is kept once
however often it is seen), and a receipt records how many messages were exchanged before the purge.
"""

from typing import Any

VERSION = 8


def apply(conn: Any) -> None:
    conn.execute(
        """CREATE TABLE replies (
            id TEXT PRIMARY KEY,
            referral_id TEXT NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
            state TEXT NOT NULL,
            text TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            queued_at TEXT,
            frozen_payload BLOB,
            payload_content_type TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT,
            last_error_code TEXT,
            sent_at TEXT,
            read_at TEXT,
            sequence INTEGER
        )"""
    )
    conn.execute("CREATE INDEX replies_by_referral ON replies (referral_id, created_at)")
    conn.execute("CREATE INDEX replies_due ON replies (state, next_attempt_at)")
    conn.execute("CREATE UNIQUE INDEX replies_one_draft ON replies (referral_id) WHERE state = 'draft'")
    conn.execute("ALTER TABLE iart_messages ADD COLUMN message_id TEXT")
    conn.execute("CREATE UNIQUE INDEX iart_messages_by_id ON iart_messages (message_id) WHERE message_id IS NOT NULL")
    conn.execute("ALTER TABLE receipts ADD COLUMN messages_exchanged INTEGER NOT NULL DEFAULT 0")
