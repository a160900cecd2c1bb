"""Status polling: learn what iART did with each referral it holds that is not decided yet
(acknowledged, information requested with its message, decided with its outcome), and record it.

**One feed request per poll, not one request per referral.** Each poll asks
``GET /v1/referrals/changes?since=`` for what changed since the feed's own ``until`` of the last page
read (following ``has_more``). That position is kept in the store after each page
(``store.changes_feed``), so a restarted app resumes from it instead of reading the whole feed again.
Without a position (the first poll ever, a new API address) the poll asks from just before the oldest
waiting referral was received: every waiting referral changed at or after its receipt, so that first
answer covers all of them. Changes of referrals this computer does not hold as waiting are ignored.

**No change is skipped for a referral that starts waiting late.** The contract promises that ``until``
passed back as ``since`` misses nothing; but a poll reads the waiting list first and the feed after, so
a referral received (and perhaps acknowledged) in between, or recorded after the position was saved, may
have changes *before* the position that no poll took. So the position covers only the referrals that
were waiting when a page was read (the store lists them with it); for any other waiting referral the
poll asks from just before its own receipt (iART's time) when that is earlier, and it is then covered.
The start never goes earlier than just before the oldest waiting referral's receipt (a position saved
long ago, its referrals all decided since, costs nothing). A position the server refuses (400, 410,
422: too old for it, say) is dropped and the poll asks again as a first poll does; a server that is
merely down (5xx, timeouts) leaves it alone. A snapshot restored later holds its own, older position
with the referral states of that moment, so the restored store reads again what came after.

**Single GETs only as a fallback**, for a referral the feed has not mentioned for a day (a safety net
should a change be missed); at most ``SINGLE_GETS_PER_ROUND`` per poll, the longest-unheard first. When
the feed or a GET last told of each referral is kept in the store (``store.status_heard``), not in
memory: kept in memory, the clock started again at every start, and a laptop restarted every day never
sent the GET. A referral never heard of counts from iART's receipt. Each poll writes, in one statement,
only the times of the referrals it heard of (nothing when the feed had nothing new), after the feed and
before choosing the GETs, and again after them; a decided referral's time is dropped (the purge drops
the rest). The back-off after a failed GET (``SINGLE_RETRY``) stays in memory: forgetting it on a
restart costs at most one GET tried ten minutes early per referral, while keeping it would be a write
for every failure with nothing gained in safety.

**A page too large to accept is asked for again in smaller pieces.** Each report carries the whole
conversation, so a page of long conversations can pass the client's answer limit (1 MB); asking again
with the same ``since`` would fail the same way at every poll, and nothing after that page would ever be
heard. So the poll halves the page (``limit``) until it fits, for the rest of that poll.

**One referral's failed request never stops or starves the others.** A failed single GET is logged
and that referral alone waits ``SINGLE_RETRY`` before its next one; the round goes on, and the ones
that failed go to the back. Only the feed failing ends the round (nothing else could be learnt).

Each change is recorded in the store (and the audit log) before the listeners hear of it. Each report's
list of attachments iART still waits for is reconciled with the store's upload rows (what the server
holds is uploaded; what it lost is pending again); the uploads job does the sending, on its own times.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from referral_desktop.domain.api_contract import ReferralStatus, StatusReport
from referral_desktop.domain.working_days import is_overdue
from referral_desktop.store.changes_feed import FeedPosition
from referral_desktop.sync.conversation_sync import ConversationNews, record_conversation
from referral_desktop.sync.errors import ResponseTooLarge, TransportError
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

    #: A waiting referral the feed has not mentioned for this long gets a single GET.
    FALLBACK_AFTER = timedelta(days=1)
    #: At most this many single GETs per poll (the feed does the bulk of the work).
    SINGLE_GETS_PER_ROUND = 20
    #: After a failed single GET, that referral waits this long before the next one.
    SINGLE_RETRY = timedelta(minutes=10)
    #: At most this many pages of the feed per poll; the rest is fetched in the next round at once.
    MAX_PAGES = 50
    #: The first poll asks from this long before the oldest waiting referral was received.
    FIRST_SINCE_MARGIN = timedelta(minutes=5)
    #: The feed's page size when the client does not name one (the contract's default).
    FEED_PAGE = 100
    #: Answers to a saved position that are a verdict on the position itself (not the server being down).
    POSITION_REFUSED = frozenset({400, 410, 422})

    def __init__(self, context: WorkerContext) -> None:
        self.context = context
        self.last_poll: datetime | None = None
        self._more = False  # the feed had more pages than one round fetches
        self._retry_at: dict[str, datetime] = {}  # referral id -> no single GET before this
        self._pulled_back = False  # last-heard times ahead of the clock brought back (once per start)

    def next_due(self, now: datetime) -> datetime | None:
        if self.last_poll is None or self._more:
            return now
        return self.last_poll + self.context.settings.status_interval

    def run(self, now: datetime) -> JobOutcome:
        try:
            self.poll_statuses()
        except TransportError as exc:
            log.info("status poll stopped (%s)", exc.code)
        return JobOutcome()

    def poll_statuses(self) -> list[StatusUpdate]:
        """Ask the changes feed (and, as a fallback, single GETs) about the referrals waiting for a
        decision; record what changed. Raises TransportError only when the feed itself fails."""
        context = self.context
        now = context.clock()
        self.last_poll = now  # also when the feed fails: try again after the interval, not at once
        api = context.client().url("")
        with context.store_lock:  # the position first: a referral covered after this read counts as not
            saved = context.store.changes_feed.load(api)  # covered (read from its receipt), never the reverse
            summaries = list(context.store.referrals.list_summaries(states=list(AWAITING_DECISION)))
            if not self._pulled_back:  # a clock put back since: see store/status_heard.py
                context.store.status_heard.pull_back(now)
                self._pulled_back = True
        waiting = {str(s.id): s for s in summaries if getattr(s, "iart_reference", None)}
        for referral_id in list(self._retry_at):
            if referral_id not in waiting:
                del self._retry_at[referral_id]
        if not waiting:
            self._more = False
            return []
        states = {referral_id: state_name(s.state) for referral_id, s in waiting.items()}
        heard: list[str] = []  # the referrals this poll heard of, noted even if the feed fails half-way
        try:
            updates = self._follow_feed(api, saved, states, waiting, heard, now)
        finally:
            self._note_heard(heard, states, now)
        heard = []
        try:
            updates += self._single_gets(states, waiting, heard, now)
        finally:
            self._note_heard(heard, states, now)
        return updates

    def _follow_feed(
        self, api: str, saved: FeedPosition | None, states: dict[str, str], waiting: dict[str, Any],
        heard: list[str], now: datetime,
    ) -> list[StatusUpdate]:
        client = self.context.client()
        first_since = self._first_since(waiting.values(), now)
        since = self._since(saved, waiting, first_since)
        updates: list[StatusUpdate] = []
        self._more = False
        limit: int | None = None  # the server's default page until one is too large
        position, saving = saved, True
        for page_number in range(self.MAX_PAGES):
            try:  # TransportError propagates: nothing else can be learnt
                page, limit = self._page(client, since, limit)
            except TransportError as exc:
                if page_number or since == first_since or getattr(exc, "status", None) not in self.POSITION_REFUSED:
                    raise
                log.info("the changes feed refused the saved position (%s); reading from the oldest waiting", exc.code)
                with self.context.store_lock:
                    self.context.store.changes_feed.forget()
                position, since = None, first_since
                page, limit = self._page(client, since, limit)
            for report in page.changes:
                referral_id = str(report.referral_id)
                if states.get(referral_id) not in AWAITING_DECISION:
                    continue  # not ours, or decided already
                updates.append(self._take(referral_id, states, report, now))
                heard.append(referral_id)
            since = page.until
            if saving:  # after the page's reports are recorded: a position never runs ahead of them
                with self.context.store_lock:
                    position = self.context.store.changes_feed.save(api, page.until, expected=position,
                                                                    followed=waiting)
                if position is None:
                    saving = False
                    log.info("another poller on this profile moved the feed position; this poll's is not kept")
            if not page.has_more:
                break
        else:
            self._more = True
        return updates

    def _page(self, client: Any, since: datetime, limit: int | None) -> tuple[Any, int | None]:
        """One page of the feed from ``since``, halving ``limit`` while the page is too large to accept."""
        while True:
            try:
                return client.changes_since(since, limit), limit
            except ResponseTooLarge:
                limit = (limit or self.FEED_PAGE) // 2
                if limit < 1:
                    raise
                log.info("a page of the changes feed was too large; asking for %d changes at a time", limit)

    def _since(self, saved: FeedPosition | None, waiting: dict[str, Any], first_since: datetime) -> datetime:
        """Where this poll starts: the saved position, or earlier for a waiting referral it does not cover
        (from just before that referral's receipt), never earlier than ``first_since``."""
        if saved is None:
            return first_since
        starts = [saved.until]
        for referral_id, summary in waiting.items():
            if referral_id not in saved.followed:
                received = getattr(summary, "received_at", None)
                starts.append(received - self.FIRST_SINCE_MARGIN if received is not None else first_since)
        return max(min(starts), first_since)

    def _single_gets(
        self, states: dict[str, str], waiting: dict[str, Any], heard: list[str], now: datetime
    ) -> list[StatusUpdate]:
        """A single GET for each referral not heard of for ``FALLBACK_AFTER`` (the store's times, this
        poll's feed included), longest unheard first, skipping those waiting out a failed GET."""
        backing_off = {referral_id for referral_id, at in self._retry_at.items() if now < at}
        with self.context.store_lock:  # only the due ones come back, however many wait
            unheard = self.context.store.status_heard.longest_unheard(
                AWAITING_DECISION, heard_before=now - self.FALLBACK_AFTER,
                limit=self.SINGLE_GETS_PER_ROUND + len(backing_off),
            )
        due = [  # (one received after this poll read the waiting list waits for the next poll)
            referral_id for referral_id, _ in unheard
            if referral_id in waiting and referral_id not in backing_off and states[referral_id] in AWAITING_DECISION
        ]
        updates: list[StatusUpdate] = []
        client = self.context.client()
        for referral_id in due[: self.SINGLE_GETS_PER_ROUND]:
            try:
                report = client.status(waiting[referral_id].iart_reference)
            except TransportError as exc:  # this referral only: the others still get their turn
                self._retry_at[referral_id] = now + self.SINGLE_RETRY
                log.info("status of referral %s not fetched (%s)", referral_id, exc.code)
                continue
            self._retry_at.pop(referral_id, None)
            updates.append(self._take(referral_id, states, report, now))
            heard.append(referral_id)
        return updates

    def _note_heard(self, heard: list[str], states: dict[str, str], now: datetime) -> None:
        """Keep when these referrals were heard of (one statement; none if none); forget the decided."""
        if not heard:
            return
        heard = list(dict.fromkeys(heard))  # a referral may be on two pages of the feed
        with self.context.store_lock:
            self.context.store.status_heard.record(
                now, [r for r in heard if states[r] in AWAITING_DECISION],
                settled=[r for r in heard if states[r] not in AWAITING_DECISION],
            )

    def _take(self, referral_id: str, states: dict[str, str], report: StatusReport, now: datetime) -> StatusUpdate:
        """Record one report and the server's word on the referral's documents."""
        update = self._apply_status(referral_id, states[referral_id], report, now)
        states[referral_id] = update.state
        with self.context.store_lock:
            self.context.store.uploads.reconcile(referral_id, [str(a) for a in report.attachments_pending])
        return update

    def _first_since(self, waiting: Any, now: datetime) -> datetime:
        received = [s.received_at for s in waiting if getattr(s, "received_at", None) is not None]
        oldest = min(received) if received else now - self.FALLBACK_AFTER
        return oldest - self.FIRST_SINCE_MARGIN

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
        news = ConversationNews()
        if report.messages:  # the conversation: iART's messages by id, replies sent and read
            with context.store_lock:
                news = record_conversation(context.store, referral_id, report.messages)
            new_message = new_message or news.new_from_iart
        if new_message:
            log.info("referral %s has a message from iART", referral_id)
        if changed or news.any or new_message:
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
