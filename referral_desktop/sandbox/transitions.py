"""iART's side of a referral's life: the operator's moves (by API, page or command) and the demo's
automatic ones, with refusals turned into problem documents."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from referral_desktop.domain.api_contract import FieldProblem, Outcome, ProblemType, ReferralStatus
from referral_desktop.sandbox.context import SandboxContext
from referral_desktop.sandbox.problems import ProblemError, not_found
from referral_desktop.sandbox.storage import ReferralNotFound, TransitionRefused

log = logging.getLogger(__name__)


def move(ctx: SandboxContext, reference: str, status: ReferralStatus, outcome: Any, message: Any):
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
        raise not_found() from None
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
