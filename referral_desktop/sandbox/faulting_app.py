"""The outermost ASGI layer: applies the fault rules before (or instead of) the application."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from referral_desktop.domain.api_contract import Problem, ProblemType
from referral_desktop.sandbox.faults import (
    CAPTIVE_PORTAL_HTML,
    FaultInjector,
    FaultKind,
    endpoint_of,
    proxy_error_html,
)
from referral_desktop.sandbox.problems import problem_response

log = logging.getLogger(__name__)


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
        rule = self.injector.pick(endpoint, scope["method"]) if endpoint else None
        if rule is None:
            await self.app(scope, receive, send)
            return
        abort = self._abort(send)
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
        elif kind is FaultKind.REFUSE:
            if rule.problem_type is None:
                await HTMLResponse(proxy_error_html(rule.status), status_code=rule.status)(scope, receive, send)
            else:
                problem = Problem(type=rule.problem_type.value, title="Refused", status=rule.status)
                await problem_response(problem, media_type=rule.media_type)(scope, receive, send)
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
