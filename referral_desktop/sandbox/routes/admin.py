"""Sandbox-only JSON endpoints (not part of the contract, never fault-injected), for the operator token:
``GET|POST|DELETE /v1/_sandbox/faults``, ``GET /v1/_sandbox/referrals``,
``POST /v1/_sandbox/referrals/{ref}/acknowledge|decide|request-info``, the conversation
``GET /v1/_sandbox/referrals/{ref}/messages`` (with the replies' decrypted text, for tests and demos)
and ``POST /v1/_sandbox/messages/{message_id}/read``."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from referral_desktop.domain.api_contract import ProblemType, ReferralStatus
from referral_desktop.sandbox.auth import require_operator
from referral_desktop.sandbox.bodies import read_limited_body
from referral_desktop.sandbox.context import context_of
from referral_desktop.sandbox.faults import FaultConfig
from referral_desktop.sandbox.problems import (
    ProblemError,
    json_object,
    model_response,
    not_found,
    pydantic_problems,
)
from referral_desktop.sandbox.storage import ReferralNotFound
from referral_desktop.sandbox.transitions import mark_read, move

log = logging.getLogger(__name__)

router = APIRouter()


@router.get("/v1/_sandbox/faults")
async def get_faults(request: Request) -> Response:
    ctx = context_of(request)
    require_operator(ctx, request)
    return model_response(ctx.faults.config)


@router.post("/v1/_sandbox/faults")
async def set_faults(request: Request) -> Response:
    ctx = context_of(request)
    require_operator(ctx, request)
    body = await read_limited_body(request, 64 * 1024)
    try:
        config = FaultConfig.model_validate_json(body)
    except ValidationError as exc:
        raise ProblemError(
            422, ProblemType.MALFORMED, "Not a fault configuration", errors=pydantic_problems(exc)
        ) from None
    ctx.faults.configure(config)
    log.info("fault rules replaced (%d rules)", len(config.rules))
    return model_response(ctx.faults.config)


@router.delete("/v1/_sandbox/faults")
async def clear_faults(request: Request) -> Response:
    ctx = context_of(request)
    require_operator(ctx, request)
    ctx.faults.configure(FaultConfig())
    return model_response(ctx.faults.config)


@router.get("/v1/_sandbox/referrals")
async def list_referrals(request: Request) -> Response:
    ctx = context_of(request)
    require_operator(ctx, request)
    return JSONResponse(
        [
            {
                "referral_id": r.referral_id,
                "iart_reference": r.reference,
                "status": r.status.value,
                "outcome": r.outcome.value if r.outcome else None,
                "payload_content_type": r.payload_content_type,
                "replays": r.replays,
                "attachments_total": r.attachments_total,
                "attachments_complete": r.attachments_complete,
                "received_at": r.received_at.isoformat(),
            }
            for r in ctx.storage.list_referrals()
        ]
    )


async def _move_json(request: Request, reference: str, status: ReferralStatus) -> Response:
    ctx = context_of(request)
    require_operator(ctx, request)
    body = await read_limited_body(request, 16 * 1024)
    data = json_object(body)
    report = move(ctx, reference, status, data.get("outcome"), data.get("message"))
    return model_response(report)


@router.post("/v1/_sandbox/referrals/{reference}/acknowledge")
async def admin_acknowledge(request: Request, reference: str) -> Response:
    return await _move_json(request, reference, ReferralStatus.ACKNOWLEDGED)


@router.post("/v1/_sandbox/referrals/{reference}/decide")
async def admin_decide(request: Request, reference: str) -> Response:
    return await _move_json(request, reference, ReferralStatus.DECIDED)


@router.post("/v1/_sandbox/referrals/{reference}/request-info")
async def admin_request_info(request: Request, reference: str) -> Response:
    return await _move_json(request, reference, ReferralStatus.INFO_REQUESTED)


@router.get("/v1/_sandbox/referrals/{reference}/messages")
async def admin_conversation(request: Request, reference: str) -> Response:
    ctx = context_of(request)
    require_operator(ctx, request)
    try:
        referral_id = str(ctx.storage.status(reference).referral_id)
    except ReferralNotFound:
        raise not_found() from None
    return JSONResponse(
        [
            {
                "message_id": entry.message_id,
                "direction": entry.direction.value,
                "created_at": entry.created_at.isoformat(),
                "text": entry.text,
                "read_at": entry.read_at.isoformat() if entry.read_at else None,
                "replays": entry.replays,
                "documents": [
                    {"attachment_id": d.attachment_id, "name": d.name, "size": d.size, "complete": d.complete}
                    for d in entry.documents
                ],
            }
            for entry in ctx.storage.conversation.transcript(referral_id)
        ]
    )


@router.post("/v1/_sandbox/messages/{message_id}/read")
async def admin_mark_read(request: Request, message_id: str) -> Response:
    ctx = context_of(request)
    require_operator(ctx, request)
    return model_response(mark_read(ctx, message_id))
