"""iART's side of a referral's life: the operator's moves (by API, page or command), reading replies,
and the demo's automatic steps, with refusals turned into problem documents."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

from referral_desktop.domain.api_contract import FieldProblem, Outcome, ProblemType, ReferralStatus
from referral_desktop.sandbox.context import SandboxContext
from referral_desktop.sandbox.conversation_store import MessageNotFound
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


def mark_read(ctx: SandboxContext, message_id: str):
    """iART has read a reply (operator action); the client hears of it through the feeds."""
    try:
        message = ctx.storage.conversation.mark_read(message_id, now=ctx.clock())
    except MessageNotFound:
        raise ProblemError(404, ProblemType.NOT_FOUND, "There is no such reply") from None
    log.info("reply %s read", message_id)
    return message


#: What the demo's iART asks (``--auto-request-info``): no personal data, a plausible question.
DEMO_QUESTION = "Please tell us whether the family knows about this referral and how best to contact them."


async def auto_progress(
    ctx: SandboxContext,
    *,
    acknowledge_after: float | None,
    decide_after: float | None,
    outcome: Outcome,
    request_info_after: float | None = None,
    read_after: float | None = None,
    interval: float = 0.25,
) -> None:
    """The demo mode: acknowledge referrals that have waited long enough; ask once for information
    about each acknowledged one (``request_info_after``); read replies (``read_after``); decide
    acknowledged referrals, and those whose reply iART has read, after ``decide_after``."""
    while True:
        auto_step(ctx, acknowledge_after=acknowledge_after, decide_after=decide_after, outcome=outcome,
                  request_info_after=request_info_after, read_after=read_after)
        await asyncio.sleep(interval)


def auto_step(
    ctx: SandboxContext,
    *,
    acknowledge_after: float | None,
    decide_after: float | None,
    outcome: Outcome,
    request_info_after: float | None = None,
    read_after: float | None = None,
) -> None:
    """One round of :func:`auto_progress`."""
    now = ctx.clock()
    if acknowledge_after is not None:
        for rid in ctx.storage.due_for(ReferralStatus.RECEIVED, now - timedelta(seconds=acknowledge_after)):
            _try_move(ctx, rid, ReferralStatus.ACKNOWLEDGED, None)
    if request_info_after is not None:
        waiting = ctx.storage.due_for(ReferralStatus.ACKNOWLEDGED, now - timedelta(seconds=request_info_after))
        for rid in ctx.storage.conversation.never_asked(waiting):
            _try_move(ctx, rid, ReferralStatus.INFO_REQUESTED, None, DEMO_QUESTION)
    if read_after is not None:
        for message_id in ctx.storage.conversation.unread_replies_before(now - timedelta(seconds=read_after)):
            ctx.storage.conversation.mark_read(message_id, now=now)
            log.info("reply %s automatically read", message_id)
    if decide_after is not None:
        since = now - timedelta(seconds=decide_after)
        ready = ctx.storage.due_for(ReferralStatus.ACKNOWLEDGED, since)
        if request_info_after is not None:  # the demo's conversation comes first
            ready = [rid for rid in ready if rid not in ctx.storage.conversation.never_asked(ready)]
        for rid in [*ready, *ctx.storage.conversation.answered_before(since)]:
            _try_move(ctx, rid, ReferralStatus.DECIDED, outcome)


def _try_move(
    ctx: SandboxContext, rid: str, status: ReferralStatus, outcome: Outcome | None, message: str | None = None
) -> None:
    try:
        ctx.storage.move(rid, status, now=ctx.clock(), outcome=outcome, message=message)
        log.info("referral %s automatically moved to %s", rid, status.value)
    except (TransitionRefused, ReferralNotFound):
        pass
