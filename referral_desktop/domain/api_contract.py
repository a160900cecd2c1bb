"""The iART API, version 1: the JSON shapes the desktop client and the sandbox server exchange.

No public iART API exists, so this project owns the contract. These pydantic models are the single source:
the client (``referral_desktop.sync``) parses responses with them, the sandbox builds its answers with
them, and ``resources/api/iart-api-v1.openapi.json`` is generated from them (a test fails when the
committed document drifts; ``referral-desktop sandbox openapi --write`` regenerates it).

Design choices worth knowing:

- The referral itself travels as the exact frozen bytes the client serialised once when the referral was
  queued (``payload``): the UTF-8 text of the answers document (``application/json``), or a JWE compact
  serialisation of those bytes (``application/jose``) when the deployment encrypts payloads. The envelope
  around it (form id and version, attachment manifest) is deliberately free of personal data, so that the
  server can route, size-check and de-duplicate without decrypting.
- The attachment manifest carries ids, sizes, SHA-256 digests and content types only. File names are
  personal-ish (``Jane Smith school report.pdf``), so they travel inside the (possibly encrypted) answers
  document, never in the envelope.
- Idempotency: ``Idempotency-Key`` is the referral's UUID. The server fingerprints the *parsed* envelope
  (:meth:`SubmissionRequest.fingerprint`), so insignificant JSON whitespace in the envelope does not matter
  while any change in the payload bytes, form version or manifest does (→ ``409``).
- Every error is an RFC 9457 problem document (:class:`Problem`) with ``errors: [{path, message}]`` whose
  paths are the validator's answer paths (``children[0].nhs_number``) so the client can put each reason
  back on its field.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, model_validator

API_VERSION = "v1"
API_PREFIX = "/v1"

#: Media type of RFC 9457 problem documents.
PROBLEM_MEDIA_TYPE = "application/problem+json"

#: Header carrying the referral's UUID on ``POST /v1/referrals``, and a reply's own UUID on
#: ``POST /v1/referrals/{referral_id}/messages``.
IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"
#: Header telling how many bytes of an attachment the server holds (resumable uploads).
UPLOAD_OFFSET_HEADER = "Upload-Offset"
#: Header telling the declared total size of an attachment (on ``HEAD``).
UPLOAD_LENGTH_HEADER = "Upload-Length"

Sha256Hex = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", description="lower-case hex SHA-256")]
AwareDatetime = Annotated[datetime, Field(description="RFC 3339 date-time with offset (UTC)")]


class _Model(BaseModel):
    """Strict about unknown keys so that a typo on either side is an error, not silently ignored data."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --- health ------------------------------------------------------------------------------------------


class Health(_Model):
    """``GET /v1/health``: a light probe the client uses to notice the API is reachable again."""

    status: Literal["ok"] = "ok"
    api_version: Literal["v1"] = "v1"
    server_time: AwareDatetime


# --- submitting a referral ---------------------------------------------------------------------------


class PayloadContentType(StrEnum):
    """How ``SubmissionRequest.payload`` is encoded."""

    ANSWERS_JSON = "application/json"
    """The UTF-8 text of the answers document ``{"form_id", "form_version", "answers"}``."""
    JWE_COMPACT = "application/jose"
    """A JWE compact serialisation (e.g. RSA-OAEP-256 + A256GCM) whose plaintext is that same text."""


class AttachmentManifestEntry(_Model):
    """One attachment the client will upload after the referral is accepted. No file name here."""

    id: UUID
    size: int = Field(ge=0)
    sha256: Sha256Hex
    content_type: str = Field(min_length=1, max_length=200)


class SubmissionRequest(_Model):
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
        ids = [entry.id for entry in self.attachments]
        if len(ids) != len(set(ids)):
            raise ValueError("attachment ids must be unique")
        return self


class ReferralPayload(_Model):
    """The plaintext a payload carries: the answers document, plus the attachments' file names.

    File names live here, inside what may be encrypted, and never in the manifest.
    """

    form_id: str
    form_version: str
    answers: dict[str, Any]
    attachment_names: dict[str, str] = Field(
        default_factory=dict, description="attachment id -> original file name"
    )


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


class Acknowledgement(_Model):
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


# --- the conversation: iART's messages and the referrer's replies -------------------------------------


class MessageDirection(StrEnum):
    """Who wrote a message of a referral's conversation."""

    FROM_IART = "from_iart"
    TO_IART = "to_iart"


#: The longest reply text, in characters (a reply is a note, not a second referral).
REPLY_MAX_CHARACTERS = 10_000


class ReplyPayload(_Model):
    """The plaintext a reply's payload carries (the whole of it may be encrypted to iART's key)."""

    text: str = Field(min_length=1, max_length=REPLY_MAX_CHARACTERS)
    attachment_names: dict[str, str] = Field(
        default_factory=dict, description="attachment id -> original file name (the names travel only here)"
    )


class ReplyRequest(_Model):
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
        ids = [entry.id for entry in self.attachments]
        if len(ids) != len(set(ids)):
            raise ValueError("attachment ids must be unique")
        return self


class ConversationMessage(_Model):
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


# --- status ------------------------------------------------------------------------------------------


class StatusReport(_Model):
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


class StatusChanges(_Model):
    """``GET /v1/referrals/changes?since=<date-time>``: statuses changed after ``since``.

    Pass ``until`` back as the next ``since``. When ``has_more`` is true, ask again straight away.
    """

    changes: list[StatusReport]
    until: AwareDatetime
    has_more: bool = False


# --- resumable attachment uploads --------------------------------------------------------------------


class UploadStatus(_Model):
    """``PUT``/``GET /v1/referrals/{referral_id}/attachments/{attachment_id}``.

    ``received`` is the offset to continue from (also in the ``Upload-Offset`` header, and the only thing
    a ``HEAD`` answers). ``complete`` is true once every byte arrived and the SHA-256 matched the manifest.
    """

    referral_id: UUID
    attachment_id: UUID
    size: int
    received: int
    complete: bool


# --- form definitions --------------------------------------------------------------------------------


class SignedFormDefinition(_Model):
    """``GET /v1/forms/current``: the form definition iART wants used, signed.

    ``definition`` is the exact JSON text of the form file; ``signature`` is a JWS compact serialisation
    with a *detached* payload (RFC 7515 appendix F: ``<header>..<signature>``) over those UTF-8 bytes,
    made with the form-signing key whose public half the deployment policy holds
    (``form_signing_key``). Verify before use; never act on an unsigned or wrongly signed definition.
    """

    form_id: str
    version: str
    definition: str
    signature: str
    algorithm: str = Field(description="JWS alg of the signature, e.g. ES256")
    key_id: str | None = None


# --- errors ------------------------------------------------------------------------------------------


class ProblemType(StrEnum):
    """The ``type`` URIs of the problem documents this API returns."""

    VALIDATION = "urn:iart:problem:validation"
    """422: the referral's content breaks the form's rules; see ``errors``."""
    MALFORMED = "urn:iart:problem:malformed-request"
    """422 (or 400 for bad headers): the envelope is not a valid request; see ``errors``."""
    UNKNOWN_FORM = "urn:iart:problem:unknown-form"
    """422: the form id/version is not one iART accepts."""
    DECRYPTION_FAILED = "urn:iart:problem:decryption-failed"
    """422: a JWE payload could not be decrypted with iART's key."""
    IDEMPOTENCY_CONFLICT = "urn:iart:problem:idempotency-conflict"
    """409: this Idempotency-Key was already used with a different request."""
    UPLOAD_OFFSET_MISMATCH = "urn:iart:problem:upload-offset-mismatch"
    """409: the chunk does not start where the server's copy ends; ask with HEAD and resume."""
    CHECKSUM_MISMATCH = "urn:iart:problem:checksum-mismatch"
    """422: the uploaded bytes do not match the manifest's SHA-256; the upload starts again from 0."""
    UNAUTHORIZED = "urn:iart:problem:unauthorized"
    FORBIDDEN = "urn:iart:problem:forbidden"
    NOT_FOUND = "urn:iart:problem:not-found"
    TOO_LARGE = "urn:iart:problem:too-large"
    RATE_LIMITED = "urn:iart:problem:rate-limited"
    UNAVAILABLE = "urn:iart:problem:unavailable"
    SERVER_ERROR = "urn:iart:problem:server-error"


class FieldProblem(_Model):
    """One reason: ``path`` as in the validator (``children[0].nhs_number``), ``message`` for the user."""

    path: str
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details (``application/problem+json``); extra members are allowed by the RFC."""

    model_config = ConfigDict(extra="allow", frozen=True)

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldProblem] = Field(default_factory=list)


#: Every model in the contract, in the order the OpenAPI document lists them.
CONTRACT_MODELS: tuple[type[BaseModel], ...] = (
    Health,
    AttachmentManifestEntry,
    SubmissionRequest,
    ReferralPayload,
    Acknowledgement,
    ReplyPayload,
    ReplyRequest,
    ConversationMessage,
    StatusReport,
    StatusChanges,
    UploadStatus,
    SignedFormDefinition,
    FieldProblem,
    Problem,
)
