"""Who may call what: the client's bearer token, the operator's, and the operator page's HTTP Basic.

Tokens are compared in constant time. Using the other role's token is a ``403`` (the caller is known but
not allowed), anything else a ``401``.
"""

from __future__ import annotations

import base64
import binascii
import hmac

from starlette.requests import Request

from referral_desktop.domain.api_contract import ProblemType
from referral_desktop.sandbox.context import SandboxContext
from referral_desktop.sandbox.problems import ProblemError


def _bearer(request: Request) -> str | None:
    value = request.headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def same_secret(a: str, b: str) -> bool:
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
    if same_secret(token, ctx.secrets.client_token):
        return
    if same_secret(token, ctx.secrets.operator_token):
        raise ProblemError(403, ProblemType.FORBIDDEN, "The operator token cannot submit or read referrals")
    raise _unauthorized()


def require_operator(ctx: SandboxContext, request: Request) -> None:
    token = _bearer(request)
    if token is None:
        raise _unauthorized()
    if same_secret(token, ctx.secrets.operator_token):
        return
    if same_secret(token, ctx.secrets.client_token):
        raise ProblemError(403, ProblemType.FORBIDDEN, "This needs the sandbox operator token")
    raise _unauthorized()


def operator_basic_ok(ctx: SandboxContext, request: Request) -> bool:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        _user, _, password = base64.b64decode(value, validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return False
    return same_secret(password, ctx.secrets.operator_token)
