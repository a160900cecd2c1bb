"""The outbox worker: the one object the app and the commands hold to send queued referrals, follow
their status, purge old data and check for form updates. No Qt here (the UI adapts the plain callbacks
to signals).

It is a thin front over parts a reader can take one at a time:

* :mod:`~referral_desktop.sync.worker_context` — what every job shares (store lock, clients, listeners);
* :mod:`~referral_desktop.sync.scheduler` — the background loop: probe while unreachable, run what is
  due, sleep until the next due time or a :meth:`OutboxWorker.nudge` (and how to add a job);
* :mod:`~referral_desktop.sync.jobs.sending` — sending, with the exactly-once reasoning;
* :mod:`~referral_desktop.sync.jobs.uploads` — attachment uploads;
* :mod:`~referral_desktop.sync.jobs.reply_sending` — the referrer's replies to iART, exactly once;
* :mod:`~referral_desktop.sync.jobs.status_polling` — status polling;
* :mod:`~referral_desktop.sync.jobs.purging` — purging under the retention policy;
* :mod:`~referral_desktop.sync.jobs.form_update_checks` — the daily form update check.

The methods here (``send_due``, ``poll_statuses``, ``run_once`` …) let the ``send``/``status`` commands
and the tests drive one job at a time without the loop.
"""

from __future__ import annotations

import logging
import random as random_module
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from referral_desktop.sync.api_client import ApiClient
from referral_desktop.sync.backoff import Backoff
from referral_desktop.sync.errors import TransportError
from referral_desktop.sync.jobs import JOBS
from referral_desktop.sync.jobs.form_update_checks import (
    FormUpdateCheck,
    FormUpdateChecks,
    FormUpdateListener,
    profile_form_update,
)
from referral_desktop.sync.jobs.purging import Purging
from referral_desktop.sync.jobs.reply_sending import ReplyAttempt, ReplySending
from referral_desktop.sync.jobs.sending import UNREACHABLE_CODES, AttemptResult, Sending, all_unreachable
from referral_desktop.sync.jobs.status_polling import StatusPolling, StatusUpdate, overdue
from referral_desktop.sync.jobs.uploads import AttachmentUploads, UploadResult
from referral_desktop.sync.scheduler import Job, Scheduler
from referral_desktop.sync.worker_context import (
    ChangeListener,
    ClockListener,
    ConnectionListener,
    WorkerContext,
    WorkerSettings,
    utc_now,
)

log = logging.getLogger(__name__)

#: The health probe while the API is unreachable: 1–2 s after the first failure, doubling, at most 15 s
#: (a returning API is noticed within 15 s even when nobody nudges).
PROBE_BACKOFF = Backoff(base_seconds=2.0, max_seconds=15.0)

#: Referrals sent at once: the network waits overlap (with 50 ms of latency a pool of 4 sends about three
#: times as fast as one at a time); the store work stays serialised under the store lock.
DEFAULT_POOL_SIZE = 4

__all__ = ["AttemptResult", "OutboxWorker", "RunReport", "StatusUpdate", "overdue"]

J = TypeVar("J", bound=Job)


class _Setting:
    """An attribute of the worker that reads and writes its :class:`WorkerSettings` (shared by the jobs)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, worker: Any, owner: type | None = None) -> Any:
        return self if worker is None else getattr(worker.settings, self.name)

    def __set__(self, worker: Any, value: Any) -> None:
        setattr(worker.settings, self.name, value)


@dataclass
class RunReport:
    sent: list[AttemptResult] = field(default_factory=list)
    uploads: list[UploadResult] = field(default_factory=list)
    statuses: list[StatusUpdate] = field(default_factory=list)
    status_error: str | None = None
    purged: int = 0
    replies: list[ReplyAttempt] = field(default_factory=list)

    @property
    def unreachable(self) -> bool:
        """True when the last thing tried could not reach the API (so the probe should take over)."""
        return all_unreachable(self.sent)


class OutboxWorker:
    """Drains the outbox of one Store through one ApiClient per worker thread."""

    UNREACHABLE_CODES = UNREACHABLE_CODES

    def __init__(
        self,
        store: Any,
        client_factory: Callable[[], ApiClient],
        *,
        clock: Callable[[], datetime] = utc_now,
        random: Callable[[], float] = random_module.random,
        backoff: Backoff | None = None,
        probe_backoff: Backoff | None = None,
        retention_days: int = 30,
        pool_size: int = DEFAULT_POOL_SIZE,
        status_interval: timedelta = timedelta(minutes=2),
        contacts: Any = None,
        on_change: ChangeListener | None = None,
        form_update: FormUpdateCheck | None = None,
        form_update_interval: timedelta = timedelta(days=1),
    ) -> None:
        if pool_size < 1 or pool_size > 8:
            raise ValueError("pool_size must be between 1 and 8")
        self.store = store
        self.settings = WorkerSettings(
            backoff=backoff or Backoff(),
            probe_backoff=probe_backoff or PROBE_BACKOFF,
            retention_days=retention_days,
            pool_size=pool_size,
            status_interval=status_interval,
            form_update=form_update,
            form_update_interval=form_update_interval,
        )
        self.context = WorkerContext(store, client_factory, self.settings, clock=clock, random=random, contacts=contacts)
        if on_change:
            self.context.change_listeners.append(on_change)
        self.scheduler = Scheduler(self.context, [job_type(self.context) for job_type in JOBS])
        self.sender = self._job(Sending)
        self.replier = self._job(ReplySending)
        self.poller = self._job(StatusPolling)
        self.uploader = self._job(AttachmentUploads)
        self.purger = self._job(Purging)
        self.form_checks = self._job(FormUpdateChecks)

    def _job(self, job_type: type[J]) -> J:
        return next(job for job in self.scheduler.jobs if isinstance(job, job_type))

    @classmethod
    def from_policy(cls, store: Any, policy: Any, **kwargs: Any) -> OutboxWorker:
        from referral_desktop.sync.transport_settings import TransportSettings

        settings = TransportSettings.from_policy(policy)
        kwargs.setdefault("retention_days", getattr(policy, "retention_days", 30))
        overrides = getattr(policy, "contacts", None)
        if overrides and "contacts" not in kwargs:
            from referral_desktop.domain.contacts import load_contacts

            kwargs["contacts"] = load_contacts(overrides)
        profile_dir = getattr(getattr(store, "files", None), "profile_dir", None)
        if profile_dir is not None and "form_update" not in kwargs:
            kwargs["form_update"] = profile_form_update(Path(profile_dir), policy)
        return cls(store, lambda: ApiClient.from_settings(settings), **kwargs)

    # ------------------------------------------------ settings (read and written by the jobs too)

    backoff = _Setting()
    probe_backoff = _Setting()
    retention_days = _Setting()
    pool_size = _Setting()
    status_interval = _Setting()
    form_update_interval = _Setting()

    # ------------------------------------------------------------------------------------- events

    def on_change(self, listener: ChangeListener) -> None:
        """Call ``listener(referral_id, state)`` (from the worker's thread) after each recorded change."""
        self.context.change_listeners.append(listener)

    def on_connection(self, listener: ConnectionListener) -> None:
        """Call ``listener(online)`` when the API becomes reachable or unreachable."""
        self.context.connection_listeners.append(listener)

    def on_clock(self, listener: ClockListener) -> None:
        """Call ``listener(seconds)`` (this computer's clock less the API's) after each health answer."""
        self.context.clock_listeners.append(listener)

    @property
    def needs_it_detail(self) -> str:
        """What IT must check, worded as ``doctor`` words it (the host, the policy setting, the TLS
        library's reason; nothing from a referral), while the health probe meets an error no retry will
        cure; "" otherwise. Why: the screens said only "IT must check the certificate", and IT at the
        laptop could not tell a changed pin from an untrusted authority without running something else."""
        error = self.scheduler.probe_error
        if error is None or not error.needs_it:
            return ""
        return str(getattr(error, "for_it", "") or error.message)

    @property
    def clock_skew_seconds(self) -> float | None:
        return self.context.clock_skew_seconds

    def on_form_update(self, listener: FormUpdateListener) -> None:
        """Call ``listener(result)`` (from the worker's thread) after each form update check."""
        self.form_checks.listeners.append(listener)

    def _set_online(self, online: bool) -> None:
        self.context.set_online(online)

    @property
    def online(self) -> bool | None:
        return self.context.online

    def nudge(self) -> None:
        """Wake ``run_forever`` now (something was queued, or the network changed)."""
        self.scheduler.nudge()

    def send_now(self) -> None:
        """The person pressed Send now: probe at once if need be, then send every waiting item now, not
        only those that could not reach the API (see ``Scheduler.send_now``)."""
        self.scheduler.send_now()

    def close(self) -> None:
        self.context.close()

    # ------------------------------------------------------------------------------- one job each

    def recover_interrupted(self) -> int:
        return self.sender.recover_interrupted()

    def due_items(self) -> list[Any]:
        return self.sender.due_items()

    def send_due(self, limit: int | None = None) -> list[AttemptResult]:
        return self.sender.send_due(limit)

    def retry_unreachable_now(self) -> int:
        return self.sender.retry_unreachable_now()

    def upload_due(self) -> list[UploadResult]:
        return self.uploader.upload_due()

    def send_due_replies(self) -> list[ReplyAttempt]:
        """Put back interrupted replies, then attempt every reply that is due now."""
        self.replier.recover_interrupted()
        return self.replier.send_due()

    def poll_statuses(self) -> list[StatusUpdate]:
        return self.poller.poll_statuses()

    def purge(self) -> int:
        return self.purger.purge()

    def check_form_update_if_due(self) -> Any | None:
        return self.form_checks.check_if_due()

    def probe(self) -> bool:
        return self.scheduler.probe()

    # ---------------------------------------------------------------------------------- the loops

    def run_once(self, *, poll: bool = True) -> RunReport:
        """Send everything due (referrals, then replies), upload the documents due, then (``poll``) refresh
        statuses and purge.
        Never raises for network trouble: it is in the report."""
        report = RunReport()
        self.recover_interrupted()
        report.sent = self.send_due()
        if report.sent:
            self.context.set_online(not report.unreachable)
        report.replies = self.send_due_replies()
        report.uploads = self.upload_due()  # after the replies: a reply just sent has its documents go now
        if poll:
            try:
                report.statuses = self.poll_statuses()
            except TransportError as exc:
                report.status_error = exc.code
                log.info("status poll stopped (%s)", exc.code)
            report.purged = self.purge()
        return report

    def run_forever(self, stop_event: threading.Event) -> None:
        """The scheduler's loop (see :mod:`referral_desktop.sync.scheduler`); for a background thread.
        To stop it: set ``stop_event``, then :meth:`nudge`. First, a send a kill interrupted is put back
        to waiting (``Sending.put_back_after_restart``), whether or not iART can be reached yet."""
        try:
            self.sender.put_back_after_restart()
        except Exception as exc:  # the loop still runs; the next attempt sends it again anyway
            log.error("interrupted sends not put back (%s)", type(exc).__name__)
        self.scheduler.run_forever(stop_event)
