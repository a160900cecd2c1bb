"""What of a sent referral has not reached iART: its documents not sent yet or given up on, and its replies
waiting to send or refused (``store.not_at_iart``).

Why: the home list said "Received by iART" for a referral whose attached document was still uploading, had
been given up on, or whose reply was still waiting to send. A professional reads that as "everything went".
The referral's page said otherwise, but the list held only the summary rows. These counts let the list say
it too, for every referral in one pass when it loads and for one referral after each sender event.

Counts only (never a file name or a reply's text). Each query reads only the rows not yet at iART, through
the state indexes of ``attachment_uploads`` and ``replies`` (migrations 5 and 8), so listing 10,000
referrals, nearly all of them without any, costs a little more than nothing. No migration was needed.

What counts: upload rows ``pending`` or ``uploading`` (documents not sent yet: a referral's own from its
acknowledgement on, a reply's from the reply's "sent" on) and ``failed`` (given up on); replies ``queued``,
``sending`` or ``retrying`` (waiting to send; their documents go with them and are not counted apart) and
``refused`` (not accepted by iART; their documents were never sent and go with the reply too).

Once purged, those rows are gone, and the receipt's counts say it instead (migrations 13 to 16, taken in the
purge's own transaction): the documents that never reached iART, whatever why (given up on, or attached to
a reply iART refused: counted apart from the reply now, as the purged page and the receipt count them), the
replies iART refused, and the replies started and not sent that the purge removed. The list said nothing of
them after the purge while the page and the receipt did. A receipt made before a count (NULL) adds nothing,
as on the page: what was lost then cannot be known. Only receipts with something to say are read (a scan
of the receipts' small rows; no index is needed for the few thousand a computer holds).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from referral_desktop.store.attachment_uploads import ACTIVE_STATES, FAILED
from referral_desktop.store.replies import OUTGOING, REFUSED

if TYPE_CHECKING:
    from referral_desktop.store.encrypted_store import Store


class NotAtIart(NamedTuple):
    """How many of a referral's documents and replies have not reached iART, by why."""

    documents_waiting: int = 0
    documents_given_up: int = 0
    replies_waiting: int = 0
    replies_refused: int = 0
    #: Purged (from the receipt): documents attached to the referral or its replies that never reached iART.
    documents_never_reached: int = 0
    #: Purged (from the receipt): replies started and not sent, removed with the referral's details.
    replies_not_sent: int = 0

    def any(self) -> bool:
        return any(self)


_DOCUMENTS = (
    "SELECT referral_id, sum(state <> ?), sum(state = ?) FROM attachment_uploads "
    "WHERE state IN (?, ?, ?) {only} GROUP BY referral_id"
)
_REPLIES = (
    "SELECT referral_id, sum(state <> ?), sum(state = ?) FROM replies "
    "WHERE state IN (?, ?, ?, ?) {only} GROUP BY referral_id"
)
#: A purged referral's receipt: (documents never reached, replies refused, replies started and not sent).
_RECEIPTS = (
    "SELECT referral_id, COALESCE(documents_damaged_here, 0) + COALESCE(documents_refused_by_iart, 0) "
    "+ COALESCE(documents_of_refused_replies, 0), COALESCE(replies_refused_by_iart, 0), "
    "COALESCE(draft_replies_removed, 0) FROM receipts "
    "WHERE (COALESCE(documents_damaged_here, 0) OR COALESCE(documents_refused_by_iart, 0) "
    "OR COALESCE(documents_of_refused_replies, 0) OR COALESCE(replies_refused_by_iart, 0) "
    "OR COALESCE(draft_replies_removed, 0)) {only}"
)


class NotAtIartCounts:
    def __init__(self, store: Store) -> None:
        self._store = store

    def counts(self, referral_id: str | None = None) -> dict[str, NotAtIart]:
        """Per referral that has anything not at iART: how many of each (every referral, or ``referral_id``
        only), live from its upload and reply rows or, once purged, from its receipt. A referral with nothing
        missing is absent."""
        only, extra = ("AND referral_id = ?", (str(referral_id),)) if referral_id is not None else ("", ())
        found: dict[str, list[int]] = {}
        with self._store.read() as conn:
            for rid, waiting, given_up in conn.execute(
                _DOCUMENTS.format(only=only), (FAILED, FAILED, *ACTIVE_STATES, FAILED, *extra)
            ):
                found.setdefault(str(rid), [0] * 6)[0:2] = [int(waiting or 0), int(given_up or 0)]
            for rid, waiting, refused in conn.execute(
                _REPLIES.format(only=only), (REFUSED, REFUSED, *OUTGOING, REFUSED, *extra)
            ):
                found.setdefault(str(rid), [0] * 6)[2:4] = [int(waiting or 0), int(refused or 0)]
            for rid, documents, refused, not_sent in conn.execute(_RECEIPTS.format(only=only), extra):
                counted = found.setdefault(str(rid), [0] * 6)  # a purged referral has no live rows left
                counted[3] += int(refused)
                counted[4:6] = [int(documents), int(not_sent)]
        return {rid: NotAtIart(*numbers) for rid, numbers in found.items()}
