"""The API client against small real HTTPS servers: only the documented acknowledgement is success;
every other answer is classified (retry / rejected / needs IT). The sandbox itself is exercised in the
end-to-end tests."""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sync_testing.servers import Reply, server_tls_context

from referral_desktop.domain.api_contract import AttachmentManifestEntry
from referral_desktop.sync.api_client import ApiClient, parse_retry_after
from referral_desktop.sync.errors import (
    NotAuthorised,
    ReferralRejected,
    ResponseTooLarge,
    ServerUnavailable,
    UnexpectedAnswer,
    WrongAddress,
)
from referral_desktop.sync.request_bodies import limit_pieces, submission_body
from referral_desktop.sync.transport_settings import TransportSettings

RID = uuid.UUID("6f1f0c39-5a8e-4d55-9d55-3f0c2b9f8a11")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def ack_json(rid=RID):
    return json.dumps(
        {
            "referral_id": str(rid),
            "iart_reference": "IART-2026-000123",
            "status": "received",
            "received_at": NOW.isoformat(),
            "decision_due": (NOW + timedelta(days=1)).isoformat(),
        }
    ).encode()


def problem(status, errors=(), type_="urn:iart:problem:validation"):
    body = json.dumps(
        {"type": type_, "title": "Invalid", "status": status, "errors": [{"path": p, "message": m} for p, m in errors]}
    ).encode()
    return Reply(status, body, {"Content-Type": "application/problem+json"})


@pytest.fixture
def serve(ca, ca_bundle, start_server):
    def make(responder):
        server = start_server(responder, server_tls_context(ca.issue_cert("127.0.0.1")))
        client = ApiClient.from_settings(TransportSettings(server.url, ca_bundle=ca_bundle), clock=lambda: NOW)
        return server, client

    return make


BODY = submission_body(form_id="cwac-marf", form_version="1.0.0", payload=b'{"answers":{}}', content_type="application/json")


def test_acknowledgement_is_success_and_key_and_bytes_are_sent(serve):
    server, client = serve(lambda r: Reply(201, ack_json(), {"Content-Type": "application/json"}))
    ack = client.submit(RID, BODY)
    assert ack.iart_reference == "IART-2026-000123"
    rec = server.recorded[0]
    assert rec.path == "/v1/referrals" and rec.method == "POST"
    assert rec.headers["Idempotency-Key"] == str(RID)
    assert rec.body == BODY


def test_submission_body_is_deterministic():
    entry = AttachmentManifestEntry(id=uuid.uuid4(), size=3, sha256="a" * 64, content_type="application/pdf")
    kwargs = dict(form_id="f", form_version="1", payload=b'{"x":1}', content_type="application/json", attachments=[entry])
    assert submission_body(**kwargs) == submission_body(**kwargs)


@pytest.mark.parametrize(
    "reply",
    [
        Reply(200, b"<html><body>Log in to Hotel Wi-Fi</body></html>", {"Content-Type": "text/html"}),
        Reply(200, b"", {}),
        Reply(200, b'{"status": "ok"}', {"Content-Type": "application/json"}),
        Reply(200, b"<html>", {"Content-Type": "application/json"}),
        Reply(204, b"", {}),
    ],
    ids=["portal-html", "empty", "other-json", "lying-content-type", "no-content"],
)
def test_anything_but_the_acknowledgement_is_not_success(serve, reply):
    _, client = serve(lambda r: reply)
    with pytest.raises(UnexpectedAnswer) as info:
        client.submit(RID, BODY)
    assert info.value.retryable


def test_acknowledgement_for_another_referral_is_not_success(serve):
    _, client = serve(lambda r: Reply(201, ack_json(uuid.uuid4()), {"Content-Type": "application/json"}))
    with pytest.raises(UnexpectedAnswer):
        client.submit(RID, BODY)


def test_422_maps_field_reasons(serve):
    _, client = serve(lambda r: problem(422, [("children[0].nhs_number", "Enter a valid NHS number"), ("route", "Select a route")]))
    with pytest.raises(ReferralRejected) as info:
        client.submit(RID, BODY)
    assert info.value.reasons == [("children[0].nhs_number", "Enter a valid NHS number"), ("route", "Select a route")]
    assert not info.value.retryable and info.value.status == 422


@pytest.mark.parametrize("status", [409, 413])
def test_conflict_and_too_large_are_rejections(serve, status):
    _, client = serve(lambda r: problem(status, type_="urn:iart:problem:idempotency-conflict"))
    with pytest.raises(ReferralRejected) as info:
        client.submit(RID, BODY)
    assert info.value.status == status and info.value.reasons


def test_422_without_problem_body_is_not_a_verdict(serve):
    _, client = serve(lambda r: Reply(422, b"<html>proxy says no</html>", {"Content-Type": "text/html"}))
    with pytest.raises(UnexpectedAnswer):
        client.submit(RID, BODY)


@pytest.mark.parametrize("status", [409, 413, 422])
def test_the_problems_shape_as_plain_json_is_not_a_verdict(serve, status):
    """iART's problems are application/problem+json (the contract); the same shape as plain JSON may be a
    gateway's own error, so it is not iART rejecting the referral."""
    shaped = problem(status, [("route", "Select a route")])
    _, client = serve(lambda r: Reply(status, shaped.body, {"Content-Type": "application/json"}))
    with pytest.raises(UnexpectedAnswer):
        client.submit(RID, BODY)


@pytest.mark.parametrize(("media_type", "raised"), [("application/problem+json", ReferralRejected),
                                                    ("application/json", WrongAddress)])
def test_only_iarts_not_found_says_it_does_not_hold_the_referral(serve, media_type, raised):
    """A reply's 404 "not found" is iART's word only as its problem document; as plain JSON it is a wrong
    address or something in between (IT must look), never "iART does not hold this referral"."""
    shaped = problem(404, type_="urn:iart:problem:not-found")
    _, client = serve(lambda r: Reply(404, shaped.body, {"Content-Type": media_type}))
    with pytest.raises(raised):
        client.send_reply(RID, uuid.uuid4(), b'{"text": "x"}')


@pytest.mark.parametrize("status", [401, 403])
def test_auth_failures_need_it(serve, status):
    _, client = serve(lambda r: problem(status, type_="urn:iart:problem:unauthorized"))
    with pytest.raises(NotAuthorised) as info:
        client.submit(RID, BODY)
    assert "IT" in info.value.message and not info.value.retryable


@pytest.mark.parametrize("status,retry_after,expected", [(503, "7", 7.0), (429, "2", 2.0), (500, None, None), (502, None, None)])
def test_server_errors_are_retryable_with_retry_after(serve, status, retry_after, expected):
    headers = {"Retry-After": retry_after} if retry_after else {}
    _, client = serve(lambda r: Reply(status, b"busy", headers))
    with pytest.raises(ServerUnavailable) as info:
        client.submit(RID, BODY)
    assert info.value.retryable and info.value.retry_after == expected and info.value.status == status


def test_retry_after_as_http_date():
    assert parse_retry_after("Mon, 02 Mar 2026 10:00:30 GMT", NOW) == 30.0
    assert parse_retry_after("soon", NOW) is None


def test_oversize_answer_is_refused(serve):
    _, client = serve(lambda r: Reply(201, b"{" + b" " * 2_000_000 + b"}", {"Content-Type": "application/json"}))
    with pytest.raises(ResponseTooLarge):
        client.submit(RID, BODY)


def testlimit_pieces():
    chunks = [b"abcde", b"fghij", b"klmno"]
    assert b"".join(limit_pieces(chunks, 3, 9)) == b"defghijkl"
    assert b"".join(limit_pieces(chunks, 0, 100)) == b"abcdefghijklmno"
    assert b"".join(limit_pieces(chunks, 15, 5)) == b""


class FakeUploads:
    """A minimal resumable-upload peer: HEAD tells the offset; PUT appends at Upload-Offset."""

    def __init__(self, size, digest, fail_after_first_put=False):
        self.data = b""
        self.size = size
        self.digest = digest
        self.puts = 0
        self.fail_after_first_put = fail_after_first_put

    def status(self):
        complete = len(self.data) == self.size and hashlib.sha256(self.data).hexdigest() == self.digest
        return json.dumps(
            {"referral_id": str(RID), "attachment_id": str(RID), "size": self.size, "received": len(self.data), "complete": complete}
        ).encode()

    def __call__(self, rec):
        if rec.method == "HEAD":
            return Reply(200, b"", {"Upload-Offset": str(len(self.data))})
        offset = int(rec.headers["Content-Range"].split()[1].split("-")[0])
        if offset != len(self.data):
            return problem(409, type_="urn:iart:problem:upload-offset-mismatch")
        self.puts += 1
        self.data += rec.body
        if self.fail_after_first_put and self.puts == 1:
            return Reply(503, b"", {"Retry-After": "0"})
        return Reply(200, self.status(), {"Content-Type": "application/json", "Upload-Offset": str(len(self.data))})


def test_upload_in_chunks_and_resume(serve):
    content = bytes(range(256)) * 4000  # ~1 MB
    peer = FakeUploads(len(content), hashlib.sha256(content).hexdigest(), fail_after_first_put=True)
    server, client = serve(peer)

    def open_chunks():
        return (content[i : i + 100_000] for i in range(0, len(content), 100_000))

    with pytest.raises(ServerUnavailable):
        client.upload_attachment(RID, RID, len(content), open_chunks, chunk_size=300_000)
    assert len(peer.data) == 300_000
    status = client.upload_attachment(RID, RID, len(content), open_chunks, chunk_size=300_000)
    assert status.complete and peer.data == content
    puts = [r for r in server.recorded if r.method == "PUT"]
    assert [r.headers["Content-Range"] for r in puts] == [
        "bytes 0-299999/1024000",
        "bytes 300000-599999/1024000",
        "bytes 600000-899999/1024000",
        "bytes 900000-1023999/1024000",
    ]
    assert all(int(r.headers["Content-Length"]) <= 300_000 for r in puts)
