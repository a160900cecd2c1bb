"""The conversation about a referral: iART's messages and the referrer's replies
(``POST /v1/referrals/{referral_id}/messages``).

A reply is frozen once on the client like a referral (its own UUID as the idempotency key), so a resent
reply is recognised and recorded once on both sides; its documents are announced in a manifest and uploaded
like a referral's (:mod:`.attachments`).
"""

from __future__ import annotations

import hashlib
from enum import StrEnum
from uuid import UUID

from pydantic import Field, model_validator

from referral_desktop.domain.api_contract.attachments import AttachmentManifestEntry, require_unique_ids
from referral_desktop.domain.api_contract.contract_model import AwareDatetime, ContractModel
from referral_desktop.domain.api_contract.submission import PayloadContentType


class MessageDirection(StrEnum):
    """Who wrote a message of a referral's conversation."""

    FROM_IART = "from_iart"
    TO_IART = "to_iart"


#: The longest reply text, in characters (a reply is a note, not a second referral).
REPLY_MAX_CHARACTERS = 10_000


class ReplyPayload(ContractModel):
    """The plaintext a reply's payload carries (the whole of it may be encrypted to iART's key)."""

    text: str = Field(min_length=1, max_length=REPLY_MAX_CHARACTERS)
    attachment_names: dict[str, str] = Field(
        default_factory=dict, description="attachment id -> original file name (the names travel only here)"
    )


class ReplyRequest(ContractModel):
    """``POST /v1/referrals/{referral_id}/messages`` body (with ``Idempotency-Key: <reply UUID>``).

    Like a submission, the payload is frozen once on the client: the canonical JSON text of a
    :class:`ReplyPayload`, or a JWE compact serialisation of it. Same key and same body → the same
    answer; the same key with a different body (or for another referral) → ``409``.
    """

    payload_content_type: PayloadContentType
    payload: str = Field(
        min_length=1, description="The frozen reply: ReplyPayload JSON text, or its JWE compact serialisation."
    )
    attachments: list[AttachmentManifestEntry] = Field(
        default_factory=list,
        description="Documents the client uploads after the reply is accepted, as for a referral (no file names).",
    )

    def payload_bytes(self) -> bytes:
        return self.payload.encode("utf-8")

    def fingerprint(self) -> str:
        """What "the same body" means for idempotency: SHA-256 over the canonical form of this request.

        A reply without documents is fingerprinted as before they existed, so a replay of a reply sent
        then is still recognised."""
        exclude = None if self.attachments else {"attachments"}
        return hashlib.sha256(self.model_dump_json(exclude=exclude).encode("utf-8")).hexdigest()

    @model_validator(mode="after")
    def _unique_attachment_ids(self) -> ReplyRequest:
        require_unique_ids(self.attachments)
        return self


class ConversationMessage(ContractModel):
    """One message of a referral's conversation, as the status and changes feeds list it (all of them,
    oldest first) and as ``POST .../messages`` answers for a reply (``201`` first time, ``200`` on a
    replay).

    ``message_id`` is stable (a reply's is the client's idempotency key), so a client records each
    message once however often it sees it; ``sequence`` orders both sides' messages within the
    referral. iART's messages carry their ``text``; replies do not (the client has it, and the server
    never echoes what may have travelled encrypted), but carry ``read_at`` once iART has read them, and
    ``attachments_pending``: the reply's documents iART still waits for (uploaded like a referral's).
    """

    message_id: UUID
    direction: MessageDirection
    sequence: int = Field(ge=1, description="Order within the referral's conversation, from 1.")
    created_at: AwareDatetime = Field(description="When iART sent it, or received the reply.")
    text: str | None = Field(default=None, max_length=2000, description="iART's text (from_iart only).")
    read_at: AwareDatetime | None = Field(default=None, description="When iART read the reply (to_iart only).")
    attachments_pending: list[UUID] = Field(
        default_factory=list,
        description="The reply's documents still to upload (or to finish uploading), to_iart only.",
    )

    @model_validator(mode="after")
    def _details_match_direction(self) -> ConversationMessage:
        if (self.direction is MessageDirection.FROM_IART) != (self.text is not None):
            raise ValueError("text is given exactly for iART's messages")
        if self.direction is MessageDirection.FROM_IART and (self.read_at is not None or self.attachments_pending):
            raise ValueError("read_at and attachments_pending are for replies only")
        return self
