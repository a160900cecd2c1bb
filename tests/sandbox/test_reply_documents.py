"""Documents with a reply (``POST /v1/referrals/{id}/messages`` with a manifest) against a real sandbox
process over HTTPS: listed as pending on the reply until uploaded through the referral's attachment
routes, never counted as the referral's own, replayed exactly once, listed by name on the operator page."""

from __future__ import annotations

import json
import uuid

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sandbox_testing.sample_referral import manifest_entry

from referral_desktop.domain.api_contract import ConversationMessage, Problem, ProblemType

from .test_messages import referral, send, status

PDF = b"%PDF-1.4\nthe school's letter\n%%EOF\n"


def body_with(text: str, entries: list[dict], names: dict[str, str]) -> dict:
    plain = json.dumps({"text": text, "attachment_names": names}, sort_keys=True, separators=(",", ":"))
    return {"payload_content_type": "application/json", "payload": plain, "attachments": entries}


def test_a_reply_with_documents_lists_them_pending_until_uploaded_and_a_replay_adds_nothing(sandbox):
    ack = referral(sandbox)
    first, second = manifest_entry(PDF), manifest_entry(PDF + b"2")
    names = {first["id"]: "letter <1>.pdf", second["id"]: "plan.pdf"}
    key = uuid.uuid4()
    body = body_with("Two documents attached.", [first, second], names)
    created = send(sandbox, ack.referral_id, body, key)
    assert created.status_code == 201, created.text
    message = ConversationMessage.model_validate(created.json())
    assert sorted(map(str, message.attachments_pending)) == sorted([first["id"], second["id"]])
    assert status(sandbox, ack.iart_reference).attachments_pending == []  # the referral's own: none

    url = f"{sandbox.url}/v1/referrals/{ack.referral_id}/attachments/{first['id']}"
    uploaded = sandbox.session().put(url, data=PDF, timeout=10)
    assert uploaded.status_code in (200, 201) and uploaded.json()["complete"] is True, uploaded.text

    replay = send(sandbox, ack.referral_id, body, key)
    assert replay.status_code == 200
    assert [str(a) for a in ConversationMessage.model_validate(replay.json()).attachments_pending] == [second["id"]]
    [reply] = status(sandbox, ack.iart_reference).messages
    assert [str(a) for a in reply.attachments_pending] == [second["id"]]

    held = sandbox.conversation(ack.iart_reference)
    assert [(m["replays"], [(d["name"], d["complete"]) for d in m["documents"]]) for m in held] == [
        (1, [("letter <1>.pdf", True), ("plan.pdf", False)])
    ]
    page = requests.get(f"{sandbox.url}/_sandbox/operator", auth=("operator", sandbox.operator_token),
                        verify=str(sandbox.ca_file), timeout=10)
    assert "letter &lt;1&gt;.pdf" in page.text and "not yet received" in page.text


def test_a_different_manifest_under_the_same_key_conflicts_and_a_reused_document_id_too(sandbox):
    ack = referral(sandbox)
    entry = manifest_entry(PDF)
    key = uuid.uuid4()
    assert send(sandbox, ack.referral_id, body_with("One", [entry], {}), key).status_code == 201
    changed = send(sandbox, ack.referral_id, body_with("One", [manifest_entry(PDF)], {}), key)
    assert changed.status_code == 409
    again = send(sandbox, ack.referral_id, body_with("Other", [entry], {}))  # a new reply, an old document id
    assert again.status_code == 409
    assert Problem.model_validate(again.json()).type == ProblemType.IDEMPOTENCY_CONFLICT


def test_refusals_name_the_field_never_the_file(sandbox):
    ack = referral(sandbox)
    huge = manifest_entry(PDF) | {"size": 10 ** 12}
    too_large = send(sandbox, ack.referral_id, body_with("Big", [huge], {}))
    assert too_large.status_code == 413
    assert [e.path for e in Problem.model_validate(too_large.json()).errors] == ["attachments[0].size"]
    stray = send(sandbox, ack.referral_id, body_with("Stray", [], {str(uuid.uuid4()): "secret-name.pdf"}))
    assert stray.status_code == 422
    assert "secret-name" not in stray.text


_entries = st.lists(
    st.builds(lambda data, kind: manifest_entry(data, kind), st.binary(min_size=0, max_size=40),
              st.sampled_from(["application/pdf", "image/png"])),
    max_size=3,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=_entries, text=st.text(min_size=1, max_size=50).filter(str.strip))
def test_property_a_reply_with_any_manifest_answers_the_same_on_replay(sandbox, entries, text):
    from .test_messages import _shared_referral

    ack = _shared_referral(sandbox)
    key = uuid.uuid4()
    body = body_with(text, entries, {e["id"]: f"file {i}" for i, e in enumerate(entries)})
    created = send(sandbox, ack.referral_id, body, key)
    assert created.status_code == 201, created.text
    pending = ConversationMessage.model_validate(created.json()).attachments_pending
    assert sorted(map(str, pending)) == sorted(e["id"] for e in entries)
    replay = send(sandbox, ack.referral_id, body, key)
    assert replay.status_code == 200 and replay.json() == created.json()
    if entries:
        without = send(sandbox, ack.referral_id, body_with(text, [], {}), key)
        assert without.status_code == 409


def test_a_data_folder_from_before_reply_documents_is_upgraded_in_place(tmp_path):
    import sqlite3

    from referral_desktop.sandbox.storage import SandboxStorage

    old = sqlite3.connect(tmp_path / "sandbox.sqlite3")
    old.executescript(
        "CREATE TABLE attachments (referral_id TEXT NOT NULL, attachment_id TEXT NOT NULL, size INTEGER NOT NULL,"
        " sha256 TEXT NOT NULL, content_type TEXT NOT NULL, received INTEGER NOT NULL DEFAULT 0,"
        " complete INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (referral_id, attachment_id));"
        "CREATE TABLE messages (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,"
        " referral_id TEXT NOT NULL, direction TEXT NOT NULL, created_at TEXT NOT NULL, text TEXT NOT NULL,"
        " fingerprint TEXT, payload_content_type TEXT, read_at TEXT, replays INTEGER NOT NULL DEFAULT 0);"
    )
    old.close()
    storage = SandboxStorage(tmp_path)
    with storage.connection() as conn:
        assert "message_id" in {r["name"] for r in conn.execute("PRAGMA table_info(attachments)")}
        assert "attachment_names" in {r["name"] for r in conn.execute("PRAGMA table_info(messages)")}
    SandboxStorage(tmp_path)  # opening it again changes nothing and does not fail
