"""What the sandbox does with a reply's payload before it accepts it: decrypt (JWE), parse, check.

Refusals name the field (``payload`` or ``text``), never the text, so nothing a referrer wrote reaches
the sandbox's log or a problem document.
"""

from __future__ import annotations

import logging

from joserfc import jwe
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey
from pydantic import ValidationError

from referral_desktop.domain.api_contract import (
    FieldProblem,
    PayloadContentType,
    ProblemType,
    ReplyPayload,
    ReplyRequest,
)
from referral_desktop.sandbox.payload_check import JWE_ALGORITHMS, PayloadRefused

log = logging.getLogger(__name__)


def reply_payload(request: ReplyRequest, private_key: RSAKey | None) -> ReplyPayload:
    """The reply's text and its documents' names, from its plain or encrypted payload;
    :class:`PayloadRefused` otherwise (also for a name given for a document the manifest does not list)."""
    if request.payload_content_type is PayloadContentType.ANSWERS_JSON:
        plaintext = request.payload_bytes()
    elif private_key is None:
        raise PayloadRefused(ProblemType.DECRYPTION_FAILED, "This server holds no payload-decryption key")
    else:
        try:
            decrypted = jwe.decrypt_compact(request.payload, private_key, algorithms=JWE_ALGORITHMS).plaintext
            if decrypted is None:  # optional in joserfc's model; a decrypted compact JWE always carries one
                raise ValueError("no plaintext")
            plaintext = decrypted
        except (JoseError, ValueError) as exc:
            log.info("JWE reply could not be decrypted (%s)", type(exc).__name__)
            raise PayloadRefused(
                ProblemType.DECRYPTION_FAILED,
                "The encrypted reply could not be decrypted with iART's key",
                [FieldProblem(path="payload", message="The encrypted reply could not be decrypted")],
            ) from None
    try:
        payload = ReplyPayload.model_validate_json(plaintext)
    except ValidationError as exc:
        paths = sorted({".".join(str(p) for p in e["loc"]) or "payload" for e in exc.errors()})
        raise PayloadRefused(
            ProblemType.MALFORMED,
            "The reply is not a JSON document with its text",
            [FieldProblem(path=path, message="Give the reply's text (1 to 10,000 characters)")
             for path in paths],
        ) from None
    if not payload.text.strip():
        raise PayloadRefused(
            ProblemType.MALFORMED, "The reply is empty",
            [FieldProblem(path="text", message="Write the reply before sending it")],
        )
    listed = {str(entry.id) for entry in request.attachments}
    if set(payload.attachment_names) - listed:
        raise PayloadRefused(
            ProblemType.MALFORMED, "The reply names a document it does not send",
            [FieldProblem(path="attachment_names", message="Name only the documents in the attachments list")],
        )
    return payload
