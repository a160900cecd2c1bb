"""Contract routes about referrals: health, submitting one, its status and the changes feed.

The submission's body is read by hand (not by FastAPI's body parsing): the size limit must hold before
the body is parsed, the fingerprint is taken over the parsed envelope, and FastAPI's default 422 echoes
the input back (which could carry personal data into a log).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError

from referral_desktop.domain.api_contract import (
    IDEMPOTENCY_KEY_HEADER,
    Acknowledgement,
    FieldProblem,
    Health,
    ProblemType,
    StatusChanges,
    SubmissionRequest,
)
from referral_desktop.domain.working_days import decision_due, uk_local
from referral_desktop.sandbox.auth import require_client
from referral_desktop.sandbox.bodies import read_limited_body
from referral_desktop.sandbox.context import context_of
from referral_desktop.sandbox.payload_check import PayloadRefused, check_submission, operator_summary
from referral_desktop.sandbox.problems import (
    ProblemError,
    model_response,
    not_found,
    parse_uuid,
    pydantic_problems,
)
from referral_desktop.sandbox.storage import IdempotencyConflict, ReferralNotFound

log = logging.getLogger(__name__)

router = APIRouter()


def _conflict() -> ProblemError:
    return ProblemError(
        409, ProblemType.IDEMPOTENCY_CONFLICT,
        "This Idempotency-Key was already used for a different referral",
    )


@router.get("/v1/health")
async def health(request: Request) -> Response:
    return model_response(Health(server_time=context_of(request).clock()))


@router.post("/v1/referrals")
async def submit(request: Request) -> Response:
    ctx = context_of(request)
    require_client(ctx, request)
    key_header = request.headers.get(IDEMPOTENCY_KEY_HEADER)
    if not key_header:
        raise ProblemError(
            400, ProblemType.MALFORMED, "Idempotency-Key is required",
            errors=[FieldProblem(path=IDEMPOTENCY_KEY_HEADER, message="Give the referral's UUID")],
        )
    referral_id = parse_uuid(key_header, IDEMPOTENCY_KEY_HEADER)
    body = await read_limited_body(request, ctx.limits.max_referral_bytes)
    try:
        submission = SubmissionRequest.model_validate_json(body)
    except ValidationError as exc:
        raise ProblemError(
            422, ProblemType.MALFORMED, "The request is not a valid submission",
            errors=pydantic_problems(exc),
        ) from None
    for index, entry in enumerate(submission.attachments):
        if entry.size > ctx.limits.max_attachment_bytes:
            raise ProblemError(
                413, ProblemType.TOO_LARGE, "An attachment is too large",
                detail=f"The limit is {ctx.limits.max_attachment_bytes} bytes.",
                errors=[FieldProblem(path=f"attachments[{index}].size", message="Too large")],
            )
    existing = ctx.storage.fingerprint_of(referral_id)
    if existing is not None and existing != submission.fingerprint():
        raise _conflict()
    now = ctx.clock()
    summary: dict[str, Any] = {}
    if existing is None:
        try:
            document = check_submission(
                submission,
                private_key=ctx.secrets.payload_key,
                today=uk_local(now).date(),
                test_deployment=ctx.test_deployment,
            )
        except PayloadRefused as refused:
            log.info(
                "referral %s refused (%s) at paths %s",
                referral_id, refused.problem_type.value, sorted({e.path for e in refused.errors}),
            )
            raise ProblemError(
                422, refused.problem_type, refused.title, errors=refused.errors
            ) from None
        summary = operator_summary(document)
    try:
        result = ctx.storage.submit(
            referral_id, submission, received_at=now,
            decision_due=decision_due(now).astimezone(UTC), summary=summary,
        )
    except IdempotencyConflict:
        raise _conflict() from None
    report = result.report
    log.info(
        "referral %s %s as %s with %d attachments",
        referral_id, "received" if result.created else "replayed", report.iart_reference,
        len(submission.attachments),
    )
    ack = Acknowledgement(
        referral_id=report.referral_id,
        iart_reference=report.iart_reference,
        received_at=report.received_at,
        decision_due=report.decision_due,
        attachments_pending=report.attachments_pending,
    )
    return model_response(
        ack, 201 if result.created else 200,
        {"Location": f"/v1/referrals/{report.iart_reference}/status"},
    )


@router.get("/v1/referrals/changes")
async def changes(request: Request, since: datetime, limit: int = 100) -> Response:
    ctx = context_of(request)
    require_client(ctx, request)
    if since.tzinfo is None:
        raise ProblemError(
            422, ProblemType.MALFORMED, "since needs a time zone",
            errors=[FieldProblem(path="since", message="Give a date-time with an offset")],
        )
    limit = max(1, min(limit, 1000))
    reports, until, has_more = ctx.storage.changes_since(since, ctx.clock(), limit)
    return model_response(StatusChanges(changes=reports, until=until, has_more=has_more))


@router.get("/v1/referrals/{reference}/status")
async def status(request: Request, reference: str) -> Response:
    ctx = context_of(request)
    require_client(ctx, request)
    try:
        return model_response(ctx.storage.status(reference))
    except ReferralNotFound:
        raise not_found() from None
