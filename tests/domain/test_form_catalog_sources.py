"""The form catalog with extra sources (the profile's cache of form updates): bundled forms win for the
same id and version, the latest version is picked across all of them, an untrusted or broken extra
version is skipped for new referrals, and an old draft's version still loads."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from referral_desktop.bundled_data import forms_dir
from referral_desktop.domain import form_catalog
from referral_desktop.domain.form_catalog import (
    FormCatalog,
    FormDefinitionError,
    FormFolder,
    FormSource,
    UnknownForm,
)

BUNDLED = forms_dir() / "cwac-marf" / "1.0.0.json"


def write_version(root: Path, version: str, *, title: str | None = None, form_id: str = "cwac-marf") -> Path:
    data = json.loads(BUNDLED.read_text(encoding="utf-8"))
    data["version"] = version
    data["form_id"] = form_id
    if title:
        data["title"] = title
    path = root / form_id / f"{version}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


class Refusing:
    """A source that lists a version but trusts none (as the verified cache does for a tampered file)."""

    def __init__(self, versions: dict[str, list[str]]) -> None:
        self.versions = versions
        self.asked: list[tuple[str, str]] = []

    def form_versions(self) -> dict[str, list[str]]:
        return self.versions

    def definition_text(self, form_id: str, version: str) -> str | None:
        self.asked.append((form_id, version))
        return None


def test_extra_folder_adds_a_newer_version_and_bundled_stays_loadable(tmp_path):
    write_version(tmp_path, "1.9.0", title="Updated form")
    catalog = FormCatalog([FormFolder(tmp_path)])
    assert isinstance(FormFolder(tmp_path), FormSource)
    assert catalog.available_forms() == {"cwac-marf": ["1.0.0", "1.1.0", "1.9.0"]}
    newest = catalog.latest_form("cwac-marf")
    assert (newest.version, newest.title) == ("1.9.0", "Updated form")
    # A draft started on 1.0.0 keeps its version.
    assert catalog.load_form("cwac-marf", "1.0.0").version == "1.0.0"
    assert catalog.resolve_form("cwac-marf@1.0.0").version == "1.0.0"
    assert catalog.resolve_form("cwac-marf").version == "1.9.0"
    # Versions sort numerically.
    write_version(tmp_path, "1.10.0")
    write_version(tmp_path, "1.9.0")
    assert catalog.latest_form("cwac-marf").version == "1.10.0"


def test_bundled_wins_for_the_same_id_and_version(tmp_path):
    write_version(tmp_path, "1.0.0", title="Impostor")
    catalog = FormCatalog([FormFolder(tmp_path)])
    assert catalog.load_form("cwac-marf", "1.0.0").title != "Impostor"
    assert catalog.load_form("cwac-marf", "1.0.0") is form_catalog.load_form("cwac-marf", "1.0.0")


def test_untrusted_extra_version_is_unknown_and_skipped_for_latest():
    source = Refusing({"cwac-marf": ["2.0.0"]})
    catalog = FormCatalog([source])
    with pytest.raises(UnknownForm):
        catalog.load_form("cwac-marf", "2.0.0")
    assert catalog.latest_form("cwac-marf").version == "1.1.0"
    assert ("cwac-marf", "2.0.0") in source.asked


def test_broken_extra_version_names_its_place_and_is_skipped_for_latest(tmp_path):
    path = write_version(tmp_path, "1.2.0")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["sections"][0]["title"] = ""
    path.write_text(json.dumps(data), encoding="utf-8")
    catalog = FormCatalog([FormFolder(tmp_path)])
    with pytest.raises(FormDefinitionError, match=r"cwac-marf/1\.2\.0\.json: sections\[0\]\.title"):
        catalog.load_form("cwac-marf", "1.2.0")
    assert catalog.latest_form("cwac-marf").version == "1.1.0"


def test_extra_file_must_declare_its_own_id_and_version(tmp_path):
    path = write_version(tmp_path, "1.3.0")
    shutil.move(path, path.with_name("1.4.0.json"))
    catalog = FormCatalog([FormFolder(tmp_path)])
    with pytest.raises(FormDefinitionError, match="declares cwac-marf@1.3.0"):
        catalog.load_form("cwac-marf", "1.4.0")


def test_loaded_extra_form_is_kept_when_the_file_changes_afterwards(tmp_path):
    path = write_version(tmp_path, "1.9.0", title="First")
    catalog = FormCatalog([FormFolder(tmp_path)])
    first = catalog.load_form("cwac-marf", "1.9.0")
    write_version(tmp_path, "1.9.0", title="Changed")
    assert catalog.load_form("cwac-marf", "1.9.0") is first
    assert path.is_file()


def test_registered_sources_serve_the_module_functions(tmp_path):
    write_version(tmp_path, "1.9.0")
    previous = form_catalog.set_extra_form_sources([FormFolder(tmp_path)])
    try:
        assert form_catalog.latest_form("cwac-marf").version == "1.9.0"
        assert form_catalog.load_form("cwac-marf", "1.0.0").version == "1.0.0"
        assert form_catalog.available_forms() == {"cwac-marf": ["1.0.0", "1.1.0", "1.9.0"]}
    finally:
        form_catalog.set_extra_form_sources(previous)
    assert form_catalog.latest_form("cwac-marf").version == "1.1.0"
    with pytest.raises(UnknownForm):
        form_catalog.load_form("cwac-marf", "1.9.0")


def test_bad_ids_and_versions_never_reach_the_file_system(tmp_path):
    catalog = FormCatalog([FormFolder(tmp_path)])
    for form_id, version in [("../x", "1.0.0"), ("cwac-marf", "../../1.0.0"), ("cwac-marf", 1)]:
        with pytest.raises(UnknownForm):
            catalog.load_form(form_id, version)  # type: ignore[arg-type]
    assert FormCatalog([FormFolder(tmp_path / "absent")]).available_forms() == {"cwac-marf": ["1.0.0", "1.1.0"]}
