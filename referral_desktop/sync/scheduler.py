"""The scheduler: one background loop that probes the API while it is unreachable and runs each job
when it is due.

How a round goes: if the API is not known to be reachable, probe its health (with backoff) and do
nothing else until it answers — unless the probe met something waiting will not cure (a certificate, this
computer's credentials, a wrong address: an error that needs IT), when the due jobs still run so that
each item tries on its own capped backoff and records why (the screens then say IT must act rather than
"Offline"); when it answers after an outage, every job hears
:meth:`Job.reachable_again` (the sender brings forward the items that failed only because the API could
not be reached). Then each registered job whose :meth:`Job.next_due` has come runs, in registration
order. A job that could not reach the API sends the loop back to probing; a job that did something
makes the loop look again at once; otherwise it sleeps until the earliest ``next_due`` (at most a
minute), or until :meth:`Scheduler.nudge` (something was queued, the user pressed Send now, the
operating system reported a network change), waiting on that one event and nothing else, so an idle
app does not wake up.

**Reconnecting.** While the API is unreachable the health probe backs off (``probe_backoff``, capped at
15 s by default, so a return is noticed within 15 s even without a nudge). A nudge probes at once and
starts the backoff afresh instead of counting as another failure; when that probe answers, the jobs hear
:meth:`Job.reachable_again` as after an outage.

**Send now** (:meth:`Scheduler.send_now`) is a nudge that the person asked for: once the API answers,
every job also hears :meth:`Job.send_now_asked`, so items waiting out this app's own backoff (after a
server error, say, up to 15 minutes) go at once instead of the button doing nothing. A plain nudge (a
network change, a new item) does not do that, so that laptops whose network returns together keep their
jittered backoff against a failing server.

The jobs (``referral_desktop/sync/jobs/``) know nothing about each other or about this loop; what they
share (store lock, clients, clock, listeners) is the :class:`~referral_desktop.sync.worker_context.WorkerContext`.

**Adding a job** is a new module and one registration line:

1. a module in ``referral_desktop/sync/jobs/`` with a subclass of :class:`Job` whose ``__init__`` takes
   the WorkerContext, ``next_due(now)`` says when it wants to run (None: nothing to do), and ``run(now)``
   does one round of its work and returns a :class:`JobOutcome` (set ``unreachable`` when the API could
   not be reached, ``busy`` when it did something worth looking again for at once);
2. its class added to ``JOBS`` in ``referral_desktop/sync/jobs/__init__.py``, where the order is the
   order of each round.

A job keeps its own due times and backoff; it never sleeps itself and never raises for network trouble
(an exception is logged and the other jobs still run).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from referral_desktop.sync.errors import TransportError
from referral_desktop.sync.worker_context import WorkerContext

log = logging.getLogger(__name__)

#: The longest the loop sleeps without looking again.
MAX_SLEEP_SECONDS = 60.0
#: After a job raised unexpectedly: wait this long before the next round (do not spin on a bug).
AFTER_ERROR_SECONDS = 5.0


@dataclass(frozen=True)
class JobOutcome:
    """What one run of a job means for the loop."""

    #: The job did something (look again at once: more may be due).
    busy: bool = False
    #: The API could not be reached (the probe takes over until it answers).
    unreachable: bool = False


class Job:
    """One kind of background work. Subclasses take the WorkerContext in ``__init__``."""

    #: A short name for logs.
    name = "job"

    def next_due(self, now: datetime) -> datetime | None:
        """When this job next wants to run (at or before ``now``: run it this round); None: not scheduled."""
        return None

    def run(self, now: datetime) -> JobOutcome:
        """One round of this job's work."""
        return JobOutcome()

    def reachable_again(self) -> None:
        """The API answers again after being unreachable."""

    def send_now_asked(self) -> None:
        """The person pressed Send now and the API answers: what waits on this app's own backoff is due."""


class Scheduler:
    """Runs ``jobs`` (in order) from one thread while ``run_forever`` lasts."""

    def __init__(self, context: WorkerContext, jobs: Sequence[Job]) -> None:
        self.context = context
        self.jobs = list(jobs)
        self._wake = threading.Event()
        self._send_now = threading.Event()
        #: Why the last health probe failed (None after one that answered).
        self.probe_error: TransportError | None = None

    def nudge(self) -> None:
        """Wake ``run_forever`` now (something was queued, or the network changed)."""
        self._wake.set()

    def send_now(self) -> None:
        """Send now, asked by the person: a nudge after which the jobs hear ``send_now_asked``."""
        self._send_now.set()
        self._wake.set()

    def probe(self) -> bool:
        """A light health check; updates the online flag."""
        try:
            health = self.context.client().health()
        except TransportError as exc:
            log.info("health probe failed (%s)", exc.code)
            self.probe_error = exc
            self.context.set_online(False)
            return False
        self.probe_error = None
        # Online first: a clock warning (which only iART's answer can give) must not show under "Checking".
        self.context.set_online(True)
        self.context.note_server_time(getattr(health, "server_time", None))
        return True

    def run_due_jobs(self, *, api_answered: bool = True) -> tuple[bool, bool, bool]:
        """Run every job that is due now. Returns (busy, unreachable, failed). A busy job marks the API
        online, unless ``api_answered`` is False (the jobs ran only to record an error that needs IT)."""
        busy = unreachable = failed = False
        for job in self.jobs:
            now = self.context.clock()
            due = job.next_due(now)
            if due is None or due > now:
                continue
            try:
                outcome = job.run(now)
            except Exception as exc:  # keep the thread alive; the other jobs still run
                log.error("%s round failed (%s)", job.name, type(exc).__name__)
                failed = True
                continue
            if outcome.unreachable:
                unreachable = True
                break
            if outcome.busy:
                if api_answered:
                    self.context.set_online(True)
                busy = True
        return busy, unreachable, failed

    def next_wait(self) -> float:
        """Seconds until the first job is due, capped to keep the loop lively."""
        now = self.context.clock()
        waits = [MAX_SLEEP_SECONDS]
        for job in self.jobs:
            due = job.next_due(now)
            if due is not None:
                waits.append((due - now).total_seconds())
        return max(0.05, min(waits))

    def run_forever(self, stop_event: threading.Event) -> None:
        """Until ``stop_event`` is set: probe while unreachable (with backoff), run what is due, sleep.
        Intended for a background thread. To stop it, set ``stop_event`` and then :meth:`nudge` (the
        sleep waits on the one wake event only)."""
        context = self.context
        failures = 0
        while not stop_event.is_set():
            nudged = self._wake.is_set()
            self._wake.clear()
            asked = self._send_now.is_set()
            self._send_now.clear()
            if context.online is not True:
                was_unreachable = context.online is False
                if nudged:
                    failures = 0  # a nudge is news, not another failure: probe now, back off from scratch
                if not self.probe():
                    failures += 1
                    if self.probe_error is not None and self.probe_error.needs_it:
                        # Each due item tries once on its own backoff and records why.
                        self.run_due_jobs(api_answered=False)
                    self._sleep(context.settings.probe_backoff.delay(failures, context.random))
                    continue
                failures = 0
                if was_unreachable or nudged:
                    for job in self.jobs:
                        job.reachable_again()
            if asked:
                self._tell_send_now_asked()
            busy, unreachable, failed = self.run_due_jobs()
            if unreachable:
                # Ask iART itself before calling it unreachable: a request that timed out while iART
                # answers (slow on that request) keeps its own backoff. Taken for a lost network, it was
                # made due again by "reachable again" at once and resent at every timeout.
                if self.probe():
                    continue
                failures = 1
                self._sleep(context.settings.probe_backoff.delay(failures, context.random))
                continue
            if busy:
                continue  # something happened: look again straight away
            if failed:
                self._sleep(AFTER_ERROR_SECONDS)
                continue
            self._sleep(self.next_wait())
        context.close()

    def _tell_send_now_asked(self) -> None:
        for job in self.jobs:
            try:
                job.send_now_asked()
            except Exception as exc:  # the round still runs; what was due goes anyway
                log.error("%s did not take Send now (%s)", job.name, type(exc).__name__)

    def _sleep(self, seconds: float) -> None:
        """One wait on the wake event: no periodic wake-ups while idle (a nudge or the stop ends it)."""
        self._wake.wait(seconds)
