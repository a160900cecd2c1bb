"""The sandbox's HTTP application: the iART API v1 (``/v1/...``), its admin endpoints and operator page.

Everything the contract promises is implemented here with the contract's own models
(``referral_desktop.domain.api_contract``); every error is an RFC 9457 problem document. Request bodies
are read by hand (not by FastAPI's body parsing) for three reasons: the size limit must hold before the
body is parsed, the submission's fingerprint is taken over the parsed envelope, and FastAPI's default
422 echoes the input back (which could carry personal data into a log).

Sandbox-only endpoints (not part of the contract, never fault-injected), guarded by the operator token:
``GET|POST|DELETE /v1/_sandbox/faults``, ``GET /v1/_sandbox/referrals``,
``POST /v1/_sandbox/referrals/{ref}/acknowledge|decide|request-info``, and the HTML page
``GET /_sandbox/operator`` (HTTP Basic, any user name, the operator token as password).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextvars
import hmac
import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode
from uuid import UUID

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from joserfc import jws
from pydantic import BaseModel, ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from referral_desktop.bundled_data import forms_dir
from referral_desktop.domain.api_contract import (
    IDEMPOTENCY_KEY_HEADER,
    PROBLEM_MEDIA_TYPE,
    UPLOAD_LENGTH_HEADER,
    UPLOAD_OFFSET_HEADER,
    Acknowledgement,
    FieldProblem,
    Health,
    Outcome,
    Problem,
    ProblemType,
    ReferralStatus,
    SignedFormDefinition,
    StatusChanges,
    SubmissionRequest,
)
from referral_desktop.domain.form_catalog import available_forms
from referral_desktop.domain.working_days import decision_due, uk_local
from referral_desktop.sandbox.faults import (
    CAPTIVE_PORTAL_HTML,
    FaultConfig,
    FaultInjector,
    FaultKind,
    endpoint_of,
)
from referral_desktop.sandbox.operator_page import (
    ACTION_PATH,
    CONTENT_SECURITY_POLICY,
    csrf_token,
    render_operator_page,
)
from referral_desktop.sandbox.payload_check import PayloadRefused, check_submission, operator_summary
from referral_desktop.sandbox.secrets_store import SandboxSecrets
from referral_desktop.sandbox.storage import (
    ChecksumMismatch,
    IdempotencyConflict,
    ReferralNotFound,
    SandboxStorage,
    TransitionRefused,
)

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


@dataclass
class SandboxLimits:
    """Size limits (bytes). Exceeding one is a ``413``."""

    max_referral_bytes: int = 2 * 1024 * 1024
    max_attachment_bytes: int = 50 * 1024 * 1024
    max_upload_chunk_bytes: int = 8 * 1024 * 1024


@dataclass
class SandboxContext:
    """What the application needs, built by the server runner (or a test) and injected."""

    storage: SandboxStorage
    secrets: SandboxSecrets
    faults: FaultInjector = field(default_factory=FaultInjector)
    limits: SandboxLimits = field(default_factory=SandboxLimits)
    clock: Clock = field(default=lambda: datetime.now(UTC))
    test_deployment: bool = False
    form_id: str = "cwac-marf"
    #: Serve this file's exact text as the current form (re-read per request) instead of the newest
    #: bundled version: for testing clients' form updates (a new version, a broken one, changed bytes).
    form_file: Path | None = None


class ProblemError(Exception):
    """Raised anywhere in a handler to answer with a problem document."""

    def __init__(
        self,
        status: int,
        problem_type: ProblemType,
        title: str,
        *,
        detail: str | None = None,
        errors: list[FieldProblem] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(title)
        self.problem = Problem(
            type=problem_type.value, title=title, status=status, detail=detail, errors=errors or []
        )
        self.headers = headers or {}


def problem_response(problem: Problem, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        problem.model_dump(mode="json", exclude_none=True),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def _model_response(model: BaseModel, status_code: int = 200, headers: dict[str, str] | None = None):
    return JSONResponse(model.model_dump(mode="json"), status_code=status_code, headers=headers)


def _loc_path(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _pydantic_problems(exc: ValidationError) -> list[FieldProblem]:
    return [
        FieldProblem(path=_loc_path(tuple(e["loc"])) or "body", message=e["msg"])
        for e in exc.errors(include_input=False, include_url=False)
    ]


# --- authentication ------------------------------------------------------------------------------------


def _bearer(request: Request) -> str | None:
    value = request.headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def _unauthorized() -> ProblemError:
    return ProblemError(
        401, ProblemType.UNAUTHORIZED, "A valid bearer token is needed",
        headers={"WWW-Authenticate": 'Bearer realm="iart"'},
    )


def require_client(ctx: SandboxContext, request: Request) -> None:
    token = _bearer(request)
    if token is None:
        raise _unauthorized()
    if _same(token, ctx.secrets.client_token):
        return
    if _same(token, ctx.secrets.operator_token):
        raise ProblemError(403, ProblemType.FORBIDDEN, "The operator token cannot submit or read referrals")
    raise _unauthorized()


def require_operator(ctx: SandboxContext, request: Request) -> None:
    token = _bearer(request)
    if token is None:
        raise _unauthorized()
    if _same(token, ctx.secrets.operator_token):
        return
    if _same(token, ctx.secrets.client_token):
        raise ProblemError(403, ProblemType.FORBIDDEN, "This needs the sandbox operator token")
    raise _unauthorized()


def _operator_basic_ok(ctx: SandboxContext, request: Request) -> bool:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        _user, _, password = base64.b64decode(value, validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return False
    return _same(password, ctx.secrets.operator_token)


# --- bodies --------------------------------------------------------------------------------------------


def _too_large(limit: int) -> ProblemError:
    return ProblemError(
        413, ProblemType.TOO_LARGE, "The request is too large", detail=f"The limit is {limit} bytes."
    )


async def read_limited_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


_CONTENT_RANGE = re.compile(r"^bytes (?:(\d+)-(\d+)|\*)/(\d+)$")


def _content_range(value: str | None, size: int) -> tuple[int, int]:
    """``(start, length)`` of the chunk; no header means the whole file in one request."""
    if value is None:
        return 0, size
    match = _CONTENT_RANGE.match(value.strip())
    bad = ProblemError(
        400, ProblemType.MALFORMED, "Content-Range is not valid for this attachment",
        errors=[FieldProblem(path="Content-Range", message="Expected bytes START-END/SIZE")],
    )
    if not match or int(match.group(3)) != size:
        raise bad
    if match.group(1) is None:  # "bytes */0": the empty file
        if size != 0:
            raise bad
        return 0, 0
    start, end = int(match.group(1)), int(match.group(2))
    if end < start or end >= size:
        raise bad
    return start, end - start + 1


# --- fault injection and dropping connections ------------------------------------------------------------

_drop_connection: contextvars.ContextVar[Callable[[], None] | None] = contextvars.ContextVar(
    "drop_connection", default=None
)


class FaultingApp:
    """Outermost ASGI layer: applies the fault rules, and can close a connection instead of answering.

    Closing needs the socket, which ASGI does not expose; uvicorn's ``send`` is a bound method of its
    request cycle, whose ``transport`` we abort (RST) — exactly what a dropped connection looks like.
    """

    def __init__(self, app: FastAPI, injector: FaultInjector) -> None:
        self.app = app
        self.injector = injector

    @staticmethod
    def _abort(send) -> Callable[[], None]:
        transport = getattr(getattr(send, "__self__", None), "transport", None)

        def abort() -> None:
            if transport is None:
                raise RuntimeError("this server cannot drop connections")
            transport.abort()

        return abort

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        endpoint = endpoint_of(scope["method"], scope["path"])
        rule = self.injector.pick(endpoint) if endpoint else None
        abort = self._abort(send)
        _drop_connection.set(abort)
        if rule is None:
            await self.app(scope, receive, send)
            return
        log.info("fault %s on %s", rule.kind.value, endpoint)
        kind = rule.kind
        if kind is FaultKind.LATENCY:
            await asyncio.sleep(rule.latency_ms / 1000)
            await self.app(scope, receive, send)
        elif kind is FaultKind.DROP_BEFORE:
            abort()
        elif kind in (FaultKind.ERROR, FaultKind.UNAVAILABLE, FaultKind.RATE_LIMITED):
            status = {FaultKind.UNAVAILABLE: 503, FaultKind.RATE_LIMITED: 429}.get(kind, rule.status)
            problem_type = {
                FaultKind.UNAVAILABLE: ProblemType.UNAVAILABLE,
                FaultKind.RATE_LIMITED: ProblemType.RATE_LIMITED,
            }.get(kind, ProblemType.SERVER_ERROR)
            headers = {} if kind is FaultKind.ERROR else {"Retry-After": str(rule.retry_after)}
            title = {503: "The service is unavailable", 429: "Too many requests"}.get(status, "Server error")
            response = problem_response(Problem(type=problem_type.value, title=title, status=status), headers)
            await response(scope, receive, send)
        elif kind is FaultKind.CAPTIVE_PORTAL:
            await HTMLResponse(CAPTIVE_PORTAL_HTML, status_code=200)(scope, receive, send)
        elif kind in (FaultKind.DROP_AFTER_COMMIT, FaultKind.SLOW_ANSWER):
            state = {"dropped": False}

            async def send_instead(message) -> None:
                if kind is FaultKind.DROP_AFTER_COMMIT:
                    if not state["dropped"]:
                        state["dropped"] = True
                        abort()
                    return
                if message["type"] == "http.response.start":
                    await asyncio.sleep(rule.latency_ms / 1000)
                await send(message)

            await self.app(scope, receive, send_instead)


# --- the application ---------------------------------------------------------------------------------


def _uuid(value: str, path: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise ProblemError(
            400, ProblemType.MALFORMED, f"{path} must be a UUID",
            errors=[FieldProblem(path=path, message="Must be a UUID")],
        ) from None


def _not_found() -> ProblemError:
    return ProblemError(404, ProblemType.NOT_FOUND, "There is no such referral or attachment")


def _latest_form_file(form_id: str) -> tuple[str, str]:
    versions = available_forms(forms_dir()).get(form_id) or []
    if not versions:
        raise ProblemError(404, ProblemType.NOT_FOUND, "No form definition is published")
    version = versions[-1]
    return version, (forms_dir() / form_id / f"{version}.json").read_text(encoding="utf-8")


def _published_file(path: Path, default_form_id: str) -> tuple[str, str, str]:
    """(form id, version, exact text) of a ``form_file``: served as it is, even when broken (the client
    must refuse it); its id and version are read from it when it has them."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise ProblemError(404, ProblemType.NOT_FOUND, "No form definition is published") from None
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    data = data if isinstance(data, dict) else {}
    form_id = data.get("form_id") if isinstance(data.get("form_id"), str) else default_form_id
    version = data.get("version") if isinstance(data.get("version"), str) else "0.0.0"
    return form_id, version, text


def _current_form(ctx: SandboxContext) -> tuple[str, str, str]:
    """(form id, version, exact text) of the form to publish."""
    if ctx.form_file is not None:
        return _published_file(ctx.form_file, ctx.form_id)
    version, text = _latest_form_file(ctx.form_id)
    return ctx.form_id, version, text


class PublishedFormFile:
    """The ``form_file`` as a form source, so that referrals made on the version it publishes are
    validated against it (registered with the form catalog by the server runner)."""

    def __init__(self, path: Path, default_form_id: str = "cwac-marf") -> None:
        self.path = path
        self.default_form_id = default_form_id

    def _current(self) -> tuple[str, str, str] | None:
        try:
            return _published_file(self.path, self.default_form_id)
        except ProblemError:
            return None

    def form_versions(self) -> dict[str, list[str]]:
        current = self._current()
        return {current[0]: [current[1]]} if current else {}

    def definition_text(self, form_id: str, version: str) -> str | None:
        current = self._current()
        return current[2] if current and current[:2] == (form_id, version) else None


def create_app(ctx: SandboxContext) -> FaultingApp:
    """The ASGI application (the FastAPI app wrapped in the fault-injection layer)."""
    app = FastAPI(
        title="iART sandbox", docs_url=None, redoc_url=None, openapi_url=None, version="1"
    )
    app.state.ctx = ctx

    @app.exception_handler(ProblemError)
    async def _problem(_request: Request, exc: ProblemError):
        return problem_response(exc.problem, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException):
        problem_type = ProblemType.NOT_FOUND if exc.status_code == 404 else ProblemType.MALFORMED
        return problem_response(
            Problem(type=problem_type.value, title=str(exc.detail), status=exc.status_code),
            getattr(exc, "headers", None),
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError):
        errors = [
            FieldProblem(path=_loc_path(tuple(e["loc"])[1:]) or "request", message=e["msg"])
            for e in exc.errors()
        ]
        return problem_response(
            Problem(type=ProblemType.MALFORMED.value, title="The request is not valid", status=422,
                    errors=errors)
        )

    @app.exception_handler(Exception)
    async def _crash(_request: Request, exc: Exception):
        log.error("unexpected %s while handling a request", type(exc).__name__)
        return problem_response(
            Problem(type=ProblemType.SERVER_ERROR.value, title="Server error", status=500)
        )

    # --- contract endpoints ---

    @app.get("/v1/health")
    async def health() -> Response:
        return _model_response(Health(server_time=ctx.clock()))

    @app.post("/v1/referrals")
    async def submit(request: Request) -> Response:
        require_client(ctx, request)
        key_header = request.headers.get(IDEMPOTENCY_KEY_HEADER)
        if not key_header:
            raise ProblemError(
                400, ProblemType.MALFORMED, "Idempotency-Key is required",
                errors=[FieldProblem(path=IDEMPOTENCY_KEY_HEADER, message="Give the referral's UUID")],
            )
        referral_id = _uuid(key_header, IDEMPOTENCY_KEY_HEADER)
        body = await read_limited_body(request, ctx.limits.max_referral_bytes)
        try:
            submission = SubmissionRequest.model_validate_json(body)
        except ValidationError as exc:
            raise ProblemError(
                422, ProblemType.MALFORMED, "The request is not a valid submission",
                errors=_pydantic_problems(exc),
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
        return _model_response(
            ack, 201 if result.created else 200,
            {"Location": f"/v1/referrals/{report.iart_reference}/status"},
        )

    def _conflict() -> ProblemError:
        return ProblemError(
            409, ProblemType.IDEMPOTENCY_CONFLICT,
            "This Idempotency-Key was already used for a different referral",
        )

    @app.get("/v1/referrals/changes")
    async def changes(request: Request, since: datetime, limit: int = 100) -> Response:
        require_client(ctx, request)
        if since.tzinfo is None:
            raise ProblemError(
                422, ProblemType.MALFORMED, "since needs a time zone",
                errors=[FieldProblem(path="since", message="Give a date-time with an offset")],
            )
        limit = max(1, min(limit, 1000))
        reports, until, has_more = ctx.storage.changes_since(since, ctx.clock(), limit)
        return _model_response(StatusChanges(changes=reports, until=until, has_more=has_more))

    @app.get("/v1/referrals/{reference}/status")
    async def status(request: Request, reference: str) -> Response:
        require_client(ctx, request)
        try:
            return _model_response(ctx.storage.status(reference))
        except ReferralNotFound:
            raise _not_found() from None

    def _manifest_entry(referral_id: UUID, attachment_id: UUID):
        try:
            return ctx.storage.attachment_manifest(referral_id, attachment_id)
        except ReferralNotFound:
            raise _not_found() from None

    def _upload_response(referral_id: UUID, attachment_id: UUID, with_body: bool = True) -> Response:
        upload = ctx.storage.upload_status(referral_id, attachment_id)
        headers = {UPLOAD_OFFSET_HEADER: str(upload.received), UPLOAD_LENGTH_HEADER: str(upload.size)}
        if not with_body:
            return Response(status_code=200, headers=headers)
        return _model_response(upload, 200, headers)

    @app.head("/v1/referrals/{referral_id}/attachments/{attachment_id}")
    async def upload_offset_head(request: Request, referral_id: str, attachment_id: str) -> Response:
        require_client(ctx, request)
        rid, aid = _uuid(referral_id, "referral_id"), _uuid(attachment_id, "attachment_id")
        _manifest_entry(rid, aid)
        return _upload_response(rid, aid, with_body=False)

    @app.get("/v1/referrals/{referral_id}/attachments/{attachment_id}")
    async def upload_offset(request: Request, referral_id: str, attachment_id: str) -> Response:
        require_client(ctx, request)
        rid, aid = _uuid(referral_id, "referral_id"), _uuid(attachment_id, "attachment_id")
        _manifest_entry(rid, aid)
        return _upload_response(rid, aid)

    @app.put("/v1/referrals/{referral_id}/attachments/{attachment_id}")
    async def upload(request: Request, referral_id: str, attachment_id: str) -> Response:
        require_client(ctx, request)
        rid, aid = _uuid(referral_id, "referral_id"), _uuid(attachment_id, "attachment_id")
        entry = _manifest_entry(rid, aid)
        current = ctx.storage.upload_status(rid, aid)
        if current.complete:
            return _upload_response(rid, aid)
        start, length = _content_range(request.headers.get("content-range"), entry.size)
        if start != current.received:
            raise ProblemError(
                409, ProblemType.UPLOAD_OFFSET_MISMATCH,
                "The chunk does not start where the upload stopped",
                detail=f"Continue from byte {current.received}.",
                headers={UPLOAD_OFFSET_HEADER: str(current.received)},
            )
        if length > ctx.limits.max_upload_chunk_bytes:
            raise _too_large(ctx.limits.max_upload_chunk_bytes)
        path = ctx.storage.attachment_path(rid, aid)
        path.parent.mkdir(parents=True, exist_ok=True)
        written = 0
        disconnected = False
        with open(path, "r+b" if path.exists() else "wb") as handle:
            handle.seek(start)
            handle.truncate(start)
            try:
                async for chunk in request.stream():
                    if written + len(chunk) > length:
                        chunk = chunk[: length - written]
                    handle.write(chunk)
                    written += len(chunk)
                    if written >= length:
                        break
            except ClientDisconnect:
                disconnected = True
            handle.flush()
        ctx.storage.record_upload_progress(rid, aid, start + written)
        if disconnected:
            log.info("upload of attachment %s broke off at byte %d", aid, start + written)
            return Response(status_code=400)
        if start + written == entry.size:
            try:
                ctx.storage.finish_upload(rid, aid)
            except ChecksumMismatch:
                log.info("attachment %s failed its checksum; reset to 0", aid)
                raise ProblemError(
                    422, ProblemType.CHECKSUM_MISMATCH,
                    "The attachment does not match its SHA-256; upload it again from the start",
                    headers={UPLOAD_OFFSET_HEADER: "0"},
                ) from None
            log.info("attachment %s complete for referral %s", aid, rid)
        return _upload_response(rid, aid)

    @app.get("/v1/forms/current")
    async def current_form(request: Request) -> Response:
        require_client(ctx, request)
        form_id, version, text = _current_form(ctx)
        key = ctx.secrets.form_signing_key
        kid = key.kid
        header: dict[str, Any] = {"alg": "ES256"}
        if kid:
            header["kid"] = kid
        signature = jws.detach_content(jws.serialize_compact(header, text.encode("utf-8"), key))
        return _model_response(
            SignedFormDefinition(
                form_id=form_id, version=version, definition=text, signature=signature,
                algorithm="ES256", key_id=kid,
            )
        )

    # --- sandbox admin endpoints ---

    @app.get("/v1/_sandbox/faults")
    async def get_faults(request: Request) -> Response:
        require_operator(ctx, request)
        return _model_response(ctx.faults.config)

    @app.post("/v1/_sandbox/faults")
    async def set_faults(request: Request) -> Response:
        require_operator(ctx, request)
        body = await read_limited_body(request, 64 * 1024)
        try:
            config = FaultConfig.model_validate_json(body)
        except ValidationError as exc:
            raise ProblemError(
                422, ProblemType.MALFORMED, "Not a fault configuration", errors=_pydantic_problems(exc)
            ) from None
        ctx.faults.configure(config)
        log.info("fault rules replaced (%d rules)", len(config.rules))
        return _model_response(ctx.faults.config)

    @app.delete("/v1/_sandbox/faults")
    async def clear_faults(request: Request) -> Response:
        require_operator(ctx, request)
        ctx.faults.configure(FaultConfig())
        return _model_response(ctx.faults.config)

    @app.get("/v1/_sandbox/referrals")
    async def list_referrals(request: Request) -> Response:
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
        require_operator(ctx, request)
        body = await read_limited_body(request, 16 * 1024)
        data = _json_object(body)
        outcome = data.get("outcome")
        message = data.get("message")
        report = _move(ctx, reference, status, outcome, message)
        return _model_response(report)

    @app.post("/v1/_sandbox/referrals/{reference}/acknowledge")
    async def admin_acknowledge(request: Request, reference: str) -> Response:
        return await _move_json(request, reference, ReferralStatus.ACKNOWLEDGED)

    @app.post("/v1/_sandbox/referrals/{reference}/decide")
    async def admin_decide(request: Request, reference: str) -> Response:
        return await _move_json(request, reference, ReferralStatus.DECIDED)

    @app.post("/v1/_sandbox/referrals/{reference}/request-info")
    async def admin_request_info(request: Request, reference: str) -> Response:
        return await _move_json(request, reference, ReferralStatus.INFO_REQUESTED)

    # --- operator page ---

    def _page_headers() -> dict[str, str]:
        return {
            "Content-Security-Policy": CONTENT_SECURITY_POLICY,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
            "Cache-Control": "no-store",
        }

    def _operator_challenge() -> Response:
        return Response(
            "The operator token is needed (as the password).", status_code=401,
            headers={"WWW-Authenticate": 'Basic realm="iART sandbox operator", charset="UTF-8"',
                     **_page_headers()},
        )

    @app.get("/_sandbox/operator")
    async def operator_page(request: Request) -> Response:
        if not _operator_basic_ok(ctx, request):
            return _operator_challenge()
        notice = request.query_params.get("notice", "")[:200]
        html = render_operator_page(ctx.storage.list_referrals(), ctx.secrets.operator_token, notice)
        return HTMLResponse(html, headers=_page_headers())

    @app.post(ACTION_PATH)
    async def operator_act(request: Request) -> Response:
        if not _operator_basic_ok(ctx, request):
            return _operator_challenge()
        body = await read_limited_body(request, 16 * 1024)
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        if not _same(form.get("csrf", ""), csrf_token(ctx.secrets.operator_token)):
            return Response("The form is out of date; reload the page.", status_code=403,
                            headers=_page_headers())
        wanted = {
            "acknowledge": ReferralStatus.ACKNOWLEDGED,
            "decide": ReferralStatus.DECIDED,
            "request_info": ReferralStatus.INFO_REQUESTED,
        }.get(form.get("action", ""))
        if wanted is None:
            return Response("Unknown action.", status_code=400, headers=_page_headers())
        try:
            report = _move(ctx, form.get("referral_id", ""), wanted, form.get("outcome"),
                           form.get("message"))
            notice = f"{report.iart_reference} is now {report.status.value}"
        except ProblemError as exc:
            notice = exc.problem.title
        return RedirectResponse(f"/_sandbox/operator?{urlencode({'notice': notice})}", status_code=303)

    return FaultingApp(app, ctx.faults)


def _json_object(body: bytes) -> dict[str, Any]:
    if not body.strip():
        return {}
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise ProblemError(422, ProblemType.MALFORMED, "The body must be a JSON object")
    return data


def _move(
    ctx: SandboxContext, reference: str, status: ReferralStatus, outcome: Any, message: Any
):
    """Apply an operator action, turning refusals into problem documents."""
    parsed_outcome = None
    if status is ReferralStatus.DECIDED:
        try:
            parsed_outcome = Outcome(outcome)
        except ValueError:
            raise ProblemError(
                422, ProblemType.MALFORMED, "Choose an outcome",
                errors=[FieldProblem(path="outcome", message="Must be one of the outcomes")],
            ) from None
    if status is ReferralStatus.INFO_REQUESTED:
        if not isinstance(message, str) or not message.strip() or len(message) > 2000:
            raise ProblemError(
                422, ProblemType.MALFORMED, "Say what information is needed",
                errors=[FieldProblem(path="message", message="Enter up to 2000 characters")],
            )
        message = message.strip()
    try:
        report = ctx.storage.move(
            reference, status, now=ctx.clock(), outcome=parsed_outcome, message=message
        )
    except ReferralNotFound:
        raise _not_found() from None
    except TransitionRefused as exc:
        raise ProblemError(409, ProblemType.MALFORMED, str(exc)) from None
    log.info("referral %s moved to %s", report.referral_id, report.status.value)
    return report


async def auto_progress(
    ctx: SandboxContext,
    *,
    acknowledge_after: float | None,
    decide_after: float | None,
    outcome: Outcome,
    interval: float = 0.25,
) -> None:
    """The demo mode: acknowledge (and optionally decide) referrals that have waited long enough."""
    while True:
        now = ctx.clock()
        if acknowledge_after is not None:
            for rid in ctx.storage.due_for(ReferralStatus.RECEIVED, now - timedelta(seconds=acknowledge_after)):
                _try_move(ctx, rid, ReferralStatus.ACKNOWLEDGED, None)
        if decide_after is not None:
            for rid in ctx.storage.due_for(ReferralStatus.ACKNOWLEDGED, now - timedelta(seconds=decide_after)):
                _try_move(ctx, rid, ReferralStatus.DECIDED, outcome)
        await asyncio.sleep(interval)


def _try_move(ctx: SandboxContext, rid: str, status: ReferralStatus, outcome: Outcome | None) -> None:
    try:
        ctx.storage.move(rid, status, now=ctx.clock(), outcome=outcome)
        log.info("referral %s automatically moved to %s", rid, status.value)
    except (TransitionRefused, ReferralNotFound):
        pass


__all__ = [
    "FaultingApp",
    "ProblemError",
    "SandboxContext",
    "SandboxLimits",
    "auto_progress",
    "create_app",
]
