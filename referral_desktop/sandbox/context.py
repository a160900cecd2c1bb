"""What the sandbox's routes need, built once by the server runner (or a test) and injected.

The context hangs on the FastAPI application (``app.state.ctx``); every router reads it from the request
with :func:`context_of`, so the routers are plain module-level objects with no globals of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from starlette.requests import Request

from referral_desktop.sandbox.faults import FaultInjector
from referral_desktop.sandbox.secrets_store import SandboxSecrets
from referral_desktop.sandbox.storage import SandboxStorage

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


def context_of(request: Request) -> SandboxContext:
    """The context of the application handling ``request``."""
    return request.app.state.ctx
