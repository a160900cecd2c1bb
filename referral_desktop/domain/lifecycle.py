"""The lifecycle of a referral (PRODUCT.md §4) as a small state machine.

Why here, in the domain: the store refuses impossible moves (a decided referral cannot go back to
draft) and the sync worker and the UI ask the same questions (``can_transition``), so the rules live in
one pure-Python place with no storage or network in it.

Main line: draft → ready (validated, frozen) → queued → sending → received (iART reference) →
acknowledged → decided, then purged by retention. On the side: retrying (network, 5xx, 429), rejected
(the server refused the content; the referral goes back to draft with the reasons kept),
info_requested (iART asked for more), purged (personal data removed; the receipt stays).
"""

from __future__ import annotations

from enum import StrEnum


class ReferralState(StrEnum):
    DRAFT = "draft"
    READY = "ready"
    QUEUED = "queued"
    SENDING = "sending"
    RETRYING = "retrying"
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    INFO_REQUESTED = "info_requested"
    DECIDED = "decided"
    REJECTED = "rejected"
    PURGED = "purged"


class InvalidTransition(ValueError):
    """A move the lifecycle does not allow (a programming error, not something a user can cause)."""

    def __init__(self, current: ReferralState | str, target: ReferralState | str) -> None:
        super().__init__(f"A referral cannot move from {current} to {target}")
        self.current = str(current)
        self.target = str(target)


_S = ReferralState

_ALLOWED: dict[ReferralState, frozenset[ReferralState]] = {
    _S.DRAFT: frozenset({_S.READY}),
    # Ready → draft: the user withdraws a frozen referral before it is queued.
    _S.READY: frozenset({_S.QUEUED, _S.DRAFT}),
    _S.QUEUED: frozenset({_S.SENDING, _S.RETRYING}),
    # Sending → queued: the app stopped mid-send; the same frozen bytes are sent again on restart.
    _S.SENDING: frozenset({_S.RECEIVED, _S.RETRYING, _S.REJECTED, _S.QUEUED}),
    _S.RETRYING: frozenset({_S.SENDING, _S.QUEUED, _S.REJECTED}),
    _S.RECEIVED: frozenset({_S.ACKNOWLEDGED, _S.INFO_REQUESTED, _S.DECIDED, _S.PURGED}),
    _S.ACKNOWLEDGED: frozenset({_S.INFO_REQUESTED, _S.DECIDED, _S.PURGED}),
    _S.INFO_REQUESTED: frozenset({_S.ACKNOWLEDGED, _S.DECIDED, _S.PURGED}),
    _S.DECIDED: frozenset({_S.PURGED}),
    # Rejected is a moment, not a resting place: the referral returns to draft with the reasons.
    _S.REJECTED: frozenset({_S.DRAFT}),
    _S.PURGED: frozenset(),
}

#: States whose answers the user may still change.
EDITABLE_STATES: frozenset[ReferralState] = frozenset({_S.DRAFT, _S.REJECTED})
#: States whose work would be lost by resetting the store (nothing has reached iART yet).
UNSENT_STATES: frozenset[ReferralState] = frozenset(
    {_S.DRAFT, _S.READY, _S.QUEUED, _S.SENDING, _S.RETRYING, _S.REJECTED}
)
#: Unsent states that are waiting for the network rather than for the user.
WAITING_TO_SEND_STATES: frozenset[ReferralState] = frozenset({_S.READY, _S.QUEUED, _S.SENDING, _S.RETRYING})
#: States in which iART holds the referral (it has a reference).
SENT_STATES: frozenset[ReferralState] = frozenset(
    {_S.RECEIVED, _S.ACKNOWLEDGED, _S.INFO_REQUESTED, _S.DECIDED}
)


def allowed_targets(current: ReferralState | str) -> frozenset[ReferralState]:
    return _ALLOWED[ReferralState(current)]


def can_transition(current: ReferralState | str, target: ReferralState | str) -> bool:
    try:
        return ReferralState(target) in _ALLOWED[ReferralState(current)]
    except ValueError:
        return False


def check_transition(current: ReferralState | str, target: ReferralState | str) -> None:
    """Raise :class:`InvalidTransition` unless ``current → target`` is allowed."""
    if not can_transition(current, target):
        raise InvalidTransition(current, target)
