"""Moving referrals on (CLI, operator page, auto mode), changes-since polling, restart, and no values in logs."""

from __future__ import annotations

import re
import time
import uuid
from datetime import datetime

import requests
from sandbox_testing.sample_referral import answers_document, submission, valid_answers

from referral_desktop.domain.api_contract import Acknowledgement, StatusChanges, StatusReport
from referral_desktop.sandbox.operator_page import csrf_token


def submit(sandbox, answers=None, key=None) -> Acknowledgement:
    response = sandbox.session().post(
        f"{sandbox.url}/v1/referrals", json=submission(answers_document(answers)),
        headers={"Idempotency-Key": str(key or uuid.uuid4())}, timeout=10,
    )
    assert response.status_code in (200, 201), response.text
    return Acknowledgement.model_validate(response.json())


def status(sandbox, reference) -> StatusReport:
    return StatusReport.model_validate(
        sandbox.session().get(f"{sandbox.url}/v1/referrals/{reference}/status", timeout=10).json()
    )


def changes(sandbox, since: datetime, limit: int = 100) -> StatusChanges:
    response = sandbox.session().get(
        f"{sandbox.url}/v1/referrals/changes", params={"since": since.isoformat(), "limit": limit}, timeout=10
    )
    assert response.status_code == 200, response.text
    return StatusChanges.model_validate(response.json())


def test_cli_moves_a_referral_through_its_statuses_and_changes_report_them(sandbox):
    ack = submit(sandbox)
    ref = ack.iart_reference
    since = changes(sandbox, ack.received_at).until

    assert sandbox.cli("acknowledge", ref).stdout.strip() == f"{ref} acknowledged"
    assert status(sandbox, ref).status == "acknowledged"
    page = changes(sandbox, since)
    assert [c.iart_reference for c in page.changes] == [ref] and page.changes[0].status == "acknowledged"
    assert changes(sandbox, page.until).changes == []

    sandbox.cli("request-info", ref, "--message", "Please send the chronology.")
    asked = status(sandbox, ref)
    assert asked.status == "info_requested" and asked.message == "Please send the chronology."

    out = sandbox.cli("decide", ref, "--outcome", "early_help_and_prevention").stdout
    assert out.strip() == f"{ref} decided (early_help_and_prevention)"
    decided = status(sandbox, ref)
    assert decided.status == "decided" and decided.outcome == "early_help_and_prevention"
    assert decided.message is None

    refused = sandbox.cli("acknowledge", ref, check=False)
    assert refused.returncode == 1 and "decided" in refused.stderr
    assert sandbox.cli("acknowledge", "IART-1999-999999", check=False).returncode == 1
    listing = sandbox.cli("list").stdout
    assert ref in listing and "decided" in listing


def test_changes_are_paged_without_losing_any(sandbox):
    start = changes(sandbox, datetime.fromisoformat("2000-01-01T00:00:00+00:00")).until
    refs = {submit(sandbox).iart_reference for _ in range(5)}
    seen, since = [], start
    for _ in range(10):
        page = changes(sandbox, since, limit=2)
        seen += [c.iart_reference for c in page.changes]
        since = page.until
        if not page.has_more:
            break
    assert set(seen) == refs and len(seen) == 5
    naive = sandbox.session().get(f"{sandbox.url}/v1/referrals/changes", params={"since": "2020-01-01T00:00:00"})
    assert naive.status_code == 422 and naive.json()["errors"][0]["path"] == "since"


def test_operator_page_escapes_everything_and_acts_with_csrf(sandbox):
    planted = "<script>alert('x')</script>"
    answers = valid_answers() | {"referrer_organisation": planted}
    ack = submit(sandbox, answers)
    sandbox.cli("acknowledge", ack.iart_reference)
    sandbox.cli("request-info", ack.iart_reference, "--message", f"More {planted}")
    page_url = f"{sandbox.url}/_sandbox/operator"

    anonymous = requests.get(page_url, verify=str(sandbox.ca_file), timeout=10)
    assert anonymous.status_code == 401 and "Basic" in anonymous.headers["WWW-Authenticate"]

    page = requests.get(page_url, auth=("operator", sandbox.operator_token), verify=str(sandbox.ca_file))
    assert page.status_code == 200
    assert "<script" not in page.text.lower()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page.text
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'none'" in csp and "form-action 'self'" in csp
    assert not re.search(r"(src|href)=\"https?://", page.text)

    form = {"csrf": csrf_token(sandbox.operator_token), "referral_id": str(ack.referral_id),
            "action": "decide", "outcome": "redirected"}
    forged = requests.post(f"{sandbox.url}/_sandbox/operator/act", data=form | {"csrf": "nope"},
                           auth=("operator", sandbox.operator_token), verify=str(sandbox.ca_file))
    assert forged.status_code == 403
    acted = requests.post(f"{sandbox.url}/_sandbox/operator/act", data=form, allow_redirects=False,
                          auth=("operator", sandbox.operator_token), verify=str(sandbox.ca_file))
    assert acted.status_code == 303
    assert status(sandbox, ack.iart_reference).outcome == "redirected"


def test_admin_api_moves_referrals_too(sandbox):
    ack = submit(sandbox)
    s = sandbox.operator_session()
    base = f"{sandbox.url}/v1/_sandbox/referrals/{ack.iart_reference}"
    assert s.post(f"{base}/decide", json={"outcome": "nonsense"}).status_code == 422
    assert s.post(f"{base}/decide", json={"outcome": "no_further_action"}).json()["status"] == "decided"


def test_restart_keeps_everything_and_replays_still_match(fresh_sandbox, tmp_path):
    sandbox = fresh_sandbox()
    key = uuid.uuid4()
    first = submit(sandbox, key=key)
    sandbox.cli("acknowledge", first.iart_reference)
    port, token, ca = sandbox.port, sandbox.client_token, sandbox.ca_file.read_bytes()
    sandbox.restart()
    assert (sandbox.port, sandbox.client_token, sandbox.ca_file.read_bytes()) == (port, token, ca)
    assert status(sandbox, first.iart_reference).status == "acknowledged"
    assert submit(sandbox, key=key) == first
    second = submit(sandbox)
    assert int(second.iart_reference[-6:]) == int(first.iart_reference[-6:]) + 1


def test_auto_mode_acknowledges_then_decides(fresh_sandbox):
    sandbox = fresh_sandbox("--auto-acknowledge", "0.3", "--auto-decide", "0.3", "--auto-outcome", "advice_and_information")
    ack = submit(sandbox)
    deadline = time.monotonic() + 10
    while (report := status(sandbox, ack.iart_reference)).status != "decided" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert report.status == "decided" and report.outcome == "advice_and_information"


def test_no_answer_value_reaches_the_logs(fresh_sandbox):
    sandbox = fresh_sandbox("--log-level", "DEBUG")
    sentinel = "Sentinelzqx" + uuid.uuid4().hex[:8]
    answers = valid_answers() | {"referrer_name": sentinel, "referrer_organisation": sentinel}
    answers["children"][0]["given_names"] = sentinel
    ack = submit(sandbox, answers)
    bad = answers | {"referrer_email": sentinel}
    refused = sandbox.session().post(
        f"{sandbox.url}/v1/referrals", json=submission(answers_document(bad)),
        headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=10,
    )
    assert refused.status_code == 422
    sandbox.cli("request-info", ack.iart_reference, "--message", "Which school?")
    sandbox.stop()
    output = sandbox.output()
    assert "referral" in output and ack.iart_reference in output
    assert sentinel not in output
    for path in sandbox.data_dir.rglob("*"):
        if path.is_file() and path.suffix in {".txt", ".log", ".json"}:
            assert sentinel not in path.read_text(encoding="utf-8", errors="replace"), path.name
