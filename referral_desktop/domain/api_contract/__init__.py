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

One module per part of the API, each with its reasons: :mod:`.submission`, :mod:`.attachments`,
:mod:`.conversation`, :mod:`.status`, :mod:`.signed_form`, :mod:`.problems`, on the strict base of
:mod:`.contract_model`. This package is the contract's one public surface: import its names from here.
"""

from __future__ import annotations

from pydantic import BaseModel

from referral_desktop.domain.api_contract.attachments import AttachmentManifestEntry, UploadStatus
from referral_desktop.domain.api_contract.contract_model import AwareDatetime, ContractModel, Sha256Hex
from referral_desktop.domain.api_contract.conversation import (
    REPLY_MAX_CHARACTERS,
    ConversationMessage,
    MessageDirection,
    ReplyPayload,
    ReplyRequest,
)
from referral_desktop.domain.api_contract.problems import PROBLEM_MEDIA_TYPE, FieldProblem, Problem, ProblemType
from referral_desktop.domain.api_contract.signed_form import SignedFormDefinition
from referral_desktop.domain.api_contract.status import Health, Outcome, ReferralStatus, StatusChanges, StatusReport
from referral_desktop.domain.api_contract.submission import (
    Acknowledgement,
    PayloadContentType,
    ReferralPayload,
    SubmissionRequest,
)

API_VERSION = "v1"
API_PREFIX = "/v1"

#: Header carrying the referral's UUID on ``POST /v1/referrals``, and a reply's own UUID on
#: ``POST /v1/referrals/{referral_id}/messages``.
IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"

#: Header telling how many bytes of an attachment the server holds (resumable uploads).
UPLOAD_OFFSET_HEADER = "Upload-Offset"

#: Header telling the declared total size of an attachment (on ``HEAD``).
UPLOAD_LENGTH_HEADER = "Upload-Length"

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

__all__ = [
    "API_PREFIX",
    "API_VERSION",
    "Acknowledgement",
    "AttachmentManifestEntry",
    "AwareDatetime",
    "CONTRACT_MODELS",
    "ContractModel",
    "ConversationMessage",
    "FieldProblem",
    "Health",
    "IDEMPOTENCY_KEY_HEADER",
    "MessageDirection",
    "Outcome",
    "PROBLEM_MEDIA_TYPE",
    "PayloadContentType",
    "Problem",
    "ProblemType",
    "REPLY_MAX_CHARACTERS",
    "ReferralPayload",
    "ReferralStatus",
    "ReplyPayload",
    "ReplyRequest",
    "Sha256Hex",
    "SignedFormDefinition",
    "StatusChanges",
    "StatusReport",
    "SubmissionRequest",
    "UPLOAD_LENGTH_HEADER",
    "UPLOAD_OFFSET_HEADER",
    "UploadStatus",
]
