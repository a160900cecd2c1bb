"""Version 10: where the status poller stands in iART's changes feed, so a restart resumes from there.

``changes_feed_position`` holds one row: the feed's own ``until`` of the last page read (the server's
value, as it gave it: never this computer's clock), the API address it belongs to (a position means
nothing to another server), when it was saved, and a generation counted up at each save (two pollers on
one profile, the app's and a command's, never overwrite each other's progress: see ``store/changes_feed.py``). ``changes_feed_followed`` lists the referrals that
were waiting for a decision when that position was reached: their changes up to it were read while
they were waiting, so resuming covers them. A waiting referral that is not listed (received after the
position was saved, or while a poll was on the wire) is read again from its own receipt.
Neither table holds personal data; rows of a deleted referral go with it.
"""

from typing import Any

VERSION = 10


def apply(conn: Any) -> None:
    conn.execute(
        """CREATE TABLE changes_feed_position (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            api TEXT NOT NULL,
            until TEXT NOT NULL,
            saved_at TEXT NOT NULL,
            generation INTEGER NOT NULL
        )"""
    )
    conn.execute(
        """CREATE TABLE changes_feed_followed (
            referral_id TEXT PRIMARY KEY REFERENCES referrals (id) ON DELETE CASCADE
        )"""
    )
