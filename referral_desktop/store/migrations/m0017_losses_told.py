"""Version 17: what the professional has been told did not reach iART, per referral.

Why: a document given up on, a reply iART refused and a reply started and not sent that the purge removed
are each told once by a notification (``ui/notifications.py``). Worked out in memory, "once" only held
while the app was open and unlocked: what the ``send`` or ``status`` command did while the app was
closed, or the sender while it was locked, was read at the next unlock as already known and never told.
``losses_told`` holds, per referral, how many of each were told (see ``store/losses_told.py``); what is
counted now beyond that is news at the next unlock, whenever it happened. Counts and an id only: no
personal data.

The table starts with the counts as they stand when the store is migrated, so an upgrade does not tell
every loss of the past as news (those were told by the earlier version while it was open, or are on the
referral's page, its receipt and ``status``). Rows go with a deleted referral (``ON DELETE CASCADE``).
"""

from typing import Any

VERSION = 17

#: Per referral with any: documents given up on, replies iART refused, drafts the purge removed — live
#: (upload and reply rows) or, once purged, from its receipt (whose counts were taken from those rows).
CURRENT_LOSSES = """
    SELECT referral_id, sum(documents) AS documents, sum(replies) AS replies, sum(drafts) AS drafts FROM (
        SELECT referral_id, count(*) AS documents, 0 AS replies, 0 AS drafts
            FROM attachment_uploads WHERE state = 'failed' GROUP BY referral_id
        UNION ALL
        SELECT referral_id, 0, count(*), 0 FROM replies WHERE state = 'refused' GROUP BY referral_id
        UNION ALL
        SELECT referral_id, COALESCE(documents_damaged_here, 0) + COALESCE(documents_refused_by_iart, 0),
               COALESCE(replies_refused_by_iart, 0), COALESCE(draft_replies_removed, 0) FROM receipts
    ) GROUP BY referral_id
"""


def apply(conn: Any) -> None:
    conn.execute(
        """CREATE TABLE losses_told (
            referral_id TEXT PRIMARY KEY REFERENCES referrals (id) ON DELETE CASCADE,
            documents_given_up INTEGER NOT NULL DEFAULT 0,
            replies_refused INTEGER NOT NULL DEFAULT 0,
            drafts_removed INTEGER NOT NULL DEFAULT 0
        )"""
    )
    conn.execute(
        "INSERT INTO losses_told (referral_id, documents_given_up, replies_refused, drafts_removed) "
        f"SELECT c.* FROM ({CURRENT_LOSSES}) c JOIN referrals r ON r.id = c.referral_id "
        "WHERE c.documents + c.replies + c.drafts > 0"
    )
