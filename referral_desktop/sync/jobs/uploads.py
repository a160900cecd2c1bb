"""Attachment uploads: send the documents the server still waits for, streamed from the encrypted store.

The acknowledgement of a referral (and each status report until they are all in) lists the attachments
iART still waits for; the sender and the status poller hand that list here. Each upload resumes where
the server's copy ends (the client asks for the offset first), and each chunk is read from the store
under the store lock, so an upload of a large document never holds the store for long. A failed upload
is not an error of the referral: the next status poll still lists the attachment and it is tried again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from referral_desktop.sync.errors import TransportError
from referral_desktop.sync.worker_context import WorkerContext

log = logging.getLogger(__name__)

#: Bytes read from the store (and sent) per piece.
CHUNK_BYTES = 256 * 1024


class AttachmentUploads:
    """Uploads a referral's pending attachments through the context's per-thread client."""

    name = "uploads"

    def __init__(self, context: WorkerContext) -> None:
        self.context = context

    def upload_pending(
        self, referral_id: str, pending: Sequence[Any], attachments: Sequence[Any] | None = None
    ) -> int:
        """Upload the attachments the server still waits for. Returns how many failed (they are
        retried when the status poll still lists them as pending)."""
        if not pending:
            return 0
        context = self.context
        if attachments is None:
            with context.store_lock:
                attachments = list(context.store.attachments.list(referral_id))
        by_id = {str(a.id): a for a in attachments}
        failed = 0
        for attachment_id in pending:
            info = by_id.get(str(attachment_id))
            if info is None:
                log.warning("server waits for attachment %s that referral %s does not have", attachment_id, referral_id)
                failed += 1
                continue

            def open_chunks(aid: str = str(info.id)) -> Iterable[bytes]:
                return self._locked_chunks(aid)

            try:
                context.client().upload_attachment(referral_id, info.id, info.size, open_chunks)
            except TransportError as exc:
                failed += 1
                log.info("upload of attachment %s for referral %s stopped (%s)", info.id, referral_id, exc.code)
                continue
            log.info("attachment %s of referral %s uploaded", info.id, referral_id)
        if failed:
            context.incomplete_uploads.add(referral_id)  # the status poll asks about it again
        else:
            context.incomplete_uploads.discard(referral_id)
        return failed

    def _locked_chunks(self, attachment_id: str, size: int = CHUNK_BYTES) -> Iterable[bytes]:
        """The attachment's bytes from the store, piece by piece, each read under the store lock."""
        context = self.context
        iterator = iter(context.store.attachments.iter_chunks(attachment_id, size))
        while True:
            with context.store_lock:
                try:
                    chunk = next(iterator)
                except StopIteration:
                    return
            yield chunk
