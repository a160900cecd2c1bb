"""Sending: attempt each referral that is due, record every step, and never send one twice.

* **Exactly once across crashes.** Before each attempt the referral is recorded as ``sending`` (store
  and audit, one commit); after it, as ``received`` / ``retrying`` / ``rejected``. The outbox row stays
  due until the acknowledgement is recorded. The request always carries the
  referral's UUID as its idempotency key and the bytes frozen at queue time, so when the process is
  killed at any moment an item left ``sending`` (or ``retrying``, or ``queued``) is simply sent again on
  restart and the server answers the replay with the same reference. Nothing is ever removed from the
  outbox before the acknowledgement is recorded (the new state and the removal of the outbox row are
  one transaction), so nothing is lost; nothing is sent under a new key, so nothing is duplicated.
  An item found ``sending`` at start-up is put back (:meth:`Sending.recover_interrupted`); one whose
  referral iART already holds only has its outbox row closed.
* **The manifest is fixed before the first attempt.** It lists the documents freezing did not leave out
  (a document named only under a question the answers no longer ask is not sent). A referral frozen
  before version 19 has them worked out once, in a commit before its attempt marks it ``sending``
  (``sync/frozen_before_left_out.py`` reasons out why no replay becomes a conflict and what a kill
  between the two commits does); every later attempt sends that manifest.
* **One bad referral never blocks the others.** Each item is attempted on its own; a rejection, a
  conflict or an unexpected crash in one attempt is recorded on that item only.
* **Backoff with jitter** per item (``next_attempt_at``), never sooner than the server's
  ``Retry-After``; :class:`~referral_desktop.sync.backoff.Backoff` with injected randomness. When the API
  answers again after an outage, items that failed only because it could not be reached are due at
  once (:meth:`Sending.retry_unreachable_now`).
* **Needs IT** (TLS refusal, 401/403, a refused URL, a wrong address): the referral stays queued (``retrying``) and the
  result says ``needs_it`` so the screens and the ``send`` command can say who must act.
* A small bounded pool may send several items at once: network work runs in parallel, store work is
  serialised under the context's store lock (a Store may be used from another thread, but not
  concurrently).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from referral_desktop.domain.api_contract import Acknowledgement, AttachmentManifestEntry
from referral_desktop.store.errors import StoreDamaged
from referral_desktop.sync.errors import ReferralRejected, TransportError
from referral_desktop.sync.frozen_before_left_out import leave_out_what_its_answers_do_not_name
from referral_desktop.sync.request_bodies import submission_body
from referral_desktop.sync.scheduler import Job, JobOutcome
from referral_desktop.sync.sync_states import (
    QUEUED,
    RECEIVED,
    REJECTED,
    RETRYING,
    SENDING,
    SENT_STATES,
    state_name,
)
from referral_desktop.sync.worker_context import WorkerContext

log = logging.getLogger(__name__)

#: Error codes that mean "the API could not be reached" (not "the API said wait"): once it answers
#: again, such items need not sit out the rest of their backoff.
UNREACHABLE_CODES = ("network", "timeout")
#: Error codes with which iART itself asked for patience (429 Too Many Requests, 503 with or without
#: ``Retry-After``): Send now does not cut these waits short.
SERVER_ASKED_TO_WAIT = ("http_429", "http_503")


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


def all_unreachable(results: Sequence[AttemptResult]) -> bool:
    """True when the attempts could not reach the API at all (so the probe should take over)."""
    return any(r.error_code and r.state == RETRYING and not r.needs_it for r in results) and not any(
        r.reached_server for r in results
    )


class Sending(Job):
    name = "sending"

    def __init__(self, context: WorkerContext) -> None:
        self.context = context

    # ----------------------------------------------------------------------------- scheduling

    def next_due(self, now: datetime) -> datetime | None:
        """Now if an interrupted send waits to be put back; else when the first item is due."""
        with self.context.store_lock:
            entries = list(self.context.store.outbox.list())
        if any(state_name(e.state) == SENDING for e in entries):
            return now
        times = [e.next_attempt_at for e in entries if e.next_attempt_at is not None]
        return min(times) if times else None

    def run(self, now: datetime) -> JobOutcome:
        self.recover_interrupted()
        results = self.send_due()
        return JobOutcome(busy=bool(results), unreachable=bool(results) and all_unreachable(results))

    def reachable_again(self) -> None:
        self.retry_unreachable_now()

    def send_now_asked(self) -> None:
        self.retry_all_now()

    # -------------------------------------------------------------------------------- sending

    def recover_interrupted(self) -> int:
        """Put back items an earlier run left ``sending`` (the process was killed mid-attempt): the same
        frozen bytes go again under the same key, and the server answers the replay. Returns how many."""
        context = self.context
        count = 0
        with context.store_lock:
            for entry in list(context.store.outbox.list()):
                if state_name(entry.state) != SENDING:
                    continue
                referral = context.store.referrals.frozen(entry.referral_id)  # its state; answers not needed
                if state_name(referral.state) in SENT_STATES:
                    context.store.outbox.remove(entry.referral_id)  # acknowledged before the kill
                else:
                    context.store.outbox.enqueue(entry.referral_id)
                count += 1
        if count:
            log.info("resuming %d interrupted sends", count)
        return count

    def put_back_after_restart(self) -> int:
        """At start-up, before this process attempts anything: put back referrals still marked ``sending``.

        Why: an attempt marks the *referral* ``sending`` and leaves its outbox row due (see ``_begin``), so
        :meth:`recover_interrupted`, which looks for outbox rows marked ``sending``, does not see a send
        that a kill, a crash or a power cut interrupted. Such a referral was sent again on the next round
        (same key, same bytes), but until that round, which waits for iART to answer, the home list said
        "Sending" and its page that it was being sent now, for as long as the laptop stayed offline.
        Now it is queued again (``sending`` → ``queued``, its row due now) and the screens are told. Only
        at start-up: within a run no referral is left ``sending`` between rounds. Returns how many."""
        context = self.context
        put_back: list[str] = []
        with context.store_lock:
            for summary in context.store.referrals.list_summaries([SENDING]):
                if context.store.outbox.get(summary.id) is not None:
                    context.store.outbox.enqueue(summary.id)
                    put_back.append(str(summary.id))
        for referral_id in put_back:
            context.emit(referral_id, QUEUED)
        if put_back:
            log.info("%d referrals interrupted while sending are waiting to send again", len(put_back))
        return len(put_back)

    def due_items(self) -> list[Any]:
        with self.context.store_lock:
            return list(self.context.store.outbox.due(self.context.clock()))

    def send_due(self, limit: int | None = None) -> list[AttemptResult]:
        """Attempt every item that is due now, once each. Returns one result per item, in order."""
        items = self.due_items()
        if limit is not None:
            items = items[:limit]
        if not items:
            return []
        pool_size = self.context.settings.pool_size
        with self.context.store.batched_unsent_counts():  # the counts file once per batch, not per referral
            if pool_size == 1 or len(items) == 1:
                return [self._attempt(item) for item in items]
            with ThreadPoolExecutor(max_workers=pool_size, thread_name_prefix="outbox") as pool:
                return list(pool.map(self._attempt, items))

    def _begin(self, item: Any) -> tuple[str, bytes, int, list[Any]] | AttemptResult:
        """Record "sending" (store + audit) and build the request body from the frozen bytes."""
        context = self.context
        store = context.store
        referral_id = _outbox_id(item)
        with context.store_lock:
            referral = store.referrals.frozen(referral_id)
            if state_name(referral.state) in SENT_STATES:
                # Killed after recording the acknowledgement but before closing the outbox item:
                # iART holds it already; only the outbox needs to catch up.
                store.outbox.remove(referral_id)
                return AttemptResult(referral_id, state_name(referral.state), iart_reference=referral.iart_reference)
            # Frozen before version 19: the documents its answers do not name are left out first, once, in a
            # commit of their own (``frozen_before_left_out``: why that cannot turn a replay into a conflict).
            leave_out_what_its_answers_do_not_name(store, referral)
            attachments = list(store.attachments.to_send(referral_id))  # not those its freezing left out
            attempts = int(getattr(item, "attempts", 0) or 0) + 1
            # One commit before the attempt: the referral's state (and its audit entry). The outbox row
            # is left as it is — still due — so a kill from here on means "send again" on restart; the
            # attempt count is written with the outcome (retry) or the row goes (received).
            with store.write(fsync=False):  # a lost "sending" mark only means "send again"
                store.referrals.set_state(referral_id, SENDING)
        context.emit(referral_id, SENDING)
        # The request body is built outside the store lock: the pool's other threads may use the store
        # meanwhile (only the store work is serialised).
        manifest = [
            AttachmentManifestEntry(id=a.id, size=a.size, sha256=a.sha256, content_type=a.content_type)
            for a in attachments
        ]
        body = submission_body(
            form_id=referral.form_id,
            form_version=referral.form_version,
            payload=bytes(referral.frozen_payload),
            content_type=referral.payload_content_type,
            attachments=manifest,
        )
        return referral_id, body, attempts, attachments

    def _attempt(self, item: Any) -> AttemptResult:
        referral_id = _outbox_id(item)
        try:
            begun = self._begin(item)
            if isinstance(begun, AttemptResult):
                return begun
            referral_id, body, attempts, attachments = begun
        except StoreDamaged as exc:  # never send or retry what cannot be read back intact; IT must act
            log.error("referral %s cannot be read back intact; not sent", referral_id)
            return AttemptResult(referral_id, state_name(getattr(item, "state", QUEUED)), error_code="damaged",
                                 message=f"{exc}.", needs_it=True)
        except Exception as exc:  # the store could not give us this item; park it, try the others
            log.error("could not prepare referral %s for sending (%s)", referral_id, type(exc).__name__)
            attempts = int(getattr(item, "attempts", 0) or 0) + 1
            try:
                return self._retry(referral_id, attempts, None)
            except Exception:
                return AttemptResult(referral_id, state_name(getattr(item, "state", QUEUED)), error_code="internal")
        try:
            ack = self.context.client().submit(referral_id, body)
        except ReferralRejected as exc:
            return self._rejected(referral_id, exc)
        except TransportError as exc:
            return self._retry(referral_id, attempts, exc)
        except Exception as exc:  # a bug must not lose the item: record it as a retry
            log.error("unexpected %s sending referral %s", type(exc).__name__, referral_id)
            return self._retry(referral_id, attempts, None)
        return self._received(referral_id, ack)

    # ------------------------------------------------------------------------------- outcomes

    # Every state change goes through ``referrals.set_state`` (or ``reject``), which writes the audit
    # entry in the same transaction — so "recorded in the store and the audit log" is one commit.

    def _received(self, referral_id: str, ack: Acknowledgement) -> AttemptResult:
        context = self.context
        now = context.clock()
        due = context.decision_due(ack.received_at)
        # The new state and the end of the outbox item are one transaction: one commit, and no moment
        # at which a kill leaves a received referral still due to be sent.
        with context.store_lock, context.store.write() as conn:
            context.store.referrals.set_state(
                referral_id,
                RECEIVED,
                iart_reference=ack.iart_reference,
                sent_at=now,
                received_at=ack.received_at,
                decision_due=due,
            )
            context.store.outbox.remove(referral_id)
            # The documents it was sent without (their question no longer applied) can never go now.
            context.store.attachments.drop_left_out(conn, referral_id)
            # The attachments iART waits for become uploads of their own (the uploads job sends them).
            context.store.uploads.begin(referral_id, [str(a) for a in ack.attachments_pending])
        log.info("referral %s received as %s", referral_id, ack.iart_reference)
        context.emit(referral_id, RECEIVED)
        return AttemptResult(referral_id, RECEIVED, iart_reference=ack.iart_reference)

    def _rejected(self, referral_id: str, exc: ReferralRejected) -> AttemptResult:
        context = self.context
        reasons = [(path, message) for path, message in exc.reasons]
        with context.store_lock:
            context.store.referrals.reject(referral_id, reasons)  # also drops the outbox entry
        log.info(
            "referral %s rejected (%s) at paths %s", referral_id, exc.status, sorted({p for p, _ in reasons})
        )
        context.emit(referral_id, REJECTED)
        return AttemptResult(
            referral_id, REJECTED, error_code=exc.code, message=exc.message, reasons=tuple(reasons)
        )

    def _retry(self, referral_id: str, attempts: int, exc: TransportError | None) -> AttemptResult:
        context = self.context
        retry_after = getattr(exc, "retry_after", None)
        delay = context.settings.backoff.delay(attempts, context.random, retry_after)
        next_at = context.clock() + timedelta(seconds=delay)
        code = exc.code if exc is not None else "internal"
        needs_it = exc is not None and exc.needs_it
        with context.store_lock, context.store.write():
            context.store.outbox.mark(
                referral_id, state=RETRYING, attempts=attempts, next_attempt_at=next_at, last_error_code=code
            )
            context.store.referrals.set_state(referral_id, RETRYING)
        log.info("referral %s not sent (%s); next attempt in %.0f s", referral_id, code, delay)
        context.emit(referral_id, RETRYING)
        return AttemptResult(
            referral_id,
            RETRYING,
            error_code=code,
            message=exc.message if exc is not None else "An unexpected error occurred; it will be retried.",
            next_attempt_at=next_at,
            needs_it=needs_it,
        )

    def retry_unreachable_now(self) -> int:
        """The API answers again: make the items that failed only because it could not be reached due
        now, so sending starts at once. A server's ``Retry-After`` (429/503) is still honoured, and so is
        the backoff of items that reached the server. Returns how many were brought forward."""
        context = self.context
        now = context.clock()
        brought = 0
        with context.store_lock:
            for entry in context.store.outbox.list():
                if (
                    state_name(entry.state) == RETRYING
                    and entry.last_error_code in UNREACHABLE_CODES
                    and entry.next_attempt_at is not None
                    and entry.next_attempt_at > now
                ):
                    context.store.outbox.mark(entry.referral_id, state=RETRYING, next_attempt_at=now)
                    brought += 1
        if brought:
            log.info("API reachable again: %d waiting referrals due now", brought)
        return brought


    def retry_all_now(self) -> int:
        """Send now was pressed and the API answers: every waiting item is due now, whatever failed
        last (a server error's backoff grows to 15 minutes, and the button did nothing meanwhile), except
        where iART asked for patience (429/503). Returns how many were brought forward."""
        context = self.context
        now = context.clock()
        brought = 0
        with context.store_lock:
            for entry in context.store.outbox.list():
                if (
                    state_name(entry.state) in (QUEUED, RETRYING)
                    and entry.last_error_code not in SERVER_ASKED_TO_WAIT
                    and entry.next_attempt_at is not None
                    and entry.next_attempt_at > now
                ):
                    context.store.outbox.mark(entry.referral_id, next_attempt_at=now)
                    brought += 1
        if brought:
            log.info("Send now: %d waiting referrals due now", brought)
        return brought


def _outbox_id(item: Any) -> str:
    return str(getattr(item, "referral_id", item))
