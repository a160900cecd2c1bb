"""The bytes the client sends, built apart from the client that sends them.

A submission's body must be the same bytes at every attempt (the server compares a repeated
Idempotency-Key's body with the first), so it is built deterministically from the frozen payload. An
attachment's ``PUT`` body is streamed: pieces pulled from the store as requests reads them, so a 25 MB
file is never held in memory.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from referral_desktop.domain.api_contract import AttachmentManifestEntry, SubmissionRequest

_PIECE = 64 * 1024


def submission_body(
    *,
    form_id: str,
    form_version: str,
    payload: bytes,
    content_type: str,
    attachments: Iterable[AttachmentManifestEntry] = (),
) -> bytes:
    """The ``POST /v1/referrals`` body for frozen payload bytes: deterministic, so every attempt sends the
    same bytes (the envelope carries no personal data; the payload is the frozen text or its JWE)."""
    request = SubmissionRequest.from_frozen(
        form_id=form_id,
        form_version=form_version,
        payload=payload,
        content_type=content_type,
        attachments=list(attachments),
    )
    return request.model_dump_json().encode("utf-8")


class ChunkBody:
    """A file-like request body of known length that pulls its bytes from an iterator, so requests
    sends ``Content-Length`` and streams it without holding it whole."""

    def __init__(self, pieces: Iterator[bytes], length: int) -> None:
        self._pieces = pieces
        self._length = length
        self._buffer = b""
        self._sent = 0

    def __len__(self) -> int:
        return self._length

    def read(self, size: int = -1) -> bytes:
        want = self._length - self._sent if size is None or size < 0 else min(size, self._length - self._sent)
        while len(self._buffer) < want:
            try:
                self._buffer += next(self._pieces)
            except StopIteration:
                break
        out, self._buffer = self._buffer[:want], self._buffer[want:]
        self._sent += len(out)
        return out


def limit_pieces(chunks: Iterable[bytes], skip: int, limit: int) -> Iterator[bytes]:
    """Bytes ``[skip, skip+limit)`` of a chunk stream, in pieces of at most 64 KiB."""
    position = 0
    end = skip + limit
    for chunk in chunks:
        start = position
        position += len(chunk)
        if position <= skip:
            continue
        if start >= end:
            return
        piece = chunk[max(0, skip - start) : min(len(chunk), end - start)]
        for i in range(0, len(piece), _PIECE):
            yield piece[i : i + _PIECE]
        if position >= end:
            return
