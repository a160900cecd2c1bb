"""Version 1: referrals (a small summary row plus a separate document row), the audit log, the profile.

The answers document lives in ``referral_documents``, apart from the ``referrals`` row, so that listing
every referral reads a few small pages instead of decrypting one page per (8 KB) answers document.
"""

from typing import Any

VERSION = 1


def apply(conn: Any) -> None:
    conn.execute(
        "CREATE TABLE schema_versions (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    conn.execute(
        """CREATE TABLE referrals (
            id TEXT PRIMARY KEY,
            form_id TEXT NOT NULL,
            form_version TEXT NOT NULL,
            state TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            iart_reference TEXT,
            sent_at TEXT,
            received_at TEXT,
            decision_due TEXT,
            outcome TEXT,
            rejection_reasons TEXT
        )"""
    )
    conn.execute("CREATE INDEX referrals_by_state ON referrals (state, updated_at)")
    conn.execute(
        """CREATE TABLE referral_documents (
            referral_id TEXT PRIMARY KEY REFERENCES referrals (id) ON DELETE CASCADE,
            answers TEXT NOT NULL,
            frozen_payload BLOB,
            payload_content_type TEXT
        )"""
    )
    conn.execute(
        """CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            user TEXT NOT NULL,
            event TEXT NOT NULL,
            referral_id TEXT,
            fields TEXT NOT NULL DEFAULT '[]',
            detail TEXT
        )"""
    )
    conn.execute("CREATE INDEX audit_by_referral ON audit_log (referral_id, id)")
    conn.execute(
        """CREATE TABLE referrer_profile (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            data TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )"""
    )
