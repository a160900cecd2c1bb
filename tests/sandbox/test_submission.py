"""Submitting referrals to a real sandbox process over HTTPS: acknowledgement, replay, conflict, refusals."""

from __future__ import annotations

import uuid

from joserfc import jwe, jws
from joserfc.jwk import ECKey, RSAKey
from sandbox_testing.sample_referral import answers_document, manifest_entry, submission, valid_answers

from referral_desktop.domain.api_contract import (
    Acknowledgement,
    Health,
    Problem,
    ProblemType,
    SignedFormDefinition,
    StatusReport,
)

ALGS = ["RSA-OAEP-256", "A256GCM"]


def post(sandbox, body, key=None, session=None, **kwargs):
    s = session or sandbox.session()
    return s.post(
        f"{sandbox.url}/v1/referrals", json=body,
        headers={"Idempotency-Key": str(key or uuid.uuid4())}, timeout=10, **kwargs,
    )


def test_health_over_verified_tls(sandbox):
    response = sandbox.session().get(f"{sandbox.url}/v1/health", timeout=10)
    assert response.status_code == 200
    assert Health.model_validate(response.json()).status == "ok"


def test_submit_then_replay_gives_the_same_reference_and_a_different_body_conflicts(sandbox):
    key = uuid.uuid4()
    body = submission(answers_document())
    first = post(sandbox, body, key)
    assert first.status_code == 201, first.text
    ack = Acknowledgement.model_validate(first.json())
    assert ack.referral_id == key and ack.decision_due > ack.received_at
    assert first.headers["Location"] == f"/v1/referrals/{ack.iart_reference}/status"

    replay = post(sandbox, body, key)
    assert replay.status_code == 200
    assert Acknowledgement.model_validate(replay.json()) == ack

    changed = valid_answers()
    changed["referrer_role"] = "Head teacher"
    conflict = post(sandbox, submission(answers_document(changed)), key)
    assert conflict.status_code == 409
    assert conflict.headers["Content-Type"] == "application/problem+json"
    assert Problem.model_validate(conflict.json()).type == ProblemType.IDEMPOTENCY_CONFLICT

    held = [r for r in sandbox.referrals() if r["referral_id"] == str(key)]
    assert len(held) == 1 and held[0]["replays"] == 1


def test_invalid_content_is_refused_with_the_validators_paths(sandbox):
    answers = valid_answers()
    answers["children"][0]["nhs_number"] = "1234567890"
    del answers["route"]
    key = uuid.uuid4()
    response = post(sandbox, submission(answers_document(answers)), key)
    assert response.status_code == 422
    problem = Problem.model_validate(response.json())
    assert problem.type == ProblemType.VALIDATION
    paths = {e.path for e in problem.errors}
    assert {"children[0].nhs_number", "route"} <= paths
    assert all(e.message for e in problem.errors)
    assert not [r for r in sandbox.referrals() if r["referral_id"] == str(key)]


def test_malformed_envelopes_and_unknown_forms_are_problem_documents(sandbox):
    no_key = sandbox.session().post(f"{sandbox.url}/v1/referrals", json={}, timeout=10)
    assert no_key.status_code == 400 and no_key.json()["errors"][0]["path"] == "Idempotency-Key"

    bad = post(sandbox, {"form_id": "cwac-marf", "payload_content_type": "text/plain", "payload": 3})
    assert bad.status_code == 422
    assert {"form_version", "payload_content_type", "payload"} <= {e["path"] for e in bad.json()["errors"]}

    unknown = post(sandbox, submission(answers_document(form_version="9.9.9"), form_version="9.9.9"))
    assert unknown.status_code == 422
    assert unknown.json()["type"] == ProblemType.UNKNOWN_FORM

    mismatch = post(sandbox, submission(answers_document(), form_version="1.0.1"))
    assert mismatch.status_code == 422 and mismatch.json()["errors"][0]["path"] == "form_version"


def test_bearer_token_is_required_and_roles_are_kept_apart(sandbox):
    body = submission(answers_document())
    anonymous = sandbox.session()
    del anonymous.headers["Authorization"]
    missing = post(sandbox, body, session=anonymous)
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert post(sandbox, body, session=sandbox.session("not-the-token")).status_code == 401
    assert post(sandbox, body, session=sandbox.operator_session()).status_code == 403
    faults = sandbox.session().get(f"{sandbox.url}/v1/_sandbox/faults", timeout=10)
    assert faults.status_code == 403 and faults.json()["type"] == ProblemType.FORBIDDEN


def test_too_large_bodies_and_attachments_are_413(sandbox):
    answers = valid_answers()
    answers["concern_details"] = "x" * (3 * 1024 * 1024)
    big = post(sandbox, submission(answers_document(answers)))
    assert big.status_code == 413 and big.json()["type"] == ProblemType.TOO_LARGE

    entry = manifest_entry(b"tiny") | {"size": 60 * 1024 * 1024}
    answers = valid_answers() | {"attachments": [entry["id"]]}
    huge = post(sandbox, submission(answers_document(answers), attachments=[entry]))
    assert huge.status_code == 413 and huge.json()["errors"][0]["path"] == "attachments[0].size"


def test_jwe_payload_is_decrypted_with_the_sandbox_key(sandbox):
    public = RSAKey.import_key(sandbox.payload_public_jwk)
    token = jwe.encrypt_compact({"alg": "RSA-OAEP-256", "enc": "A256GCM"}, answers_document(), public, algorithms=ALGS)
    ok = post(sandbox, submission(token, content_type="application/jose"))
    assert ok.status_code == 201, ok.text

    invalid = valid_answers()
    invalid["referrer_email"] = "not an email"
    token = jwe.encrypt_compact({"alg": "RSA-OAEP-256", "enc": "A256GCM"}, answers_document(invalid), public, algorithms=ALGS)
    refused = post(sandbox, submission(token, content_type="application/jose"))
    assert refused.status_code == 422 and refused.json()["errors"][0]["path"] == "referrer_email"

    stranger = RSAKey.generate_key(2048)
    token = jwe.encrypt_compact({"alg": "RSA-OAEP-256", "enc": "A256GCM"}, answers_document(), stranger, algorithms=ALGS)
    undecryptable = post(sandbox, submission(token, content_type="application/jose"))
    assert undecryptable.status_code == 422
    assert undecryptable.json()["type"] == ProblemType.DECRYPTION_FAILED


def test_status_by_reference_or_uuid_and_404(sandbox):
    key = uuid.uuid4()
    ack = Acknowledgement.model_validate(post(sandbox, submission(answers_document()), key).json())
    s = sandbox.session()
    by_ref = StatusReport.model_validate(s.get(f"{sandbox.url}/v1/referrals/{ack.iart_reference}/status").json())
    by_id = StatusReport.model_validate(s.get(f"{sandbox.url}/v1/referrals/{key}/status").json())
    assert by_ref == by_id and by_ref.status == "received" and by_ref.outcome is None
    missing = s.get(f"{sandbox.url}/v1/referrals/IART-1999-000001/status")
    assert missing.status_code == 404 and missing.json()["type"] == ProblemType.NOT_FOUND


def test_current_form_is_signed_with_the_published_key(sandbox):
    response = sandbox.session().get(f"{sandbox.url}/v1/forms/current", timeout=10)
    signed = SignedFormDefinition.model_validate(response.json())
    assert signed.form_id == "cwac-marf" and '"form_id"' in signed.definition
    key = ECKey.import_key(sandbox.form_signing_public_jwk)
    verified = jws.deserialize_compact(signed.signature, key, payload=signed.definition)
    assert verified.payload == signed.definition.encode("utf-8")
    tampered = signed.definition.replace("cwac-marf", "cwac-marg", 1)
    try:
        jws.deserialize_compact(signed.signature, key, payload=tampered)
    except Exception as exc:  # joserfc raises BadSignatureError
        assert "signature" in type(exc).__name__.lower()
    else:
        raise AssertionError("a tampered definition verified")


def test_a_deeply_nested_payload_is_a_422_not_a_500(sandbox):
    deep = "[" * 100_000 + "]" * 100_000
    payload = '{"form_id":"cwac-marf","form_version":"1.0.0","answers":{"notes":' + deep + "}}"
    response = post(sandbox, submission(payload))
    assert response.status_code == 422, response.text[:200]
    assert Problem.model_validate(response.json()).type == ProblemType.MALFORMED


def test_numbers_json_cannot_carry_are_a_422(sandbox):
    for number in ("NaN", "Infinity", "1e999", "9" * 5000):
        payload = '{"form_id":"cwac-marf","form_version":"1.0.0","answers":{"age":' + number + "}}"
        response = post(sandbox, submission(payload))
        assert response.status_code == 422, (number[:10], response.status_code)
