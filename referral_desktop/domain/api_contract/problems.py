"""Errors in the contract: RFC 9457 problem documents, with the reasons on answer paths.

Every error is a :class:`Problem` with ``errors: [{path, message}]`` whose paths are the validator's answer
paths (``children[0].nhs_number``), so the client can put each reason back on its field; ``type`` is one of
:class:`ProblemType`, which says what the client should do.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from referral_desktop.domain.api_contract.contract_model import ContractModel

#: Media type of RFC 9457 problem documents.
PROBLEM_MEDIA_TYPE = "application/problem+json"


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


class FieldProblem(ContractModel):
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
