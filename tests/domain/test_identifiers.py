"""UK identifiers and contact details against known valid and invalid values."""

from __future__ import annotations

import pytest
from stdnum.gb import upn as stdnum_upn

from referral_desktop.domain.identifiers import (
    Problem,
    email_problem,
    nhs_number_problem,
    normalise_postcode,
    postcode_problem,
    telephone_problem,
    upn_problem,
)


@pytest.mark.parametrize("value", ["9434765919", "943 476 5919", "943-476-5919", "4010232137"])
def test_known_valid_nhs_numbers(value):
    assert nhs_number_problem(value) is None


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("9434765918", Problem.CHECKSUM),  # wrong check digit
        ("9434765910", Problem.CHECKSUM),
        ("0000000000", Problem.NOT_ISSUED),  # passes mod 11, never issued
        ("1111111111", Problem.NOT_ISSUED),
        ("943476591", Problem.LENGTH),
        ("94347659190", Problem.LENGTH),
        ("943476591X", Problem.FORMAT),
        ("", Problem.FORMAT),
        ("９４３４７６５９１９", Problem.FORMAT),  # full-width digits are not ASCII digits
    ],
)
def test_known_invalid_nhs_numbers(value, problem):
    assert nhs_number_problem(value) == problem


def test_nhs_test_range_only_in_a_test_deployment():
    assert nhs_number_problem("9990000018") == Problem.TEST_RANGE
    assert nhs_number_problem("999 000 0018", allow_test_range=True) is None
    # A wrong check digit stays wrong in a test deployment.
    assert nhs_number_problem("9990000017", allow_test_range=True) == Problem.CHECKSUM


def _temporary_upn() -> str:
    body = "80120000500A"  # LA 801, establishment 2000, year 05, serial 00 and a letter
    return stdnum_upn.calc_check_digit(body) + body


def test_known_valid_upns():
    assert upn_problem("B801200005001") is None
    assert upn_problem("b801 2000 05001") is None
    temporary = _temporary_upn()
    assert temporary[-1].isalpha()
    assert upn_problem(temporary) is None


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("A801200005001", Problem.CHECKSUM),  # wrong check letter
        ("C801200005001", Problem.CHECKSUM),
        ("B80120000500", Problem.LENGTH),
        ("E000200005001", Problem.UNKNOWN_AUTHORITY),
        ("X80120000A001", Problem.FORMAT),
        ("B80120000500I", Problem.FORMAT),  # I is not in the UPN alphabet
    ],
)
def test_known_invalid_upns(value, problem):
    assert upn_problem(value) == problem


def _upn_from(authority: int) -> str:
    body = f"{authority:03d}200005001"
    return stdnum_upn.calc_check_digit(body) + body


@pytest.mark.parametrize("authority", [838, 839, 940, 941, 942, 943, 660, 664, 681])
def test_upns_of_authorities_created_since_2011_and_of_wales_are_accepted(authority):
    """python-stdnum 2.2 knows only the 2011 list and refuses these pupils."""
    assert upn_problem(_upn_from(authority)) is None
    wrong = ("A" if _upn_from(authority)[0] != "A" else "B") + _upn_from(authority)[1:]
    assert upn_problem(wrong) == Problem.CHECKSUM


@pytest.mark.parametrize("authority", [835, 836, 837, 896, 909, 928])
def test_upns_of_abolished_authorities_stay_valid(authority):
    assert upn_problem(_upn_from(authority)) is None


@pytest.mark.parametrize("authority", [0, 100, 555, 999])
def test_upns_of_unknown_authorities_are_refused_even_with_a_right_check_letter(authority):
    assert upn_problem(_upn_from(authority)) == Problem.UNKNOWN_AUTHORITY


def test_every_upn_authority_group_names_its_source():
    from referral_desktop.domain.upn_authorities import bundled_upn_authorities

    data = bundled_upn_authorities()
    assert data.source
    assert all(group.source for group in data.groups)
    unconfirmed = {a.number for g in data.groups for a in g.authorities if a.verify or g.verify}
    assert {940, 941, 942, 943} <= unconfirmed  # shown as to be confirmed, not as fact
    assert {838, 839}.isdisjoint(unconfirmed)


def test_temporary_upn_with_wrong_check_letter():
    temporary = _temporary_upn()
    wrong = ("A" if temporary[0] != "A" else "B") + temporary[1:]
    assert upn_problem(wrong) == Problem.CHECKSUM


@pytest.mark.parametrize(
    "value", ["CH1 2NU", "ch12nu", "CH65 0BE", "CW7 1AU", "EC1A 1BB", "W1A 0AX", "M1 1AE", "ZZ99 3VZ", "zz99 3cz"]
)
def test_postcodes_in_the_right_shape(value):
    assert postcode_problem(value) is None


@pytest.mark.parametrize("value", ["CH1 2NC", "CH1", "12345", "CH1 2NUU", "Q1A 1AA1", "CH1-2NU", "ＣＨ1 2NU"])
def test_postcodes_in_the_wrong_shape(value):
    assert postcode_problem(value) == Problem.FORMAT


def test_postcode_normalised_for_display():
    assert normalise_postcode("ch12nu") == "CH1 2NU"
    assert normalise_postcode("not one") == "not one"


@pytest.mark.parametrize(
    "value", ["01244 977277", "0300 123 7047", "07123 456789", "+44 1244 977277", "+44 (0)1244 977277", "0845 458 0000"]
)
def test_uk_telephone_numbers(value):
    assert telephone_problem(value) is None


@pytest.mark.parametrize("value", ["12345", "999", "+1 212 555 0123", "07700 900123", "call me", "0" * 50])
def test_not_uk_telephone_numbers(value):
    assert telephone_problem(value) is not None


def test_email_syntax_without_network():
    assert email_problem("pat.sample@example.org") is None
    assert email_problem("pat.sample@nhs.net") is None
    for bad in ("pat.sample", "pat@", "@example.org", "pat sample@example.org", "pat@@example.org"):
        assert email_problem(bad) == Problem.FORMAT
