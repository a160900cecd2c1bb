"""Recording what a status report says about a referral's conversation, once per message.

The feeds repeat the whole conversation on every poll; each message has a stable id, so iART's
messages are kept once (by id, and by time and text for the older ``message`` field that carries the
same question), and each reply the store holds learns its place, that iART holds it (when a lost
answer left it outgoing) and when iART read it. Called by the status poller, under the store lock.

A reply iART holds has its documents' uploads brought in line here too, as a referral's are: created
if missing (what the feed lists as pending starts ``pending``), so a reply learnt to be sent from the
feed, not from the answer to its own request, still gets its documents uploaded; a document iART says
it no longer waits for is uploaded; one it waits for again is sent again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from referral_desktop.domain.api_contract import ConversationMessage, MessageDirection


@dataclass(frozen=True)
class ConversationNews:
    #: iART sent something not kept before (its text is now in the store).
    new_from_iart: bool = False
    #: A reply was recorded as sent or read.
    replies_changed: bool = False

    @property
    def any(self) -> bool:
        return self.new_from_iart or self.replies_changed


def record_conversation(store: Any, referral_id: str, messages: Sequence[ConversationMessage]) -> ConversationNews:
    new_from_iart = replies_changed = False
    replies = getattr(store, "replies", None)
    for message in messages:
        if message.direction is MessageDirection.FROM_IART and message.text:
            kept = store.referrals.add_message(
                referral_id, message.text, message.created_at, message_id=str(message.message_id)
            )
            new_from_iart = new_from_iart or bool(kept)
        elif message.direction is MessageDirection.TO_IART and replies is not None:
            seen = replies.record_seen(
                str(message.message_id), sent_at=message.created_at, sequence=message.sequence,
                read_at=message.read_at,
            )
            replies_changed = replies_changed or seen
            uploads = getattr(store, "uploads", None)
            if uploads is not None and hasattr(uploads, "reconcile_reply"):
                uploads.reconcile_reply(str(message.message_id), [str(a) for a in message.attachments_pending])
    return ConversationNews(new_from_iart, replies_changed)
