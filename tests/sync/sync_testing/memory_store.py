"""An in-memory stand-in with the real Store's interface and behaviour (state changes audited in the
same step, outbox rows ``waiting``/``sending``/``retrying``, ``due`` skipping ``sending``, ``reject``
dropping the row), used only by the worker's fast decision tests. The end-to-end and crash tests use the
real encrypted store."""

from __future__ import annotations

import hashlib
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

try:
    from referral_desktop.domain.lifecycle import check_transition
except ImportError:  # the lifecycle module lands with the store

    def check_transition(current: Any, target: Any) -> None:
        return None


@dataclass
class Ref:
    id: str
    form_id: str
    form_version: str
    answers: dict
    state: str = "draft"
    frozen_payload: bytes | None = None
    payload_content_type: str | None = None
    iart_reference: str | None = None
    sent_at: datetime | None = None
    received_at: datetime | None = None
    decision_due: datetime | None = None
    outcome: str | None = None
    rejection_reasons: list = field(default_factory=list)
    messages: list = field(default_factory=list)  # (sent_at, text), as the store's iart_messages


@dataclass
class Att:
    id: str
    referral_id: str
    filename: str
    size: int
    sha256: str
    content_type: str
    data: bytes
    left_out: bool = False  # its freezing left it out (its question no longer applied)


@dataclass
class Item:
    referral_id: str
    attempts: int = 0
    next_attempt_at: datetime | None = None
    last_error_code: str | None = None
    state: str = "queued"


class _Referrals:
    def __init__(self, store: MemoryStore) -> None:
        self.s = store
        self.rows: dict[str, Ref] = {}

    def create_draft(self, form_id, form_version, answers=None):
        ref = Ref(str(uuid.uuid4()), form_id, form_version, dict(answers or {}))
        self.rows[ref.id] = ref
        return replace(ref)

    def get(self, id):
        return replace(self.rows[str(id)])

    def frozen(self, id):  # the real store's FrozenReferral has these attributes (and no answers)
        return replace(self.rows[str(id)])

    def freeze(self, id, payload, content_type):
        ref = self.rows[str(id)]
        check_transition(ref.state, "ready")
        ref.state, ref.frozen_payload, ref.payload_content_type = "ready", payload, content_type

    def set_state(self, id, state, **details):
        ref = self.rows[str(id)]
        if ref.state != str(state):
            check_transition(ref.state, state)
            event = {"queued": "queued", "received": "sent"}.get(str(state), "status_changed")
            self.s.audit.record(event, ref.id, detail=str(state))
        ref.state = str(state)
        message, message_at = details.pop("message", None), details.pop("message_at", None)
        for key, value in details.items():
            setattr(ref, key, value)
        if message:
            self.add_message(ref.id, message, message_at)

    def add_message(self, id, text, sent_at=None, message_id=None):
        ref = self.rows[str(id)]
        if (sent_at, text) in ref.messages:
            return False
        ref.messages.append((sent_at, text))
        self.s.audit.record("message_received", ref.id)
        return True

    def reject(self, id, reasons):
        ref = self.rows[str(id)]
        check_transition(ref.state, "rejected")
        ref.state = "draft"
        ref.rejection_reasons = list(reasons)
        ref.frozen_payload = None
        self.s.outbox.items.pop(ref.id, None)
        self.s.audit.record("rejected", ref.id, [p for p, _ in reasons if p])

    def list_summaries(self, states=None):
        wanted = {str(s) for s in states} if states else None
        return [replace(r) for r in self.rows.values() if wanted is None or r.state in wanted]


class _Attachments:
    def __init__(self) -> None:
        self.rows: dict[str, Att] = {}

    def add(self, referral_id, filename, data, **_kw):
        att = Att(str(uuid.uuid4()), str(referral_id), filename, len(data), hashlib.sha256(data).hexdigest(), "application/pdf", data)
        self.rows[att.id] = att
        return att

    def list(self, referral_id):
        return [a for a in self.rows.values() if a.referral_id == str(referral_id)]

    def to_send(self, referral_id):
        return [a for a in self.list(referral_id) if not a.left_out]

    def drop_left_out(self, _conn, referral_id):
        gone = [a.id for a in self.list(referral_id) if a.left_out]
        for aid in gone:
            del self.rows[aid]
        return len(gone)

    def iter_chunks(self, id, size):
        data = self.rows[str(id)].data
        for i in range(0, len(data), size):
            yield data[i : i + size]


class _Outbox:
    def __init__(self, store: MemoryStore) -> None:
        self.s = store
        self.items: dict[str, Item] = {}

    def enqueue(self, referral_id, now=None):
        rid = str(referral_id)
        ref = self.s.referrals.rows[rid]
        if ref.state != "queued":
            self.s.referrals.set_state(rid, "queued")
        old = self.items.get(rid)
        self.items[rid] = Item(rid, attempts=old.attempts if old else 0, next_attempt_at=now or datetime.min.replace(tzinfo=UTC), state="waiting")

    def due(self, now):
        return [
            replace(i) for i in sorted(self.items.values(), key=lambda i: (i.next_attempt_at, i.referral_id))
            if i.state in ("waiting", "retrying") and i.next_attempt_at <= now
        ]

    def list(self):
        return [replace(i) for i in self.items.values()]

    def get(self, referral_id):
        item = self.items.get(str(referral_id))
        return replace(item) if item else None

    def remove(self, referral_id):
        self.items.pop(str(referral_id), None)

    def mark(self, referral_id, *, state, attempts=None, next_attempt_at=None, last_error_code=None):
        item = self.items[str(referral_id)]
        item.state = str(state)
        if attempts is not None:
            item.attempts = attempts
        if next_attempt_at is not None:
            item.next_attempt_at = next_attempt_at
        if last_error_code is not None:
            item.last_error_code = last_error_code


class _Uploads:
    """Upload rows, as far as the logic tests need them (their referrals carry no attachments): the
    acknowledgements and status reports seen; nothing is ever due."""

    def __init__(self) -> None:
        self.begun: dict[str, list[str]] = {}
        self.reconciled: dict[str, list[str]] = {}

    def begin(self, referral_id, server_pending, now=None):
        self.begun[str(referral_id)] = list(server_pending)

    def reconcile(self, referral_id, server_pending, now=None):
        self.reconciled[str(referral_id)] = list(server_pending)
        return 0

    def due(self, now):
        return []

    def next_due_at(self):
        return None

    def due_now_if(self, error_codes, now):
        return 0


class _Audit:
    def __init__(self) -> None:
        self.events: list[tuple[str, str | None, tuple]] = []

    def record(self, event, referral_id=None, fields=(), detail=None):
        self.events.append((event, referral_id, tuple(fields), detail))

    def list(self, referral_id=None):
        return [e for e in self.events if referral_id is None or e[1] == referral_id]


class _ChangesFeed:
    """The feed position, compare-and-set on its generation as in ``store/changes_feed.py``."""

    def __init__(self) -> None:
        self.saved: tuple[str, Any] | None = None  # (api, FeedPosition)

    def load(self, api):
        return self.saved[1] if self.saved and self.saved[0] == api else None

    def save(self, api, until, *, expected, followed=None):
        from referral_desktop.store.changes_feed import FeedPosition

        if expected != self.load(api) or (expected is None and self.load(api) is not None):
            return None
        before = expected.followed if expected else frozenset()
        position = FeedPosition(until, before if followed is None else frozenset(followed),
                                (expected.generation if expected else 0) + 1)
        self.saved = (api, position)
        return position

    def forget(self):
        self.saved = None


class _StatusHeard:
    """When each referral was last heard of, as in ``store/status_heard.py`` (never heard of: its receipt)."""

    def __init__(self, store: MemoryStore) -> None:
        self.s = store
        self.rows: dict[str, datetime] = {}

    def record(self, heard_at, heard, *, settled=()):
        for rid in heard:
            self.rows[rid] = max(self.rows.get(rid, heard_at), heard_at)
        for rid in settled:
            self.rows.pop(rid, None)

    def longest_unheard(self, states, *, heard_before, limit):
        wanted = {str(s) for s in states}
        last = {r.id: self.rows.get(r.id) or r.received_at or r.sent_at for r in self.s.referrals.rows.values()
                if r.state in wanted and r.iart_reference}
        return sorted(((rid, at) for rid, at in last.items() if at <= heard_before), key=lambda x: (x[1], x[0]))[:limit]

    def pull_back(self, now):
        ahead = [rid for rid, at in self.rows.items() if at > now]
        self.rows.update(dict.fromkeys(ahead, now))
        return len(ahead)


class MemoryStore:
    def __init__(self) -> None:
        self.changes_feed = _ChangesFeed()
        self.status_heard = _StatusHeard(self)
        self.referrals = _Referrals(self)
        self.attachments = _Attachments()
        self.outbox = _Outbox(self)
        self.uploads = _Uploads()
        self.audit = _Audit()
        self.purge_calls: list[tuple[datetime, int]] = []
        self._lock = threading.Lock()

    @contextmanager
    def write(self, counts_changed=False, *, fsync=True):
        """Stands in for the real store's transaction (nothing to commit in memory)."""
        yield None

    @contextmanager
    def batched_unsent_counts(self):
        """Stands in for the real store's (no counts file in memory)."""
        yield

    def purge_expired(self, now, retention_days, on_purged=None):
        self.purge_calls.append((now, retention_days))
        return 0

    def queue(self, payload: bytes = b'{"answers":{},"form_id":"cwac-marf","form_version":"1.0.0"}') -> str:
        ref = self.referrals.create_draft("cwac-marf", "1.0.0")
        self.referrals.freeze(ref.id, payload, "application/json")
        self.outbox.enqueue(ref.id)
        return ref.id


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


__all__ = ["MemoryStore", "utc", "Any"]
