"""Version 14: the receipt counts the replies iART refused.

Why: a reply the professional sent that iART refused (state ``refused``; the referral's page says "Reply
not accepted by iART") does not hold the retention purge, and the purge deletes it with the rest of the
referral's details. Without a count on the receipt nothing would record afterwards that iART never got
that reply, and the purged referral's page could not tell the professional to phone iART about it. One
count, no text: ``replies_refused_by_iart``. NULL on receipts made before this version: their replies went
with the purge, so whether one was refused cannot be known, and NULL says so rather than 0.
"""

from typing import Any

VERSION = 14


def apply(conn: Any) -> None:
    conn.execute("ALTER TABLE receipts ADD COLUMN replies_refused_by_iart INTEGER")
