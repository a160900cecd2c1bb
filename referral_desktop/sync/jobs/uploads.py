"""Attachment uploads: a job of their own, with their own due times and backoff, recorded in the store.

Why a job rather than a step of sending or polling: an upload that failed used to wait for the next
status poll (minutes), ignored ``Retry-After``, and left no trace but a log line, so ``send`` called a
referral sent while its documents were not there and did not resume an upload a kill had interrupted.
Now the acknowledgement creates one row per attachment in the store (``store.uploads``, in the same
commit as "received"), and this job takes every row that is due:

* **Check first.** The bytes in the store are read and hashed against the SHA-256 frozen with the
  referral before a byte is sent. A copy that no longer matches (a damaged page) or cannot be read is a
  *mismatch*; so is the server answering that the bytes it got do not match. Each is retried with
  backoff, and after :data:`MAX_MISMATCHES` the upload stops for good (``failed``, with where it went
  wrong): re-sending a damaged file cannot make it arrive, and used to cost the whole file on every poll.
* **Resume at the server's offset**, in chunks of :data:`UPLOAD_CHUNK_BYTES` (chosen with
  ``tests/benchmarks/bench_uploads.py``: a stall past the timeout costs at most one chunk), each read
  from the store under the store lock; the offset the server confirms is recorded as it grows.
* **Back off on its own** after a network error, 5xx, 429 or a timeout, never sooner than the server's
  ``Retry-After``; nothing waits for the status poll.
* **Give up on iART's own final word, and only on it.** A refusal is final when it carries iART's
  problem document with one of the contract's problem types that say "not like this" (validation,
  malformed, unknown form, decryption, idempotency conflict, too large) on a 409/413/422, or "not found"
  on a 404 (iART does not hold the referral or document). A proxy, a captive portal or a web server at a
  wrong address cannot produce those ``urn:iart:problem:`` types; their HTML pages and bare statuses
  are nobody's verdict and stay retries on the backoff, as do the types that mean "later" (rate limited,
  unavailable, server error). A ``HEAD`` has no body, so its 404 is asked again with ``GET`` (in the
  client) before it counts. Like a mismatch, one refusal is not trusted alone: after
  :data:`MAX_REFUSALS` the upload stops for good (``failed``, ``refused_for_good``); re-sending what
  iART refuses cannot make it arrive, and an upload retried for ever also held the referral's purge
  while its page said "still being sent". A document given up on holds nothing, and the referral's page
  tells the professional to phone iART about it.
* **A 413 from iART first halves the chunks** for that upload (kept in the store) and tries again at
  once, down to :data:`MIN_CHUNK_BYTES`; a server or gateway may take smaller requests. Only a 413 at
  the smallest chunk counts as a refusal.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from referral_desktop.domain.api_contract import ProblemType
from referral_desktop.store.attachment_uploads import DAMAGED_HERE, FAILED, REFUSED_BY_SERVER
from referral_desktop.sync.errors import ReferralRejected, TransportError
from referral_desktop.sync.scheduler import Job, JobOutcome
from referral_desktop.sync.worker_context import WorkerContext

log = logging.getLogger(__name__)

#: Bytes read from the store per piece.
PIECE_BYTES = 256 * 1024
#: Bytes per PUT. With 4 MiB a stall past the timeout re-sent up to 4 MiB; 1 MiB costs a quarter of that
#: for about one more request per MiB (see the README's Benchmarks).
UPLOAD_CHUNK_BYTES = 1024 * 1024
#: Mismatches of the bytes with the frozen SHA-256 (here or at the server) before an upload stops.
MAX_MISMATCHES = 3
#: iART's final refusals of an upload (see above) before it stops.
MAX_REFUSALS = 3
#: The smallest chunk a 413 halves down to: slow (the README's Benchmarks: a clean 6 MiB upload took 11 times
#: as long as in 4 MiB chunks) but it arrives; below it a request's own overhead outweighs its bytes.
MIN_CHUNK_BYTES = 64 * 1024
#: Problem types by which iART refuses the request itself (not "later", not a mismatch to retry).
FINAL_PROBLEM_TYPES = frozenset(t.value for t in (
    ProblemType.VALIDATION, ProblemType.MALFORMED, ProblemType.UNKNOWN_FORM, ProblemType.DECRYPTION_FAILED,
    ProblemType.IDEMPOTENCY_CONFLICT, ProblemType.TOO_LARGE,
))
#: Error codes that mean the API could not be reached at all.
UNREACHABLE_CODES = ("network", "timeout")



@dataclass(frozen=True)
class UploadResult:
    """What one upload attempt did (ids and codes only)."""

    attachment_id: str
    referral_id: str
    state: str  # uploaded / uploading / pending / failed
    error_code: str | None = None
    next_attempt_at: datetime | None = None

    @property
    def unreachable(self) -> bool:
        return self.error_code in UNREACHABLE_CODES


def is_final_refusal(exc: ReferralRejected) -> bool:
    """iART's own word that this upload will not be taken (see the module docstring)."""
    if exc.status == 404:
        return exc.problem_type == ProblemType.NOT_FOUND.value
    return exc.status in (409, 413, 422) and exc.problem_type in FINAL_PROBLEM_TYPES


class _DamagedCopy(Exception):
    """The attachment's bytes in the store do not match its frozen SHA-256 (or cannot be read)."""


class AttachmentUploads(Job):
    """Uploads every attachment whose upload is due, through the context's per-thread client."""

    name = "uploads"

    def __init__(self, context: WorkerContext, chunk_size: int = UPLOAD_CHUNK_BYTES) -> None:
        self.context = context
        self.chunk_size = chunk_size

    # ----------------------------------------------------------------------------- scheduling

    def next_due(self, now: datetime) -> datetime | None:
        with self.context.store_lock:
            due: datetime | None = self.context.store.uploads.next_due_at()
        return due

    def run(self, now: datetime) -> JobOutcome:
        results = self.upload_due()
        unreachable = bool(results) and all(r.unreachable for r in results)
        return JobOutcome(busy=bool(results) and not unreachable, unreachable=unreachable)

    def reachable_again(self) -> None:
        """Uploads that failed only because the API could not be reached are due at once."""
        context = self.context
        with context.store_lock:
            brought = context.store.uploads.due_now_if(UNREACHABLE_CODES, context.clock())
        if brought:
            log.info("API reachable again: %d waiting uploads due now", brought)

    # -------------------------------------------------------------------------------- uploads

    def upload_due(self, referral_id: str | None = None) -> list[UploadResult]:
        """Try every upload that is due now (of one referral, or all), once each, in order."""
        context = self.context
        with context.store_lock:
            entries = list(context.store.uploads.due(context.clock()))
        if referral_id is not None:
            entries = [e for e in entries if e.referral_id == str(referral_id)]
        return [self._upload(entry) for entry in entries]

    def _upload(self, entry: Any) -> UploadResult:
        context = self.context
        aid, rid = entry.attachment_id, entry.referral_id
        try:
            with context.store_lock:
                info = context.store.attachments.info(aid)
            self._check_copy(info)
        except _DamagedCopy:
            log.warning("attachment %s of referral %s does not match its SHA-256 here", aid, rid)
            return self._mismatch(entry, DAMAGED_HERE)
        except Exception as exc:  # the attachment is gone (purged) or the store failed: try later
            log.error("could not prepare attachment %s for upload (%s)", aid, type(exc).__name__)
            return self._retry(entry, None)
        offset = {"received": entry.server_offset}

        def progress(received: int) -> None:
            offset["received"] = received
            with context.store_lock:
                context.store.uploads.mark_uploading(aid, received)

        chunk_size = min(entry.chunk_bytes or self.chunk_size, self.chunk_size)
        try:
            while True:
                try:
                    context.client().upload_attachment(
                        rid, aid, info.size, lambda: self._locked_chunks(aid), chunk_size=chunk_size,
                        on_progress=progress,
                    )
                    break
                except ReferralRejected as exc:
                    if exc.status != 413 or chunk_size <= MIN_CHUNK_BYTES:
                        raise
                    chunk_size = max(MIN_CHUNK_BYTES, chunk_size // 2)
                    log.info("iART refused a chunk of attachment %s as too large; going on in %d-byte chunks",
                             aid, chunk_size)
                    with context.store_lock:
                        context.store.uploads.set_chunk_bytes(aid, chunk_size)
        except ReferralRejected as exc:
            if exc.problem_type == ProblemType.CHECKSUM_MISMATCH:
                log.warning("iART refused attachment %s of referral %s as not matching its SHA-256", aid, rid)
                return self._mismatch(entry, REFUSED_BY_SERVER)
            if is_final_refusal(exc):
                log.warning("iART refused attachment %s of referral %s (%s)", aid, rid, exc.code)
                return self._refused(entry, exc)
            return self._retry(entry, exc, offset["received"])
        except TransportError as exc:
            return self._retry(entry, exc, offset["received"])
        except Exception as exc:  # a bug must not lose the upload: try again later
            log.error("unexpected %s uploading attachment %s", type(exc).__name__, aid)
            return self._retry(entry, None, offset["received"])
        with context.store_lock:
            context.store.uploads.mark_uploaded(aid, info.size)
        log.info("attachment %s of referral %s uploaded", aid, rid)
        self._emit(rid)
        return UploadResult(aid, rid, "uploaded")

    def _check_copy(self, info: Any) -> None:
        """Hash the stored bytes, piece by piece; :class:`_DamagedCopy` unless they match the frozen digest."""
        digest = hashlib.sha256()
        size = 0
        try:
            for piece in self._locked_chunks(info.id):
                digest.update(piece)
                size += len(piece)
        except Exception as exc:  # an unreadable page is a damaged copy too
            raise _DamagedCopy() from exc
        if size != info.size or digest.hexdigest() != info.sha256:
            raise _DamagedCopy()

    def _locked_chunks(self, attachment_id: str) -> Iterator[bytes]:
        """The attachment's bytes from the store, piece by piece, each read under the store lock."""
        context = self.context
        with context.store_lock:
            iterator: Iterable[bytes] = context.store.attachments.iter_chunks(attachment_id, PIECE_BYTES)
            iterator = iter(iterator)
        while True:
            with context.store_lock:
                try:
                    chunk = next(iterator)
                except StopIteration:
                    return
            yield chunk

    # ------------------------------------------------------------------------------- outcomes

    def _emit(self, referral_id: str) -> None:
        """Tell the listeners the referral changed (its documents did; its state is unchanged)."""
        context = self.context
        try:
            with context.store_lock:
                state = context.store.referrals.frozen(referral_id).state
        except Exception:  # purged or gone: nothing to show
            return
        context.emit(referral_id, str(getattr(state, "value", state)))

    def _backoff(self, attempts: int, retry_after: float | None = None) -> datetime:
        context = self.context
        delay = context.settings.backoff.delay(attempts, context.random, retry_after)
        return context.clock() + timedelta(seconds=delay)

    def _retry(self, entry: Any, exc: TransportError | None, received: int | None = None) -> UploadResult:
        context = self.context
        attempts = entry.attempts + 1
        next_at = self._backoff(attempts, getattr(exc, "retry_after", None))
        code = exc.code if exc is not None else "internal"
        with context.store_lock:
            context.store.uploads.mark_retry(
                entry.attachment_id, attempts=attempts, next_attempt_at=next_at, error_code=code,
                server_offset=received,
            )
        log.info("upload of attachment %s stopped (%s); next attempt in %.0f s", entry.attachment_id, code,
                 (next_at - context.clock()).total_seconds())
        state = "uploading" if received else "pending"
        return UploadResult(entry.attachment_id, entry.referral_id, state, code, next_at)

    def _mismatch(self, entry: Any, failure: str) -> UploadResult:
        context = self.context
        next_at = self._backoff(entry.mismatches + 1)
        with context.store_lock:
            now = context.store.uploads.mark_mismatch(
                entry.attachment_id, failure=failure, next_attempt_at=next_at, max_mismatches=MAX_MISMATCHES
            )
        return self._counted(entry, now, failure, next_at, f"{now.mismatches} mismatches")

    def _refused(self, entry: Any, exc: ReferralRejected) -> UploadResult:
        context = self.context
        next_at = self._backoff(entry.refusals + 1)
        with context.store_lock:
            now = context.store.uploads.mark_refused(
                entry.attachment_id, error_code=exc.code, next_attempt_at=next_at, max_refusals=MAX_REFUSALS
            )
        return self._counted(entry, now, exc.code, next_at, f"{now.refusals} refusals by iART")

    def _counted(self, entry: Any, now: Any, code: str, next_at: datetime, how_many: str) -> UploadResult:
        """The result of a try that counted towards giving up; the listeners hear when it was the last."""
        if now.state == FAILED:
            log.warning("upload of attachment %s given up after %s (%s)", entry.attachment_id, how_many, now.failure)
            self._emit(entry.referral_id)
            return UploadResult(entry.attachment_id, entry.referral_id, "failed", now.failure)
        return UploadResult(entry.attachment_id, entry.referral_id, now.state, code, next_at)
