"""Each fault the sandbox can inject, seen from a client."""

from __future__ import annotations

import json
import time
import uuid

import pytest
import requests
from pydantic import ValidationError
from sandbox_testing.sample_referral import answers_document, manifest_entry, submission, valid_answers

from referral_desktop.domain.api_contract import Acknowledgement


def post(sandbox, key, timeout=10):
    return sandbox.session().post(
        f"{sandbox.url}/v1/referrals", json=submission(answers_document()),
        headers={"Idempotency-Key": str(key)}, timeout=timeout,
    )


def held(sandbox, key):
    return [r for r in sandbox.referrals() if r["referral_id"] == str(key)]


def test_latency(sandbox):
    sandbox.set_faults([{"endpoint": "health", "kind": "latency", "latency_ms": 400}])
    started = time.monotonic()
    assert sandbox.session().get(f"{sandbox.url}/v1/health", timeout=10).status_code == 200
    assert time.monotonic() - started >= 0.4


def test_error_rate_per_endpoint_only_hits_that_endpoint(sandbox):
    sandbox.set_faults([{"endpoint": "status", "kind": "error", "status": 500, "probability": 0.5}], seed=7)
    s = sandbox.session()
    codes = [s.get(f"{sandbox.url}/v1/referrals/{uuid.uuid4()}/status").status_code for _ in range(40)]
    assert codes.count(500) > 5 and codes.count(404) > 5 and set(codes) == {404, 500}
    assert all(s.get(f"{sandbox.url}/v1/health").status_code == 200 for _ in range(5))


@pytest.mark.parametrize(("kind", "status"), [("unavailable", 503), ("rate_limited", 429)])
def test_503_and_429_carry_retry_after(sandbox, kind, status):
    sandbox.set_faults([{"endpoint": "submit", "kind": kind, "retry_after": 7, "times": 1}])
    key = uuid.uuid4()
    refused = post(sandbox, key)
    assert refused.status_code == status and refused.headers["Retry-After"] == "7"
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert not held(sandbox, key)
    assert post(sandbox, key).status_code == 201


def test_drop_after_commit_then_replay_gives_one_copy(sandbox):
    sandbox.set_faults([{"endpoint": "submit", "kind": "drop_after_commit", "times": 1}])
    key = uuid.uuid4()
    with pytest.raises(requests.ConnectionError):
        post(sandbox, key)
    assert len(held(sandbox, key)) == 1
    replay = post(sandbox, key)
    assert replay.status_code == 200
    assert Acknowledgement.model_validate(replay.json()).iart_reference == held(sandbox, key)[0]["iart_reference"]
    assert len(held(sandbox, key)) == 1


def test_drop_before_handling_stores_nothing(sandbox):
    sandbox.set_faults([{"endpoint": "submit", "kind": "drop_before", "times": 1}])
    key = uuid.uuid4()
    with pytest.raises(requests.ConnectionError):
        post(sandbox, key)
    assert not held(sandbox, key)


def test_slow_answer_commits_before_the_client_gives_up(sandbox):
    sandbox.set_faults([{"endpoint": "submit", "kind": "slow_answer", "latency_ms": 2000, "times": 1}])
    key = uuid.uuid4()
    with pytest.raises(requests.Timeout):
        post(sandbox, key, timeout=0.5)
    assert len(held(sandbox, key)) == 1


def test_captive_portal_answers_200_html_that_is_not_an_acknowledgement(sandbox):
    sandbox.set_faults([{"endpoint": "*", "kind": "captive_portal", "times": 1}])
    key = uuid.uuid4()
    response = post(sandbox, key)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/html")
    with pytest.raises((ValidationError, json.JSONDecodeError, requests.JSONDecodeError)):
        Acknowledgement.model_validate(response.json())
    assert not held(sandbox, key)


def test_faults_from_a_file_at_start(fresh_sandbox, tmp_path):
    rules = tmp_path / "faults.json"
    rules.write_text(json.dumps({"rules": [{"endpoint": "health", "kind": "unavailable", "times": 2}]}))
    sandbox = fresh_sandbox("--faults", str(rules))
    s = sandbox.session()
    codes = [s.get(f"{sandbox.url}/v1/health").status_code for _ in range(3)]
    assert codes == [503, 503, 200]
    assert sandbox.set_faults([])["rules"] == []


def _upload_url(sandbox):
    """A referral iART holds with one document still to upload: the document's upload URL and bytes."""
    data = b"%PDF-1.4 refused upload test"
    entry = manifest_entry(data)
    key = uuid.uuid4()
    response = sandbox.session().post(
        f"{sandbox.url}/v1/referrals",
        json=submission(answers_document(valid_answers() | {"attachments": [entry["id"]]}), attachments=[entry]),
        headers={"Idempotency-Key": str(key)}, timeout=10,
    )
    assert response.status_code == 201, response.text
    return f"{sandbox.url}/v1/referrals/{key}/attachments/{entry['id']}", data


def _put(sandbox, url, data):
    return sandbox.session().put(url, data=data, timeout=10, headers={
        "Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}", "Content-Type": "application/octet-stream"})


def test_refuse_answers_an_uploads_put_with_iarts_problem_and_leaves_its_head_alone(sandbox):
    url, data = _upload_url(sandbox)
    sandbox.set_faults([{"endpoint": "upload", "method": "PUT", "kind": "refuse", "status": 422,
                         "problem_type": "urn:iart:problem:validation", "times": 1}])
    head = sandbox.session().head(url, timeout=10)
    assert head.status_code == 200 and head.headers["Upload-Offset"] == "0"  # not faulted, not counted
    refused = _put(sandbox, url, data)
    assert refused.status_code == 422
    assert refused.headers["Content-Type"] == "application/problem+json"
    assert refused.json()["type"] == "urn:iart:problem:validation" and refused.json()["status"] == 422
    assert sandbox.session().head(url, timeout=10).headers["Upload-Offset"] == "0"  # nothing was handled
    assert _put(sandbox, url, data).status_code == 200  # the one time is used up


def test_refuse_without_a_problem_type_answers_as_a_proxy_does(sandbox):
    url, data = _upload_url(sandbox)
    sandbox.set_faults([{"endpoint": "upload", "method": "PUT", "kind": "refuse", "status": 413}])
    refused = _put(sandbox, url, data)
    assert refused.status_code == 413 and refused.headers["Content-Type"].startswith("text/html")
    assert "<h1>413" in refused.text
    assert sandbox.session().head(url, timeout=10).status_code == 200


def test_refuse_can_answer_the_problems_shape_as_plain_json_as_a_gateway_may(sandbox):
    """The fault that plays a gateway in between answering JSON in the problem's shape: same body, plain
    ``application/json`` (iART's own are ``application/problem+json``)."""
    sandbox.set_faults([{"endpoint": "submit", "kind": "refuse", "status": 422, "times": 1,
                         "problem_type": "urn:iart:problem:validation", "media_type": "application/json"}])
    key = uuid.uuid4()
    refused = post(sandbox, key)
    assert refused.status_code == 422 and refused.headers["Content-Type"] == "application/json"
    assert refused.json()["type"] == "urn:iart:problem:validation" and refused.json()["status"] == 422
    assert not held(sandbox, key) and post(sandbox, key).status_code == 201


def test_a_rule_for_one_method_leaves_the_others_alone(sandbox):
    url, data = _upload_url(sandbox)
    sandbox.set_faults([{"endpoint": "upload", "method": "HEAD", "kind": "refuse", "status": 404}])
    assert sandbox.session().head(url, timeout=10).status_code == 404
    assert sandbox.session().get(url, timeout=10).status_code == 200
    assert _put(sandbox, url, data).status_code == 200
