"""Contract route for the referrer's replies: ``POST /v1/referrals/{referral_id}/messages``.

Exactly once per ``Idempotency-Key`` (the reply's UUID), as for a referral: the body is read by hand
under a size limit, fingerprinted, and a replay answers ``200`` with the message first stored; a
different body (or another referral) under the same key is a ``409``. The fault layer injects on
this endpoint under the name ``messages``. A reply may list documents (a manifest, as a referral's:
ids, sizes, SHA-256, types; their names only inside the payload), uploaded afterwards through the
referral's attachment routes; the answer lists those still missing.
"""

from __future__ import annotations

import logging

from fastapi import APIRouter, Request, Response
from pydantic import ValidationError

from referral_desktop.domain.api_contract import IDEMPOTENCY_KEY_HEADER, FieldProblem, ProblemType, ReplyRequest
from referral_desktop.sandbox.auth import require_client
from referral_desktop.sandbox.bodies import read_limited_body
from referral_desktop.sandbox.context import context_of
from referral_desktop.sandbox.conversation_store import ReplyConflict
from referral_desktop.sandbox.payload_check import PayloadRefused
from referral_desktop.sandbox.problems import (
    ProblemError,
    model_response,
    not_found,
    parse_uuid,
    pydantic_problems,
)
from referral_desktop.sandbox.reply_check import reply_payload
from referral_desktop.sandbox.storage import ReferralNotFound

log = logging.getLogger(__name__)

router = APIRouter()

#: A reply is at most 10,000 characters (up to 4 bytes each in UTF-8), base64url-grown inside a JWE, with
#: its documents' names and manifest.
MAX_REPLY_BYTES = 128 * 1024


def _conflict() -> ProblemError:
    return ProblemError(
        409, ProblemType.IDEMPOTENCY_CONFLICT,
        "This Idempotency-Key was already used for a different reply",
    )


@router.post("/v1/referrals/{referral_id}/messages")
async def reply(request: Request, referral_id: str) -> Response:
    ctx = context_of(request)
    require_client(ctx, request)
    rid = str(parse_uuid(referral_id, "referral_id"))
    key_header = request.headers.get(IDEMPOTENCY_KEY_HEADER)
    if not key_header:
        raise ProblemError(
            400, ProblemType.MALFORMED, "Idempotency-Key is required",
            errors=[FieldProblem(path=IDEMPOTENCY_KEY_HEADER, message="Give the reply's UUID")],
        )
    message_id = parse_uuid(key_header, IDEMPOTENCY_KEY_HEADER)
    body = await read_limited_body(request, MAX_REPLY_BYTES)
    try:
        reply_request = ReplyRequest.model_validate_json(body)
    except ValidationError as exc:
        raise ProblemError(
            422, ProblemType.MALFORMED, "The request is not a valid reply", errors=pydantic_problems(exc)
        ) from None
    for index, entry in enumerate(reply_request.attachments):  # the same limit as a referral's documents
        if entry.size > ctx.limits.max_attachment_bytes:
            raise ProblemError(
                413, ProblemType.TOO_LARGE, "An attachment is too large",
                detail=f"The limit is {ctx.limits.max_attachment_bytes} bytes.",
                errors=[FieldProblem(path=f"attachments[{index}].size", message="Too large")],
            )
    try:
        ctx.storage.status(rid)
    except ReferralNotFound:
        raise not_found() from None
    existing = ctx.storage.conversation.fingerprint_of(message_id)
    text, names = "", {}
    if existing is not None:
        if existing != (rid, reply_request.fingerprint()):
            raise _conflict()
    else:
        try:
            payload = reply_payload(reply_request, ctx.secrets.payload_key)
        except PayloadRefused as refused:
            log.info("reply %s refused (%s)", message_id, refused.problem_type.value)
            raise ProblemError(422, refused.problem_type, refused.title, errors=refused.errors) from None
        text, names = payload.text, payload.attachment_names
    try:
        result = ctx.storage.conversation.add_reply(
            rid, message_id, reply_request, text, now=ctx.clock(), attachment_names=names
        )
    except ReplyConflict:
        raise _conflict() from None
    log.info("reply %s to referral %s %s (%d documents)", message_id, rid,
             "received" if result.created else "replayed", len(reply_request.attachments))
    return model_response(result.message, 201 if result.created else 200)
