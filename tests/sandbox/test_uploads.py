"""Resumable attachment uploads: a broken connection keeps what arrived; the SHA-256 is checked at the end."""

from __future__ import annotations

import http.client
import os
import ssl
import time
import uuid

from sandbox_testing.sample_referral import answers_document, manifest_entry, submission, valid_answers

from referral_desktop.domain.api_contract import Acknowledgement, ProblemType, UploadStatus


def _submit_with(sandbox, *files: bytes):
    entries = [manifest_entry(data) for data in files]
    answers = valid_answers() | {"attachments": [e["id"] for e in entries]}
    key = uuid.uuid4()
    response = sandbox.session().post(
        f"{sandbox.url}/v1/referrals", json=submission(answers_document(answers), attachments=entries),
        headers={"Idempotency-Key": str(key)}, timeout=10,
    )
    assert response.status_code == 201, response.text
    ack = Acknowledgement.model_validate(response.json())
    assert {str(a) for a in ack.attachments_pending} == {e["id"] for e in entries}
    return key, entries


def _offset(sandbox, url) -> int:
    head = sandbox.session().head(url, timeout=10)
    assert head.status_code == 200
    return int(head.headers["Upload-Offset"])


def _send_part_then_drop(sandbox, path: str, data: bytes, total: int, sent: int) -> None:
    """Start a PUT of the whole of ``data``, send only ``sent`` bytes, and close the socket."""
    context = ssl.create_default_context(cafile=str(sandbox.ca_file))
    connection = http.client.HTTPSConnection("127.0.0.1", sandbox.port, context=context, timeout=10)
    connection.putrequest("PUT", path)
    connection.putheader("Authorization", f"Bearer {sandbox.client_token}")
    connection.putheader("Content-Range", f"bytes 0-{len(data) - 1}/{total}")
    connection.putheader("Content-Length", str(len(data)))
    connection.endheaders()
    connection.send(data[:sent])
    time.sleep(0.3)
    connection.sock.close()
    connection.close()


def test_a_broken_upload_continues_where_it_stopped_and_is_checked(sandbox):
    data = os.urandom(3 * 1024 * 1024 + 17)
    key, (entry,) = _submit_with(sandbox, data)
    path = f"/v1/referrals/{key}/attachments/{entry['id']}"
    url = sandbox.url + path
    assert _offset(sandbox, url) == 0

    _send_part_then_drop(sandbox, path, data, len(data), sent=1024 * 1024)
    deadline = time.monotonic() + 5
    while (offset := _offset(sandbox, url)) == 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert 0 < offset <= 1024 * 1024

    wrong_start = sandbox.session().put(
        url, data=data[offset + 1:], headers={"Content-Range": f"bytes {offset + 1}-{len(data) - 1}/{len(data)}"}
    )
    assert wrong_start.status_code == 409
    assert wrong_start.json()["type"] == ProblemType.UPLOAD_OFFSET_MISMATCH
    assert int(wrong_start.headers["Upload-Offset"]) == offset

    rest = sandbox.session().put(
        url, data=data[offset:], headers={"Content-Range": f"bytes {offset}-{len(data) - 1}/{len(data)}"}
    )
    assert rest.status_code == 200, rest.text
    status = UploadStatus.model_validate(rest.json())
    assert status.complete and status.received == len(data)
    stored = sandbox.data_dir / "attachments" / str(key) / f"{entry['id']}.bin"
    assert stored.read_bytes() == data

    again = sandbox.session().put(url, data=data)
    assert again.status_code == 200 and again.json()["complete"] is True
    report = sandbox.session().get(f"{sandbox.url}/v1/referrals/{key}/status").json()
    assert report["attachments_pending"] == []


def test_a_checksum_mismatch_resets_the_upload(sandbox):
    data = b"%PDF-1.7 sample attachment" * 100
    key, (entry,) = _submit_with(sandbox, data)
    url = f"{sandbox.url}/v1/referrals/{key}/attachments/{entry['id']}"
    corrupted = bytes([data[0] ^ 1]) + data[1:]
    response = sandbox.session().put(url, data=corrupted)
    assert response.status_code == 422
    assert response.json()["type"] == ProblemType.CHECKSUM_MISMATCH
    assert _offset(sandbox, url) == 0
    assert sandbox.session().put(url, data=data).json()["complete"] is True


def test_chunked_upload_in_ranges_and_unknown_attachments(sandbox):
    data = os.urandom(250_000)
    key, (entry,) = _submit_with(sandbox, data)
    url = f"{sandbox.url}/v1/referrals/{key}/attachments/{entry['id']}"
    session = sandbox.session()
    bad_range = session.put(url, data=b"x", headers={"Content-Range": "bytes 0-0/5"})
    assert bad_range.status_code == 400 and bad_range.json()["errors"][0]["path"] == "Content-Range"
    for start in range(0, len(data), 100_000):
        chunk = data[start:start + 100_000]
        r = session.put(url, data=chunk,
                        headers={"Content-Range": f"bytes {start}-{start + len(chunk) - 1}/{len(data)}"})
        assert r.status_code == 200 and int(r.headers["Upload-Offset"]) == start + len(chunk)
    assert session.get(url).json()["complete"] is True
    assert session.head(f"{sandbox.url}/v1/referrals/{key}/attachments/{uuid.uuid4()}").status_code == 404


def _open_put(sandbox, path: str, start: int, piece: bytes, total: int) -> http.client.HTTPSConnection:
    """Start a PUT of ``piece`` at ``start`` over TLS: headers and the first half of the body only."""
    context = ssl.create_default_context(cafile=str(sandbox.ca_file))
    connection = http.client.HTTPSConnection("127.0.0.1", sandbox.port, context=context, timeout=10)
    connection.putrequest("PUT", path)
    connection.putheader("Authorization", f"Bearer {sandbox.client_token}")
    connection.putheader("Content-Range", f"bytes {start}-{start + len(piece) - 1}/{total}")
    connection.putheader("Content-Length", str(len(piece)))
    connection.endheaders()
    connection.send(piece[: len(piece) // 2])
    return connection


def test_two_concurrent_puts_at_one_offset_exactly_one_is_accepted(sandbox):
    # Both requests are in flight at once (each has passed the server's first offset check and sent
    # half its body) before either finishes: the compare-and-set lets exactly one move the offset.
    data = os.urandom(600_000)
    key, (entry,) = _submit_with(sandbox, data)
    path = f"/v1/referrals/{key}/attachments/{entry['id']}"
    url = sandbox.url + path
    piece = data[:200_000]
    first, second = (_open_put(sandbox, path, 0, piece, len(data)) for _ in range(2))
    time.sleep(0.3)  # both handlers are now reading their bodies
    for connection in (first, second):
        connection.send(piece[len(piece) // 2:])
    answers = []
    for connection in (first, second):
        response = connection.getresponse()
        answers.append((response.status, int(response.getheader("Upload-Offset")), response.read()))
        connection.close()
    assert sorted(status for status, _, _ in answers) == [200, 409], answers
    assert all(offset == 200_000 for _, offset, _ in answers)
    assert _offset(sandbox, url) == 200_000
    # A request its client gave up on (timed out, re-read the offset, re-sent) lands after the re-send:
    # refused, and the offset is not moved back (before, it went from 400,000 to 200,000 + what arrived).
    late = _open_put(sandbox, path, 200_000, data[200_000:400_000], len(data))
    time.sleep(0.2)
    rest = sandbox.session().put(url, data=data[200_000:400_000],
                                 headers={"Content-Range": f"bytes 200000-399999/{len(data)}"})
    assert rest.status_code == 200
    late.send(data[300_000:400_000])
    response = late.getresponse()
    assert response.status == 409 and int(response.getheader("Upload-Offset")) == 400_000
    late.close()
    assert _offset(sandbox, url) == 400_000
    done = sandbox.session().put(url, data=data[400_000:],
                                 headers={"Content-Range": f"bytes 400000-{len(data) - 1}/{len(data)}"})
    assert done.json()["complete"] is True
    assert (sandbox.data_dir / "attachments" / str(key) / f"{entry['id']}.bin").read_bytes() == data
