"""What did not reach iART that the professional has not been told of yet (``store.losses_told``).

Why in the store: three losses are told once by a notification, with the iART reference and nothing else
(``ui/notifications.py``): a document given up on, a reply iART refused, and a reply started and not sent
that the purge removed when iART decided. They happen in the sender's rounds, which also run while the app
is locked and, as the ``send`` and ``status`` commands, while it is closed. Kept in memory, "told" was
lost with the app: what happened while it was closed was read at the next unlock as already known and
never told, so only the referral's page, its receipt and ``status`` said it, to someone who went looking.
Here "told" outlives the app, in the encrypted store beside the referral (never in the settings file: a
referral's id and its losses are the store's to keep).

What counts: per referral, the documents given up on (``failed`` upload rows, its own and its replies'),
the replies iART refused (``refused`` reply rows) and, once purged, the same counts from its receipt
together with the drafts the purge removed (``draft_replies_removed``). The purge moves each count from the
rows to the receipt in one transaction, so it is the same count before and after. A refused reply's
documents are not counted apart: they are told with the reply (as the notifications always did).

:meth:`LossesTold.take` is "read what is new and mark it told" in one transaction, so two readers (a
change read while the unlock's read runs) never both tell it. It hands back only referrals that have an
iART reference, the only name a notification may use; one without is left untold until it has one. A
count that went down (a document given up on that iART later reported it holds) is noted too, so a later
loss is news again. A lost write (a kill, a power cut) can at worst tell a loss twice, never hide one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from referral_desktop.store.encrypted_store import Store

#: Per referral with any: documents given up on, replies iART refused, drafts the purge removed; live (from
#: its upload and reply rows) or, once purged, from its receipt. ``{only}`` narrows it to one referral.
_NOW_LOST = """
    SELECT referral_id, sum(documents), sum(replies), sum(drafts) FROM (
        SELECT referral_id, count(*) AS documents, 0 AS replies, 0 AS drafts
            FROM attachment_uploads WHERE state = 'failed' {only} GROUP BY referral_id
        UNION ALL
        SELECT referral_id, 0, count(*), 0 FROM replies WHERE state = 'refused' {only} GROUP BY referral_id
        UNION ALL
        SELECT referral_id, COALESCE(documents_damaged_here, 0) + COALESCE(documents_refused_by_iart, 0),
               COALESCE(replies_refused_by_iart, 0), COALESCE(draft_replies_removed, 0) FROM receipts
            WHERE 1 {only}
    ) GROUP BY referral_id HAVING sum(documents) + sum(replies) + sum(drafts) > 0
"""


@dataclass(frozen=True)
class Lost:
    """How many of each did not reach iART (newly, when handed back by :meth:`LossesTold.take`)."""

    documents_given_up: int = 0
    replies_refused: int = 0
    drafts_removed: int = 0

    def any(self) -> bool:
        return self.documents_given_up > 0 or self.replies_refused > 0 or self.drafts_removed > 0

    def beyond(self, told: Lost) -> Lost:
        """What is here beyond ``told`` (never below 0)."""
        return Lost(max(0, self.documents_given_up - told.documents_given_up),
                    max(0, self.replies_refused - told.replies_refused),
                    max(0, self.drafts_removed - told.drafts_removed))


@dataclass(frozen=True)
class NewlyLost:
    """A referral with losses not told yet: its iART reference and how many of each are new."""

    referral_id: str
    reference: str
    lost: Lost


class LossesTold:
    def __init__(self, store: Store) -> None:
        self._store = store

    def take(self, referral_id: str | None = None) -> list[NewlyLost]:
        """What newly did not reach iART, of every referral or of ``referral_id`` only, marked told in the
        same transaction: the caller must tell it. Oldest referral first; empty when nothing is new."""
        only, params = ("AND referral_id = ?", (str(referral_id),) * 3) if referral_id is not None else ("", ())
        with self._store.write() as conn:
            now = {str(row[0]): Lost(int(row[1]), int(row[2]), int(row[3]))
                   for row in conn.execute(_NOW_LOST.format(only=only), params).fetchall()}
            told = self._told(conn, referral_id)
            changed = {rid for rid in set(now) | set(told) if now.get(rid, Lost()) != told.get(rid, Lost())}
            references = self._references(conn, changed)  # only what changed is looked up (none, usually)
            newly, noted = [], []
            for rid in sorted(changed & set(references), key=lambda r: references[r][1]):  # a deleted one: skipped
                current, reference = now.get(rid, Lost()), references[rid][0]
                gained = current.beyond(told.get(rid, Lost()))
                if gained.any():
                    if not reference:
                        continue  # nothing a notification may name it by yet: told once it has one
                    newly.append(NewlyLost(rid, reference, gained))
                noted.append((rid, current.documents_given_up, current.replies_refused, current.drafts_removed))
            conn.executemany(
                "INSERT INTO losses_told (referral_id, documents_given_up, replies_refused, drafts_removed) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (referral_id) DO UPDATE SET "
                "documents_given_up = excluded.documents_given_up, replies_refused = excluded.replies_refused, "
                "drafts_removed = excluded.drafts_removed",
                noted,
            )
        return newly

    @staticmethod
    def _told(conn: Any, referral_id: str | None) -> dict[str, Lost]:
        sql = "SELECT referral_id, documents_given_up, replies_refused, drafts_removed FROM losses_told"
        params: tuple[str, ...] = ()
        if referral_id is not None:
            sql, params = sql + " WHERE referral_id = ?", (str(referral_id),)
        return {str(r[0]): Lost(int(r[1]), int(r[2]), int(r[3])) for r in conn.execute(sql, params).fetchall()}

    @staticmethod
    def _references(conn: Any, ids: set[str]) -> dict[str, tuple[str, str]]:
        """(iART reference or "", when created) of each referral still held, for naming and ordering."""
        if not ids:
            return {}
        found: dict[str, tuple[str, str]] = {}
        listed = sorted(ids)
        for start in range(0, len(listed), 500):  # well under SQLite's limit on parameters
            chunk = listed[start:start + 500]
            rows = conn.execute(
                f"SELECT id, COALESCE(iart_reference, ''), created_at FROM referrals "
                f"WHERE id IN ({', '.join('?' * len(chunk))})", chunk,
            ).fetchall()
            found.update({str(r[0]): (str(r[1]), str(r[2])) for r in rows})
        return found
