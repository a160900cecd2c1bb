"""Submitting a referral: ``POST /v1/referrals``, its payload and the acknowledgement that alone means iART
holds it.

The referral travels as the exact frozen bytes the client serialised once when it was queued, so that a
retry sends the same bytes and the server's idempotency fingerprint (:meth:`SubmissionRequest.fingerprint`)
recognises it; the envelope around them is free of personal data.
"""

from __future__ import annotations

import hashlib
from enum import StrEnum
from typing import Any, Literal
from uuid import UUID

from pydantic import Field, model_validator

from referral_desktop.domain.api_contract.attachments import AttachmentManifestEntry, require_unique_ids
from referral_desktop.domain.api_contract.contract_model import AwareDatetime, ContractModel


class PayloadContentType(StrEnum):
    """How ``SubmissionRequest.payload`` is encoded."""

    ANSWERS_JSON = "application/json"
    """The UTF-8 text of the answers document ``{"form_id", "form_version", "answers"}``."""
    JWE_COMPACT = "application/jose"
    """A JWE compact serialisation (e.g. RSA-OAEP-256 + A256GCM) whose plaintext is that same text."""


class SubmissionRequest(ContractModel):
    """``POST /v1/referrals`` body (with ``Idempotency-Key: <referral UUID>``)."""

    form_id: str = Field(min_length=1, max_length=100)
    form_version: str = Field(
        min_length=1, max_length=50,
        description=(
            "The version the referral was written on (for example 1.0.0 or 1.1.0); iART checks it by that "
            "version's own rules. Fields marked x-confidential in that version's answers schema (an "
            "informant who must not be identified) must never be shown to the family."
        ),
    )
    payload_content_type: PayloadContentType
    payload: str = Field(
        description="The frozen payload: answers-document JSON text, or a JWE compact serialisation."
    )
    attachments: list[AttachmentManifestEntry] = Field(default_factory=list)

    @classmethod
    def from_frozen(
        cls,
        *,
        form_id: str,
        form_version: str,
        payload: bytes,
        content_type: str,
        attachments: list[AttachmentManifestEntry] | None = None,
    ) -> SubmissionRequest:
        """Build the request from the bytes frozen at queue time (they are UTF-8 text in both encodings)."""
        return cls(
            form_id=form_id,
            form_version=form_version,
            payload_content_type=PayloadContentType(content_type),
            payload=payload.decode("utf-8"),
            attachments=attachments or [],
        )

    def payload_bytes(self) -> bytes:
        return self.payload.encode("utf-8")

    def fingerprint(self) -> str:
        """What "the same bytes" means for idempotency: SHA-256 over the canonical form of this request."""
        return hashlib.sha256(self.model_dump_json().encode("utf-8")).hexdigest()

    @model_validator(mode="after")
    def _unique_attachment_ids(self) -> SubmissionRequest:
        require_unique_ids(self.attachments)
        return self


class ReferralPayload(ContractModel):
    """The plaintext a payload carries: the answers document, plus the attachments' file names.

    File names live here, inside what may be encrypted, and never in the manifest.
    """

    form_id: str
    form_version: str
    answers: dict[str, Any]
    attachment_names: dict[str, str] = Field(
        default_factory=dict, description="attachment id -> original file name"
    )


class Acknowledgement(ContractModel):
    """The only body that means "iART holds this referral" (``201`` first time, ``200`` on a replay).

    A bare ``200`` from a captive portal or proxy never parses as this, which is the point.
    """

    referral_id: UUID
    iart_reference: str = Field(pattern=r"^IART-\d{4}-\d{6}$")
    status: Literal["received"] = "received"
    received_at: AwareDatetime
    decision_due: AwareDatetime
    attachments_pending: list[UUID] = Field(
        default_factory=list, description="Attachment ids still to upload (or to finish uploading)."
    )
