"""Purging: remove the personal data of referrals due for it under the retention rule — decided by
iART, or received longer ago than the policy's ``retention_days`` — keeping the non-personal record of
what happened (the receipt).

The store does the removal and its audit entry (:meth:`Store.purge_expired`), and holds back any referral
with something still on its way to iART: a reply being sent, or a document (the referral's own or a
reply's) still uploading. This job only decides when: in the first round after the API answers, then
once every status interval. It runs last in each round (after the uploads job and the status poll), so a
referral whose last document went in this round, or that was decided in it, is purged in that same
round, and one held back is looked at again one status interval later. Each purged referral is told to
the change listeners ("purged"), as every other job tells what it recorded: the screens re-read it, and
the notifications learn from its receipt what the purge removed unsent (a reply the professional had
started), which nothing else would tell.
"""

from __future__ import annotations

import logging
from datetime import datetime

from referral_desktop.domain.lifecycle import ReferralState
from referral_desktop.sync.scheduler import Job, JobOutcome
from referral_desktop.sync.worker_context import WorkerContext

log = logging.getLogger(__name__)


class Purging(Job):
    name = "purging"

    def __init__(self, context: WorkerContext) -> None:
        self.context = context
        self._last_purge: datetime | None = None

    def purge(self) -> int:
        """Purge now. Returns how many referrals lost their personal data."""
        context = self.context
        now = context.clock()
        purged: list[str] = []
        with context.store_lock:
            count = int(context.store.purge_expired(now, context.settings.retention_days, purged.append) or 0)
        self._last_purge = now
        if count:
            log.info("purged personal data of %d referrals under the retention policy", count)
        for referral_id in purged:  # after the lock: the screens re-read the referral (now its receipt)
            context.emit(referral_id, ReferralState.PURGED)
        return count

    def next_due(self, now: datetime) -> datetime | None:
        if self._last_purge is None:
            return now
        return self._last_purge + self.context.settings.status_interval

    def run(self, now: datetime) -> JobOutcome:
        self.purge()
        return JobOutcome()
