"""``GET /v1/forms/current``: the form definition iART wants used, with a detached signature.

The envelope's own fields are not signed; the client verifies the signature over the definition's exact
text with the policy's key before any use (:mod:`referral_desktop.sync.form_signing`).
"""

from __future__ import annotations

from pydantic import Field

from referral_desktop.domain.api_contract.contract_model import ContractModel


class SignedFormDefinition(ContractModel):
    """``GET /v1/forms/current``: the form definition iART wants used, signed.

    ``definition`` is the exact JSON text of the form file; ``signature`` is a JWS compact serialisation
    with a *detached* payload (RFC 7515 appendix F: ``<header>..<signature>``) over those UTF-8 bytes,
    made with the form-signing key whose public half the deployment policy holds
    (``form_signing_key``). Verify before use; never act on an unsigned or wrongly signed definition.
    """

    form_id: str
    version: str
    definition: str
    signature: str
    algorithm: str = Field(description="JWS alg of the signature, e.g. ES256")
    key_id: str | None = None
