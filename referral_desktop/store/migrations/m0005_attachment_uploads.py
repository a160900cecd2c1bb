"""Version 5: the upload state of each attachment of a sent referral, kept in the store.

Why: the server's acknowledgement says which attachments it still waits for, but until now only a log
line recorded how their uploads went, so ``send`` called a referral "sent" while its documents were not
there, and a kill mid-upload left nothing for the next ``send`` to resume. One row per attachment holds
its state (``pending``, ``uploading`` at ``server_offset``, ``uploaded``, or ``failed`` with ``failure``),
its own due time and attempt count (uploads back off on their own, not at the pace of status polls), and
how many times its bytes failed the frozen SHA-256 (a mismatch that keeps repeating stops).

Stores made by version 4 may hold referrals iART already received whose attachments' fate is unknown:
their rows start ``pending`` and due at once, so the sender asks the server how much it holds (an
attachment the server has complete is recorded as uploaded without sending a byte).
"""

from typing import Any

VERSION = 5

#: A time before any real one: "due now" for back-filled rows (the migration has no clock).
_LONG_AGO = "2000-01-01T00:00:00.000000+00:00"
_SENT_STATES = ("received", "acknowledged", "info_requested", "decided")


def apply(conn: Any) -> None:
    conn.execute(
        """CREATE TABLE attachment_uploads (
            attachment_id TEXT PRIMARY KEY REFERENCES attachments (id) ON DELETE CASCADE,
            referral_id TEXT NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
            state TEXT NOT NULL,
            server_offset INTEGER NOT NULL DEFAULT 0,
            attempts INTEGER NOT NULL DEFAULT 0,
            mismatches INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            last_error_code TEXT,
            failure TEXT,
            updated_at TEXT NOT NULL
        )"""
    )
    conn.execute("CREATE INDEX attachment_uploads_due ON attachment_uploads (state, next_attempt_at)")
    conn.execute("CREATE INDEX attachment_uploads_by_referral ON attachment_uploads (referral_id)")
    conn.execute(
        "INSERT INTO attachment_uploads (attachment_id, referral_id, state, next_attempt_at, updated_at) "
        "SELECT a.id, a.referral_id, 'pending', ?, ? FROM attachments a JOIN referrals r ON r.id = a.referral_id "
        f"WHERE r.state IN ({', '.join('?' for _ in _SENT_STATES)})",
        (_LONG_AGO, _LONG_AGO, *_SENT_STATES),
    )
