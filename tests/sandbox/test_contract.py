"""The contract: models behave, and the committed OpenAPI document matches the models and the server."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from referral_desktop.domain.api_contract import StatusReport, SubmissionRequest
from referral_desktop.sandbox.app import SandboxContext, create_app
from referral_desktop.sandbox.openapi_document import committed_document_path, render_openapi_document
from referral_desktop.sandbox.secrets_store import ensure_secrets
from referral_desktop.sandbox.storage import SandboxStorage

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def test_committed_openapi_document_matches_the_models():
    committed = committed_document_path().read_text(encoding="utf-8")
    assert committed == render_openapi_document(), (
        "resources/api/iart-api-v1.openapi.json drifted: run `referral-desktop sandbox openapi --write`"
    )
    document = json.loads(committed)
    assert document["openapi"].startswith("3.1")
    assert all(path.startswith("/v1/") for path in document["paths"])


def test_openapi_check_command():
    result = subprocess.run(
        [sys.executable, "-m", "referral_desktop", "sandbox", "openapi", "--check"],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr


def test_every_contract_route_the_sandbox_serves_is_documented_and_vice_versa(tmp_path):
    ctx = SandboxContext(storage=SandboxStorage(tmp_path), secrets=ensure_secrets(tmp_path))
    # The routes live in routers included into the app; FastAPI's own schema of the app lists every
    # route it serves, whichever router it came from (the app's routes list may hold router wrappers).
    served = {
        (path, method)
        for path, item in create_app(ctx).app.openapi()["paths"].items()
        for method in item
        if path.startswith("/v1/") and not path.startswith("/v1/_sandbox")
    }
    assert ("/v1/referrals", "post") in served
    documented = {
        (path, method)
        for path, item in json.loads(committed_document_path().read_text())["paths"].items()
        for method in item
        if method in {"get", "put", "post", "delete", "head", "patch"}
    }
    assert served == documented


def test_status_details_must_match_the_status():
    base = dict(referral_id="7b8d6a3c-6f0e-4a51-9d3c-3f1f2b0c1d2e", iart_reference="IART-2026-000001",
                changed_at=NOW, received_at=NOW, decision_due=NOW)
    assert StatusReport(status="decided", outcome="redirected", **base).outcome == "redirected"
    with pytest.raises(ValidationError):
        StatusReport(status="decided", **base)
    with pytest.raises(ValidationError):
        StatusReport(status="received", outcome="redirected", **base)
    with pytest.raises(ValidationError):
        StatusReport(status="info_requested", **base)


def test_fingerprint_ignores_envelope_whitespace_but_not_payload_bytes():
    body = {"form_id": "cwac-marf", "form_version": "1.0.0", "payload_content_type": "application/json",
            "payload": '{"a":1}'}
    compact = SubmissionRequest.model_validate_json(json.dumps(body, separators=(",", ":")))
    spaced = SubmissionRequest.model_validate_json(json.dumps(body, indent=4))
    assert compact.fingerprint() == spaced.fingerprint()
    changed = SubmissionRequest.model_validate(body | {"payload": '{"a": 1}'})
    assert changed.fingerprint() != compact.fingerprint()
    frozen = SubmissionRequest.from_frozen(form_id="cwac-marf", form_version="1.0.0", payload=b'{"a":1}',
                                           content_type="application/json")
    assert frozen.fingerprint() == compact.fingerprint() and frozen.payload_bytes() == b'{"a":1}'
