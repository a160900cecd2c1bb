"""The sandbox's HTTP application: the iART API v1 (``/v1/...``), its admin endpoints and operator page.

Everything the contract promises is implemented with the contract's own models
(``referral_desktop.domain.api_contract``); every error is an RFC 9457 problem document. The routes live
in one router per area (``sandbox/routes/``): referrals (health, submit, status, changes), replies
(messages), uploads, forms,
the sandbox-only admin endpoints and the operator page. This module assembles them, installs the
exception handlers that turn every failure into a problem document, and wraps the whole in the
fault-injection layer.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from referral_desktop.domain.api_contract import FieldProblem, Problem, ProblemType
from referral_desktop.sandbox.context import SandboxContext, SandboxLimits
from referral_desktop.sandbox.faulting_app import FaultingApp
from referral_desktop.sandbox.problems import ProblemError, loc_path, problem_response
from referral_desktop.sandbox.routes import admin, forms, messages, operator, referrals, uploads
from referral_desktop.sandbox.routes.forms import PublishedFormFile
from referral_desktop.sandbox.transitions import auto_progress

log = logging.getLogger(__name__)


def _install_problem_handlers(app: FastAPI) -> None:
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
            FieldProblem(path=loc_path(tuple(e["loc"])[1:]) or "request", message=e["msg"])
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


def create_app(ctx: SandboxContext) -> FaultingApp:
    """The ASGI application (the FastAPI app wrapped in the fault-injection layer)."""
    app = FastAPI(
        title="iART sandbox", docs_url=None, redoc_url=None, openapi_url=None, version="1"
    )
    app.state.ctx = ctx
    _install_problem_handlers(app)
    for area in (referrals, messages, uploads, forms, admin, operator):
        app.include_router(area.router)
    return FaultingApp(app, ctx.faults)


__all__ = [
    "FaultingApp",
    "ProblemError",
    "PublishedFormFile",
    "SandboxContext",
    "SandboxLimits",
    "auto_progress",
    "create_app",
]
