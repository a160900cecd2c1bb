"""What the screens say about a sent referral's documents: "2 of 3 documents sent", what is still going,
and each document given up on with why and what the user can do.

Why one module: the referral's page and the confirmation page after sending must say the same thing, and
neither may call a referral fully sent while a document is missing. Read on the store thread
(:func:`load_documents`); turned into lines on the GUI thread (:func:`document_lines`).
"""

from __future__ import annotations

import html
from typing import Any

from referral_desktop.ui.contacts_place import CONTACTS_MENU_PATH

#: Why a document was given up on (the store's ``failure``), in words.
DOCUMENT_FAILURES = {
    "damaged_here": "the copy kept on this computer is damaged (it no longer matches the file you attached)",
    "checksum_refused": "iART could not receive it intact after several tries",
    "refused_for_good": "iART did not accept it. It gave the same answer each time it was sent, so it will "
                        "not be tried again",
}
#: What the user can do (``{holder}``: the referral, or the reply the document went with). iART's API
#: fixes a referral's or reply's documents when it is sent, so a document cannot be added afterwards: the
#: way left is to ask iART.
DOCUMENT_FAILED_ADVICE = (
    f"iART has your {{holder}} without it. Phone iART ({CONTACTS_MENU_PATH}) and ask how to send this "
    "document another way; have the original file ready."
)
#: The same for a document iART refused: its answer may also mean it no longer holds the referral (a
#: "not found"), so this does not claim that iART has the referral.
DOCUMENT_REFUSED_ADVICE = (
    f"Phone iART ({CONTACTS_MENU_PATH}), give them the iART reference, and ask how to send this document "
    "another way; have the original file ready."
)
_ADVICE = {"refused_for_good": DOCUMENT_REFUSED_ADVICE}


def load_documents(store: Any, referral_id: str) -> dict[str, Any]:
    """The referral's document counts and the name and reason of each one given up on (store thread)."""
    uploads = getattr(store, "uploads", None)
    if uploads is None:
        return {}
    progress = uploads.progress([referral_id]).get(str(referral_id))
    if progress is None:
        return {}
    names = {a.id: a.filename for a in store.attachments.list(referral_id)}
    failed = [(names[aid], failure) for aid, failure in uploads.given_up(referral_id).items()
              if aid in names]  # a reply's documents show with the reply
    return {"documents": progress, "documents_failed": failed}


def document_lines(detail: dict[str, Any]) -> list[str]:
    """Rich-text lines: the count, what is still being sent, and each document given up on."""
    progress = detail.get("documents")
    if progress is None:
        return []
    line = f"<b>Documents:</b> {html.escape(progress.sentence())}"
    if progress.waiting:
        line += (f" — {progress.waiting} still being sent, in the background whenever there is a "
                 "connection. The referral is fully sent when they are all there.")
    lines = [line]
    lines += [given_up_line(name, failure) for name, failure in detail.get("documents_failed") or []]
    return lines


def given_up_line(name: str, failure: str | None, holder: str = "referral") -> str:
    """Rich text for one document given up on: its name, why, and what the user can do (``holder``:
    what iART has without it, the referral or a reply)."""
    why = DOCUMENT_FAILURES.get(failure or "", "it could not be sent")
    advice = _ADVICE.get(failure or "", DOCUMENT_FAILED_ADVICE).format(holder=holder)
    return f"<b>⚠ “{html.escape(name)}” could not be sent:</b> {why}. {advice}"


def _kinds(n: int) -> tuple[str, str, str]:
    """Why ``n`` documents never reached iART, in each kind the receipt counts, in words."""
    it, they, were = ("it", "it", "was") if n == 1 else ("them", "they", "were")
    return ("the copy kept on this computer was damaged",
            f"iART did not accept {it}",
            f"{they} went with a reply iART did not accept, so {they} {were} never sent")


def _never_reached(receipt: Any) -> tuple[int, str]:
    """(how many, why in words) of a purged referral's documents that never reached iART, from its
    receipt: given up on (damaged here, or not accepted by iART) or never sent (attached to a reply iART
    refused); (0, "") when none, or when the receipt predates the counts (nothing can be said then)."""
    counts = [getattr(receipt, name, None) or 0 for name in
              ("documents_damaged_here", "documents_refused_by_iart", "documents_of_refused_replies")]
    told = [(n, _kinds(n)[kind]) for kind, n in enumerate(counts) if n]
    if not told:
        return 0, ""
    if len(told) == 1:
        n, why = told[0]
        return n, why if why.startswith("iART") else why[:1].upper() + why[1:]
    return sum(counts), ", ".join(f"{n} because {why}" for n, why in told)


def never_reached_line(receipt: Any, reference: str) -> str:
    """Rich text for a purged referral whose receipt counts documents that never reached iART: how many,
    why in kind, and the same advice as the page gave before the purge (phone iART with the reference).
    "Attached to", not "sent with": a refused reply's documents were never sent. Empty when there are
    none to tell."""
    total, why = _never_reached(receipt)
    if not total:
        return ""
    it = "it" if total == 1 else "them"
    count = "1 document" if total == 1 else f"{total} documents"
    files = "file" if total == 1 else "files"
    return (f"<b>⚠ {count} attached to this referral or your replies never reached iART:</b> "
            f"{html.escape(why)}. Phone iART ({CONTACTS_MENU_PATH}), give them the iART reference "
            f"{html.escape(reference)}, and ask how to send {it} another way. This computer no longer holds "
            f"{it}: have the original {files} ready.")


def never_reached_count(receipt: Any) -> str:
    """The same for the saved receipt's table: "1 (iART did not accept it)"; empty when none."""
    total, why = _never_reached(receipt)
    return f"{total} ({why[:1].lower() + why[1:]})" if total else ""  # "iART" and digits stay as they are
