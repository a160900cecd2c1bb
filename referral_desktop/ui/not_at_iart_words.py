"""What the home list says under a sent referral's state about its documents and replies that have not
reached iART: "Received by iART", then "1 document not sent yet" on a line of its own.

Why: "Received by iART" alone told a professional that everything had gone while an attached document was
still uploading, had been given up on, or a reply was still waiting to send. The referral's page said so;
the list, where people look, did not. The words are the page's own, shortened for a list cell: "not sent
yet" and "could not be sent" as its documents line says ("2 of 3 documents sent; 1 could not be sent"),
"waiting to send" and "not accepted by iART" as its replies say. Counts only: never a file name.

Once purged, the receipt's counts in the words of the receipt and the purged page ("how many documents and
replies did not reach iART", "Replies iART did not accept", "Replies started and not sent"): "1 document did
not reach iART", "1 reply not accepted by iART", "1 reply started and not sent". The purged row used to say
nothing of them, while its page and receipt did. "Did not reach", not the receipt's heading's "never
reached": as narrow as the states' own words ("iART asked for more information"), so such a row costs the
list no column at 100 % text ("2 documents never reached iART" made the list give up its outcome column).
"""

from __future__ import annotations

from typing import Any

#: Between the state and the words where they are one text (what the list is sorted and searched by).
SEPARATOR = " · "

#: In the page's order: documents, then replies (a purged referral's documents first too).
_WORDS = (
    ("documents_never_reached", "document did not reach iART", "documents did not reach iART"),
    ("documents_waiting", "document not sent yet", "documents not sent yet"),
    ("documents_given_up", "document could not be sent", "documents could not be sent"),
    ("replies_waiting", "reply waiting to send", "replies waiting to send"),
    ("replies_refused", "reply not accepted by iART", "replies not accepted by iART"),
    ("replies_not_sent", "reply started and not sent", "replies started and not sent"),
)
#: Between two kinds where they are one text ("1 document not sent yet, 1 reply waiting to send"): what a
#: screen reader hears after the state, and what the list is sorted and searched by.
JOIN = ", "


def not_at_iart_parts(counts: Any) -> tuple[str, ...]:
    """("1 document not sent yet", "1 reply waiting to send"): each kind that has any, in words; () when
    everything reached iART (or ``counts`` is None: nothing is known to be missing)."""
    if counts is None:
        return ()
    parts = []
    for name, one, many in _WORDS:
        n = int(getattr(counts, name, 0) or 0)
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    return tuple(parts)


def load_not_at_iart(store: Any, referral_id: str | None = None) -> dict[str, Any]:
    """The store's counts (every referral's, or one's), on the store thread; {} from a store without them."""
    counter = getattr(store, "not_at_iart", None)
    return counter.counts(referral_id) if counter is not None else {}
