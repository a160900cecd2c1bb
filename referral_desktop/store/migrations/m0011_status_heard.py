"""Version 11: when iART last told this computer of each referral waiting for a decision.

``status_heard`` holds, per referral, the time (this computer's clock, UTC) at which the changes feed
or a single status GET last reported on it. The status poller sends a single GET only for a referral
not heard of for a day; kept in memory, that clock restarted with the app, so a laptop restarted every
day never sent it (see ``store/status_heard.py``). A referral with no row has never been heard of: its
clock runs from iART's receipt. Rows go when the referral is decided or purged, and with a deleted
referral; the table holds no personal data (an id and a time).
"""

from typing import Any

VERSION = 11


def apply(conn: Any) -> None:
    conn.execute(
        """CREATE TABLE status_heard (
            referral_id TEXT PRIMARY KEY REFERENCES referrals (id) ON DELETE CASCADE,
            heard_at TEXT NOT NULL
        )"""
    )
