"""Replies to iART (``POST /v1/referrals/{id}/messages``) against a real sandbox process over HTTPS:
exactly once per key, refusals as problem documents, the conversation in the feeds, faults, the
operator page and the demo's automatic conversation."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from joserfc import jwe
from joserfc.jwk import RSAKey
from sandbox_testing.sample_referral import answers_document, submission

from referral_desktop.domain.api_contract import (
    Acknowledgement,
    ConversationMessage,
    MessageDirection,
    Problem,
    ProblemType,
    StatusChanges,
    StatusReport,
)
from referral_desktop.sandbox.operator_page import csrf_token

EARLY = datetime(2000, 1, 1, tzinfo=UTC)


def referral(sandbox) -> Acknowledgement:
    response = sandbox.session().post(
        f"{sandbox.url}/v1/referrals", json=submission(answers_document()),
        headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=10,
    )
    assert response.status_code == 201, response.text
    return Acknowledgement.model_validate(response.json())


def reply_body(text: str) -> dict:
    plain = json.dumps({"text": text}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return {"payload_content_type": "application/json", "payload": plain}


def send(sandbox, referral_id, body, key=None, session=None) -> requests.Response:
    s = session or sandbox.session()
    headers = {} if key == "" else {"Idempotency-Key": str(key or uuid.uuid4())}
    return s.post(f"{sandbox.url}/v1/referrals/{referral_id}/messages", json=body, headers=headers, timeout=10)


def status(sandbox, reference) -> StatusReport:
    response = sandbox.session().get(f"{sandbox.url}/v1/referrals/{reference}/status", timeout=10)
    return StatusReport.model_validate(response.json())


def test_reply_then_replay_then_a_different_body_conflicts_and_it_is_held_once(sandbox):
    ack = referral(sandbox)
    key = uuid.uuid4()
    first = send(sandbox, ack.referral_id, reply_body("The family moved last week."), key)
    assert first.status_code == 201, first.text
    message = ConversationMessage.model_validate(first.json())
    assert message.message_id == key and message.direction is MessageDirection.TO_IART
    assert message.text is None and message.read_at is None and message.sequence == 1

    replay = send(sandbox, ack.referral_id, reply_body("The family moved last week."), key)
    assert replay.status_code == 200 and ConversationMessage.model_validate(replay.json()) == message

    conflict = send(sandbox, ack.referral_id, reply_body("Something else."), key)
    assert conflict.status_code == 409
    assert conflict.headers["Content-Type"] == "application/problem+json"
    assert Problem.model_validate(conflict.json()).type == ProblemType.IDEMPOTENCY_CONFLICT
    other = referral(sandbox)
    assert send(sandbox, other.referral_id, reply_body("The family moved last week."), key).status_code == 409

    held = sandbox.conversation(ack.iart_reference)
    assert [(m["text"], m["replays"]) for m in held] == [("The family moved last week.", 1)]
    assert status(sandbox, ack.iart_reference).messages == [message]
    assert status(sandbox, other.iart_reference).messages == []


def test_an_encrypted_reply_is_decrypted_with_iarts_key(sandbox):
    ack = referral(sandbox)
    key = RSAKey.import_key(sandbox.payload_public_jwk)
    token = jwe.encrypt_compact(
        {"alg": "RSA-OAEP-256", "enc": "A256GCM"}, json.dumps({"text": "Encrypted news"}).encode(), key,
        algorithms=["RSA-OAEP-256", "A256GCM"],
    )
    answer = send(sandbox, ack.referral_id, {"payload_content_type": "application/jose", "payload": token})
    assert answer.status_code == 201, answer.text
    assert [m["text"] for m in sandbox.conversation(ack.iart_reference)] == ["Encrypted news"]
    garbled = send(sandbox, ack.referral_id, {"payload_content_type": "application/jose", "payload": token[:-8]})
    assert garbled.status_code == 422
    assert Problem.model_validate(garbled.json()).type == ProblemType.DECRYPTION_FAILED


def test_refusals_are_problem_documents_that_never_echo_the_text(sandbox):
    ack = referral(sandbox)
    secret = "Sentinel-Zebedee-Quartz"
    cases = [
        (send(sandbox, ack.referral_id, reply_body(secret), key=""), 400),
        (send(sandbox, ack.referral_id, reply_body(secret), key="not-a-uuid"), 400),
        (send(sandbox, uuid.uuid4(), reply_body(secret)), 404),
        (send(sandbox, "IART-2026-000001", reply_body(secret)), 400),
        (send(sandbox, ack.referral_id, reply_body("   ")), 422),
        (send(sandbox, ack.referral_id, {"payload_content_type": "application/json",
                                         "payload": json.dumps({"words": secret})}), 422),
        (send(sandbox, ack.referral_id, {"payload": secret}), 422),
        (send(sandbox, ack.referral_id, reply_body(secret), session=sandbox.operator_session()), 403),
        (send(sandbox, ack.referral_id, reply_body("x" * 200_000)), 413),
    ]
    for response, expected in cases:
        assert response.status_code == expected, (expected, response.text)
        assert response.headers["Content-Type"] == "application/problem+json"
        assert secret not in response.text
    assert sandbox.conversation(ack.iart_reference) == []
    assert secret not in sandbox.output()


def test_both_sides_arrive_once_and_in_order_in_the_status_and_changes_feeds(sandbox):
    ack = referral(sandbox)
    sandbox.cli("request-info", ack.iart_reference, "--message", "Does the family know?")
    reply_id = uuid.uuid4()
    send(sandbox, ack.referral_id, reply_body("Yes, mother agreed."), reply_id)
    sandbox.cli("request-info", ack.iart_reference, "--message", "Which school?")

    messages = status(sandbox, ack.iart_reference).messages
    assert [(m.sequence, m.direction.value, m.text) for m in messages] == [
        (1, "from_iart", "Does the family know?"),
        (2, "to_iart", None),
        (3, "from_iart", "Which school?"),
    ]
    assert messages[1].message_id == reply_id
    assert len({m.message_id for m in messages}) == 3

    # Reading a reply changes no status, but the changes feed must carry it (with read_at).
    before = StatusChanges.model_validate(
        sandbox.session().get(f"{sandbox.url}/v1/referrals/changes", params={"since": EARLY.isoformat()},
                              timeout=10).json()
    ).until
    read = sandbox.mark_read(str(reply_id))
    assert read["read_at"] is not None
    page = StatusChanges.model_validate(
        sandbox.session().get(f"{sandbox.url}/v1/referrals/changes", params={"since": before.isoformat()},
                              timeout=10).json()
    )
    mine = [c for c in page.changes if c.iart_reference == ack.iart_reference]
    assert len(mine) == 1 and mine[0].status == "info_requested"
    assert mine[0].messages[1].read_at is not None
    assert mine[0].messages[0].message_id == messages[0].message_id  # ids are stable between polls
    assert sandbox.mark_read(str(reply_id))["read_at"] == read["read_at"]  # the first reading stays


def test_faults_on_the_reply_endpoint_and_the_retry_arrives_once(sandbox):
    ack = referral(sandbox)
    body, key = reply_body("After a dropped connection"), uuid.uuid4()
    sandbox.set_faults([{"endpoint": "messages", "kind": "drop_after_commit", "times": 1}])
    try:
        send(sandbox, ack.referral_id, body, key)
        raise AssertionError("the connection should have been dropped")
    except requests.ConnectionError:
        pass
    assert send(sandbox, ack.referral_id, body, key).status_code == 200  # the replay of what was committed

    sandbox.set_faults([{"endpoint": "messages", "kind": "unavailable", "retry_after": 7, "times": 1}])
    busy = send(sandbox, ack.referral_id, body, key)
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "7"
    sandbox.set_faults([{"endpoint": "messages", "kind": "captive_portal", "times": 1}])
    portal = send(sandbox, ack.referral_id, body, key)
    assert portal.status_code == 200 and portal.headers["Content-Type"].startswith("text/html")
    assert send(sandbox, ack.referral_id, body, key).status_code == 200

    held = sandbox.conversation(ack.iart_reference)
    assert len(held) == 1 and held[0]["replays"] == 2


def test_operator_page_lists_replies_escaped_and_marks_them_read_with_csrf(sandbox):
    ack = referral(sandbox)
    planted = "<script>alert('reply')</script>"
    reply_id = uuid.uuid4()
    send(sandbox, ack.referral_id, reply_body(f"Note {planted}"), reply_id)
    page_url = f"{sandbox.url}/_sandbox/operator"
    auth = ("operator", sandbox.operator_token)
    page = requests.get(page_url, auth=auth, verify=str(sandbox.ca_file), timeout=10)
    assert "<script" not in page.text.lower()
    assert "Note &lt;script&gt;alert(&#x27;reply&#x27;)&lt;/script&gt;" in page.text
    assert f'name="message_id" value="{reply_id}"' in page.text

    form = {"csrf": csrf_token(sandbox.operator_token), "referral_id": str(ack.referral_id),
            "action": "mark_read", "message_id": str(reply_id)}
    forged = requests.post(f"{page_url}/act", data=form | {"csrf": "nope"}, auth=auth,
                           verify=str(sandbox.ca_file), timeout=10)
    assert forged.status_code == 403
    assert status(sandbox, ack.iart_reference).messages[0].read_at is None
    acted = requests.post(f"{page_url}/act", data=form, auth=auth, allow_redirects=False,
                          verify=str(sandbox.ca_file), timeout=10)
    assert acted.status_code == 303
    assert status(sandbox, ack.iart_reference).messages[0].read_at is not None
    again = requests.get(page_url, auth=auth, verify=str(sandbox.ca_file), timeout=10)
    assert f'name="message_id" value="{reply_id}"' not in again.text


def test_the_demo_holds_a_whole_conversation(fresh_sandbox):
    sandbox = fresh_sandbox("--auto-acknowledge", "0.2", "--auto-request-info", "0.2", "--auto-read", "0.2",
                            "--auto-decide", "0.2")
    ack = referral(sandbox)
    deadline = time.monotonic() + 15
    while (report := status(sandbox, ack.iart_reference)).status != "info_requested":
        assert time.monotonic() < deadline, report.status
        time.sleep(0.1)
    time.sleep(0.6)
    assert status(sandbox, ack.iart_reference).status == "info_requested"  # waits for the reply
    send(sandbox, ack.referral_id, reply_body("Here is what you asked for."))
    while (report := status(sandbox, ack.iart_reference)).status != "decided":
        assert time.monotonic() < deadline, report.status
        time.sleep(0.1)
    assert [m.direction.value for m in report.messages] == ["from_iart", "to_iart"]
    assert report.messages[1].read_at is not None


# --- properties ----------------------------------------------------------------------------------------

_texts = st.text(min_size=1, max_size=300).filter(lambda t: t.strip())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=_texts, second=_texts)
def test_property_same_key_same_body_same_answer_and_a_different_body_409(sandbox, first, second):
    ack = _shared_referral(sandbox)
    key = uuid.uuid4()
    created = send(sandbox, ack.referral_id, reply_body(first), key)
    assert created.status_code == 201, created.text
    replay = send(sandbox, ack.referral_id, reply_body(first), key)
    assert replay.status_code == 200 and replay.json() == created.json()
    other = send(sandbox, ack.referral_id, reply_body(second), key)
    if second == first:
        assert other.status_code == 200 and other.json() == created.json()
    else:
        assert other.status_code == 409
        assert Problem.model_validate(other.json()).type == ProblemType.IDEMPOTENCY_CONFLICT


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(
    _json_values,
    st.fixed_dictionaries({"payload_content_type": st.sampled_from(["application/json", "application/jose",
                                                                    "text/plain"]),
                           "payload": st.text(max_size=200)}),
))
def test_property_any_body_is_a_reply_or_a_problem_document_never_a_crash(sandbox, body):
    ack = _shared_referral(sandbox)
    answer = send(sandbox, ack.referral_id, body)
    if answer.status_code == 201:
        assert ConversationMessage.model_validate(answer.json()).direction is MessageDirection.TO_IART
    else:
        assert answer.status_code in (400, 413, 422), answer.text
        assert answer.headers["Content-Type"] == "application/problem+json"
        Problem.model_validate(answer.json())


_shared: dict[str, Acknowledgement] = {}


def _shared_referral(sandbox) -> Acknowledgement:
    """One referral for all examples of a property (a submission per example would only slow them)."""
    if sandbox.url not in _shared:
        _shared[sandbox.url] = referral(sandbox)
    return _shared[sandbox.url]
