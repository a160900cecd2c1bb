"""The sandbox's Upload-Offset only moves forward: each chunk is a compare-and-set in one transaction.

Storage level (the real sqlite file and attachment files, several threads and processes' worth of
connections); the same through the real server over TLS is in ``test_uploads.py``.
"""

from __future__ import annotations

import hashlib
import io
import os
import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sandbox_testing.sample_referral import answers_document, manifest_entry, submission, valid_answers

from referral_desktop.domain.api_contract import SubmissionRequest
from referral_desktop.sandbox.storage import ChecksumMismatch, SandboxStorage, UploadOffsetMismatch


@pytest.fixture
def storage(tmp_path):
    return SandboxStorage(tmp_path / "data")


def _referral_with(storage: SandboxStorage, data: bytes):
    entry = manifest_entry(data)
    answers = valid_answers() | {"attachments": [entry["id"]]}
    request = SubmissionRequest.model_validate(submission(answers_document(answers), attachments=[entry]))
    referral_id = uuid.uuid4()
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    storage.submit(referral_id, request, received_at=now, decision_due=now + timedelta(days=1), summary={})
    return referral_id, uuid.UUID(entry["id"])


def test_two_concurrent_chunks_at_one_offset_exactly_one_is_accepted(storage):
    data = os.urandom(64 * 1024)
    rid, aid = _referral_with(storage, data)
    storage.append_chunk(rid, aid, 0, io.BytesIO(data[:16384]), 16384)
    for _round in range(20):
        start = storage.upload_status(rid, aid).received
        if start >= len(data):
            break
        barrier = threading.Barrier(2)
        outcomes: list[object] = []

        def put(piece: bytes, start: int = start, barrier: threading.Barrier = barrier,
                outcomes: list[object] = outcomes) -> None:
            barrier.wait()
            try:
                outcomes.append(storage.append_chunk(rid, aid, start, io.BytesIO(piece), len(piece)))
            except UploadOffsetMismatch as exc:
                outcomes.append(exc)

        length = min(4096, len(data) - start)
        threads = [threading.Thread(target=put, args=(data[start:start + length],)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        refused = [o for o in outcomes if isinstance(o, UploadOffsetMismatch)]
        assert len(refused) == 1, outcomes
        assert refused[0].offset == start + length  # the offset the winner left
        assert storage.upload_status(rid, aid).received == start + length


def test_a_late_chunk_never_moves_the_offset_back(storage):
    data = os.urandom(300_000)
    rid, aid = _referral_with(storage, data)
    storage.append_chunk(rid, aid, 0, io.BytesIO(data[:100_000]), 100_000)
    storage.append_chunk(rid, aid, 100_000, io.BytesIO(data[100_000:200_000]), 100_000)
    # The abandoned request at offset 100,000 lands after its re-send was accepted: refused, offset kept.
    with pytest.raises(UploadOffsetMismatch) as late:
        storage.append_chunk(rid, aid, 100_000, io.BytesIO(b"\0" * 100_000), 100_000)
    assert late.value.offset == 200_000
    with pytest.raises(UploadOffsetMismatch):
        storage.append_chunk(rid, aid, 250_000, io.BytesIO(data[250_000:]), 50_000)  # a gap is refused too
    assert storage.upload_status(rid, aid).received == 200_000
    storage.append_chunk(rid, aid, 200_000, io.BytesIO(data[200_000:]), 100_000)
    status = storage.finish_upload(rid, aid)
    assert status.complete and status.received == len(data)
    assert storage.attachment_path(rid, aid).read_bytes() == data
    with pytest.raises(UploadOffsetMismatch) as done:  # nothing is written once it is complete
        storage.append_chunk(rid, aid, 0, io.BytesIO(b"x" * 10), 10)
    assert done.value.offset == len(data)
    assert hashlib.sha256(storage.attachment_path(rid, aid).read_bytes()).digest() == hashlib.sha256(data).digest()


def test_bytes_past_the_offset_from_an_unfinished_write_are_overwritten(storage):
    data = os.urandom(50_000)
    rid, aid = _referral_with(storage, data)
    storage.append_chunk(rid, aid, 0, io.BytesIO(data[:20_000]), 20_000)
    with open(storage.attachment_path(rid, aid), "ab") as handle:  # a crash between write and commit
        handle.write(b"\xff" * 25_000)
    storage.append_chunk(rid, aid, 20_000, io.BytesIO(data[20_000:30_000]), 10_000)
    assert storage.attachment_path(rid, aid).read_bytes() == data[:30_000]


def test_wrong_bytes_reset_the_upload_to_zero(storage):
    data = os.urandom(10_000)
    rid, aid = _referral_with(storage, data)
    storage.append_chunk(rid, aid, 0, io.BytesIO(b"\0" * 10_000), 10_000)
    with pytest.raises(ChecksumMismatch):
        storage.finish_upload(rid, aid)
    assert storage.upload_status(rid, aid).received == 0
    assert not storage.attachment_path(rid, aid).exists()
