"""What the sandbox's storage hands back and the refusals it raises, apart from the code that reads and
writes, so that routes, the operator page and commands can name them without pulling in the storage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from referral_desktop.domain.api_contract import Outcome, ReferralStatus, StatusReport

#: Which status may follow which (the operator commands and the auto mode obey this).
ALLOWED_TRANSITIONS: dict[ReferralStatus, frozenset[ReferralStatus]] = {
    ReferralStatus.RECEIVED: frozenset({ReferralStatus.ACKNOWLEDGED}),
    ReferralStatus.ACKNOWLEDGED: frozenset({ReferralStatus.INFO_REQUESTED, ReferralStatus.DECIDED}),
    ReferralStatus.INFO_REQUESTED: frozenset(
        {ReferralStatus.ACKNOWLEDGED, ReferralStatus.INFO_REQUESTED, ReferralStatus.DECIDED}
    ),
    ReferralStatus.DECIDED: frozenset(),
}


class IdempotencyConflict(Exception):
    """The idempotency key is already held by a different request."""


class ReferralNotFound(Exception):
    """No referral with that id or reference."""


class TransitionRefused(Exception):
    """The referral's current status does not allow that move."""

    def __init__(self, current: ReferralStatus, wanted: ReferralStatus) -> None:
        super().__init__(f"a {current.value} referral cannot become {wanted.value}")
        self.current = current
        self.wanted = wanted


class UploadOffsetMismatch(Exception):
    def __init__(self, offset: int) -> None:
        super().__init__(f"the upload continues at byte {offset}")
        self.offset = offset


class ChecksumMismatch(Exception):
    """Every byte arrived but the SHA-256 differs from the manifest; the upload was reset to 0."""


@dataclass(frozen=True)
class StoredReferral:
    """One row, as the sandbox's operator views see it."""

    referral_id: str
    reference: str
    form_id: str
    form_version: str
    payload_content_type: str
    status: ReferralStatus
    outcome: Outcome | None
    message: str | None
    received_at: datetime
    decision_due: datetime
    changed_at: datetime
    replays: int
    summary: dict
    attachments_total: int
    attachments_complete: int


@dataclass(frozen=True)
class SubmitResult:
    report: StatusReport
    created: bool
