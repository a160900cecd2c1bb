"""The plain, immutable values the store hands out (no connection or lazy loading behind them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from referral_desktop.domain.lifecycle import ReferralState


class ReferralSummary(NamedTuple):
    """One line of the home screen, read from the summary row only.

    A NamedTuple rather than a frozen dataclass: listing builds 10,000 of these, and a tuple is built
    several times faster (the listing target is 100 ms for 10,000 referrals).
    """

    id: str
    state: ReferralState
    form_id: str
    form_version: str
    child_initials: str | None
    created_at: datetime
    updated_at: datetime
    iart_reference: str | None
    sent_at: datetime | None
    received_at: datetime | None
    decision_due: datetime | None
    outcome: str | None
    has_rejection_reasons: bool = False


@dataclass(frozen=True)
class Referral:
    id: str
    form_id: str
    form_version: str
    answers: dict[str, Any]
    state: ReferralState
    created_at: datetime
    updated_at: datetime
    child_initials: str | None = None
    iart_reference: str | None = None
    sent_at: datetime | None = None
    received_at: datetime | None = None
    decision_due: datetime | None = None
    decided_at: datetime | None = None
    outcome: str | None = None
    rejection_reasons: list[tuple[str, str]] = field(default_factory=list)
    frozen_payload: bytes | None = None
    payload_content_type: str | None = None


@dataclass(frozen=True)
class FrozenReferral:
    """What sending needs: the frozen bytes and where the referral stands, without its answers."""

    id: str
    form_id: str
    form_version: str
    state: ReferralState
    iart_reference: str | None
    frozen_payload: bytes | None
    payload_content_type: str | None
    #: Its documents left out were worked out (at freezing, or once after an update): see migration 19.
    left_out_worked_out: bool = True


@dataclass(frozen=True)
class IartMessage:
    """A message iART sent about a referral (for example what information it needs). Personal data."""

    referral_id: str
    sent_at: datetime
    recorded_at: datetime
    text: str


@dataclass(frozen=True)
class AttachmentInfo:
    id: str
    referral_id: str
    filename: str
    content_type: str
    size: int
    sha256: str
    created_at: datetime
    reply_id: str | None = None  # the reply it goes with; None for the referral's own documents


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    user: str
    event: str
    referral_id: str | None
    fields: tuple[str, ...]
    detail: str | None


@dataclass(frozen=True)
class UploadEntry:
    """Where one attachment's upload stands (see ``store.attachment_uploads``)."""

    attachment_id: str
    referral_id: str
    state: str
    server_offset: int
    attempts: int
    mismatches: int
    next_attempt_at: datetime
    last_error_code: str | None
    failure: str | None
    updated_at: datetime
    refusals: int = 0
    chunk_bytes: int | None = None  # after iART answered 413 to a larger chunk; None: the job's default


@dataclass(frozen=True)
class UploadProgress:
    """How many of a referral's documents iART holds: "2 of 3 documents sent"."""

    total: int
    uploaded: int
    failed: int = 0

    @property
    def complete(self) -> bool:
        return self.uploaded >= self.total

    @property
    def waiting(self) -> int:
        """Documents still to go (neither uploaded nor given up on)."""
        return max(0, self.total - self.uploaded - self.failed)

    def sentence(self) -> str:
        """"2 of 3 documents sent", and how many could not be sent: one wording for every screen."""
        noun = "document" if self.total == 1 else "documents"
        text = f"{self.uploaded} of {self.total} {noun} sent"
        if self.failed:
            text += f"; {self.failed} could not be sent"
        return text


@dataclass(frozen=True)
class OutboxEntry:
    referral_id: str
    attempts: int
    next_attempt_at: datetime
    last_error_code: str | None
    state: str
    updated_at: datetime


@dataclass(frozen=True)
class Receipt:
    """What remains of a referral after the retention purge: no answers, no payload, no attachments."""

    referral_id: str
    iart_reference: str | None
    form_id: str
    form_version: str
    created_at: datetime
    sent_at: datetime | None
    received_at: datetime | None
    decision_due: datetime | None
    decided_at: datetime | None
    outcome: str | None
    child_initials: str | None
    purged_at: datetime
    #: iART's messages and the referrer's sent replies about it, counted before the purge.
    messages_exchanged: int = 0
    #: The referral's documents (its own and its replies') given up on before the purge, by why: the copy
    #: here was damaged, or iART did not accept them. None on receipts made before these were counted.
    documents_damaged_here: int | None = None
    documents_refused_by_iart: int | None = None
    #: The referrer's replies iART refused (never delivered), counted before the purge; None on receipts
    #: made before these were counted.
    replies_refused_by_iart: int | None = None
    #: The documents attached to those replies: never sent, because iART refused the reply they went with
    #: (a reply's documents are uploaded only after iART takes it). None on receipts made before these
    #: were counted.
    documents_of_refused_replies: int | None = None
    #: Draft replies the purge removed unsent (0 or 1: one draft per referral), if they held anything: text
    #: that is not only whitespace, or a document. They never reached iART. None on receipts made before
    #: these were counted.
    draft_replies_removed: int | None = None

    @property
    def documents_given_up(self) -> int | None:
        """How many documents whose upload was given up on (damaged here, or not accepted by iART); None
        if not counted. What the notifications compare with the live count of given-up uploads."""
        return _sum_counted(self.documents_damaged_here, self.documents_refused_by_iart)

    @property
    def documents_never_reached(self) -> int | None:
        """How many documents attached to the referral or its replies never reached iART, whatever why:
        given up on, or never sent with a refused reply; None if none of these was counted."""
        return _sum_counted(self.documents_damaged_here, self.documents_refused_by_iart,
                            self.documents_of_refused_replies)


def _sum_counted(*counts: int | None) -> int | None:
    """The sum of the counts that were counted; None when none was (a receipt older than all of them)."""
    known = [count for count in counts if count is not None]
    return sum(known) if known else None


@dataclass(frozen=True)
class StoreCheckReport:
    schema_version: int
    latest_schema_version: int
    integrity_problems: list[str]
    cipher_integrity_problems: list[str]

    @property
    def ok(self) -> bool:
        return (
            not self.integrity_problems
            and not self.cipher_integrity_problems
            and self.schema_version == self.latest_schema_version
        )


@dataclass(frozen=True)
class UnsentSummary:
    """Counts of work that has not reached iART (readable without the passphrase)."""

    drafts: int = 0
    waiting_to_send: int = 0
    #: False when the counts file is missing or unreadable (the store exists but the counts are unknown).
    known: bool = True

    @property
    def total(self) -> int:
        return self.drafts + self.waiting_to_send
