"""Finds and loads the versioned form definitions shipped in ``forms/<form_id>/<version>.json``, plus
any extra *form sources* (the profile's cache of signed form updates fetched from iART).

A draft keeps the form version it was started on, so every published version stays loadable. A broken
definition is refused with one message naming the place in the file (``sections[3].items[2].options: must
not be empty``) instead of a traceback, because the people who edit forms are not Python developers; the
reading and that wording are :mod:`referral_desktop.domain.form_definition_parsing`'s, this module only
decides where a definition comes from and which version is meant. Loaded forms are cached: validation
runs on every autosave and must not re-read files.

Extra sources (:class:`FormSource`) let a newer version arrive without a new release. This module knows
nothing of signatures or HTTP: a source answers ``definition_text(form_id, version)`` with text it
trusts, or None (the sync layer's verified cache checks each file's signature there, so a tampered
file is simply not offered). The bundled forms always win for the same id and version; ``latest_form``
picks the highest version across the bundled forms and every source. The app registers the profile's
cache once (:func:`set_extra_form_sources`) so that the module-level functions see it everywhere.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from referral_desktop.bundled_data import forms_dir
from referral_desktop.domain.form_definition import FormDefinition

# FormDefinitionError is re-exported: the catalog raises it too (a broken or misnamed file), and the
# callers of load_form catch it from here.
from referral_desktop.domain.form_definition_parsing import FormDefinitionError as FormDefinitionError
from referral_desktop.domain.form_definition_parsing import check_declared, load_form_file, parse_form_text

if TYPE_CHECKING:
    from referral_desktop.domain.contacts import ContactDirectory

log = logging.getLogger(__name__)

_VERSION_FILE = re.compile(r"^(\d+)\.(\d+)\.(\d+)\.json$")
_FORM_ID = re.compile(r"^[a-z][a-z0-9-]*$")
_VERSION = re.compile(r"^\d+\.\d+\.\d+$")


class UnknownForm(FormDefinitionError):
    """No definition exists for the requested form id (and version)."""


def is_form_id(value: Any) -> bool:
    """Whether ``value`` is a well-formed form id (safe as a folder name)."""
    return isinstance(value, str) and bool(_FORM_ID.match(value))


def is_form_version(value: Any) -> bool:
    """Whether ``value`` is a well-formed ``MAJOR.MINOR.PATCH`` version (safe as a file name)."""
    return isinstance(value, str) and bool(_VERSION.match(value))


def version_key(version: str) -> tuple[int, ...]:
    """Sort key of a ``MAJOR.MINOR.PATCH`` version (numeric, so 1.10.0 is after 1.9.0)."""
    return tuple(int(part) for part in version.split("."))


_version_key = version_key


def _versions_in(folder: Path) -> list[str]:
    versions = []
    for entry in folder.iterdir():
        match = _VERSION_FILE.match(entry.name)
        if match and entry.is_file():
            versions.append(entry.name.removesuffix(".json"))
    return sorted(versions, key=_version_key)


def versions_in_folder(root: Path) -> dict[str, list[str]]:
    """Form id → versions (oldest first) of the ``<form_id>/<version>.json`` files under ``root``
    (an absent folder has none)."""
    found: dict[str, list[str]] = {}
    if not root.is_dir():
        return found
    for folder in sorted(root.iterdir()):
        if folder.is_dir() and _FORM_ID.match(folder.name):
            versions = _versions_in(folder)
            if versions:
                found[folder.name] = versions
    return found


@cache
def _load_cached(root: Path, form_id: str, version: str) -> FormDefinition:
    path = root / form_id / f"{version}.json"
    form = load_form_file(path)
    check_declared(form, form_id, version)
    return form


# ------------------------------------------------------------------------------------------ sources


@runtime_checkable
class FormSource(Protocol):
    """Somewhere besides the bundled forms that definitions can come from.

    ``form_versions()`` may list versions cheaply (file names); ``definition_text`` returns the exact
    text only when the source trusts it (for the profile's cache: its signature verifies), else None.
    """

    def form_versions(self) -> dict[str, list[str]]: ...

    def definition_text(self, form_id: str, version: str) -> str | None: ...


class FormFolder:
    """A plain folder of ``<form_id>/<version>.json`` files, trusted as it is (bundled forms, tests)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def form_versions(self) -> dict[str, list[str]]:
        return versions_in_folder(self.root)

    def definition_text(self, form_id: str, version: str) -> str | None:
        path = self.root / form_id / f"{version}.json"
        try:
            return path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def __repr__(self) -> str:
        return f"FormFolder({str(self.root)!r})"


class FormCatalog:
    """The bundled forms (``root``, default the app's ``forms/``) plus ``extra_sources``.

    The bundled definition always wins for the same id and version; extra definitions are parsed with
    the same parser (a broken one names its place) and kept once loaded, so a file changed on disk
    afterwards does not change a form under an open draft.
    """

    def __init__(self, extra_sources: Iterable[FormSource] = (), *, root: Path | None = None) -> None:
        self.root = Path(root) if root is not None else None
        self.extra_sources: tuple[FormSource, ...] = tuple(extra_sources)
        self._extra_loaded: dict[tuple[str, str], FormDefinition] = {}
        self._lock = threading.Lock()

    def _root(self) -> Path:
        return self.root or forms_dir()

    def bundled_forms(self) -> dict[str, list[str]]:
        return versions_in_folder(self._root())

    def available_forms(self) -> dict[str, list[str]]:
        """Form id → versions (oldest first), bundled and from every extra source (as listed: an extra
        version whose file turns out untrusted is still refused by :meth:`load_form`)."""
        merged: dict[str, set[str]] = {k: set(v) for k, v in self.bundled_forms().items()}
        for source in self.extra_sources:
            try:
                listed = source.form_versions()
            except OSError as exc:
                log.warning("form source %r could not be listed (%s)", source, type(exc).__name__)
                continue
            for form_id, versions in listed.items():
                if is_form_id(form_id):
                    merged.setdefault(form_id, set()).update(v for v in versions if is_form_version(v))
        return {k: sorted(v, key=version_key) for k, v in sorted(merged.items()) if v}

    def bundled_file(self, form_id: str, version: str) -> Path | None:
        """The bundled file of ``form_id`` at ``version``, or None when the app does not ship it."""
        if not is_form_id(form_id) or not is_form_version(version):
            return None
        path = self._root() / form_id / f"{version}.json"
        return path if path.is_file() else None

    def is_bundled(self, form_id: str, version: str) -> bool:
        return self.bundled_file(form_id, version) is not None

    def load_form(self, form_id: str, version: str, *, fill_contacts: bool = True) -> FormDefinition:
        """The definition of ``form_id`` at ``version``, its contact placeholders filled from the
        contacts in force (:func:`set_form_contacts`); UnknownForm when no source has a trusted one.
        ``fill_contacts=False`` leaves the placeholders, for a caller that shows none of its text."""
        form = self._load_raw(form_id, version)
        if not fill_contacts or not _names_contacts(form):
            return form
        from referral_desktop.domain.form_text import render_form

        return render_form(form, _contacts_in_force())

    def _load_raw(self, form_id: str, version: str) -> FormDefinition:
        if not is_form_id(form_id) or not isinstance(version, str):
            raise UnknownForm("unknown form")
        if not is_form_version(version):
            raise UnknownForm(f"there is no form {form_id}@{version}")
        root = self._root()
        if (root / form_id / f"{version}.json").is_file():
            return _load_cached(root, form_id, version)
        with self._lock:
            loaded = self._extra_loaded.get((form_id, version))
        if loaded is not None:
            return loaded
        for source in self.extra_sources:
            text = source.definition_text(form_id, version)
            if text is None:
                continue
            form = parse_form_text(text, source=f"{form_id}/{version}.json")
            check_declared(form, form_id, version)
            with self._lock:
                return self._extra_loaded.setdefault((form_id, version), form)
        raise UnknownForm(f"there is no form {form_id}@{version}")

    def latest_form(self, form_id: str) -> FormDefinition:
        """The newest version of ``form_id`` that loads. An extra version that is untrusted or broken
        is skipped (logged by id and version), so a bad cache file never stops new referrals; a broken
        bundled form still raises, as before."""
        versions = self.available_forms().get(form_id) if isinstance(form_id, str) else None
        if not versions:
            raise UnknownForm(f"there is no form {form_id}")
        for version in reversed(versions):
            if self.is_bundled(form_id, version):
                return self.load_form(form_id, version)
            try:
                return self.load_form(form_id, version)
            except FormDefinitionError as exc:
                log.warning(
                    "form %s@%s from an extra source skipped (%s)", form_id, version, type(exc).__name__
                )
        raise UnknownForm(f"there is no form {form_id}")

    def resolve_form(self, spec: str) -> FormDefinition:
        """``form_id`` (latest version) or ``form_id@version``, as commands accept them."""
        form_id, _, version = spec.partition("@")
        return self.load_form(form_id, version) if version else self.latest_form(form_id)


# ---------------------------------------------------------------------- the contacts forms refer to

_contacts: ContactDirectory | None = None
_names_cache: dict[int, tuple[FormDefinition, bool]] = {}
_names_lock = threading.Lock()


def _names_contacts(form: FormDefinition) -> bool:
    """Whether any text of ``form`` refers to a contact (``{contact:...}``), remembered per definition.

    Why: a form that names none (1.0.0) is used as it is, and then neither the contact directory nor
    its models (pydantic, opening hours) are loaded: ~8 ms of every ``validate`` of such a referral."""
    with _names_lock:
        hit = _names_cache.get(id(form))
        if hit is not None and hit[0] is form:
            return hit[1]
    names = "{contact:" in form.model_dump_json(by_alias=True)  # JSON leaves "{" and ":" as they are
    with _names_lock:
        if len(_names_cache) > 32:
            _names_cache.clear()
        _names_cache[id(form)] = (form, names)
    return names


def _contacts_in_force() -> ContactDirectory:
    from referral_desktop.domain.contacts import load_contacts

    return _contacts if _contacts is not None else load_contacts()


def set_form_contacts(directory: ContactDirectory | None) -> ContactDirectory | None:
    """The contact directory whose numbers and hours fill forms' ``{contact:...}`` placeholders (the
    app registers the policy's directory; None means the bundled one). Returns the previous one."""
    global _contacts
    previous, _contacts = _contacts, directory
    return previous


# ---------------------------------------------------------------------- the app-wide default catalog

_default_lock = threading.Lock()
_default_catalog = FormCatalog()


def default_catalog() -> FormCatalog:
    """The catalog the module-level functions use: bundled forms plus the registered extra sources."""
    return _default_catalog


def set_extra_form_sources(sources: Sequence[FormSource]) -> tuple[FormSource, ...]:
    """Replace the extra sources the module-level functions search (the app registers the profile's
    verified cache after unlock). Returns the previous ones, so tests can put them back."""
    global _default_catalog
    with _default_lock:
        previous = _default_catalog.extra_sources
        _default_catalog = FormCatalog(sources)
    return previous


def _catalog(root: Path | None) -> FormCatalog:
    return FormCatalog(root=root) if root is not None else _default_catalog


def available_forms(root: Path | None = None) -> dict[str, list[str]]:
    """Form id → its versions (oldest first): with ``root``, only that folder; else the bundled forms
    and the registered extra sources."""
    return _catalog(root).available_forms()


def load_form(form_id: str, version: str, *, root: Path | None = None, fill_contacts: bool = True) -> FormDefinition:
    """The definition of ``form_id`` at ``version`` (cached); UnknownForm when there is none."""
    return _catalog(root).load_form(form_id, version, fill_contacts=fill_contacts)


def latest_form(form_id: str, *, root: Path | None = None) -> FormDefinition:
    """The newest version of ``form_id``; UnknownForm when there is none."""
    return _catalog(root).latest_form(form_id)


def resolve_form(spec: str, *, root: Path | None = None) -> FormDefinition:
    """``form_id`` (latest version) or ``form_id@version``, as commands accept them."""
    return _catalog(root).resolve_form(spec)
