"""Fault injection: the sandbox misbehaves on purpose so the client's exactly-once logic can be tested.

Configured at start (``--faults FILE``, JSON) and at run time (``POST /v1/_sandbox/faults`` with the
operator token). A configuration is a list of rules; for each request the first rule that matches its
endpoint, still has ``times`` left and wins its ``probability`` draw fires:

- ``latency``: wait ``latency_ms`` before handling the request;
- ``slow_answer``: handle (and commit) the request, then wait ``latency_ms`` before answering
  (a client timeout after the server committed);
- ``error``: answer ``status`` (default 500) with a problem document, without handling;
- ``unavailable`` / ``rate_limited``: answer 503 / 429 with ``Retry-After: retry_after``;
- ``drop_before``: close the connection without handling or answering;
- ``drop_after_commit``: handle and commit the request, then close the connection instead of answering;
- ``captive_portal``: answer ``200`` with an HTML login page, as a hotel Wi-Fi portal does;
- ``refuse``: answer ``status`` without handling: with iART's own problem document of ``problem_type``
  (its final word, say a 422 ``validation`` or a 404 ``not-found``), or, without ``problem_type``, with
  the HTML error page a proxy in between sends (nobody's word on the request). ``media_type``
  ``application/json`` sends the same problem-shaped body as plain JSON, as a gateway in between that
  answers its errors in JSON may: still nobody's word, since iART's problems are
  ``application/problem+json`` (the contract, ``resources/api/iart-api-v1.openapi.json``).

Endpoint names: ``health``, ``submit``, ``messages`` (replies), ``upload``, ``status``, ``changes``, ``form`` or ``*``. The
sandbox's own admin endpoints and operator page are never faulted. A rule with ``method`` matches only
requests of that method: ``{"endpoint": "upload", "method": "PUT", "kind": "refuse", ...}`` refuses an
upload's chunks while its ``HEAD`` (where to resume) is answered as usual, as a server that refuses the
bytes does.
"""

from __future__ import annotations

import random
import re
import threading
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from referral_desktop.domain.api_contract import ProblemType


class FaultKind(StrEnum):
    LATENCY = "latency"
    SLOW_ANSWER = "slow_answer"
    ERROR = "error"
    UNAVAILABLE = "unavailable"
    RATE_LIMITED = "rate_limited"
    DROP_BEFORE = "drop_before"
    DROP_AFTER_COMMIT = "drop_after_commit"
    CAPTIVE_PORTAL = "captive_portal"
    REFUSE = "refuse"


Endpoint = Literal["health", "submit", "messages", "upload", "status", "changes", "form", "*"]
Method = Literal["HEAD", "GET", "PUT", "POST"]


class FaultRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    endpoint: Endpoint = "*"
    method: Method | None = Field(default=None, description="only requests of this method (all when absent)")
    kind: FaultKind
    probability: float = Field(default=1.0, ge=0.0, le=1.0)
    times: int | None = Field(default=None, ge=0, description="fire this many times, then stop")
    status: int = Field(default=500, ge=400, le=599)
    retry_after: int = Field(default=1, ge=0)
    latency_ms: int = Field(default=0, ge=0, le=600_000)
    problem_type: ProblemType | None = Field(
        default=None, description="refuse: iART's problem document of this type (a proxy's HTML page when absent)"
    )
    media_type: Literal["application/problem+json", "application/json"] = Field(
        default="application/problem+json",
        description="refuse with problem_type: the body's media type; application/json is a gateway's JSON "
                    "in the problem's shape, not iART's problem document",
    )


class FaultConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rules: list[FaultRule] = Field(default_factory=list)
    seed: int | None = None


_ROUTES: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("GET", re.compile(r"^/v1/health$"), "health"),
    ("POST", re.compile(r"^/v1/referrals$"), "submit"),
    ("GET", re.compile(r"^/v1/referrals/changes$"), "changes"),
    ("GET", re.compile(r"^/v1/referrals/[^/]+/status$"), "status"),
    ("POST", re.compile(r"^/v1/referrals/[^/]+/messages$"), "messages"),
    ("*", re.compile(r"^/v1/referrals/[^/]+/attachments/[^/]+$"), "upload"),
    ("GET", re.compile(r"^/v1/forms/current$"), "form"),
)


def endpoint_of(method: str, path: str) -> str | None:
    """The fault-injection name of a request, or None for requests that are never faulted."""
    for route_method, pattern, name in _ROUTES:
        if route_method in ("*", method) and pattern.match(path):
            return name
    return None


class FaultInjector:
    """Thread-safe holder of the current configuration; :meth:`pick` decides per request."""

    def __init__(self, config: FaultConfig | None = None) -> None:
        self._lock = threading.Lock()
        self.configure(config or FaultConfig())

    def configure(self, config: FaultConfig) -> None:
        with self._lock:
            self._config = config.model_copy(deep=True)
            self._random = random.Random(config.seed)

    @property
    def config(self) -> FaultConfig:
        with self._lock:
            return self._config.model_copy(deep=True)

    def pick(self, endpoint: str, method: str = "GET") -> FaultRule | None:
        with self._lock:
            for rule in self._config.rules:
                if rule.endpoint not in ("*", endpoint) or rule.method not in (None, method):
                    continue
                if rule.times is not None and rule.times <= 0:
                    continue
                if rule.probability < 1.0 and self._random.random() >= rule.probability:
                    continue
                if rule.times is not None:
                    rule.times -= 1
                return rule.model_copy()
        return None


CAPTIVE_PORTAL_HTML = (
    "<!doctype html><html><head><title>Sign in to Guest Wi-Fi</title></head>"
    "<body><h1>Welcome</h1><p>Please accept the terms to continue.</p>"
    "<form method='post' action='/login'><button>Accept</button></form></body></html>"
)


def proxy_error_html(status: int) -> str:
    """The error page a web server or proxy in between answers with (nginx's shape): no problem document."""
    return (
        f"<html><head><title>{status} Error</title></head><body><center><h1>{status} Error</h1></center>"
        "<hr><center>nginx</center></body></html>"
    )
