"""Finds the data shipped with the app (form definitions and resources) wherever the app runs.

The data lives at the top of the source tree (``forms/``, ``resources/``) so that it can be reviewed and
corrected without touching code. Three ways of running the app see it in different places:

- a source checkout or editable install: ``<repo>/forms`` beside the package;
- an installed wheel: ``referral_desktop/_bundled/forms`` (hatch ``force-include``);
- a PyInstaller bundle: ``<sys._MEIPASS>/referral_desktop/_bundled/forms``, which the spec file
  collects in the same place as the wheel does, so the wheel rule covers it.

Every other module asks here, never builds paths from the working directory.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


class BundledDataMissing(RuntimeError):
    """Raised when the app's own data cannot be found: the installation is broken."""


@cache
def _data_root(kind: str) -> Path:
    candidates = (_PACKAGE_DIR / "_bundled" / kind, _PACKAGE_DIR.parent / kind)
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    raise BundledDataMissing(f"The app's {kind} folder is missing; reinstall Referral Desktop.")


def forms_dir() -> Path:
    """The folder holding the versioned form definitions."""
    return _data_root("forms")


def resources_dir() -> Path:
    """The folder holding contacts, privacy notice, code lists, style sheet and icons."""
    return _data_root("resources")


def resource_path(name: str) -> Path:
    """The path of one resource file, e.g. ``resource_path("contacts.json")``."""
    path = resources_dir() / name
    if not path.is_file():
        raise BundledDataMissing(f"The resource {name!r} is missing; reinstall Referral Desktop.")
    return path


def read_resource_text(name: str) -> str:
    """The text of one resource file (UTF-8)."""
    return resource_path(name).read_text(encoding="utf-8")
