"""Numbered schema migrations, applied in order, each in its own transaction.

``schema_versions`` records every version applied (and when). A store made by an older app version is
brought up to date when it is opened; before that, ``opening.backup_before_migration`` copies the
encrypted file aside (see ``opening.py``). To change the schema, add ``mNNNN_<what>.py`` with
``VERSION = NNNN`` and ``apply(conn)``, list it in ``MIGRATIONS``, and add a builder for the previous
version to ``tests/store/old_versions.py`` — never edit a migration that has shipped.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import ModuleType
from typing import Any

from referral_desktop.store.migrations import (
    m0001_referrals_audit_profile,
    m0002_attachments_outbox,
    m0003_receipts_summary_columns,
    m0004_iart_messages,
    m0005_attachment_uploads,
    m0006_frozen_payload_digest,
    m0007_earlier_answers,
    m0008_replies,
    m0009_reply_attachments,
    m0010_changes_feed_position,
    m0011_status_heard,
    m0012_upload_refusals,
    m0013_receipt_undelivered_documents,
    m0014_receipt_refused_replies,
    m0015_receipt_refused_reply_documents,
    m0016_receipt_unsent_draft_replies,
    m0017_losses_told,
    m0018_documents_left_out,
    m0019_left_out_worked_out,
)

MIGRATIONS: tuple[ModuleType, ...] = (
    m0001_referrals_audit_profile,
    m0002_attachments_outbox,
    m0003_receipts_summary_columns,
    m0004_iart_messages,
    m0005_attachment_uploads,
    m0006_frozen_payload_digest,
    m0007_earlier_answers,
    m0008_replies,
    m0009_reply_attachments,
    m0010_changes_feed_position,
    m0011_status_heard,
    m0012_upload_refusals,
    m0013_receipt_undelivered_documents,
    m0014_receipt_refused_replies,
    m0015_receipt_refused_reply_documents,
    m0016_receipt_unsent_draft_replies,
    m0017_losses_told,
    m0018_documents_left_out,
    m0019_left_out_worked_out,
)
LATEST_VERSION: int = MIGRATIONS[-1].VERSION

assert [m.VERSION for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1)), "migrations must be 1..N"


def current_version(conn: Any) -> int:
    """The highest schema version applied; 0 for an empty (just keyed) database."""
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_versions'"
    ).fetchone()
    if not has_table:
        return 0
    row = conn.execute("SELECT max(version) FROM schema_versions").fetchone()
    return int(row[0] or 0)


def pending(conn: Any, target: int | None = None) -> list[ModuleType]:
    version = current_version(conn)
    target = LATEST_VERSION if target is None else target
    return [m for m in MIGRATIONS if version < m.VERSION <= target]


def migrate(conn: Any, now: Callable[[], datetime], target: int | None = None) -> int:
    """Apply the pending migrations up to ``target`` (default: latest); returns the version reached."""
    for migration in pending(conn, target):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the write lock.
            if current_version(conn) >= migration.VERSION:
                conn.execute("ROLLBACK")
                continue
            migration.apply(conn)
            conn.execute(
                "INSERT INTO schema_versions (version, applied_at) VALUES (?, ?)",
                (migration.VERSION, now().isoformat()),
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return current_version(conn)
