"""Form definition updates from iART: fetched, verified against the policy's key, kept per profile.

PRODUCT.md §5: a definition fetched from the server is accepted only when signed with the key in the
deployment policy (``form_signing_key``). §3: a draft keeps the form version it was started on. So:

* **Verify before anything else.** ``GET /v1/forms/current`` carries the definition's exact JSON text
  and a *detached* compact JWS over its UTF-8 bytes, checked by :mod:`.form_signing` (ES256 only). The
  envelope's ``algorithm``, ``form_id`` and ``version`` are not signed, so they must agree with the signed
  header and text.
  No key in the policy means updates are simply not accepted (the server is not even asked).
* **Parse with the form catalog's parser**: a broken definition is refused with its place-naming message.
* **Never change a known version.** An id+version already bundled or cached is accepted only as "already
  known" when the bytes are identical; different bytes are refused (and logged by id and version only),
  because drafts started on that version must keep meaning what they meant.
* **Stored atomically, owner-only** in ``<profile>/forms/<form_id>/<version>.json`` with the signature
  beside it (``<version>.json.jws``). :class:`~.verified_form_cache.VerifiedFormCache` offers these files
  to the form catalog and verifies each one again when it is loaded, so a file changed after saving is
  ignored.

The cache holds form definitions only — no personal data — so no passphrase is needed to update it.
No Qt here; the outbox worker calls :func:`fetch_form_update` once a day, and ``referral-desktop forms
update`` on demand.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from joserfc.jwk import ECKey

from referral_desktop.domain.api_contract import SignedFormDefinition
from referral_desktop.domain.form_catalog import FormCatalog, set_extra_form_sources, version_key
from referral_desktop.domain.form_definition_parsing import FormDefinitionError, parse_form_text
from referral_desktop.sync.form_signing import (
    FORM_SIGNING_ALGORITHM,
    FormSignatureInvalid,
    FormSigningKeyError,
    load_signing_keys,
    verify_detached,
)
from referral_desktop.sync.verified_form_cache import VerifiedFormCache, safe_form_id, safe_form_version

log = logging.getLogger(__name__)

FORMS_CACHE_FOLDER = "forms"


def forms_cache_dir(profile_dir: Path) -> Path:
    """The profile's folder of verified form updates."""
    return Path(profile_dir) / FORMS_CACHE_FOLDER


class FormUpdateStatus(StrEnum):
    ACCEPTED = "accepted"
    ALREADY_KNOWN = "already_known"
    REFUSED = "refused"


@dataclass(frozen=True)
class FormUpdateResult:
    """What became of one offered form definition. Ids, versions and plain reasons only."""

    status: FormUpdateStatus
    form_id: str | None
    version: str | None
    reason: str
    path: Path | None = None

    @property
    def accepted(self) -> bool:
        return self.status is FormUpdateStatus.ACCEPTED

    @property
    def refused(self) -> bool:
        return self.status is FormUpdateStatus.REFUSED


def use_verified_cache(profile_dir: Path, policy: Any) -> VerifiedFormCache | None:
    """Register the profile's verified cache with the form catalog, so that new referrals get the newest
    accepted version and drafts started on a cached version open. Without a usable signing key in the
    policy nothing can be verified, so no cached form is offered (returns None)."""
    try:
        keys = load_signing_keys(policy.form_signing_key) if getattr(policy, "form_signing_key", None) else None
    except FormSigningKeyError as exc:
        log.warning("form updates not used: %s", exc)
        keys = None
    if not keys:
        set_extra_form_sources(())
        return None
    cache = VerifiedFormCache(forms_cache_dir(profile_dir), keys)
    set_extra_form_sources([cache])
    return cache


# ---------------------------------------------------------------------------------------- accepting


def _refused(form_id: str | None, version: str | None, reason: str, code: str) -> FormUpdateResult:
    log.info("form update %s@%s refused (%s)", form_id or "-", version or "-", code)
    return FormUpdateResult(FormUpdateStatus.REFUSED, form_id, version, reason)


def accept_signed_form(
    signed: SignedFormDefinition,
    keys: Sequence[ECKey],
    cache_dir: Path,
    *,
    bundled_root: Path | None = None,
) -> FormUpdateResult:
    """Verify, parse and (when new) store one offered definition. Never raises for a bad offer."""
    offered_id, offered_version = safe_form_id(signed.form_id), safe_form_version(signed.version)
    if signed.algorithm != FORM_SIGNING_ALGORITHM:
        return _refused(
            offered_id, offered_version,
            f"The form update is not signed with {FORM_SIGNING_ALGORITHM}, the only algorithm accepted.",
            "algorithm",
        )
    definition = signed.definition.encode("utf-8")
    try:
        verify_detached(definition, signed.signature, keys)
    except FormSignatureInvalid as exc:
        return _refused(offered_id, offered_version, f"The form update's signature is not valid: {exc}.", "signature")
    label = f"{offered_id or 'form'}/{offered_version or 'unknown'}.json"
    try:
        form = parse_form_text(signed.definition, source=label)
    except FormDefinitionError as exc:
        return _refused(offered_id, offered_version, f"The form update is broken: {exc}", "broken")
    form_id, version = form.form_id, form.version
    if (form_id, version) != (signed.form_id, signed.version):
        return _refused(
            form_id, version,
            f"The form update says {offered_id or '?'} {offered_version or '?'} but the signed "
            f"definition is {form_id} {version}.",
            "mismatch",
        )
    cache = VerifiedFormCache(cache_dir, keys)
    catalog = FormCatalog([cache], root=bundled_root)
    known_bytes: bytes | None = None
    bundled = catalog.bundled_file(form_id, version)
    if bundled is not None:
        known_bytes = bundled.read_bytes()
    elif cache.definition_path(form_id, version).is_file():
        try:
            known_bytes = cache.definition_path(form_id, version).read_bytes()
        except OSError:
            known_bytes = None
    if known_bytes is not None:
        if known_bytes != definition:
            log.warning("form update %s@%s refused: that version is known with different content", form_id, version)
            return _refused(
                form_id, version,
                f"Version {version} of {form_id} is already known with different content; it is never "
                "replaced, so drafts keep their form.",
                "conflict",
            )
        if bundled is None and cache.read_verified(form_id, version) is None:
            cache.store(form_id, version, definition, signed.signature)  # same bytes: mend its signature
        log.info("form update %s@%s already known", form_id, version)
        return FormUpdateResult(FormUpdateStatus.ALREADY_KNOWN, form_id, version, "This version is already in use.")
    path = cache.store(form_id, version, definition, signed.signature)
    newest = max(catalog.available_forms().get(form_id, [version]), key=version_key)
    reason = "Stored; new referrals use it, drafts keep the version they were started on."
    if newest != version:
        reason = f"Stored; it is older than {newest}, which new referrals keep using."
    log.info("form update %s@%s accepted", form_id, version)
    return FormUpdateResult(FormUpdateStatus.ACCEPTED, form_id, version, reason, path)


def fetch_form_update(
    client: Any, policy: Any, forms_cache_dir: Path, *, bundled_root: Path | None = None
) -> FormUpdateResult:
    """Ask the iART API for its current form (``client``: an
    :class:`~referral_desktop.sync.api_client.ApiClient`), verify it with the policy's
    ``form_signing_key`` and keep it when new.

    Refusals come back as a result with a reason; only transport trouble raises
    (:class:`~referral_desktop.sync.errors.TransportError`), as for every other API call.
    """
    if not getattr(policy, "form_signing_key", None):
        return _refused(
            None, None,
            "The policy has no form_signing_key, so form updates from the server are not accepted.",
            "no_key",
        )
    try:
        keys = load_signing_keys(policy.form_signing_key)
    except FormSigningKeyError as exc:
        return _refused(None, None, f"{exc} Form updates are not accepted.", "bad_key")
    signed = client.current_form()
    return accept_signed_form(signed, keys, Path(forms_cache_dir), bundled_root=bundled_root)
