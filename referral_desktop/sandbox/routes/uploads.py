"""Contract routes for attachment uploads: resumable ``PUT`` in chunks, ``HEAD``/``GET`` for the offset.

A chunk is accepted only at the offset the server holds, and the offset only moves forward: the check
and the write are one compare-and-set (``SandboxStorage.append_chunk``); anything else is 409 with the
current offset in ``Upload-Offset``.
"""

from __future__ import annotations

import logging
import tempfile
from uuid import UUID

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from referral_desktop.domain.api_contract import UPLOAD_LENGTH_HEADER, UPLOAD_OFFSET_HEADER, ProblemType
from referral_desktop.sandbox.auth import require_client
from referral_desktop.sandbox.bodies import content_range, too_large
from referral_desktop.sandbox.context import SandboxContext, context_of
from referral_desktop.sandbox.problems import ProblemError, model_response, not_found, parse_uuid
from referral_desktop.sandbox.storage import ChecksumMismatch, ReferralNotFound, UploadOffsetMismatch

log = logging.getLogger(__name__)

router = APIRouter()


def _manifest_entry(ctx: SandboxContext, referral_id: UUID, attachment_id: UUID):
    try:
        return ctx.storage.attachment_manifest(referral_id, attachment_id)
    except ReferralNotFound:
        raise not_found() from None


def _upload_response(
    ctx: SandboxContext, referral_id: UUID, attachment_id: UUID, with_body: bool = True
) -> Response:
    upload = ctx.storage.upload_status(referral_id, attachment_id)
    headers = {UPLOAD_OFFSET_HEADER: str(upload.received), UPLOAD_LENGTH_HEADER: str(upload.size)}
    if not with_body:
        return Response(status_code=200, headers=headers)
    return model_response(upload, 200, headers)


def _offset_mismatch(offset: int) -> ProblemError:
    return ProblemError(
        409, ProblemType.UPLOAD_OFFSET_MISMATCH,
        "The chunk does not start where the upload stopped",
        detail=f"Continue from byte {offset}.",
        headers={UPLOAD_OFFSET_HEADER: str(offset)},
    )


def _ids(referral_id: str, attachment_id: str) -> tuple[UUID, UUID]:
    return parse_uuid(referral_id, "referral_id"), parse_uuid(attachment_id, "attachment_id")


@router.head("/v1/referrals/{referral_id}/attachments/{attachment_id}")
async def upload_offset_head(request: Request, referral_id: str, attachment_id: str) -> Response:
    ctx = context_of(request)
    require_client(ctx, request)
    rid, aid = _ids(referral_id, attachment_id)
    _manifest_entry(ctx, rid, aid)
    return _upload_response(ctx, rid, aid, with_body=False)


@router.get("/v1/referrals/{referral_id}/attachments/{attachment_id}")
async def upload_offset(request: Request, referral_id: str, attachment_id: str) -> Response:
    ctx = context_of(request)
    require_client(ctx, request)
    rid, aid = _ids(referral_id, attachment_id)
    _manifest_entry(ctx, rid, aid)
    return _upload_response(ctx, rid, aid)


@router.put("/v1/referrals/{referral_id}/attachments/{attachment_id}")
async def upload(request: Request, referral_id: str, attachment_id: str) -> Response:
    ctx = context_of(request)
    require_client(ctx, request)
    rid, aid = _ids(referral_id, attachment_id)
    entry = _manifest_entry(ctx, rid, aid)
    current = ctx.storage.upload_status(rid, aid)
    if current.complete:
        return _upload_response(ctx, rid, aid)
    start, length = content_range(request.headers.get("content-range"), entry.size)
    if start != current.received:  # refused at once, without reading the body
        raise _offset_mismatch(current.received)
    if length > ctx.limits.max_upload_chunk_bytes:
        raise too_large(ctx.limits.max_upload_chunk_bytes)
    # The body is read in full before anything is written: the offset is checked again, and the bytes
    # written with the new offset, in one transaction (``append_chunk``). A request that arrives late
    # (its client timed out and re-sent) is refused then instead of moving the offset back.
    with tempfile.SpooledTemporaryFile(max_size=1 << 20, dir=str(ctx.storage.data_dir)) as body:
        written = 0
        disconnected = False
        try:
            async for chunk in request.stream():
                if written + len(chunk) > length:
                    chunk = chunk[: length - written]
                body.write(chunk)
                written += len(chunk)
                if written >= length:
                    break
        except ClientDisconnect:
            disconnected = True
        body.seek(0)
        if written or not disconnected:  # keep what arrived of a broken request, at its offset only
            try:
                await run_in_threadpool(ctx.storage.append_chunk, rid, aid, start, body, written)
            except UploadOffsetMismatch as exc:
                if disconnected:
                    return Response(status_code=400)
                log.info("chunk of attachment %s at byte %d refused; the upload is at %d", aid, start, exc.offset)
                raise _offset_mismatch(exc.offset) from None
    if disconnected:
        log.info("upload of attachment %s broke off at byte %d", aid, start + written)
        return Response(status_code=400)
    if start + written == entry.size:
        try:
            await run_in_threadpool(ctx.storage.finish_upload, rid, aid)
        except ChecksumMismatch:
            log.info("attachment %s failed its checksum; reset to 0", aid)
            raise ProblemError(
                422, ProblemType.CHECKSUM_MISMATCH,
                "The attachment does not match its SHA-256; upload it again from the start",
                headers={UPLOAD_OFFSET_HEADER: "0"},
            ) from None
        log.info("attachment %s complete for referral %s", aid, rid)
    return _upload_response(ctx, rid, aid)
