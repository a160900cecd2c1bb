"""Where things stand: the API's health probe, a referral's status and outcome, and the changes feed the
client polls.

The status models carry the rules that tie their fields together (an outcome exactly when decided, a
message when iART asks for information) so that neither side can send an answer the other would misread.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal
from uuid import UUID

from pydantic import Field, model_validator

from referral_desktop.domain.api_contract.contract_model import AwareDatetime, ContractModel
from referral_desktop.domain.api_contract.conversation import ConversationMessage


class Health(ContractModel):
    """``GET /v1/health``: a light probe the client uses to notice the API is reachable again."""

    status: Literal["ok"] = "ok"
    api_version: Literal["v1"] = "v1"
    server_time: AwareDatetime


class ReferralStatus(StrEnum):
    """Where iART is with a referral (the client maps these onto its own lifecycle states)."""

    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"
    INFO_REQUESTED = "info_requested"
    DECIDED = "decided"


class Outcome(StrEnum):
    """iART's decision on a referral."""

    CHILDRENS_SOCIAL_CARE_ASSESSMENT = "childrens_social_care_assessment"
    EARLY_HELP_AND_PREVENTION = "early_help_and_prevention"
    ADVICE_AND_INFORMATION = "advice_and_information"
    REDIRECTED = "redirected"
    NO_FURTHER_ACTION = "no_further_action"


class StatusReport(ContractModel):
    """``GET /v1/referrals/{reference}/status`` and each item of the changes list."""

    referral_id: UUID
    iart_reference: str
    status: ReferralStatus
    changed_at: AwareDatetime
    received_at: AwareDatetime
    decision_due: AwareDatetime
    outcome: Outcome | None = None
    message: str | None = Field(
        default=None, max_length=2000, description="What iART asks for (status info_requested only)."
    )
    attachments_pending: list[UUID] = Field(default_factory=list)
    messages: list[ConversationMessage] = Field(
        default_factory=list, description="The whole conversation, oldest first (by sequence)."
    )

    @model_validator(mode="after")
    def _details_match_status(self) -> StatusReport:
        if (self.status is ReferralStatus.DECIDED) != (self.outcome is not None):
            raise ValueError("outcome is given exactly when the status is decided")
        if self.status is ReferralStatus.INFO_REQUESTED and not self.message:
            raise ValueError("info_requested needs a message")
        return self


class StatusChanges(ContractModel):
    """``GET /v1/referrals/changes?since=<date-time>``: statuses changed after ``since``.

    Pass ``until`` back as the next ``since``. When ``has_more`` is true, ask again straight away.
    """

    changes: list[StatusReport]
    until: AwareDatetime
    has_more: bool = False
