"""A referral iART has received, recorded as the sender records it (tests' and walks' set-up): drafted,
frozen, queued, sending, then received with its iART reference, times and decision due a day later, and
out of the outbox. One builder for the UI tests and the AT-SPI drivers that start from one."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any


def received_referral(store: Any, *, at: datetime, reference: str = "IART-2026-000123",
                      answers: dict[str, Any] | None = None) -> str:
    """The new referral's id; ``answers`` are the draft's (none by default)."""
    referral = store.referrals.create_draft("cwac-marf", "1.0.0", answers or {})
    store.referrals.freeze(referral.id, b"payload", "application/json")
    store.outbox.enqueue(referral.id)
    store.referrals.set_state(referral.id, "sending")
    store.referrals.set_state(referral.id, "received", iart_reference=reference, sent_at=at, received_at=at,
                              decision_due=at + timedelta(days=1))
    store.outbox.remove(referral.id)
    return str(referral.id)
