"""Version 6: a SHA-256 digest of each frozen payload, kept beside it, checked on every read.

Why: SQLCipher hands back an overflow page that fails its HMAC as zeros, without an error, so a frozen
payload on a damaged page read as thousands of zero bytes and the sender would have sent (or endlessly
retried) them. The digest is written in the same transaction as the payload; a payload that no longer
matches is reported as damage. Payloads frozen before this version get their digest here, from what is
on disk now (damage before this migration cannot be told apart; after it, it can).
"""

import hashlib
from typing import Any

VERSION = 6


def apply(conn: Any) -> None:
    conn.execute("ALTER TABLE referral_documents ADD COLUMN payload_sha256 TEXT")
    rows = conn.execute(
        "SELECT referral_id, frozen_payload FROM referral_documents WHERE frozen_payload IS NOT NULL"
    ).fetchall()
    for referral_id, payload in rows:
        conn.execute(
            "UPDATE referral_documents SET payload_sha256 = ? WHERE referral_id = ?",
            (hashlib.sha256(bytes(payload)).hexdigest(), referral_id),
        )
