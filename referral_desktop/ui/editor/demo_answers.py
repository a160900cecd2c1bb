"""A complete, valid MARF referral with invented people, for screenshots, demos, benchmarks and tests.

The answers are data: one of the form's published examples per form version (validated with the
others), so the editor, the sandbox tests and the README all show the same family. Form 1.0.0's is
``forms/examples/valid-demo-referral.json`` (the examples folder's top level holds 1.0.0's examples);
every later version's lives in its own folder, ``forms/examples/<version>/valid-demo-referral.json``.
By default callers get the current (newest bundled) version's family, so a screenshot of a new draft
never shows the "a newer version of this form is available" banner; tests that exercise an older
version ask for it by name.

Every name, address and number in it is made up (NHS number and UPN are the published check-digit
examples); nothing in it describes a real person.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from referral_desktop.bundled_data import forms_dir
from referral_desktop.domain.form_catalog import version_key, versions_in_folder

DEMO_FORM_ID = "cwac-marf"
DEMO_EXAMPLE = "valid-demo-referral.json"
#: The version whose examples sit at the top of ``forms/examples/`` rather than in a folder of their own.
_TOP_LEVEL_VERSION = "1.0.0"


def current_demo_version() -> str:
    """The newest form version bundled with the app (not one fetched later: it has no demo family)."""
    return max(versions_in_folder(forms_dir())[DEMO_FORM_ID], key=version_key)


def demo_example_path(version: str | None = None) -> Path:
    """The demo family's answers document for ``version`` (default: the current version)."""
    version = version or current_demo_version()
    examples = forms_dir() / "examples"
    path = examples / DEMO_EXAMPLE if version == _TOP_LEVEL_VERSION else examples / version / DEMO_EXAMPLE
    if not path.is_file():
        raise LookupError(f"no demo referral for {DEMO_FORM_ID} {version} (expected {path})")
    return path


@cache
def _demo_document_text(version: str) -> str:
    return demo_example_path(version).read_text(encoding="utf-8")


def demo_document(version: str | None = None) -> dict:
    """The whole answers document (form_id, form_version, answers) for ``version``, a fresh copy."""
    return json.loads(_demo_document_text(version or current_demo_version()))


def full_answers(version: str | None = None) -> dict:
    """The demo family's answers to ``version`` of the form (default: the current version).

    A fresh copy, parsed anew each call (callers may change it).
    """
    return demo_document(version)["answers"]
