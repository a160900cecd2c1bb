"""What the sandbox does with a submitted payload before it accepts it: decrypt, parse, validate.

The server must refuse exactly what the client would refuse, so it runs the same domain code:
``form_catalog.load_form`` and ``validation.validate``. Each reason comes back as a
:class:`~referral_desktop.domain.api_contract.FieldProblem` whose path is the validator's answer path.
Reasons name fields, never values, and the caller logs only the paths.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from joserfc import jwe
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey
from pydantic import ValidationError

from referral_desktop.domain import strict_json
from referral_desktop.domain.answers import AnswersDocument
from referral_desktop.domain.api_contract import (
    FieldProblem,
    PayloadContentType,
    ProblemType,
    SubmissionRequest,
)
from referral_desktop.domain.attachment_references import sent_documents
from referral_desktop.domain.form_catalog import FormDefinitionError, load_form
from referral_desktop.domain.validation import validate

log = logging.getLogger(__name__)

#: JWE algorithms the sandbox accepts (anything else is refused, never "none"-style downgrades).
JWE_ALGORITHMS = ("RSA-OAEP-256", "A256GCM", "A128GCM")


@dataclass(frozen=True)
class PayloadRefused(Exception):
    """The payload cannot be accepted; ``problem_type`` and ``errors`` say why (no values inside)."""

    problem_type: ProblemType
    title: str
    errors: list[FieldProblem] = field(default_factory=list)


def decrypt_payload(request: SubmissionRequest, private_key: RSAKey | None) -> bytes:
    """The answers-document bytes: the payload itself, or the plaintext of its JWE."""
    if request.payload_content_type is PayloadContentType.ANSWERS_JSON:
        return request.payload_bytes()
    if private_key is None:
        raise PayloadRefused(ProblemType.DECRYPTION_FAILED, "This server holds no payload-decryption key")
    try:
        plaintext = jwe.decrypt_compact(request.payload, private_key, algorithms=JWE_ALGORITHMS).plaintext
        if plaintext is None:  # optional in joserfc's model; a decrypted compact JWE always carries one
            raise ValueError("no plaintext")
        return plaintext
    except (JoseError, ValueError) as exc:
        log.info("JWE payload could not be decrypted (%s)", type(exc).__name__)
        raise PayloadRefused(
            ProblemType.DECRYPTION_FAILED,
            "The encrypted referral could not be decrypted with iART's key",
            [FieldProblem(path="payload", message="The encrypted referral could not be decrypted")],
        ) from None


def _loc_path(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def parse_answers_document(plaintext: bytes, request: SubmissionRequest) -> dict[str, Any]:
    """The payload as ``{"form_id", "form_version", "answers", ["attachment_names"]}``, checked."""
    try:
        data = strict_json.loads(plaintext)  # NaN, huge numbers or deep nesting: refused, never a 500
    except (ValueError, UnicodeDecodeError):
        raise PayloadRefused(
            ProblemType.MALFORMED,
            "The referral is not a JSON answers document",
            [FieldProblem(path="payload", message="The referral is not a JSON answers document")],
        ) from None
    if not isinstance(data, dict):
        raise PayloadRefused(
            ProblemType.MALFORMED,
            "The referral is not a JSON answers document",
            [FieldProblem(path="payload", message="The referral must be a JSON object")],
        )
    names = data.pop("attachment_names", {})
    errors: list[FieldProblem] = []
    if not isinstance(names, dict) or not all(isinstance(v, str) for v in names.values()):
        errors.append(FieldProblem(path="attachment_names", message="Must map attachment ids to names"))
    try:
        document = AnswersDocument.model_validate(data)
    except ValidationError as exc:
        errors.extend(
            FieldProblem(path=_loc_path(tuple(e["loc"])) or "payload", message=e["msg"])
            for e in exc.errors(include_input=False, include_url=False)
        )
        raise PayloadRefused(ProblemType.MALFORMED, "The answers document is not well formed", errors) from None
    if document.form_id != request.form_id:
        errors.append(FieldProblem(path="form_id", message="Does not match the answers document"))
    if document.form_version != request.form_version:
        errors.append(FieldProblem(path="form_version", message="Does not match the answers document"))
    if errors:
        raise PayloadRefused(ProblemType.MALFORMED, "The answers document is not well formed", errors)
    return {"form_id": document.form_id, "form_version": document.form_version,
            "answers": document.answers, "attachment_names": names}


def check_submission(
    request: SubmissionRequest,
    *,
    private_key: RSAKey | None,
    today: date,
    test_deployment: bool = False,
) -> dict[str, Any]:
    """Decrypt, parse and validate; the answers document when acceptable, else :class:`PayloadRefused`."""
    document = parse_answers_document(decrypt_payload(request, private_key), request)
    try:
        form = load_form(request.form_id, request.form_version)
    except FormDefinitionError:
        raise PayloadRefused(
            ProblemType.UNKNOWN_FORM,
            "iART does not accept this form version",
            [FieldProblem(path="form_version", message="This form version is not accepted")],
        ) from None
    manifest_ids = {str(entry.id) for entry in request.attachments}
    result = validate(
        form, document["answers"], today=today, test_deployment=test_deployment,
        known_attachments=manifest_ids,
    )
    errors = [FieldProblem(path=e.path, message=e.message) for e in result.errors]
    # Every document listed must be named by an answer the form asks (under any of its attachment
    # questions, in repeated items too): one named only under a question the answers hid is not wanted.
    if {ref.lower() for ref in manifest_ids} - set(sent_documents(form, document["answers"])):
        errors.append(
            FieldProblem(path="attachments", message="The manifest lists an attachment the answers do not")
        )
    if {str(ref).lower() for ref in document["attachment_names"]} - {ref.lower() for ref in manifest_ids}:
        errors.append(
            FieldProblem(path="attachment_names", message="Name only the documents in the attachments list")
        )
    if errors:
        raise PayloadRefused(ProblemType.VALIDATION, "The referral breaks the form's rules", errors)
    return document


def operator_summary(document: dict[str, Any]) -> dict[str, Any]:
    """The little the operator page shows: who referred (organisation), how many children, the route."""
    answers = document["answers"]
    children = answers.get("children")
    organisation = answers.get("referrer_organisation")
    return {
        "referrer_organisation": organisation if isinstance(organisation, str) else None,
        "children": len(children) if isinstance(children, list) else 0,
        "route": answers.get("route") if isinstance(answers.get("route"), str) else None,
    }
