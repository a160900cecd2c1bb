"""Queueing a reply to iART: freeze the draft once and hand it to the sender — the one path the reply
box and the ``reply`` command share.

Freezing follows the referral's rule (:mod:`referral_desktop.sync.payload`): the text becomes the
canonical JSON of ``{"text": …}`` once (with ``"attachment_names"`` when documents go with it: the
names travel only inside the payload), encrypted to iART's key when the policy holds one, and those
bytes are what every attempt sends under the reply's own UUID. The documents' manifest (ids, sizes,
SHA-256, types) comes from the store's rows, which cannot change once the reply is queued, so every
attempt sends the same body. An empty or over-long reply is refused here, before anything is queued;
the message never quotes the text. A document is checked by the form's rules when it is attached
(:func:`attach_to_reply`), so a refused file never reaches the queue.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from referral_desktop.domain.api_contract import (
    REPLY_MAX_CHARACTERS,
    AttachmentManifestEntry,
    PayloadContentType,
    ReplyRequest,
)
from referral_desktop.store.attachments import DEFAULT_ALLOWED_TYPES, DEFAULT_MAX_BYTES, check_attachment, check_size
from referral_desktop.sync.payload import freeze_document

log = logging.getLogger(__name__)


class ReplyRefused(Exception):
    """The reply cannot be queued; the message says why (never quoting the text)."""


@dataclass(frozen=True)
class QueuedReply:
    reply_id: str
    referral_id: str
    encrypted: bool


def check_reply_text(text: str) -> None:
    """:class:`ReplyRefused` for an empty or over-long reply (checked again when it is queued)."""
    if not text.strip():
        raise ReplyRefused("Write the reply before sending it.")
    if len(text) > REPLY_MAX_CHARACTERS:
        raise ReplyRefused(f"A reply can be at most {REPLY_MAX_CHARACTERS:,} characters.")


def queue_reply(store: Any, referral_id: str, policy: Any, text: str | None = None) -> QueuedReply:
    """Freeze the referral's draft reply (after saving ``text`` into it, when given) and queue it."""
    if text is not None:
        store.replies.save_draft(referral_id, text)
    draft = store.replies.draft(referral_id)
    check_reply_text(draft.text if draft is not None else "")
    document: dict[str, Any] = {"text": draft.text}
    names = {a.id: a.filename for a in store.attachments.for_reply(draft.id)}
    if names:
        document["attachment_names"] = names
    frozen = freeze_document(document, getattr(policy, "iart_public_key", None))
    store.replies.freeze(draft.id, frozen.data, frozen.content_type)
    log.info("reply %s to referral %s queued (%s)", draft.id, referral_id, "encrypted" if frozen.encrypted else "plain")
    return QueuedReply(draft.id, str(referral_id), frozen.encrypted)


def attachment_rules(policy: Any) -> dict[str, Any]:
    """The form's attachment rules (types by content, largest size) as the policy sets them, for
    ``attachments.add`` / ``add_to_reply``; the store's defaults where the policy is silent."""
    rules: dict[str, Any] = {}
    types = getattr(policy, "attachment_allowed_types", None)
    if types:
        rules["allowed_types"] = list(types)
    max_bytes = getattr(policy, "attachment_max_bytes", None)
    if max_bytes:
        rules["max_bytes"] = int(max_bytes)
    return rules


def read_checked(path: Path, policy: Any) -> bytes:
    """The file's bytes if the form's rules accept it (a file over the limit is refused before it is
    read); ``AttachmentRefused`` with a sentence for people, never naming the file, otherwise."""
    rules = attachment_rules(policy)
    check_size(path.stat().st_size, rules.get("max_bytes", DEFAULT_MAX_BYTES))
    data = path.read_bytes()
    check_attachment(data, rules.get("allowed_types", DEFAULT_ALLOWED_TYPES), rules.get("max_bytes", DEFAULT_MAX_BYTES))
    return data


def attach_to_reply(store: Any, referral_id: str, policy: Any, path: Path) -> Any:
    """Attach the file at ``path`` to the referral's draft reply (created if there is none), under the
    form's rules (:func:`read_checked`); returns the stored document's info."""
    data = read_checked(path, policy)
    draft = store.replies.ensure_draft(referral_id)
    return store.attachments.add_to_reply(draft.id, path.name, data, **attachment_rules(policy))


def reply_manifest(attachments: Iterable[Any]) -> list[AttachmentManifestEntry]:
    """The manifest of a reply's documents, in the store's order (the same on every attempt)."""
    return [
        AttachmentManifestEntry(id=a.id, size=a.size, sha256=a.sha256, content_type=a.content_type)
        for a in attachments
    ]


def reply_body(payload: bytes, content_type: str, attachments: Sequence[AttachmentManifestEntry] = ()) -> bytes:
    """The ``POST …/messages`` body for a reply's frozen bytes and documents: the same on every attempt."""
    request = ReplyRequest(
        payload_content_type=PayloadContentType(content_type), payload=payload.decode("utf-8"),
        attachments=list(attachments),
    )
    exclude = None if attachments else {"attachments"}  # a reply without documents: the body it always had
    return request.model_dump_json(exclude=exclude).encode("utf-8")
