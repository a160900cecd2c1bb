"""``sandbox --form-file FILE``: the sandbox publishes that file's exact text (re-read per request),
signed with its form-signing key, and accepts referrals made on the version it publishes."""

from __future__ import annotations

import json
import uuid

from joserfc import jws
from joserfc.jwk import ECKey
from sandbox_testing.sample_referral import answers_document, submission

from referral_desktop.bundled_data import forms_dir
from referral_desktop.domain.api_contract import Acknowledgement, ProblemType, SignedFormDefinition


def test_form_file_is_published_exactly_signed_and_accepted_for_referrals(fresh_sandbox, tmp_path):
    data = json.loads((forms_dir() / "cwac-marf" / "1.0.0.json").read_text(encoding="utf-8"))
    data["version"] = "1.9.0"
    form_file = tmp_path / "published.json"
    form_file.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    sandbox = fresh_sandbox("--form-file", str(form_file))
    key = ECKey.import_key(sandbox.form_signing_public_jwk)

    with sandbox.session() as s:
        signed = SignedFormDefinition.model_validate(s.get(f"{sandbox.url}/v1/forms/current", timeout=10).json())
        assert (signed.form_id, signed.version) == ("cwac-marf", "1.9.0")
        assert signed.definition == form_file.read_text(encoding="utf-8")
        jws.deserialize_compact(signed.signature, key, payload=signed.definition, algorithms=["ES256"])

        document = json.loads(answers_document())
        document["form_version"] = "1.9.0"
        payload = json.dumps(document, sort_keys=True, separators=(",", ":")).encode("utf-8")
        response = s.post(
            f"{sandbox.url}/v1/referrals", json=submission(payload, form_version="1.9.0"),
            headers={"Idempotency-Key": str(uuid.uuid4())}, timeout=10,
        )
        assert response.status_code == 201, response.text
        Acknowledgement.model_validate(response.json())

        # Re-read per request: a broken file is published as it is (clients must refuse it).
        form_file.write_text("{not json", encoding="utf-8")
        broken = SignedFormDefinition.model_validate(s.get(f"{sandbox.url}/v1/forms/current", timeout=10).json())
        assert broken.definition == "{not json" and broken.version == "0.0.0"

        form_file.unlink()
        missing = s.get(f"{sandbox.url}/v1/forms/current", timeout=10)
        assert missing.status_code == 404 and missing.json()["type"] == ProblemType.NOT_FOUND
