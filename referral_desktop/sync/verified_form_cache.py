"""The profile's cache of verified form updates: each definition with its signature beside it, written
atomically and owner-only, and verified again every time it is read.

Verified on every read, not only when fetched, because the files sit in a folder the user can edit: a
definition changed after saving (or a signature from another key) is ignored and logged by id and version
only. The catalog reads the cache through :class:`VerifiedFormCache` (a form source); what is accepted into
it is decided by :mod:`referral_desktop.sync.form_updates`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from joserfc.jwk import ECKey

from referral_desktop import private_files
from referral_desktop.domain.form_catalog import is_form_id, is_form_version, versions_in_folder
from referral_desktop.profile_location import ensure_private_dir
from referral_desktop.sync.form_signing import FormSignatureInvalid, verify_detached

log = logging.getLogger(__name__)

SIGNATURE_SUFFIX = ".jws"


def safe_form_id(value: Any) -> str | None:
    """``value`` if it is a form id (the catalog's pattern, at most 64 characters), else None: what is
    logged or reported of an offered or stored form is never arbitrary text from a server or a file."""
    return value if is_form_id(value) and len(value) <= 64 else None


def safe_form_version(value: Any) -> str | None:
    """``value`` if it is a form version (at most 32 characters), else None; see :func:`safe_form_id`."""
    return value if is_form_version(value) and len(value) <= 32 else None


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_private_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` readable by the owner only (0600), all or nothing (``private_files``), in
    a private folder, and the folder's entry flushed too."""
    ensure_private_dir(path.parent)
    private_files.write_private_atomically(path, data)
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
            log.warning("cached form %s@%s ignored: unreadable or unsigned", safe_form_id(form_id), safe_form_version(version))
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
