"""Attachments in the contract: the manifest entry a referral or a reply carries for each document, the
rule that a manifest names each document once, and the state of a resumable upload.

The manifest carries ids, sizes, SHA-256 digests and content types only: file names are personal-ish
(``Jane Smith school report.pdf``), so they travel inside the (possibly encrypted) payload, never here.
"""

from __future__ import annotations

from uuid import UUID

from pydantic import Field

from referral_desktop.domain.api_contract.contract_model import ContractModel, Sha256Hex


class AttachmentManifestEntry(ContractModel):
    """One attachment the client will upload after the referral is accepted. No file name here."""

    id: UUID
    size: int = Field(ge=0)
    sha256: Sha256Hex
    content_type: str = Field(min_length=1, max_length=200)


class UploadStatus(ContractModel):
    """``PUT``/``GET /v1/referrals/{referral_id}/attachments/{attachment_id}``.

    ``received`` is the offset to continue from (also in the ``Upload-Offset`` header, and the only thing
    a ``HEAD`` answers). ``complete`` is true once every byte arrived and the SHA-256 matched the manifest.
    """

    referral_id: UUID
    attachment_id: UUID
    size: int
    received: int
    complete: bool


def require_unique_ids(manifest: list[AttachmentManifestEntry]) -> None:
    """Raise ``ValueError`` when a manifest names a document twice: its uploads are addressed by id, so two
    entries with one id could never both arrive. One rule for the referral's and the reply's manifests."""
    ids = [entry.id for entry in manifest]
    if len(ids) != len(set(ids)):
        raise ValueError("attachment ids must be unique")
