"""Builders of stores as earlier app versions left them, one per schema version.

Each builder runs the real migrations up to that version and writes rows with that version's columns
only (raw SQL, as that version's code did). When a new migration is added, add a builder here for the
version before it.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from referral_desktop.store import migrations
from referral_desktop.store.connection import connect_keyed

REFERRAL_ID = "5b0c2d6e-6a43-4f5c-9d0e-1f2a3b4c5d6e"
ANSWERS = {"route": "b", "children": [{"given_names": "Olive", "family_name": "Vale"}]}
T0 = "2025-06-01T09:00:00.000000+00:00"


def _v1_rows(conn) -> None:
    conn.execute(
        "INSERT INTO referrals (id, form_id, form_version, state, created_at, updated_at) "
        "VALUES (?, 'cwac-marf', '1.0.0', 'draft', ?, ?)",
        (REFERRAL_ID, T0, T0),
    )
    conn.execute("INSERT INTO referral_documents (referral_id, answers) VALUES (?, ?)",
                 (REFERRAL_ID, json.dumps(ANSWERS)))
    conn.execute("INSERT INTO audit_log (at, user, event, referral_id) VALUES (?, 'olduser', 'created', ?)",
                 (T0, REFERRAL_ID))
    conn.execute("INSERT INTO referrer_profile (id, data, updated_at) VALUES (1, ?, ?)",
                 (json.dumps({"referrer_name": "Old Name"}), T0))


def _v2_rows(conn) -> None:
    _v1_rows(conn)
    conn.execute(
        "INSERT INTO attachments (id, referral_id, filename, content_type, size, sha256, created_at) "
        "VALUES ('att-1', ?, 'a.pdf', 'application/pdf', 3, 'x', ?)",
        (REFERRAL_ID, T0),
    )
    conn.execute("INSERT INTO attachment_chunks (attachment_id, seq, data) VALUES ('att-1', 0, x'414243')")


def _v3_rows(conn) -> None:
    _v2_rows(conn)
    conn.execute("UPDATE referrals SET child_initials = 'OV' WHERE id = ?", (REFERRAL_ID,))
    conn.execute(
        "INSERT INTO receipts (referral_id, iart_reference, form_id, form_version, created_at, outcome, "
        "purged_at) VALUES ('0d9c8b7a-0000-4000-8000-000000000003', 'IART-OLD', 'cwac-marf', '1.0.0', ?, "
        "'early_help_and_prevention', ?)",
        (T0, T0),
    )


def _v4_rows(conn) -> None:
    _v3_rows(conn)
    conn.execute(
        "INSERT INTO iart_messages (referral_id, sent_at, recorded_at, text) VALUES (?, ?, ?, 'Old message')",
        (REFERRAL_ID, T0, T0),
    )
    conn.execute("UPDATE referrals SET state = 'ready' WHERE id = ?", (REFERRAL_ID,))
    conn.execute("UPDATE referral_documents SET frozen_payload = ?, payload_content_type = 'application/json' "
                 "WHERE referral_id = ?", (FROZEN_V4, REFERRAL_ID))


def _v5_rows(conn) -> None:
    _v4_rows(conn)  # version 5 added upload state only for referrals iART has received: none here


FROZEN_V4 = b'{"frozen": "before version 6"}'


def _v6_rows(conn) -> None:
    _v5_rows(conn)
    conn.execute("UPDATE referral_documents SET payload_sha256 = ? WHERE referral_id = ?",
                 (hashlib.sha256(FROZEN_V4).hexdigest(), REFERRAL_ID))


def _v7_rows(conn) -> None:
    _v6_rows(conn)  # version 7 added a column for earlier answers; nothing in it here


def _v8_rows(conn) -> None:
    _v7_rows(conn)  # version 8 added replies; the referral is not sent, so it has none


def _v9_rows(conn) -> None:
    _v8_rows(conn)  # version 9 added documents of replies; the referral has no reply


def _v10_rows(conn) -> None:
    _v9_rows(conn)  # version 10 added the changes feed's position; the referral is not sent, so none


def _v11_rows(conn) -> None:
    _v10_rows(conn)  # version 11 added when each referral was last heard of; the referral is not sent, so none


def _v12_rows(conn) -> None:
    _v11_rows(conn)  # version 12 added counts of iART's refusals of an upload; the referral is not sent, so none


def _v13_rows(conn) -> None:
    _v12_rows(conn)  # version 13 added documents given up on to receipts; the old receipt keeps NULL


def _v14_rows(conn) -> None:
    _v13_rows(conn)  # version 14 added replies iART refused to receipts; the old receipt keeps NULL


def _v15_rows(conn) -> None:
    _v14_rows(conn)  # version 15 added a refused reply's documents to receipts; the old receipt keeps NULL


def _v16_rows(conn) -> None:
    _v15_rows(conn)  # version 16 added drafts removed unsent to receipts; the old receipt keeps NULL


def _v17_rows(conn) -> None:
    _v16_rows(conn)  # version 17 added what was told of losses; the referral is not sent, so none


def _v18_rows(conn) -> None:
    _v17_rows(conn)  # version 18 marked documents left out when freezing; this referral was frozen before it


BUILDERS = {1: _v1_rows, 2: _v2_rows, 3: _v3_rows, 4: _v4_rows, 5: _v5_rows, 6: _v6_rows, 7: _v7_rows,
            8: _v8_rows, 9: _v9_rows, 10: _v10_rows, 11: _v11_rows, 12: _v12_rows,
            13: _v13_rows, 14: _v14_rows, 15: _v15_rows, 16: _v16_rows, 17: _v17_rows,
            18: _v18_rows}


def build_store_at(profile: Path, version: int, passphrase: str, clock) -> None:
    profile.mkdir(mode=0o700, parents=True, exist_ok=True)
    db = profile / "store.db"
    os.close(os.open(db, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    conn = connect_keyed(db, passphrase)
    assert migrations.migrate(conn, clock, target=version) == version
    conn.execute("BEGIN")
    BUILDERS[version](conn)
    conn.execute("COMMIT")
    conn.close()
