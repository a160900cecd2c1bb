"""Reading request bodies by hand, so that a size limit holds before anything is parsed."""

from __future__ import annotations

import re

from starlette.requests import Request

from referral_desktop.domain.api_contract import FieldProblem, ProblemType
from referral_desktop.sandbox.problems import ProblemError


def too_large(limit: int) -> ProblemError:
    return ProblemError(
        413, ProblemType.TOO_LARGE, "The request is too large", detail=f"The limit is {limit} bytes."
    )


async def read_limited_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


_CONTENT_RANGE = re.compile(r"^bytes (?:(\d+)-(\d+)|\*)/(\d+)$")


def content_range(value: str | None, size: int) -> tuple[int, int]:
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
