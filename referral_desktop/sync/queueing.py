"""Queueing a referral: validate it, freeze it, put it in the outbox — the one path the UI and CLI share.

Why one function: the rules "an invalid referral is never queued" and "the bytes are frozen exactly
once, at this moment, encrypted to iART's key when the policy has one" must hold whichever screen or
command queues a referral. Each step is recorded in the store and the audit log (field *paths* only).

It is safe to call again after a crash part-way: a referral already frozen (``ready``) is queued with
the bytes it already has; one already queued or further on is left as it is.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import Any

from referral_desktop.domain.attachment_references import named_documents
from referral_desktop.domain.form_catalog import load_form
from referral_desktop.domain.strict_json import is_finite_json
from referral_desktop.domain.validation import FieldError, validate, visible_answers
from referral_desktop.sync.payload import answers_document, freeze_document

log = logging.getLogger(__name__)

DRAFT, READY, QUEUED = "draft", "ready", "queued"
_ALREADY_QUEUED = {"queued", "sending", "retrying", "received", "acknowledged", "info_requested", "decided", "purged"}


class QueueRefused(Exception):
    """The referral cannot be queued. ``errors`` are the validator's (path, message) problems, when
    that is the reason; the message never contains an answer."""

    def __init__(self, message: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = list(errors or [])


@dataclass(frozen=True)
class QueueResult:
    referral_id: str
    state: str
    encrypted: bool
    already_queued: bool = False


def _state(value: Any) -> str:
    return str(getattr(value, "value", value))


def queue_referral(store: Any, referral_id: str, policy: Any, today: date) -> QueueResult:
    """Validate, freeze (serialise once; JWE when ``policy.iart_public_key`` is set) and enqueue."""
    referral = store.referrals.get(referral_id)
    state = _state(referral.state)
    referral_id = str(referral.id)
    if state in _ALREADY_QUEUED:
        return QueueResult(referral_id, state, referral.payload_content_type == "application/jose", True)
    if state == DRAFT:
        form = load_form(referral.form_id, referral.form_version)
        stored = store.attachments.list(referral_id)
        attachment_ids = [str(a.id) for a in stored]
        result = validate(
            form,
            referral.answers or {},
            today=today,
            test_deployment=bool(getattr(policy, "test_deployment", False)),
            known_attachments=attachment_ids,
        )
        store.audit.record("validated", referral_id=referral_id, fields=tuple(e.path for e in result.errors))
        if not result.is_valid:
            count = len(result.errors)
            raise QueueRefused(
                f"The referral cannot be queued: {count} answer{'s' if count != 1 else ''} "
                f"need{'s' if count == 1 else ''} attention.",
                result.errors,
            )
        # Only what the form asks of this referral is sent: an answer to a question that later answers
        # hid (who must not be identified, typed before that question was changed to "No") stays in the
        # draft, for if the question comes back, and never goes to iART.
        sent = visible_answers(form, referral.answers or {})
        if not is_finite_json(sent):  # saved before such numbers were refused
            raise QueueRefused("The referral cannot be queued: an answer is not a number that can be sent "
                               "(NaN, Infinity, or one too large). Correct it and queue the referral again.")
        # So with documents: one goes only when an answer the form still asks names it (not the report
        # attached under "Attach the completed assessment" before "No" was answered to the tool). The
        # others stay with the draft, for if the question comes back; the payload names those that go.
        named = set(named_documents(form, sent))  # ``sent`` is the visible answers: ``sent_documents``, once
        going = {str(a.id): str(a.filename) for a in stored if str(a.id).lower() in named}
        document = answers_document(referral.form_id, referral.form_version, sent, going)
        frozen = freeze_document(document, getattr(policy, "iart_public_key", None))
        store.referrals.freeze(referral_id, frozen.data, frozen.content_type, sent_documents=going)
        if len(going) < len(stored):
            log.info("referral %s: %d of %d documents left out (their questions no longer apply)",
                     referral_id, len(stored) - len(going), len(stored))
        log.info("referral %s frozen (%s)", referral_id, "encrypted" if frozen.encrypted else "plain")
        state = READY
    if state != READY:
        raise QueueRefused(f"A referral in the state '{state}' cannot be queued.")
    store.outbox.enqueue(referral_id)  # ready → queued and the outbox row, in one transaction (audited)
    store.snapshots.take()  # its content is final now: keep a copy that survives damage to the store file
    referral = store.referrals.get(referral_id)
    return QueueResult(referral_id, QUEUED, referral.payload_content_type == "application/jose")
