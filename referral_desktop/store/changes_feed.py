"""Where the status poller stands in iART's changes feed (``store.changes_feed``), kept across restarts.

Why in the store: without it every start read the whole feed again from the oldest referral still
waiting for a decision (101 requests for 10,100 changes), though the last run had read it all. The
position is the feed's own ``until`` (the server's clock, as the contract asks: pass it back as the next
``since``), with the referrals it covers: those waiting when it was reached. See the status-polling job
for how a referral not covered is read from its receipt instead.

Saving is compare-and-set: a poll saves only over the position it started from. Two pollers on one
profile (the app's sender and a command run meanwhile) each read the feed for the referrals *they* hold
as waiting; if one could save over the other's newer position, a referral only the other one held would
count as covered up to a point it was never read to. A poll that loses simply does not save; the next
poll starts from the winner's position. A lost save (a kill, a power cut after an unsynced commit) only
leaves an older position, which costs a longer read and never a missed change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from referral_desktop.store.timestamps import to_text

if TYPE_CHECKING:
    from referral_desktop.store.encrypted_store import Store


@dataclass(frozen=True)
class FeedPosition:
    """The feed's ``until`` to ask from next, and the referrals whose changes before it were read."""

    until: datetime
    followed: frozenset[str]
    generation: int


class ChangesFeedPosition:
    def __init__(self, store: Store) -> None:
        self._store = store

    def load(self, api: str) -> FeedPosition | None:
        """The saved position for the API at ``api``; None if there is none (or it belongs to another)."""
        with self._store.read() as conn:
            row = conn.execute("SELECT api, until, generation FROM changes_feed_position WHERE id = 1").fetchone()
            if row is None or row[0] != api:
                return None
            followed = frozenset(r[0] for r in conn.execute("SELECT referral_id FROM changes_feed_followed"))
        return FeedPosition(datetime.fromisoformat(row[1]), followed, int(row[2]))

    def save(self, api: str, until: datetime, *, expected: FeedPosition | None,
             followed: Iterable[str] | None = None) -> FeedPosition | None:
        """Save ``until`` (and, if given, the referrals now covered) over ``expected``, the position the
        poll started from (None: it found none for ``api``). Returns the new position, or None, with
        nothing written, when another poller saved in between."""
        with self._store.write(fsync=False) as conn:  # safe to lose: see the module's docstring
            if not self._unchanged(conn, api, expected):
                return None
            before = expected.followed if expected is not None else frozenset()
            if expected is None:
                conn.execute("DELETE FROM changes_feed_followed")
            now_followed = before if followed is None else frozenset(followed)
            gone, new = before - now_followed, now_followed - before
            conn.executemany("DELETE FROM changes_feed_followed WHERE referral_id = ?", [(r,) for r in gone])
            conn.executemany(
                "INSERT INTO changes_feed_followed (referral_id) SELECT id FROM referrals WHERE id = ?",
                [(r,) for r in new],
            )
            generation = (expected.generation if expected is not None else 0) + 1
            conn.execute(
                "INSERT INTO changes_feed_position (id, api, until, saved_at, generation) VALUES (1, ?, ?, ?, ?)"
                " ON CONFLICT (id) DO UPDATE SET api = excluded.api, until = excluded.until,"
                " saved_at = excluded.saved_at, generation = excluded.generation",
                (api, until.isoformat(), to_text(self._store.clock()), generation),
            )
        return FeedPosition(until, now_followed, generation)

    def forget(self) -> None:
        """Drop the position (the server refused it): the next poll reads as a fresh sender does."""
        with self._store.write() as conn:
            conn.execute("DELETE FROM changes_feed_position")
            conn.execute("DELETE FROM changes_feed_followed")

    @staticmethod
    def _unchanged(conn: Any, api: str, expected: FeedPosition | None) -> bool:
        row = conn.execute("SELECT api, generation FROM changes_feed_position WHERE id = 1").fetchone()
        if expected is None:
            return row is None or row[0] != api
        return row is not None and row[0] == api and int(row[1]) == expected.generation
