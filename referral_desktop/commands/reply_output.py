"""How ``send`` reports each reply to iART it attempted: id, state and what happens next (no text)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


def print_reply_attempts(attempts: Sequence[Any], documents: Mapping[str, Any] | None = None) -> int:
    """One line per attempt (``reply <id> <state> [note]``, a sent reply with documents noting "1 of 2
    documents sent"); returns how many are not sent yet, documents included."""
    from referral_desktop.domain.working_days import uk_local

    unfinished = 0
    for attempt in attempts:
        note = ""
        progress = (documents or {}).get(attempt.reply_id)
        if attempt.state == "sent" and progress is not None:
            note = f"\t{progress.sentence()}"
            unfinished += not progress.complete
        elif attempt.state != "sent":
            unfinished += 1
            if attempt.needs_it:
                note = "\tneeds IT: check the connection settings in the policy (api_base_url, certificates, token)"
            elif attempt.state == "refused":
                note = f"\trefused by iART ({attempt.error_code})"
            elif attempt.next_attempt_at is not None:
                when = uk_local(attempt.next_attempt_at).strftime("%d/%m/%Y %H:%M")
                note = f"\t{attempt.error_code}; next attempt {when}"
        print(f"reply\t{attempt.reply_id}\t{attempt.state}{note}")
    return unfinished
