"""``referral-desktop validate`` first checks answers against the form with its contact placeholders
left in (filling them in loads the contact directory, ~16 ms of a cold start) and fills them in only
to word the messages of answers that are not valid. That is right only if whether answers are valid
never depends on a form's text: checked here on every example of every bundled form, and at the source,
where each placeholder of a bundled form stands in a piece of text shown to people."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from referral_desktop.bundled_data import forms_dir
from referral_desktop.domain.form_catalog import load_form
from referral_desktop.domain.validation import validate

EXAMPLES = sorted(p for p in (forms_dir() / "examples").rglob("*.json") if not p.name.startswith("expected"))
#: The keys of a form definition whose strings are text for people (where a placeholder may stand).
TEXT_KEYS = frozenset({"title", "description", "label", "hint", "message", "required", "invalid", "too_long",
                       "too_early", "too_late", "too_small", "too_large", "test_number", "item_label"})


def _placeholder_keys(value: Any, key: str = "") -> set[str]:
    if isinstance(value, str):
        return {key} if "{contact:" in value else set()
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    return set().union(*(_placeholder_keys(item, k if isinstance(k, str) else key) for k, item in items))


def test_the_examples_cover_a_form_that_names_contacts():
    versions = {json.loads(p.read_text(encoding="utf-8"))["form_version"] for p in EXAMPLES}
    assert "1.1.0" in versions
    assert load_form("cwac-marf", "1.1.0") is not load_form("cwac-marf", "1.1.0", fill_contacts=False)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_validity_and_error_places_do_not_depend_on_the_contacts(path: Path):
    document = json.loads(path.read_text(encoding="utf-8"))
    form_id, version = document["form_id"], document["form_version"]
    today = date(2025, 6, 2)
    filled = validate(load_form(form_id, version), document["answers"], today=today)
    unfilled = validate(load_form(form_id, version, fill_contacts=False), document["answers"], today=today)
    assert unfilled.is_valid == filled.is_valid
    assert [(e.path, e.section_id) for e in unfilled.errors] == [(e.path, e.section_id) for e in filled.errors]


@pytest.mark.parametrize("path", sorted((forms_dir() / "cwac-marf").glob("*.json")), ids=lambda p: p.name)
def test_placeholders_stand_only_in_text_for_people(path: Path):
    keys = _placeholder_keys(json.loads(path.read_text(encoding="utf-8")))
    assert keys <= TEXT_KEYS
    assert keys or path.name == "1.0.0.json"  # 1.0.0 names no contact; later versions do
