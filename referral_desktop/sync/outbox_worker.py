"""The outbox worker: sends queued referrals, records every step, polls their status, purges old data.

No Qt here (the UI adapts the plain callbacks to signals). Why it is shaped this way:

* **Exactly once across crashes.** Before each attempt the referral is recorded as ``sending`` (store
  and audit, one commit); after it, as ``received`` / ``retrying`` / ``rejected``. The outbox row stays
  due until the acknowledgement is recorded. The request always carries the
  referral's UUID as its idempotency key and the bytes frozen at queue time, so when the process is
  killed at any moment an item left ``sending`` (or ``retrying``, or ``queued``) is simply sent again on
  restart and the server answers the replay with the same reference. Nothing is ever removed from the
  outbox before the acknowledgement is recorded, so nothing is lost; nothing is sent under a new key, so
  nothing is duplicated.
* **One bad referral never blocks the others.** Each item is attempted on its own; a rejection, a
  conflict or an unexpected crash in one attempt is recorded on that item only.
* **Backoff with jitter** per item (``next_attempt_at``), never sooner than the server's
  ``Retry-After``; :class:`~referral_desktop.sync.backoff.Backoff` with injected randomness.
* **Needs IT** (TLS refusal, 401/403, a refused URL): the referral stays queued (``retrying``) and the
  result says ``needs_it`` so the screens and the ``send`` command can say who must act.
* A small bounded pool may send several items at once: network work runs in parallel, store work is
  serialised under one lock (a Store may be used from another thread, but not concurrently).
* ``run_forever(stop_event)`` probes the API's health with backoff while it is unreachable, drains the
  outbox as soon as it answers, polls statuses until each referral is decided, and purges personal
  data under the retention policy. ``nudge()`` wakes it early (new item queued, network came back).
* **Form updates** (optional ``form_update``): once the API answers after start-up, and then at most
  once a ``form_update_interval`` (a day), the worker asks for the current form definition; the check
  itself (verify the signature, keep a new version) is :mod:`referral_desktop.sync.form_updates`.
"""

from __future__ import annotations

import logging
import random as random_module
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from referral_desktop.domain.api_contract import (
    Acknowledgement,
    AttachmentManifestEntry,
    ReferralStatus,
    StatusReport,
)
from referral_desktop.domain.lifecycle import ReferralState
from referral_desktop.domain.working_days import decision_due as calendar_decision_due
from referral_desktop.domain.working_days import is_overdue
from referral_desktop.sync.api_client import ApiClient, submission_body
from referral_desktop.sync.backoff import Backoff
from referral_desktop.sync.errors import (
    NotAuthorised,
    ReferralRejected,
    TlsError,
    TransportError,
    TransportRefused,
)

log = logging.getLogger(__name__)

# The lifecycle states this worker moves referrals through (StrEnum members: equal to their names).
QUEUED = ReferralState.QUEUED
SENDING = ReferralState.SENDING
RETRYING = ReferralState.RETRYING
RECEIVED = ReferralState.RECEIVED
ACKNOWLEDGED = ReferralState.ACKNOWLEDGED
INFO_REQUESTED = ReferralState.INFO_REQUESTED
DECIDED = ReferralState.DECIDED
REJECTED = ReferralState.REJECTED
DRAFT = ReferralState.DRAFT

#: States in which the server holds the referral and its status is still moving.
AWAITING_DECISION = (RECEIVED, ACKNOWLEDGED, INFO_REQUESTED)
#: States in which iART holds the referral.
SENT_STATES = (*AWAITING_DECISION, DECIDED, "purged")
_STATUS_TO_STATE = {
    ReferralStatus.RECEIVED: RECEIVED,
    ReferralStatus.ACKNOWLEDGED: ACKNOWLEDGED,
    ReferralStatus.INFO_REQUESTED: INFO_REQUESTED,
    ReferralStatus.DECIDED: DECIDED,
}

ChangeListener = Callable[[str, str], None]
ConnectionListener = Callable[[bool], None]
#: ``form_update(client)`` → a FormUpdateResult (see sync.form_updates); raises TransportError offline.
FormUpdateCheck = Callable[[ApiClient], Any]
FormUpdateListener = Callable[[Any], None]
#: After a failed form check (API unreachable, 5xx), try again this soon rather than a day later.
FORM_UPDATE_RETRY = timedelta(hours=1)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _state_name(value: Any) -> str:
    return str(getattr(value, "value", value))


@dataclass(frozen=True)
class AttemptResult:
    """What one send attempt did (no personal data: ids, states, codes, sentences about settings)."""

    referral_id: str
    state: str
    iart_reference: str | None = None
    error_code: str | None = None
    message: str | None = None
    next_attempt_at: datetime | None = None
    needs_it: bool = False
    reasons: tuple[tuple[str, str], ...] = ()

    @property
    def reached_server(self) -> bool:
        return self.state == RECEIVED


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


@dataclass
class RunReport:
    sent: list[AttemptResult] = field(default_factory=list)
    statuses: list[StatusUpdate] = field(default_factory=list)
    status_error: str | None = None
    purged: int = 0
    uploads_failed: int = 0

    @property
    def unreachable(self) -> bool:
        """True when the last thing tried could not reach the API (so the probe should take over)."""
        return any(r.error_code and r.state == RETRYING and not r.needs_it for r in self.sent) and not any(
            r.reached_server for r in self.sent
        )


class OutboxWorker:
    """Drains the outbox of one Store through one ApiClient per worker thread."""

    def __init__(
        self,
        store: Any,
        client_factory: Callable[[], ApiClient],
        *,
        clock: Callable[[], datetime] = _utc_now,
        random: Callable[[], float] = random_module.random,
        backoff: Backoff | None = None,
        probe_backoff: Backoff | None = None,
        retention_days: int = 30,
        pool_size: int = 1,
        status_interval: timedelta = timedelta(minutes=2),
        contacts: Any = None,
        on_change: ChangeListener | None = None,
        form_update: FormUpdateCheck | None = None,
        form_update_interval: timedelta = timedelta(days=1),
    ) -> None:
        if pool_size < 1 or pool_size > 8:
            raise ValueError("pool_size must be between 1 and 8")
        self.store = store
        self._client_factory = client_factory
        self._clock = clock
        self._random = random
        self.backoff = backoff or Backoff()
        self.probe_backoff = probe_backoff or Backoff(base_seconds=2.0, max_seconds=120.0)
        self.retention_days = retention_days
        self.pool_size = pool_size
        self.status_interval = status_interval
        self._contacts = contacts  # None: the bundled directory, loaded once on first use
        self._store_lock = threading.RLock()
        self._local = threading.local()
        self._clients: list[ApiClient] = []
        self._clients_lock = threading.Lock()
        self._change_listeners: list[ChangeListener] = [on_change] if on_change else []
        self._connection_listeners: list[ConnectionListener] = []
        self._wake = threading.Event()
        self._online: bool | None = None
        self._last_status_poll: datetime | None = None
        self._form_update = form_update
        self.form_update_interval = form_update_interval
        self._next_form_check: datetime | None = None  # None: not checked since start-up
        self._form_listeners: list[FormUpdateListener] = []

    def _decision_due(self, received_at: datetime) -> datetime:
        if self._contacts is None:
            from referral_desktop.domain.contacts import load_contacts

            self._contacts = load_contacts()
        return calendar_decision_due(received_at, self._contacts)

    @classmethod
    def from_policy(cls, store: Any, policy: Any, **kwargs: Any) -> OutboxWorker:
        from referral_desktop.sync.transport import TransportSettings

        settings = TransportSettings.from_policy(policy)
        kwargs.setdefault("retention_days", getattr(policy, "retention_days", 30))
        overrides = getattr(policy, "contacts", None)
        if overrides and "contacts" not in kwargs:
            from referral_desktop.domain.contacts import load_contacts

            kwargs["contacts"] = load_contacts(overrides)
        profile_dir = getattr(getattr(store, "files", None), "profile_dir", None)
        if profile_dir is not None and "form_update" not in kwargs:
            kwargs["form_update"] = _profile_form_update(Path(profile_dir), policy)
        return cls(store, lambda: ApiClient.from_settings(settings), **kwargs)

    # ------------------------------------------------------------------------------------ events

    def on_change(self, listener: ChangeListener) -> None:
        """Call ``listener(referral_id, state)`` (from the worker's thread) after each recorded change."""
        self._change_listeners.append(listener)

    def on_connection(self, listener: ConnectionListener) -> None:
        """Call ``listener(online)`` when the API becomes reachable or unreachable."""
        self._connection_listeners.append(listener)

    def _emit(self, referral_id: str, state: str) -> None:
        for listener in list(self._change_listeners):
            try:
                listener(referral_id, state)
            except Exception:  # a listener's bug must not stop sending
                log.exception("change listener failed")

    def _set_online(self, online: bool) -> None:
        if self._online is online:
            return
        self._online = online
        log.info("iART API %s", "reachable" if online else "unreachable")
        for listener in list(self._connection_listeners):
            try:
                listener(online)
            except Exception:
                log.exception("connection listener failed")

    def on_form_update(self, listener: FormUpdateListener) -> None:
        """Call ``listener(result)`` (from the worker's thread) after each form update check."""
        self._form_listeners.append(listener)

    @property
    def online(self) -> bool | None:
        return self._online

    def nudge(self) -> None:
        """Wake ``run_forever`` now (something was queued, or the network changed)."""
        self._wake.set()

    # ------------------------------------------------------------------------------------ clients

    def _client(self) -> ApiClient:
        client = getattr(self._local, "client", None)
        if client is None:
            client = self._client_factory()
            self._local.client = client
            with self._clients_lock:
                self._clients.append(client)
        return client

    def close(self) -> None:
        with self._clients_lock:
            for client in self._clients:
                client.close()
            self._clients.clear()
        self._local = threading.local()

    # -------------------------------------------------------------------------------- store calls

    # Every state change goes through ``referrals.set_state`` (or ``reject``), which writes the audit
    # entry in the same transaction — so "recorded in the store and the audit log" is one commit.

    def _outbox_id(self, item: Any) -> str:
        return str(getattr(item, "referral_id", item))

    # ------------------------------------------------------------------------------------ sending

    def recover_interrupted(self) -> int:
        """Put back items an earlier run left ``sending`` (the process was killed mid-attempt): the same
        frozen bytes go again under the same key, and the server answers the replay. Returns how many."""
        count = 0
        with self._store_lock:
            for entry in list(self.store.outbox.list()):
                if _state_name(entry.state) != SENDING:
                    continue
                referral = self.store.referrals.frozen(entry.referral_id)  # its state; answers not needed
                if _state_name(referral.state) in SENT_STATES:
                    self.store.outbox.remove(entry.referral_id)  # acknowledged before the kill
                else:
                    self.store.outbox.enqueue(entry.referral_id)
                count += 1
        if count:
            log.info("resuming %d interrupted sends", count)
        return count

    def due_items(self) -> list[Any]:
        with self._store_lock:
            return list(self.store.outbox.due(self._clock()))

    def send_due(self, limit: int | None = None) -> list[AttemptResult]:
        """Attempt every item that is due now, once each. Returns one result per item, in order."""
        items = self.due_items()
        if limit is not None:
            items = items[:limit]
        if not items:
            return []
        with self.store.batched_unsent_counts():  # the counts file once per batch, not per referral
            if self.pool_size == 1 or len(items) == 1:
                return [self._attempt(item) for item in items]
            with ThreadPoolExecutor(max_workers=self.pool_size, thread_name_prefix="outbox") as pool:
                return list(pool.map(self._attempt, items))

    def _begin(self, item: Any) -> tuple[str, bytes, int, list[Any]] | AttemptResult:
        """Record "sending" (store + audit) and build the request body from the frozen bytes."""
        referral_id = self._outbox_id(item)
        with self._store_lock:
            referral = self.store.referrals.frozen(referral_id)
            if _state_name(referral.state) in SENT_STATES:
                # Killed after recording the acknowledgement but before closing the outbox item:
                # iART holds it already; only the outbox needs to catch up.
                self.store.outbox.remove(referral_id)
                return AttemptResult(referral_id, _state_name(referral.state), iart_reference=referral.iart_reference)
            attachments = list(self.store.attachments.list(referral_id))
            manifest = [
                AttachmentManifestEntry(
                    id=a.id, size=a.size, sha256=a.sha256, content_type=a.content_type
                )
                for a in attachments
            ]
            body = submission_body(
                form_id=referral.form_id,
                form_version=referral.form_version,
                payload=bytes(referral.frozen_payload),
                content_type=referral.payload_content_type,
                attachments=manifest,
            )
            attempts = int(getattr(item, "attempts", 0) or 0) + 1
            # One commit before the attempt: the referral's state (and its audit entry). The outbox row
            # is left as it is — still due — so a kill from here on means "send again" on restart; the
            # attempt count is written with the outcome (retry) or the row goes (received).
            with self.store.write(fsync=False):  # a lost "sending" mark only means "send again"
                self.store.referrals.set_state(referral_id, SENDING)
        self._emit(referral_id, SENDING)
        return referral_id, body, attempts, attachments

    def _attempt(self, item: Any) -> AttemptResult:
        referral_id = self._outbox_id(item)
        try:
            begun = self._begin(item)
            if isinstance(begun, AttemptResult):
                return begun
            referral_id, body, attempts, attachments = begun
        except Exception as exc:  # the store could not give us this item; park it, try the others
            log.error("could not prepare referral %s for sending (%s)", referral_id, type(exc).__name__)
            attempts = int(getattr(item, "attempts", 0) or 0) + 1
            try:
                return self._retry(referral_id, attempts, None)
            except Exception:
                return AttemptResult(referral_id, _state_name(getattr(item, "state", QUEUED)), error_code="internal")
        try:
            ack = self._client().submit(referral_id, body)
        except ReferralRejected as exc:
            return self._rejected(referral_id, exc)
        except TransportError as exc:
            return self._retry(referral_id, attempts, exc)
        except Exception as exc:  # a bug must not lose the item: record it as a retry
            log.error("unexpected %s sending referral %s", type(exc).__name__, referral_id)
            return self._retry(referral_id, attempts, None)
        result = self._received(referral_id, ack)
        self._upload_pending(referral_id, ack.attachments_pending, attachments)
        return result

    def _received(self, referral_id: str, ack: Acknowledgement) -> AttemptResult:
        now = self._clock()
        due = self._decision_due(ack.received_at)
        # The new state and the end of the outbox item are one transaction: one commit, and no moment
        # at which a kill leaves a received referral still due to be sent.
        with self._store_lock, self.store.write():
            self.store.referrals.set_state(
                referral_id,
                RECEIVED,
                iart_reference=ack.iart_reference,
                sent_at=now,
                received_at=ack.received_at,
                decision_due=due,
            )
            self.store.outbox.remove(referral_id)
        log.info("referral %s received as %s", referral_id, ack.iart_reference)
        self._emit(referral_id, RECEIVED)
        return AttemptResult(referral_id, RECEIVED, iart_reference=ack.iart_reference)

    def _rejected(self, referral_id: str, exc: ReferralRejected) -> AttemptResult:
        reasons = [(path, message) for path, message in exc.reasons]
        with self._store_lock:
            self.store.referrals.reject(referral_id, reasons)  # also drops the outbox entry
        log.info(
            "referral %s rejected (%s) at paths %s", referral_id, exc.status, sorted({p for p, _ in reasons})
        )
        self._emit(referral_id, REJECTED)
        return AttemptResult(
            referral_id, REJECTED, error_code=exc.code, message=exc.message, reasons=tuple(reasons)
        )

    def _retry(self, referral_id: str, attempts: int, exc: TransportError | None) -> AttemptResult:
        retry_after = getattr(exc, "retry_after", None)
        delay = self.backoff.delay(attempts, self._random, retry_after)
        next_at = self._clock() + timedelta(seconds=delay)
        code = exc.code if exc is not None else "internal"
        needs_it = isinstance(exc, (TlsError, NotAuthorised, TransportRefused))
        with self._store_lock, self.store.write():
            self.store.outbox.mark(
                referral_id, state=RETRYING, attempts=attempts, next_attempt_at=next_at, last_error_code=code
            )
            self.store.referrals.set_state(referral_id, RETRYING)
        log.info("referral %s not sent (%s); next attempt in %.0f s", referral_id, code, delay)
        self._emit(referral_id, RETRYING)
        return AttemptResult(
            referral_id,
            RETRYING,
            error_code=code,
            message=exc.message if exc is not None else "An unexpected error occurred; it will be retried.",
            next_attempt_at=next_at,
            needs_it=needs_it,
        )

    # ------------------------------------------------------------------------------------ uploads

    def _upload_pending(self, referral_id: str, pending: Sequence[Any], attachments: Sequence[Any] | None = None) -> int:
        """Upload the attachments the server still waits for. Returns how many failed (they are
        retried when the status poll still lists them as pending)."""
        if not pending:
            return 0
        if attachments is None:
            with self._store_lock:
                attachments = list(self.store.attachments.list(referral_id))
        by_id = {str(a.id): a for a in attachments}
        failed = 0
        for attachment_id in pending:
            info = by_id.get(str(attachment_id))
            if info is None:
                log.warning("server waits for attachment %s that referral %s does not have", attachment_id, referral_id)
                failed += 1
                continue

            def open_chunks(aid: str = str(info.id)) -> Iterable[bytes]:
                return self._locked_chunks(aid)

            try:
                self._client().upload_attachment(referral_id, info.id, info.size, open_chunks)
            except TransportError as exc:
                failed += 1
                log.info("upload of attachment %s for referral %s stopped (%s)", info.id, referral_id, exc.code)
                continue
            log.info("attachment %s of referral %s uploaded", info.id, referral_id)
        return failed

    def _locked_chunks(self, attachment_id: str, size: int = 256 * 1024) -> Iterable[bytes]:
        """The attachment's bytes from the store, piece by piece, each read under the store lock."""
        iterator = iter(self.store.attachments.iter_chunks(attachment_id, size))
        while True:
            with self._store_lock:
                try:
                    chunk = next(iterator)
                except StopIteration:
                    return
            yield chunk

    # ------------------------------------------------------------------------------------- status

    def poll_statuses(self) -> list[StatusUpdate]:
        """Ask the server about every referral it holds that is not decided yet; record changes."""
        with self._store_lock:
            summaries = list(self.store.referrals.list_summaries(states=list(AWAITING_DECISION)))
        updates: list[StatusUpdate] = []
        now = self._clock()
        for summary in summaries:
            reference = getattr(summary, "iart_reference", None)
            if not reference:
                continue
            referral_id = str(summary.id)
            report = self._client().status(reference)  # TransportError propagates: stop this round
            updates.append(self._apply_status(referral_id, _state_name(summary.state), report, now))
            if report.attachments_pending:
                self._upload_pending(referral_id, report.attachments_pending)
        self._last_status_poll = now
        return updates

    def _apply_status(self, referral_id: str, current: str, report: StatusReport, now: datetime) -> StatusUpdate:
        state = _STATUS_TO_STATE[report.status]
        due = self._decision_due(report.received_at)
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
            with self._store_lock:
                self.store.referrals.set_state(referral_id, state, **details)
            log.info("referral %s is now %s", referral_id, state)
        elif report.message:
            # iART asked again (a new message while the state stays info_requested): keep it too.
            with self._store_lock:
                new_message = bool(self.store.referrals.add_message(referral_id, report.message, report.changed_at))
        if new_message:
            log.info("referral %s has a message from iART", referral_id)
        if changed or new_message:
            self._emit(referral_id, state)
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

    # ---------------------------------------------------------------------------------- retention

    def purge(self) -> int:
        with self._store_lock:
            count = int(self.store.purge_expired(self._clock(), self.retention_days) or 0)
        if count:
            log.info("purged personal data of %d referrals under the retention policy", count)
        return count

    # ---------------------------------------------------------------------------------- the loops

    def run_once(self, *, poll: bool = True) -> RunReport:
        """Send everything due, then (``poll``) refresh statuses and purge. Never raises for network
        trouble: it is in the report."""
        report = RunReport()
        self.recover_interrupted()
        report.sent = self.send_due()
        if report.sent:
            self._set_online(not report.unreachable)
        if poll:
            try:
                report.statuses = self.poll_statuses()
            except TransportError as exc:
                report.status_error = exc.code
                log.info("status poll stopped (%s)", exc.code)
            report.purged = self.purge()
        return report

    def probe(self) -> bool:
        """A light health check; updates the online flag."""
        try:
            self._client().health()
        except TransportError as exc:
            log.info("health probe failed (%s)", exc.code)
            self._set_online(False)
            return False
        self._set_online(True)
        return True

    def check_form_update_if_due(self) -> Any | None:
        """Ask for a form update if none was asked since start-up or the interval has passed. Returns the
        result, or None when not due, not configured or the API could not answer (tried again sooner)."""
        if self._form_update is None:
            return None
        now = self._clock()
        if self._next_form_check is not None and now < self._next_form_check:
            return None
        try:
            result = self._form_update(self._client())
        except TransportError as exc:
            self._next_form_check = now + min(self.form_update_interval, FORM_UPDATE_RETRY)
            log.info("form update check failed (%s)", exc.code)
            return None
        except Exception as exc:  # a bug here must not stop sending
            self._next_form_check = now + self.form_update_interval
            log.error("form update check failed (%s)", type(exc).__name__)
            return None
        self._next_form_check = now + self.form_update_interval
        for listener in list(self._form_listeners):
            try:
                listener(result)
            except Exception:
                log.exception("form update listener failed")
        return result

    #: Error codes that mean "the API could not be reached" (not "the API said wait"): once it answers
    #: again, such items need not sit out the rest of their backoff.
    UNREACHABLE_CODES = ("network", "timeout")

    def retry_unreachable_now(self) -> int:
        """The API answers again: make the items that failed only because it could not be reached due
        now, so sending starts at once. A server's ``Retry-After`` (429/503) is still honoured, and so is
        the backoff of items that reached the server. Returns how many were brought forward."""
        now = self._clock()
        brought = 0
        with self._store_lock:
            for entry in self.store.outbox.list():
                if (
                    _state_name(entry.state) == RETRYING
                    and entry.last_error_code in self.UNREACHABLE_CODES
                    and entry.next_attempt_at is not None
                    and entry.next_attempt_at > now
                ):
                    self.store.outbox.mark(entry.referral_id, state=RETRYING, next_attempt_at=now)
                    brought += 1
        if brought:
            log.info("API reachable again: %d waiting referrals due now", brought)
        return brought

    def _next_wait(self) -> float:
        """Seconds until the next item is due or the next status poll, capped to keep the loop lively."""
        now = self._clock()
        waits = [60.0]
        with self._store_lock:
            times = [
                e.next_attempt_at
                for e in self.store.outbox.list()
                if _state_name(e.state) != SENDING and e.next_attempt_at is not None
            ]
        if times:
            waits.append((min(times) - now).total_seconds())
        if self._last_status_poll is not None:
            waits.append((self._last_status_poll + self.status_interval - now).total_seconds())
        return max(0.05, min(waits))

    def run_forever(self, stop_event: threading.Event) -> None:
        """Until ``stop_event`` is set: probe while unreachable (with backoff), send what is due, poll
        statuses every ``status_interval``, purge. Intended for a background thread."""
        failures = 0
        while not stop_event.is_set():
            self._wake.clear()
            if self._online is not True:
                was_unreachable = self._online is False
                if not self.probe():
                    failures += 1
                    self._sleep(stop_event, self.probe_backoff.delay(failures, self._random))
                    continue
                failures = 0
                if was_unreachable:
                    self.retry_unreachable_now()
            self.check_form_update_if_due()
            try:
                poll_due = (
                    self._last_status_poll is None
                    or self._clock() - self._last_status_poll >= self.status_interval
                )
                report = self.run_once(poll=poll_due)
            except Exception as exc:  # keep the thread alive; the next round tries again
                log.error("outbox round failed (%s)", type(exc).__name__)
                self._sleep(stop_event, 5.0)
                continue
            if report.sent and report.unreachable:
                self._set_online(False)
                continue
            if report.sent:
                continue  # something happened: look again straight away
            self._sleep(stop_event, self._next_wait())
        self.close()

    def _sleep(self, stop_event: threading.Event, seconds: float) -> None:
        deadline = seconds
        step = 0.25
        waited = 0.0
        while waited < deadline and not stop_event.is_set() and not self._wake.is_set():
            chunk = min(step, deadline - waited)
            self._wake.wait(chunk)
            waited += chunk


def _profile_form_update(profile_dir: Path, policy: Any) -> FormUpdateCheck | None:
    """The daily form check for a profile, with its verified cache registered with the form catalog
    (so new referrals get an accepted update and drafts on it open). None without a signing key."""
    from referral_desktop.sync.form_updates import fetch_form_update, forms_cache_dir, use_verified_cache

    if use_verified_cache(profile_dir, policy) is None:
        return None
    cache_dir = forms_cache_dir(profile_dir)
    return lambda client: fetch_form_update(client, policy, cache_dir)


def overdue(decision_due: datetime | None, state: str, now: datetime) -> bool:
    """Whether a referral's decision is overdue (undecided and past its decision-due time)."""
    return decision_due is not None and _state_name(state) in AWAITING_DECISION and is_overdue(decision_due, now)
