"""Who to call now, at the edges of the opening hours, from the bundled contacts data."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from referral_desktop.domain.contacts import ContactsError, iter_all_numbers, load_contacts, who_to_call
from referral_desktop.domain.working_days import UK_TIME


def uk(*args: int) -> datetime:
    return datetime(*args, tzinfo=UK_TIME)


@pytest.fixture(scope="module")
def directory():
    return load_contacts()


def calls(now: datetime, directory) -> list[str]:
    return [entry.service_id for entry in who_to_call(now, directory)]


def phone_services(now: datetime, directory) -> list[str]:
    return [e.service_id for e in who_to_call(now, directory) if e.kind != "office"]


IART_AND_EDT = ["emergency", "iart", "edt", "police"]
IART_ONLY = ["emergency", "iart", "police"]
EDT_ONLY = ["emergency", "edt", "police"]


@pytest.mark.parametrize(
    "now, expected",
    [
        # Friday 22 May 2026: iART closes 16:30, EDT opens 16:00
        (uk(2026, 5, 22, 15, 59), IART_ONLY),
        (uk(2026, 5, 22, 16, 0), IART_AND_EDT),
        (uk(2026, 5, 22, 16, 29), IART_AND_EDT),
        (uk(2026, 5, 22, 16, 30), EDT_ONLY),
        # Monday 1 June 2026: EDT hands over to iART at 08:30
        (uk(2026, 6, 1, 8, 29), EDT_ONLY),
        (uk(2026, 6, 1, 8, 30), IART_ONLY),
        # Thursday 4 June 2026: EDT from 16:30, iART until 17:00
        (uk(2026, 6, 4, 16, 29), IART_ONLY),
        (uk(2026, 6, 4, 16, 30), IART_AND_EDT),
        (uk(2026, 6, 4, 16, 59), IART_AND_EDT),
        (uk(2026, 6, 4, 17, 0), EDT_ONLY),
        # Thursday night into Friday morning
        (uk(2026, 6, 5, 0, 0), EDT_ONLY),
        (uk(2026, 6, 5, 8, 29), EDT_ONLY),
        (uk(2026, 6, 5, 8, 30), IART_ONLY),
        # weekend
        (uk(2026, 6, 6, 12, 0), EDT_ONLY),
        (uk(2026, 6, 7, 23, 59), EDT_ONLY),
        # spring bank holiday Monday 25 May 2026: EDT all day, iART shut; normal on Tuesday
        (uk(2026, 5, 25, 8, 30), EDT_ONLY),
        (uk(2026, 5, 25, 12, 0), EDT_ONLY),
        (uk(2026, 5, 25, 16, 59), EDT_ONLY),
        (uk(2026, 5, 26, 8, 29), EDT_ONLY),
        (uk(2026, 5, 26, 8, 30), IART_ONLY),
        # Christmas Day (Friday) and the Boxing Day substitute (Monday 28 December 2026)
        (uk(2026, 12, 25, 11, 0), EDT_ONLY),
        (uk(2026, 12, 28, 11, 0), EDT_ONLY),
        (uk(2026, 12, 29, 11, 0), IART_ONLY),
        # Christmas Eve is an ordinary Thursday
        (uk(2026, 12, 24, 16, 45), IART_AND_EDT),
    ],
)
def test_who_to_call_at_the_edges(directory, now, expected):
    assert phone_services(now, directory) == expected


def test_999_is_always_first_and_police_always_listed(directory):
    start = uk(2026, 1, 1, 0, 7)
    for step in range(0, 24 * 14, 5):  # every 5 hours for two weeks, at odd minutes
        answer = who_to_call(start + timedelta(hours=step), directory)
        assert answer[0].service_id == "emergency"
        assert answer[0].numbers[0].number == "999"
        assert "always" in answer[0].why
        assert "police" in [e.service_id for e in answer]


def test_someone_from_childrens_social_care_is_always_open(directory):
    # Every 41 minutes across a year (covers both clock changes and every bank holiday at some time).
    now = datetime(2026, 1, 1, 0, 0, tzinfo=UTC)
    end = datetime(2027, 1, 1, tzinfo=UTC)
    while now < end:
        open_ids = phone_services(now, directory)
        assert "iart" in open_ids or "edt" in open_ids, now
        now += timedelta(minutes=41)


def test_overnight_edt_runs_from_an_ordinary_evening_into_a_bank_holiday(directory):
    # Thursday 2 April 2026 evening into Good Friday and through Easter to Tuesday morning.
    answer = {e.service_id: e for e in who_to_call(uk(2026, 4, 2, 23, 30), directory)}
    assert "edt" in answer and "iart" not in answer
    assert answer["edt"].open_until == uk(2026, 4, 7, 8, 30)
    assert "Tuesday 7 April" in answer["edt"].why
    assert phone_services(uk(2026, 4, 3, 0, 30), directory) == EDT_ONLY
    assert phone_services(uk(2026, 4, 6, 23, 59), directory) == EDT_ONLY  # Easter Monday night
    assert phone_services(uk(2026, 4, 7, 8, 30), directory) == IART_ONLY


def test_edt_open_until_on_a_weekday_evening_is_the_next_morning(directory):
    answer = {e.service_id: e for e in who_to_call(uk(2026, 6, 2, 20, 0), directory)}
    assert answer["edt"].open_until == uk(2026, 6, 3, 8, 30)
    assert answer["edt"].why.endswith("open now until 8:30am tomorrow")


def test_iart_shows_its_closing_time(directory):
    answer = {e.service_id: e for e in who_to_call(uk(2026, 6, 5, 10, 0), directory)}
    assert answer["iart"].open_until == uk(2026, 6, 5, 16, 30)
    assert "until 4:30pm" in answer["iart"].why


@pytest.mark.parametrize(
    "utc_now, expected",
    [
        # Spring forward, Sunday 29 March 2026 01:00 UTC: EDT open through the jump.
        (datetime(2026, 3, 29, 0, 59, tzinfo=UTC), EDT_ONLY),
        (datetime(2026, 3, 29, 1, 0, tzinfo=UTC), EDT_ONLY),
        # Monday 30 March is BST: 08:30 local is 07:30 UTC.
        (datetime(2026, 3, 30, 7, 29, tzinfo=UTC), EDT_ONLY),
        (datetime(2026, 3, 30, 7, 30, tzinfo=UTC), IART_ONLY),
        # Friday 27 March is still GMT: 16:00 local is 16:00 UTC.
        (datetime(2026, 3, 27, 15, 59, tzinfo=UTC), IART_ONLY),
        (datetime(2026, 3, 27, 16, 0, tzinfo=UTC), IART_AND_EDT),
        # Fall back, Sunday 25 October 2026 01:00 UTC (01:00-02:00 local happens twice).
        (datetime(2026, 10, 25, 0, 30, tzinfo=UTC), EDT_ONLY),
        (datetime(2026, 10, 25, 1, 30, tzinfo=UTC), EDT_ONLY),
        # Monday 26 October is GMT again: 08:30 local is 08:30 UTC.
        (datetime(2026, 10, 26, 8, 29, tzinfo=UTC), EDT_ONLY),
        (datetime(2026, 10, 26, 8, 30, tzinfo=UTC), IART_ONLY),
        # Friday 23 October is BST: iART closes 16:30 local = 15:30 UTC.
        (datetime(2026, 10, 23, 15, 29, tzinfo=UTC), IART_AND_EDT),
        (datetime(2026, 10, 23, 15, 30, tzinfo=UTC), EDT_ONLY),
    ],
)
def test_clock_change_days(directory, utc_now, expected):
    assert phone_services(utc_now, directory) == expected


def test_offices_are_listed_with_addresses_when_open(directory):
    answer = who_to_call(uk(2026, 6, 1, 10, 0), directory)
    offices = [e for e in answer if e.kind == "office"]
    assert [o.service_id for o in offices] == ["chester", "ellesmere_port", "vale_royal"]
    assert offices[0].address == "Nicholas House, 1 Black Friars, Chester, CH1 2NU"
    assert all(e.kind != "office" for e in who_to_call(uk(2026, 6, 1, 20, 0), directory))


def test_bundled_numbers_and_the_contingency_number_marked_verify(directory):
    assert directory.service("iart").numbers[0].number == "0300 123 7047"
    edt = directory.service("edt")
    assert edt.numbers[0].number == "01244 977277" and not edt.numbers[0].verify
    assert edt.numbers[1].number == "07789 287349" and edt.numbers[1].verify
    assert directory.service("iart").receives_online_referrals
    assert not edt.receives_online_referrals


def test_police_numbers_are_999_and_101_and_say_what_101_is_for(directory):
    """Cheshire's 0845 458 0000 was replaced by 101 on 23 November 2011; nothing may still show it."""
    police = directory.service("police")
    numbers = {n.number: n.label for n in police.numbers}
    assert set(numbers) == {"999", "101"}
    assert "emergency" in numbers["999"].lower()
    assert "non-emergency" in numbers["101"].lower()
    assert police.source and "2011" in police.source
    everywhere = [n.number for _, n in iter_all_numbers(directory)]
    assert not [n for n in everywhere if n.replace(" ", "").startswith("0845")]


def test_policy_overrides_replace_numbers_and_hours():
    directory = load_contacts(
        {
            "services": {
                "iart": {"numbers": [{"number": "0300 123 0000"}]},
                # an older EDT page said "from 17:00": a deployment can say so
                "edt": {"hours": {"weekly": [
                    {"days": ["mon", "tue", "wed", "thu", "fri"], "opens": "17:00", "closes": "08:30"},
                    {"days": ["sat", "sun"], "opens": "00:00", "closes": "24:00"}]}},
            }
        }
    )
    assert directory.service("iart").numbers[0].number == "0300 123 0000"
    assert directory.service("iart").hours.bank_holidays == "closed"  # untouched parts kept
    assert phone_services(uk(2026, 5, 22, 16, 15), directory) == IART_ONLY
    assert load_contacts().service("iart").numbers[0].number == "0300 123 7047"  # bundled data untouched


def test_overrides_can_add_a_local_service():
    directory = load_contacts(
        {"services": {"school_dsl": {"kind": "service", "name": "Our designated safeguarding lead",
                                     "numbers": [{"number": "01244 000000"}],
                                     "hours": {"weekly": [{"days": ["mon"], "opens": "09:00", "closes": "10:00"}],
                                               "bank_holidays": "closed"}}}}
    )
    assert "school_dsl" in calls(uk(2026, 6, 1, 9, 30), directory)
    assert "school_dsl" not in calls(uk(2026, 6, 1, 10, 0), directory)


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"services": {"iart": {"hours": {"weekly": [{"days": ["mon"], "opens": "8.30", "closes": "17:00"}]}}}},
         "services.iart.hours.weekly[0].opens: must be a time such as 08:30"),
        ({"services": {"edt": {"hours": {"bank_holidays": "sometimes"}}}},
         "services.edt.hours.bank_holidays: must be one of"),
        ({"services": {"iart": {"numbers": []}}}, "services.iart.numbers:"),
        ({"services": {"iart": {"nunbers": []}}}, "services.iart.nunbers: is not a setting this version knows"),
        ({"services": {"newone": {"name": "x"}}}, "services.newone.kind: is required"),
        ({"services": ["iart"]}, "services: must be a table keyed by service id"),
        ({"services": {"iart": {"hours": {"weekly": [{"days": ["mon"], "opens": "09:00", "closes": "09:00"}]}}}},
         "opens and closes are the same time"),
    ],
)
def test_bad_overrides_name_the_place(overrides, message):
    with pytest.raises(ContactsError) as caught:
        load_contacts(overrides)
    assert any(message in line for line in caught.value.problems), caught.value.problems
