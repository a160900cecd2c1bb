"""Sending replies to iART: each queued reply exactly once, with a referral's guarantees.

* **Exactly once across crashes.** ``sending`` is committed before each attempt and ``sent`` with
  iART's answer; every attempt sends the bytes frozen at queue time under the reply's own UUID. A kill
  at any moment leaves the reply ``queued``/``sending``/``retrying``, and the next run sends the same
  bytes under the same key: the server answers the replay with the message it already holds. A reply
  found ``sending`` at start-up is put back at once (:meth:`ReplySending.recover_interrupted`).
* **Backoff with jitter** per reply, never sooner than ``Retry-After``, with the referral sender's
  :class:`~referral_desktop.sync.backoff.Backoff`; replies that failed only because the API could not
  be reached are due at once when it answers again.
* **Needs IT** (TLS refusal, 401/403, a refused URL, a bare 404 from something that is not iART): the reply stays queued (``retrying``) with the
  error code, which the referral's page turns into "IT must check the connection settings".
* **Refused** (iART answered 409/413/422 with a problem document, or said with a 404 problem document that it does not hold the referral):
  the reply is marked ``refused`` and kept, so the referrer can read what they wrote; it is never retried
  as it is (and so never holds back the retention purge for ever).
* The retention purge waits while a referral has a reply on its way, so no reply is purged unsent.
* **Documents** go as a referral's do: the request lists them (the manifest, built from the store's rows,
  fixed since the reply was queued); "sent" and one upload row per document (``pending`` for those
  iART's answer says it waits for) are one commit, and the uploads job sends them, resumably.

Listeners hear ``(referral_id, referral state)`` after each recorded step, so the referral's page shows
the reply's new state.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from referral_desktop.sync.errors import ReferralRejected, TransportError
from referral_desktop.sync.jobs.sending import UNREACHABLE_CODES
from referral_desktop.sync.replying import reply_body, reply_manifest
from referral_desktop.sync.scheduler import Job, JobOutcome
from referral_desktop.sync.sync_states import state_name
from referral_desktop.sync.worker_context import WorkerContext

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReplyAttempt:
    """What one attempt did (ids, states and codes only)."""

    reply_id: str
    referral_id: str
    state: str
    error_code: str | None = None
    next_attempt_at: datetime | None = None
    needs_it: bool = False


class ReplySending(Job):
    name = "reply sending"

    def __init__(self, context: WorkerContext) -> None:
        self.context = context

    def _replies(self) -> Any:
        # Stores without replies (the sync tests' in-memory stand-in) simply have none to send.
        return getattr(self.context.store, "replies", None)

    # ----------------------------------------------------------------------------- scheduling

    def next_due(self, now: datetime) -> datetime | None:
        replies = self._replies()
        if replies is None:
            return None
        with self.context.store_lock:
            outgoing = list(replies.outgoing())
        if any(r.state == "sending" for r in outgoing):
            return now
        times = [r.next_attempt_at for r in outgoing if r.next_attempt_at is not None]
        return min(times) if times else None

    def run(self, now: datetime) -> JobOutcome:
        self.recover_interrupted()
        results = self.send_due()
        unreachable = bool(results) and all(
            r.error_code in UNREACHABLE_CODES for r in results
        )
        return JobOutcome(busy=bool(results) and not unreachable, unreachable=unreachable)

    def reachable_again(self) -> None:
        replies = self._replies()
        if replies is None:
            return
        now = self.context.clock()
        with self.context.store_lock:
            for reply in replies.outgoing():
                if reply.state == "retrying" and reply.last_error_code in UNREACHABLE_CODES and (
                    reply.next_attempt_at is not None and reply.next_attempt_at > now
                ):
                    replies.mark_due_now(reply.id, now)

    # -------------------------------------------------------------------------------- sending

    def recover_interrupted(self) -> int:
        """Put back replies an earlier run left ``sending``: the same bytes go again under the same key."""
        replies = self._replies()
        if replies is None:
            return 0
        now = self.context.clock()
        count = 0
        with self.context.store_lock:
            for reply in replies.outgoing():
                if reply.state == "sending":
                    replies.mark_due_now(reply.id, now)
                    count += 1
        if count:
            log.info("resuming %d interrupted replies", count)
        return count

    def send_due(self) -> list[ReplyAttempt]:
        """Attempt every reply that is due now, once each, oldest first."""
        replies = self._replies()
        if replies is None:
            return []
        with self.context.store_lock:
            due = list(replies.due(self.context.clock()))
        return [self._attempt(reply) for reply in due]

    def _attempt(self, reply: Any) -> ReplyAttempt:
        context = self.context
        replies = self._replies()
        attempts = int(reply.attempts or 0) + 1
        try:
            with context.store_lock:
                documents = list(context.store.attachments.for_reply(reply.id))
            body = reply_body(bytes(reply.frozen_payload), reply.payload_content_type, reply_manifest(documents))
            with context.store_lock:
                replies.mark_sending(reply.id)
            self._emit(reply.referral_id)
            message = context.client().send_reply(reply.referral_id, reply.id, body)
        except ReferralRejected as exc:
            return self._refused(reply, exc.code)
        except TransportError as exc:
            return self._retry(reply, attempts, exc)
        except Exception as exc:  # a bug must not lose the reply: record it as a retry
            log.error("unexpected %s sending reply %s", type(exc).__name__, reply.id)
            return self._retry(reply, attempts, None)
        # "Sent" and the documents' uploads are one commit: no moment at which a kill leaves a sent
        # reply whose documents nobody will upload.
        with context.store_lock, context.store.write():
            replies.mark_sent(reply.id, sent_at=message.created_at, sequence=message.sequence,
                              read_at=message.read_at)
            if documents:
                context.store.uploads.begin_reply(reply.id, [str(a) for a in message.attachments_pending])
        log.info("reply %s to referral %s sent (%d documents)", reply.id, reply.referral_id, len(documents))
        self._emit(reply.referral_id)
        return ReplyAttempt(reply.id, reply.referral_id, "sent")

    def _refused(self, reply: Any, code: str) -> ReplyAttempt:
        with self.context.store_lock:
            self._replies().mark_refused(reply.id, code)
        log.info("reply %s refused by iART (%s)", reply.id, code)
        self._emit(reply.referral_id)
        return ReplyAttempt(reply.id, reply.referral_id, "refused", error_code=code)

    def _retry(self, reply: Any, attempts: int, exc: TransportError | None) -> ReplyAttempt:
        context = self.context
        delay = context.settings.backoff.delay(attempts, context.random, getattr(exc, "retry_after", None))
        next_at = context.clock() + timedelta(seconds=delay)
        code = exc.code if exc is not None else "internal"
        with context.store_lock:
            self._replies().mark_retry(reply.id, attempts=attempts, next_attempt_at=next_at, error_code=code)
        log.info("reply %s not sent (%s); next attempt in %.0f s", reply.id, code, delay)
        self._emit(reply.referral_id)
        return ReplyAttempt(
            reply.id, reply.referral_id, "retrying", error_code=code, next_attempt_at=next_at,
            needs_it=exc is not None and exc.needs_it,
        )

    def _emit(self, referral_id: str) -> None:
        """Tell the listeners (the referral's page) with the referral's own state."""
        try:
            with self.context.store_lock:
                state = state_name(self.context.store.referrals.frozen(referral_id).state)
        except Exception:  # the referral row is gone: nothing to show
            return
        self.context.emit(referral_id, state)
