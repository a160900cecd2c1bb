"""Counts of unsent work, readable without the passphrase.

Why: when someone has forgotten the passphrase the only way forward is to reset the store, and the
warning must say what would be lost ("3 drafts and 1 referral waiting to send") without being able to
open it. The store rewrites this small plain file (counts only, nothing personal) after every change
of state and on every unlock.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from referral_desktop.domain.lifecycle import EDITABLE_STATES, WAITING_TO_SEND_STATES
from referral_desktop.store.layout import StoreFiles, read_json, write_private_json
from referral_desktop.store.records import UnsentSummary


def counted_group(state: str) -> str | None:
    """Which count a referral in ``state`` adds to: "drafts", "waiting_to_send" or neither (None)."""
    if state in EDITABLE_STATES:
        return "drafts"
    if state in WAITING_TO_SEND_STATES:
        return "waiting_to_send"
    return None


def count_unsent(conn: Any) -> UnsentSummary:
    counts = dict(conn.execute("SELECT state, count(*) FROM referrals GROUP BY state").fetchall())
    return UnsentSummary(
        drafts=sum(counts.get(s.value, 0) for s in EDITABLE_STATES),
        waiting_to_send=sum(counts.get(s.value, 0) for s in WAITING_TO_SEND_STATES),
    )


def write_unsent_summary(files: StoreFiles, summary: UnsentSummary) -> None:
    write_private_json(
        files.unsent_summary,
        {"drafts": summary.drafts, "waiting_to_send": summary.waiting_to_send},
        durable=False,
    )


def unsent_summary(profile_dir: Path) -> UnsentSummary:
    """The last counts the store wrote; zeros with ``known=False`` if there is a store but no readable file."""
    files = StoreFiles(Path(profile_dir))
    data = read_json(files.unsent_summary)
    if data is not None:
        drafts, waiting = data.get("drafts"), data.get("waiting_to_send")
        if isinstance(drafts, int) and isinstance(waiting, int):
            return UnsentSummary(drafts=drafts, waiting_to_send=waiting)
    return UnsentSummary(known=not files.db.exists())
