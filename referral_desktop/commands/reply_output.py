"""How ``send`` reports each reply to iART it attempted: id, state and what happens next (no text)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def print_reply_attempts(attempts: Sequence[Any]) -> int:
    """One line per attempt (``reply <id> <state> [note]``); returns how many are not sent yet."""
    from referral_desktop.domain.working_days import uk_local

    unfinished = 0
    for attempt in attempts:
        note = ""
        if attempt.state != "sent":
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
