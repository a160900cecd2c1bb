"""Version 4: messages from iART, one row per message, kept per referral inside the encrypted store.

Why a table and not a column: iART may ask for information more than once, and the detail screen shows
every message with its time, newest first. A message may name the child or the family, so it is personal
data: it lives only in this (encrypted) file and the retention purge deletes it with the answers.
``UNIQUE (referral_id, sent_at, text)`` lets the status poller record what it sees on every poll without
keeping a second copy of the same message.
"""

from typing import Any

VERSION = 4


def apply(conn: Any) -> None:
    conn.execute(
        """CREATE TABLE iart_messages (
            id INTEGER PRIMARY KEY,
            referral_id TEXT NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
            sent_at TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            text TEXT NOT NULL,
            UNIQUE (referral_id, sent_at, text)
        )"""
    )
    conn.execute("CREATE INDEX iart_messages_by_referral ON iart_messages (referral_id, sent_at)")
