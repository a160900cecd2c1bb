"""When iART last told this computer of each referral waiting for a decision (``store.status_heard``).

Why in the store: the status poller reads the changes feed once per poll and sends a single status GET
only for a referral the feed has not mentioned for a day (a safety net, should the feed ever miss a
change). Kept in memory, that clock started again at every start of the app: on a laptop restarted
every day, a referral the feed had stopped mentioning never got its single GET.

What counts: the poll's time (this computer's clock, which it is compared with; not iART's) whenever
the feed or a single GET reported on the referral, whether or not anything changed. A referral with no
row has never been heard of: its clock runs from iART's receipt (``received_at``; failing that, when it
was sent or last changed). So a referral received two days ago that no feed page ever mentioned is due
a single GET at the first poll after a restart.

Cost: a poll writes only the times of the referrals it heard of, in one statement (one transaction,
without waiting for the disk), and nothing when it heard of none; the question "who is due" is one
query that hands back only the due ones, however many wait.

What can go wrong, and why it is safe: a lost write (a kill, a power cut after a commit not yet on the
disk) or a snapshot restored later leaves *older* times, so a referral gets its single GET sooner, never
later. Two pollers on one profile (the app and a command) never move a time back. A clock put back (a
laptop's clock that ran days ahead, then corrected) would leave times in the future that never come
due: :meth:`StatusHeard.pull_back` brings them to the present, once per start of the poller.

Retention: the poller drops the row of a referral it hears is decided; the retention purge drops the row
of one purged while still waiting; a deleted referral's row goes with it (``ON DELETE CASCADE``). The
table holds no personal data: an id and a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from referral_desktop.store.timestamps import from_text, to_text

if TYPE_CHECKING:
    from referral_desktop.store.encrypted_store import Store

#: When a referral was last heard of: its row, or (never heard of) iART's receipt, or failing that when
#: it was sent or last changed. All are the store's UTC text, so they compare and sort as text.
_LAST_HEARD = "COALESCE(h.heard_at, r.received_at, r.sent_at, r.updated_at)"


class StatusHeard:
    def __init__(self, store: Store) -> None:
        self._store = store

    def record(self, heard_at: datetime, heard: Iterable[str], *, settled: Iterable[str] = ()) -> None:
        """Note that iART told us of the referrals in ``heard`` at ``heard_at``, and forget the referrals
        in ``settled`` (decided: nothing more to hear). Writes nothing when both are empty."""
        rows = [(to_text(heard_at), str(referral_id)) for referral_id in heard]
        gone = [(str(referral_id),) for referral_id in settled]
        if not rows and not gone:
            return
        with self._store.write(fsync=False) as conn:  # safe to lose: see the module's docstring
            conn.executemany(  # only a referral still held (one deleted meanwhile is skipped, not an error)
                "INSERT INTO status_heard (referral_id, heard_at) SELECT id, ? FROM referrals WHERE id = ?"
                " ON CONFLICT (referral_id) DO UPDATE SET heard_at = max(heard_at, excluded.heard_at)",
                [(when, referral_id) for when, referral_id in rows],
            )
            conn.executemany("DELETE FROM status_heard WHERE referral_id = ?", gone)

    def longest_unheard(self, states: Iterable[str], *, heard_before: datetime,
                        limit: int) -> list[tuple[str, datetime]]:
        """The referrals in ``states`` that iART holds and that were last heard of at or before
        ``heard_before``, longest unheard first, at most ``limit``: (id, when last heard of)."""
        wanted = [str(getattr(state, "value", state)) for state in states]
        if not wanted or limit < 1:
            return []
        with self._store.read() as conn:
            rows = conn.execute(
                f"SELECT r.id, {_LAST_HEARD} FROM referrals r LEFT JOIN status_heard h ON h.referral_id = r.id"
                f" WHERE r.state IN ({', '.join('?' * len(wanted))}) AND r.iart_reference IS NOT NULL"
                f" AND {_LAST_HEARD} <= ? ORDER BY 2, r.id LIMIT ?",
                (*wanted, to_text(heard_before), limit),
            ).fetchall()
        return [(str(row[0]), from_text(row[1])) for row in rows]

    def pull_back(self, now: datetime) -> int:
        """Times later than ``now`` (the clock was put back since) become ``now``; how many did."""
        at = to_text(now)
        with self._store.read() as conn:  # nearly always none: no write (nor write lock) for nothing
            if conn.execute("SELECT 1 FROM status_heard WHERE heard_at > ? LIMIT 1", (at,)).fetchone() is None:
                return 0
        with self._store.write(fsync=False) as conn:
            return int(conn.execute("UPDATE status_heard SET heard_at = ? WHERE heard_at > ?", (at, at)).rowcount)
