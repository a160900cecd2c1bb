"""The sandbox accepts referrals on form 1.0.0 and 1.1.0 and checks each by its own version's rules."""

from __future__ import annotations

import json
import uuid

from sandbox_testing.sample_referral import answers_document, submission

from referral_desktop.bundled_data import forms_dir
from referral_desktop.domain.api_contract import Problem, ProblemType

EXAMPLES_1_1_0 = forms_dir() / "examples" / "1.1.0"


def post(sandbox, body):
    return sandbox.session().post(
        f"{sandbox.url}/v1/referrals", json=body, headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=10
    )


def example_1_1_0(name: str) -> dict:
    return json.loads((EXAMPLES_1_1_0 / name).read_text(encoding="utf-8"))["answers"]


def test_each_version_is_accepted_and_checked_by_its_own_rules(sandbox):
    # 1.0.0 drafts sent before the move still arrive
    assert post(sandbox, submission(answers_document())).status_code == 201

    notification = example_1_1_0("valid-route-c-private-fostering.json")
    on_1_1_0 = submission(answers_document(notification, form_version="1.1.0"), form_version="1.1.0")
    accepted = post(sandbox, on_1_1_0)
    assert accepted.status_code == 201, accepted.text

    # the same notification under 1.0.0's rules is refused for the TAF, tool and consent 1.0.0 wanted
    on_1_0_0 = post(sandbox, submission(answers_document(notification)))
    assert on_1_0_0.status_code == 422
    problem = Problem.model_validate(on_1_0_0.json())
    assert problem.type == ProblemType.VALIDATION
    assert {"taf_in_place", "assessment_tool_used", "consent_obtained"} <= {e.path for e in problem.errors}

    # and 1.1.0's own rules hold: a member of the public who chose to phone cannot send online
    public = example_1_1_0("invalid-public-chose-to-phone.json")
    refused = post(sandbox, submission(answers_document(public, form_version="1.1.0"), form_version="1.1.0"))
    assert refused.status_code == 422
    assert [e.path for e in Problem.model_validate(refused.json()).errors] == ["public_continue"]
