"""The operator's HTML page (``GET /_sandbox/operator``, HTTP Basic with the operator token as password)
and its form posts (CSRF token, strict Content-Security-Policy). Rendering is in ``operator_page``."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from referral_desktop.domain.api_contract import ReferralStatus
from referral_desktop.sandbox.auth import operator_basic_ok, same_secret
from referral_desktop.sandbox.bodies import read_limited_body
from referral_desktop.sandbox.context import context_of
from referral_desktop.sandbox.operator_page import (
    ACTION_PATH,
    CONTENT_SECURITY_POLICY,
    csrf_token,
    render_operator_page,
)
from referral_desktop.sandbox.problems import ProblemError
from referral_desktop.sandbox.transitions import mark_read, move

router = APIRouter()


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


@router.get("/_sandbox/operator")
async def operator_page(request: Request) -> Response:
    ctx = context_of(request)
    if not operator_basic_ok(ctx, request):
        return _operator_challenge()
    notice = request.query_params.get("notice", "")[:200]
    referrals = ctx.storage.list_referrals()
    conversations = {r.referral_id: ctx.storage.conversation.transcript(r.referral_id) for r in referrals}
    html = render_operator_page(referrals, ctx.secrets.operator_token, notice, conversations)
    return HTMLResponse(html, headers=_page_headers())


@router.post(ACTION_PATH)
async def operator_act(request: Request) -> Response:
    ctx = context_of(request)
    if not operator_basic_ok(ctx, request):
        return _operator_challenge()
    body = await read_limited_body(request, 16 * 1024)
    form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
    if not same_secret(form.get("csrf", ""), csrf_token(ctx.secrets.operator_token)):
        return Response("The form is out of date; reload the page.", status_code=403,
                        headers=_page_headers())
    if form.get("action") == "mark_read":
        try:
            mark_read(ctx, form.get("message_id", ""))
            notice = "The reply is marked read"
        except ProblemError as exc:
            notice = exc.problem.title
        return RedirectResponse(f"/_sandbox/operator?{urlencode({'notice': notice})}", status_code=303)
    wanted = {
        "acknowledge": ReferralStatus.ACKNOWLEDGED,
        "decide": ReferralStatus.DECIDED,
        "request_info": ReferralStatus.INFO_REQUESTED,
    }.get(form.get("action", ""))
    if wanted is None:
        return Response("Unknown action.", status_code=400, headers=_page_headers())
    try:
        report = move(ctx, form.get("referral_id", ""), wanted, form.get("outcome"), form.get("message"))
        notice = f"{report.iart_reference} is now {report.status.value}"
    except ProblemError as exc:
        notice = exc.problem.title
    return RedirectResponse(f"/_sandbox/operator?{urlencode({'notice': notice})}", status_code=303)
