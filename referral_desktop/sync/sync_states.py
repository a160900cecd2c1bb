"""The lifecycle states the outbox worker's jobs move referrals through, and the groups they test for.

One place for them so the sender, the status poller and the scheduler agree on what "sent" and "still
waiting for a decision" mean. The names are :class:`~referral_desktop.domain.lifecycle.ReferralState`
members (StrEnum: equal to their plain names, which is what the store hands back).
"""

from __future__ import annotations

from typing import Any

from referral_desktop.domain.lifecycle import ReferralState

QUEUED = ReferralState.QUEUED
SENDING = ReferralState.SENDING
RETRYING = ReferralState.RETRYING
RECEIVED = ReferralState.RECEIVED
ACKNOWLEDGED = ReferralState.ACKNOWLEDGED
INFO_REQUESTED = ReferralState.INFO_REQUESTED
DECIDED = ReferralState.DECIDED
REJECTED = ReferralState.REJECTED
DRAFT = ReferralState.DRAFT

#: States in which the server holds the referral and its status is still moving.
AWAITING_DECISION = (RECEIVED, ACKNOWLEDGED, INFO_REQUESTED)
#: States in which iART holds the referral.
SENT_STATES = (*AWAITING_DECISION, DECIDED, "purged")


def state_name(value: Any) -> str:
    """The plain name of a state, whether the store gave an enum member or a string."""
    return str(getattr(value, "value", value))
