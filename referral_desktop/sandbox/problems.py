"""RFC 9457 problem documents: the one way every sandbox route says no.

Handlers raise :class:`ProblemError` anywhere; the application's exception handler turns it into a
``application/problem+json`` answer. Validation problems name the path only (never the input), so no
personal data from a request body is echoed back or logged.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError

from referral_desktop.domain.api_contract import PROBLEM_MEDIA_TYPE, FieldProblem, Problem, ProblemType


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


def problem_response(problem: Problem, headers: dict[str, str] | None = None,
                     media_type: str = PROBLEM_MEDIA_TYPE) -> JSONResponse:
    """The problem document as iART answers it; another ``media_type`` only for the fault that plays a
    gateway answering in the problem's shape."""
    return JSONResponse(
        problem.model_dump(mode="json", exclude_none=True),
        status_code=problem.status,
        media_type=media_type,
        headers=headers,
    )


def model_response(model: BaseModel, status_code: int = 200, headers: dict[str, str] | None = None):
    return JSONResponse(model.model_dump(mode="json"), status_code=status_code, headers=headers)


def loc_path(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def pydantic_problems(exc: ValidationError) -> list[FieldProblem]:
    return [
        FieldProblem(path=loc_path(tuple(e["loc"])) or "body", message=e["msg"])
        for e in exc.errors(include_input=False, include_url=False)
    ]


def parse_uuid(value: str, path: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise ProblemError(
            400, ProblemType.MALFORMED, f"{path} must be a UUID",
            errors=[FieldProblem(path=path, message="Must be a UUID")],
        ) from None


def not_found() -> ProblemError:
    return ProblemError(404, ProblemType.NOT_FOUND, "There is no such referral or attachment")


def json_object(body: bytes) -> dict[str, Any]:
    """The body as a JSON object (an empty body is ``{}``)."""
    if not body.strip():
        return {}
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise ProblemError(422, ProblemType.MALFORMED, "The body must be a JSON object")
    return data
