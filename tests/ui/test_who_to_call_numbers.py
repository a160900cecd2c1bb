"""Numbers that are still to be confirmed never appear where someone phones in a hurry."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from referral_desktop.domain.contacts import load_contacts
from referral_desktop.ui.screens.contacts import directory_html
from referral_desktop.ui.screens.who_to_call import open_services, services_html

SATURDAY_NOON = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)  # EDT open all day
CONTINGENCY = "07789 287349"


def _context(overrides=None) -> SimpleNamespace:
    directory = load_contacts(overrides)
    return SimpleNamespace(clock=lambda: SATURDAY_NOON, contact_directory=lambda: directory)


def test_unconfirmed_contingency_number_is_not_in_the_who_to_call_lists():
    rows = open_services(_context())
    edt = next(r for r in rows if r[0] == "edt")
    assert "01244 977277" in edt[2]
    assert CONTINGENCY not in edt[2]
    assert CONTINGENCY not in services_html(rows, large=True)


def test_the_contacts_page_shows_it_marked_to_be_confirmed():
    page = directory_html(load_contacts())
    assert f"{CONTINGENCY} (Contingency, only if the main line fails)</b> — to be confirmed" in page


def test_once_the_policy_confirms_it_it_is_shown_everywhere():
    confirmed = {"services": {"edt": {"numbers": [
        {"number": "01244 977277"},
        {"number": CONTINGENCY, "label": "Contingency, only if the main line fails", "verify": False}]}}}
    edt = next(r for r in open_services(_context(confirmed)) if r[0] == "edt")
    assert CONTINGENCY in edt[2]


def test_only_the_digits_are_in_large_type_not_what_the_number_is_for():
    import re

    page = services_html(open_services(_context()), large=True)
    large = re.findall(r"<span style='font-size:\d+pt; font-weight:bold'>([^<]*)</span>", page)
    assert "999" in large and "101" in large and "01244 977277" in large
    assert all(re.fullmatch(r"[\d ]+", text) for text in large), large
    assert "Non-emergency" in page  # the police label is still there, at body size
