"""Queueing a reply to iART: freeze the draft once and hand it to the sender — the one path the reply
box and the ``reply`` command share.

Freezing follows the referral's rule (:mod:`referral_desktop.sync.payload`): the text becomes the
canonical JSON of ``{"text": …}`` once, encrypted to iART's key when the policy holds one, and those
bytes are what every attempt sends under the reply's own UUID. An empty or over-long reply is refused
here, before anything is queued; the message never quotes the text.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from referral_desktop.domain.api_contract import REPLY_MAX_CHARACTERS, PayloadContentType, ReplyRequest
from referral_desktop.sync.payload import freeze_document

log = logging.getLogger(__name__)


class ReplyRefused(Exception):
    """The reply cannot be queued; the message says why (never quoting the text)."""


@dataclass(frozen=True)
class QueuedReply:
    reply_id: str
    referral_id: str
    encrypted: bool


def queue_reply(store: Any, referral_id: str, policy: Any, text: str | None = None) -> QueuedReply:
    """Freeze the referral's draft reply (after saving ``text`` into it, when given) and queue it."""
    if text is not None:
        store.replies.save_draft(referral_id, text)
    draft = store.replies.draft(referral_id)
    if draft is None or not draft.text.strip():
        raise ReplyRefused("Write the reply before sending it.")
    if len(draft.text) > REPLY_MAX_CHARACTERS:
        raise ReplyRefused(f"A reply can be at most {REPLY_MAX_CHARACTERS:,} characters.")
    frozen = freeze_document({"text": draft.text}, getattr(policy, "iart_public_key", None))
    store.replies.freeze(draft.id, frozen.data, frozen.content_type)
    log.info("reply %s to referral %s queued (%s)", draft.id, referral_id, "encrypted" if frozen.encrypted else "plain")
    return QueuedReply(draft.id, str(referral_id), frozen.encrypted)


def reply_body(payload: bytes, content_type: str) -> bytes:
    """The ``POST …/messages`` body for a reply's frozen bytes: the same bytes on every attempt."""
    request = ReplyRequest(payload_content_type=PayloadContentType(content_type), payload=payload.decode("utf-8"))
    return request.model_dump_json().encode("utf-8")
