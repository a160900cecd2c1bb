"""Numbers that are still to be confirmed never appear where someone phones in a hurry."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

from referral_desktop.domain.contacts import load_contacts
from referral_desktop.ui.screens.contacts import directory_html
from referral_desktop.ui.screens.who_to_call import open_services, services_html
from tests.ui.written_times import written_the_other_ways

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


def test_the_contacts_page_writes_opening_hours_on_the_twelve_hour_clock():
    """The page read "Monday to Thursday: 08:30 to 17:00" beside moments written "10:00am": GOV.UK's way is
    "8:30am to 5pm". The data keeps its 24-hour values; only how the page writes them changed."""
    page = _plain(directory_html(load_contacts()))
    assert "Monday to Thursday: 8:30am to 5pm" in page, page
    assert "Friday: 8:30am to 4:30pm" in page, page
    assert written_the_other_ways(page) == []


def test_days_apart_are_joined_with_and_as_a_sentence_would():
    """The page read "Saturday, Sunday: 24 hours": a list of days reads "Saturday and Sunday", "Monday,
    Wednesday and Friday"; a run of three or more, "Monday to Friday"."""
    from referral_desktop.domain.opening_hours import days_in_words as _days

    page = _plain(directory_html(load_contacts()))
    assert "Saturday, Sunday" not in page and "Saturday and Sunday: 24 hours" in page, page
    assert _days(("mon", "wed", "fri")) == "Monday, Wednesday and Friday"
    assert _days(("mon", "tue", "wed")) == "Monday to Wednesday"
    assert _days(("sat",)) == "Saturday"


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


def _plain(page: str) -> str:
    import re

    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_the_police_numbers_are_each_said_once_in_the_panel_and_on_the_contacts_page():
    """The police's summary repeated its numbers: the panel read "999 (Emergency: ...) or 101 (Non-emergency:
    ...)" and then "999 in an emergency; 101 when it is not — always"; the contacts page the same."""
    police = next(r for r in open_services(_context()) if r[0] == "police")
    panel = _plain(services_html([police], large=True))
    assert panel.count("999") == 1 and panel.count("101") == 1, panel
    page = _plain(directory_html(load_contacts()))
    section = page[page.index("Cheshire Police"):page.index("Duty offices")]
    assert section.count("999") == 1 and section.count("101") == 1, section


def test_no_service_summary_repeats_a_number_the_service_lists():
    for service in load_contacts().services:
        for number in service.numbers:
            assert number.number not in service.summary, (service.id, service.summary)


def test_the_readme_names_the_duty_offices_as_the_app_does():
    """README said "Chester, Ellesmere Port, Winsford"; the app (and the council's page) say "Ellesmere Port
    and Neston" and "Vale Royal" (whose office is in Winsford)."""
    from pathlib import Path

    readme = " ".join((Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8").split())
    names = [office.name for office in load_contacts().offices]
    assert f"the three duty social work offices ({'; '.join(names)}" in readme


def test_a_screen_reader_hears_what_the_panel_shows(qtbot):
    """Focus lands on the list of numbers (the urgent page puts it there): its name said each service and its
    numbers but not what the panel shows under them ("open now until 5pm", "Emergency — always"), and read
    out the duty offices' addresses where the panel shows only their names."""
    from referral_desktop.ui.screens.who_to_call import WhoToCallPanel

    tuesday_four = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)  # iART open for another hour
    directory = load_contacts()
    panel = WhoToCallPanel(SimpleNamespace(clock=lambda: tuesday_four, contact_directory=lambda: directory),
                           large=True)
    qtbot.addWidget(panel)
    heard = panel.services.accessibleName()
    import html

    shown = html.unescape(_plain(panel.services.text()))
    for _sid, name, numbers, why, kind in panel.rows:
        if kind != "office":
            assert f"{name}, {numbers}, {why}" in heard, heard
    assert "open now until 5pm" in heard
    assert "Duty offices open now: Chester" in heard and "Nicholas House" not in heard, heard
    unseen = [word for word in heard.removeprefix("Who to call now: ").split() if word.strip(",;") not in shown]
    assert unseen == [], unseen
