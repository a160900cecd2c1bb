"""Form definition updates from iART: fetched, verified against the policy's key, kept per profile.

PRODUCT.md §5: a definition fetched from the server is accepted only when signed with the key in the
deployment policy (``form_signing_key``). §3: a draft keeps the form version it was started on. So:

* **Verify before anything else.** ``GET /v1/forms/current`` carries the definition's exact JSON text
  and a *detached* compact JWS over its UTF-8 bytes. Only ES256 is accepted: ``none``, HMAC (``HS*``,
  which would let anyone who knows the public key sign), RSA or anything else is refused, and so is a
  header that changes how the payload is read (``b64``, ``crit``). The envelope's ``algorithm``,
  ``form_id`` and ``version`` are not signed, so they must agree with the signed header and text.
  No key in the policy means updates are simply not accepted (the server is not even asked).
* **Parse with the form catalog's parser**: a broken definition is refused with its place-naming message.
* **Never change a known version.** An id+version already bundled or cached is accepted only as "already
  known" when the bytes are identical; different bytes are refused (and logged by id and version only),
  because drafts started on that version must keep meaning what they meant.
* **Stored atomically, owner-only** in ``<profile>/forms/<form_id>/<version>.json`` with the signature
  beside it (``<version>.json.jws``). :class:`VerifiedFormCache` offers these files to the form catalog
  and verifies each one again when it is loaded, so a file changed after saving is ignored.

The cache holds form definitions only — no personal data — so no passphrase is needed to update it.
No Qt here; the outbox worker calls :func:`fetch_form_update` once a day, and ``referral-desktop forms
update`` on demand.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import os
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey

from referral_desktop.domain.api_contract import SignedFormDefinition
from referral_desktop.domain.form_catalog import (
    FormCatalog,
    FormDefinitionError,
    is_form_id,
    is_form_version,
    parse_form_text,
    set_extra_form_sources,
    version_key,
    versions_in_folder,
)
from referral_desktop.profile_location import ensure_private_dir

log = logging.getLogger(__name__)

FORM_SIGNING_ALGORITHM = "ES256"
FORMS_CACHE_FOLDER = "forms"
SIGNATURE_SUFFIX = ".jws"
_ALLOWED_HEADER = {"alg", "kid", "typ", "cty"}


def forms_cache_dir(profile_dir: Path) -> Path:
    """The profile's folder of verified form updates."""
    return Path(profile_dir) / FORMS_CACHE_FOLDER


# ---------------------------------------------------------------------------------------------- keys


class FormSigningKeyError(ValueError):
    """The policy's ``form_signing_key`` cannot be used (the message names the setting, never the key)."""


def load_signing_keys(value: Any) -> tuple[ECKey, ...]:
    """The public P-256 key(s) from the policy: a path to, or the text of, a JWK, a JWK set
    (``{"keys": [...]}``) or a PEM public key. Private halves are dropped."""
    if isinstance(value, ECKey):
        candidates: list[Any] = [value]
    else:
        try:
            if isinstance(value, Mapping):
                data: Any = dict(value)
            else:
                text = value.decode() if isinstance(value, bytes) else str(value)
                stripped = text.strip()
                if not stripped.startswith(("-----BEGIN", "{")):
                    stripped = Path(stripped).expanduser().read_text(encoding="utf-8").strip()
                data = json.loads(stripped) if stripped.startswith("{") else stripped.encode("ascii")
            if isinstance(data, dict) and isinstance(data.get("keys"), list):
                candidates = [ECKey.import_key(k) for k in data["keys"] if isinstance(k, dict) and k.get("kty") == "EC"]
            else:
                candidates = [ECKey.import_key(data)]
        except Exception as exc:  # joserfc / cryptography / OS raise several types
            raise FormSigningKeyError(
                "The policy setting form_signing_key is not a readable EC public key (JWK or PEM)."
            ) from exc
    keys = []
    for key in candidates:
        if key.as_dict(private=False).get("crv") != "P-256":
            raise FormSigningKeyError("The policy setting form_signing_key must be a P-256 key (for ES256).")
        if key.is_private:
            public = key.as_dict(private=False)
            key = ECKey.import_key(public)
        keys.append(key)
    if not keys:
        raise FormSigningKeyError("The policy setting form_signing_key holds no EC key.")
    return tuple(keys)


# -------------------------------------------------------------------------------------- verification


class FormSignatureInvalid(ValueError):
    """The signature does not prove that the policy's key signed these exact bytes."""


def _b64url_json(segment: str) -> Any:
    padded = segment + "=" * (-len(segment) % 4)
    return json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))


def verify_detached(definition: bytes, signature: str, keys: Sequence[ECKey]) -> None:
    """Raises :class:`FormSignatureInvalid` (with a plain reason) unless ``signature`` is a detached
    compact ES256 JWS over ``definition`` made with one of ``keys``."""
    if not isinstance(signature, str) or not signature.strip():
        raise FormSignatureInvalid("the definition is not signed")
    parts = signature.strip().split(".")
    if len(parts) != 3:
        raise FormSignatureInvalid("the signature is not a compact JWS")
    header_b64, payload_b64, signature_b64 = parts
    if payload_b64:
        raise FormSignatureInvalid("the signature is not detached from the definition")
    try:
        header = _b64url_json(header_b64)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise FormSignatureInvalid("the signature's header cannot be read") from None
    if not isinstance(header, dict):
        raise FormSignatureInvalid("the signature's header cannot be read")
    alg = header.get("alg")
    if alg != FORM_SIGNING_ALGORITHM:
        shown = alg if isinstance(alg, str) and len(alg) <= 20 and alg.isprintable() else "unknown"
        raise FormSignatureInvalid(f"it is signed with {shown}; only {FORM_SIGNING_ALGORITHM} is accepted")
    unexpected = set(header) - _ALLOWED_HEADER
    if unexpected:
        raise FormSignatureInvalid("the signature's header has settings this app does not accept")
    if not signature_b64:
        raise FormSignatureInvalid("the signature part is missing")
    kid = header.get("kid")
    candidates = [k for k in keys if kid is None or k.kid is None or k.kid == kid]
    if not candidates:
        raise FormSignatureInvalid("it is signed with a key that is not the policy's form_signing_key")
    for key in candidates:
        try:
            jws.deserialize_compact(
                signature.strip(), key, algorithms=[FORM_SIGNING_ALGORITHM], payload=definition
            )
            return
        except (JoseError, ValueError):
            continue
    raise FormSignatureInvalid("the signature does not match the definition and the policy's form_signing_key")


# ------------------------------------------------------------------------------------------- results


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


def _safe_id(value: Any) -> str | None:
    return value if is_form_id(value) and len(value) <= 64 else None


def _safe_version(value: Any) -> str | None:
    return value if is_form_version(value) and len(value) <= 32 else None


# ------------------------------------------------------------------------------------------- storage


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_private_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` readable by the owner only (0600), all or nothing: a temporary file in
    the same folder, flushed to disk, then renamed over ``path``."""
    ensure_private_dir(path.parent)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


class VerifiedFormCache:
    """The profile's form updates as a form source for the catalog.

    Listing is by file name; :meth:`definition_text` reads the definition and its signature and returns
    the text only when the signature verifies with the policy's key. Anything else (a file edited after
    saving, a missing signature, a different key) is ignored and logged by id and version only.
    """

    def __init__(self, folder: Path, keys: Sequence[ECKey]) -> None:
        self.folder = Path(folder)
        self.keys = tuple(keys)

    def __repr__(self) -> str:
        return "VerifiedFormCache(<profile>/forms)"

    def definition_path(self, form_id: str, version: str) -> Path:
        if not is_form_id(form_id) or not is_form_version(version):
            raise ValueError("not a form id and version")
        return self.folder / form_id / f"{version}.json"

    def signature_path(self, form_id: str, version: str) -> Path:
        definition = self.definition_path(form_id, version)
        return definition.with_name(definition.name + SIGNATURE_SUFFIX)

    def form_versions(self) -> dict[str, list[str]]:
        return versions_in_folder(self.folder)

    def read_verified(self, form_id: str, version: str) -> bytes | None:
        """The stored definition's exact bytes when its signature verifies, else None."""
        try:
            definition = self.definition_path(form_id, version).read_bytes()
            signature = self.signature_path(form_id, version).read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError, ValueError):
            log.warning("cached form %s@%s ignored: unreadable or unsigned", _safe_id(form_id), _safe_version(version))
            return None
        try:
            verify_detached(definition, signature, self.keys)
        except FormSignatureInvalid:
            log.warning("cached form %s@%s ignored: its signature does not verify", form_id, version)
            return None
        return definition

    def definition_text(self, form_id: str, version: str) -> str | None:
        data = self.read_verified(form_id, version)
        if data is None:
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return None

    def store(self, form_id: str, version: str, definition: bytes, signature: str) -> Path:
        """Keep a verified definition: the signature first, then the definition (whose presence marks
        the version as stored), each written atomically, owner-only."""
        ensure_private_dir(self.folder.parent)  # the profile folder itself stays owner-only
        ensure_private_dir(self.folder)
        write_private_atomically(self.signature_path(form_id, version), signature.strip().encode("ascii"))
        path = self.definition_path(form_id, version)
        write_private_atomically(path, definition)
        return path


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
    offered_id, offered_version = _safe_id(signed.form_id), _safe_version(signed.version)
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

