"""Only ``application/problem+json`` is iART's own word; a gateway's JSON in the problem's shape is not.

The contract (``resources/api/iart-api-v1.openapi.json``: every 4xx/5xx answer is ``application/problem+
json``; PRODUCT.md §6: errors use RFC 9457 problem details) gives iART's errors one media type. A 4xx with
iART's problem document is its final word (a referral rejected back to a draft; a document refused for good
after 3 refusals), while a 4xx without one came from something in between and stays a retry. Before, the
client took a plain ``application/json`` body in the problem's shape as iART's too, so a proxy or gateway
answering its own errors in JSON would have turned a referral into a rejected draft. Against the real
sandbox over TLS (its ``refuse`` fault with ``media_type``) with the real encrypted store."""

from __future__ import annotations

from datetime import date

import pytest
from sync_testing.e2e import draft
from sync_testing.uploads import DATA, queued_with_attachment, server_file, upload_until_settled

from referral_desktop.sync.jobs.uploads import MAX_REFUSALS
from referral_desktop.sync.queueing import queue_referral

pytestmark = pytest.mark.usefixtures("sandbox_faults_cleared")

GATEWAY_JSON = "application/json"
IARTS_PROBLEM = "application/problem+json"


def _refuse(sandbox, endpoint: str, media_type: str, times: int, **match) -> None:
    sandbox.set_faults([{"endpoint": endpoint, "kind": "refuse", "status": 422, "times": times,
                         "problem_type": "urn:iart:problem:validation", "media_type": media_type, **match}])


def test_a_gateways_json_refusal_of_a_referral_is_retried_not_a_rejection(rig, sandbox):
    store, policy, worker, clock = rig
    rid = draft(store)
    queue_referral(store, rid, policy, date.today())
    _refuse(sandbox, "submit", GATEWAY_JSON, times=1)
    [first] = worker.send_due()
    assert first.state == "retrying" and not first.reasons
    referral = store.referrals.get(rid)
    assert str(referral.state) != "draft" and not referral.rejection_reasons  # not returned to the user
    assert store.outbox.get(rid) is not None
    clock.advance()
    [second] = worker.send_due()  # the gateway lets it through: iART receives it, once
    assert second.state == "received" and second.iart_reference


def test_iarts_own_problem_document_still_rejects_the_referral(rig, sandbox):
    store, policy, worker, _clock = rig
    rid = draft(store)
    queue_referral(store, rid, policy, date.today())
    _refuse(sandbox, "submit", IARTS_PROBLEM, times=1)
    [result] = worker.send_due()
    assert result.state == "rejected"
    assert str(store.referrals.get(rid).state) == "draft" and store.outbox.get(rid) is None


def test_a_gateways_json_refusal_of_an_upload_is_retried_never_given_up(rig, sandbox):
    store, policy, worker, clock = rig
    rid, att = queued_with_attachment(store, policy)
    [sent] = worker.send_due()
    assert sent.state == "received"
    tries = MAX_REFUSALS + 2
    _refuse(sandbox, "upload", GATEWAY_JSON, times=tries, method="PUT")
    history = upload_until_settled(worker, clock, rounds=tries)
    assert len(history) == tries and all(round_[0].state == "pending" for round_ in history)
    entry = store.uploads.get(att.id)
    assert (entry.state, entry.failure, entry.refusals) == ("pending", None, 0)  # nothing counted as iART's
    assert upload_until_settled(worker, clock)[-1][0].state == "uploaded"
    assert server_file(sandbox, rid, att.id) == DATA
