"""Status polling: ask iART about every referral it holds that is not decided yet, and record what
changed (acknowledged, information requested with its message, decided with its outcome).

Each change is recorded in the store (and the audit log) before the listeners hear of it. A status
report that still lists attachments as pending hands them to the uploads, so an upload stopped by a
dropped connection resumes at the next poll.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from referral_desktop.domain.api_contract import ReferralStatus, StatusReport
from referral_desktop.domain.working_days import is_overdue
from referral_desktop.sync.errors import TransportError
from referral_desktop.sync.jobs.uploads import AttachmentUploads
from referral_desktop.sync.scheduler import Job, JobOutcome
from referral_desktop.sync.sync_states import (
    ACKNOWLEDGED,
    AWAITING_DECISION,
    DECIDED,
    INFO_REQUESTED,
    RECEIVED,
    state_name,
)
from referral_desktop.sync.worker_context import WorkerContext

log = logging.getLogger(__name__)

_STATUS_TO_STATE = {
    ReferralStatus.RECEIVED: RECEIVED,
    ReferralStatus.ACKNOWLEDGED: ACKNOWLEDGED,
    ReferralStatus.INFO_REQUESTED: INFO_REQUESTED,
    ReferralStatus.DECIDED: DECIDED,
}


@dataclass(frozen=True)
class StatusUpdate:
    referral_id: str
    iart_reference: str
    state: str
    outcome: str | None
    decision_due: datetime | None
    overdue: bool
    changed: bool
    #: True when this poll brought a message from iART that was not kept before (its text is in the store).
    new_message: bool = False


class StatusPolling(Job):
    name = "status polling"

    def __init__(self, context: WorkerContext) -> None:
        self.context = context
        self.uploads = AttachmentUploads(context)
        self.last_poll: datetime | None = None

    def next_due(self, now: datetime) -> datetime | None:
        if self.last_poll is None:
            return now
        return self.last_poll + self.context.settings.status_interval

    def run(self, now: datetime) -> JobOutcome:
        try:
            self.poll_statuses()
        except TransportError as exc:
            log.info("status poll stopped (%s)", exc.code)
        return JobOutcome()

    def poll_statuses(self) -> list[StatusUpdate]:
        """Ask the server about every referral it holds that is not decided yet; record changes."""
        context = self.context
        with context.store_lock:
            summaries = list(context.store.referrals.list_summaries(states=list(AWAITING_DECISION)))
        updates: list[StatusUpdate] = []
        now = context.clock()
        for summary in summaries:
            reference = getattr(summary, "iart_reference", None)
            if not reference:
                continue
            referral_id = str(summary.id)
            report = context.client().status(reference)  # TransportError propagates: stop this round
            updates.append(self._apply_status(referral_id, state_name(summary.state), report, now))
            if report.attachments_pending:
                self.uploads.upload_pending(referral_id, report.attachments_pending)
        self.last_poll = now
        return updates

    def _apply_status(self, referral_id: str, current: str, report: StatusReport, now: datetime) -> StatusUpdate:
        context = self.context
        state = _STATUS_TO_STATE[report.status]
        due = context.decision_due(report.received_at)
        changed = state != current
        new_message = False
        if changed:
            details: dict[str, Any] = {}
            if report.outcome is not None:
                details["outcome"] = report.outcome.value
                details["decided_at"] = report.changed_at
            if report.message:
                details["message"] = report.message
                details["message_at"] = report.changed_at
                new_message = True
            with context.store_lock:
                context.store.referrals.set_state(referral_id, state, **details)
            log.info("referral %s is now %s", referral_id, state)
        elif report.message:
            # iART asked again (a new message while the state stays info_requested): keep it too.
            with context.store_lock:
                new_message = bool(context.store.referrals.add_message(referral_id, report.message, report.changed_at))
        if new_message:
            log.info("referral %s has a message from iART", referral_id)
        if changed or new_message:
            context.emit(referral_id, state)
        return StatusUpdate(
            referral_id=referral_id,
            iart_reference=report.iart_reference,
            state=state,
            outcome=report.outcome.value if report.outcome else None,
            decision_due=due,
            overdue=state != DECIDED and is_overdue(due, now),
            changed=changed,
            new_message=new_message,
        )


def overdue(decision_due: datetime | None, state: str, now: datetime) -> bool:
    """Whether a referral's decision is overdue (undecided and past its decision-due time)."""
    return decision_due is not None and state_name(state) in AWAITING_DECISION and is_overdue(decision_due, now)
