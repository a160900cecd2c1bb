"""A complete, valid MARF referral with invented people, for screenshots, demos, benchmarks and tests.

The answers are data: ``forms/examples/valid-demo-referral.json``, one of the form's published examples
(validated with the others), so the editor, the sandbox tests and the README all show the same family.
Every name, address and number in it is made up (NHS number and UPN are the published check-digit
examples); nothing in it describes a real person.
"""

from __future__ import annotations

import json
from functools import cache

from referral_desktop.bundled_data import forms_dir

DEMO_EXAMPLE = "valid-demo-referral.json"


@cache
def _demo_document_text() -> str:
    return (forms_dir() / "examples" / DEMO_EXAMPLE).read_text(encoding="utf-8")


def full_answers() -> dict:
    """A fresh copy, parsed anew each call (callers may change it)."""
    return json.loads(_demo_document_text())["answers"]
