"""Steps the purge and receipt tests share: a referral iART acknowledged and decided (so the next purge
takes it), and the receipt's stored row as it is on disk (to look for what must never be in it)."""

from __future__ import annotations

from typing import Any


def decide(store: Any, referral_id: str, clock: Any) -> None:
    """iART acknowledged the referral, then decided it ("early_help") at the clock's now."""
    store.referrals.set_state(referral_id, "acknowledged")
    store.referrals.set_state(referral_id, "decided", outcome="early_help", decided_at=clock())


def receipt_row(store: Any, referral_id: str) -> tuple:
    """Every stored column of the referral's receipt."""
    with store.read() as conn:
        return conn.execute("SELECT * FROM receipts WHERE referral_id = ?", (referral_id,)).fetchone()
