"""Version 3: receipts (what stays after the retention purge) and more summary columns on referrals.

``child_initials`` and ``decided_at`` are back-filled from the existing answers so that stores made by
version 2 list their referrals the same way as new ones.
"""

import json
from typing import Any

from referral_desktop.store.summary_fields import child_initials

VERSION = 3


def apply(conn: Any) -> None:
    conn.execute("ALTER TABLE referrals ADD COLUMN child_initials TEXT")
    conn.execute("ALTER TABLE referrals ADD COLUMN decided_at TEXT")
    rows = conn.execute("SELECT referral_id, answers FROM referral_documents").fetchall()
    for referral_id, answers_json in rows:
        try:
            initials = child_initials(json.loads(answers_json))
        except ValueError:
            initials = None
        conn.execute("UPDATE referrals SET child_initials = ? WHERE id = ?", (initials, referral_id))
    conn.execute(
        """CREATE TABLE receipts (
            referral_id TEXT PRIMARY KEY,
            iart_reference TEXT,
            form_id TEXT NOT NULL,
            form_version TEXT NOT NULL,
            created_at TEXT NOT NULL,
            sent_at TEXT,
            received_at TEXT,
            decision_due TEXT,
            decided_at TEXT,
            outcome TEXT,
            child_initials TEXT,
            purged_at TEXT NOT NULL
        )"""
    )
