"""Checks of UK identifiers and contact details as typed by people: NHS number, UPN, postcode, telephone, email.

Each check answers with a problem code (or None when the value is acceptable) rather than a message, so
that the wording stays with the form (GOV.UK style, per field) and the codes can be tested against known
values. Well-kept libraries do the real work (python-stdnum, phonenumbers, email-validator); this module
adds what they miss, such as NHS numbers made of one repeated digit (``0000000000`` passes the mod-11
check) and the 999 test range that is never issued.

The checks are memoised (bounded, in memory only): validation reruns on every autosave with mostly the same
telephone numbers and identifiers, and the libraries' parsing dominates its cost.

Each library is imported by the first check that needs it, not with this module: together they cost
~40 ms of every start (email-validator alone ~18 ms, compiling four Unicode-range regular expressions at
import; phonenumbers ~14 ms; python-stdnum ~7 ms), which ``referral-desktop validate FILE`` paid for
answers that hold no e-mail address, telephone number or identifier at all (and the UPN authorities'
list, with its models, waits for the first UPN). The app loads them on its
task runner's thread while the unlock screen waits for the passphrase (:func:`load_libraries`), so the
editor's first check does not pay for them on the GUI thread.
"""

from __future__ import annotations

import re
from enum import StrEnum
from functools import lru_cache


class Problem(StrEnum):
    """Why an identifier is not acceptable."""

    LENGTH = "length"
    FORMAT = "format"
    CHECKSUM = "checksum"
    NOT_ISSUED = "not_issued"
    TEST_RANGE = "test_range"
    UNKNOWN_AUTHORITY = "unknown_authority"


_SEPARATORS = re.compile(r"[\s\-]+")


def load_libraries() -> None:
    """Import the three libraries now (the app's start-up warming; the checks import each on first use)."""
    import email_validator  # noqa: F401
    import phonenumbers  # noqa: F401
    from stdnum.gb import nhs, upn  # noqa: F401

    from referral_desktop.domain.upn_authorities import known_authority_numbers

    known_authority_numbers()


def compact(value: str) -> str:
    """The value without spaces and hyphens, upper-cased (``943 476 5919`` → ``9434765919``)."""
    return _SEPARATORS.sub("", value).upper()


@lru_cache(maxsize=2048)
def nhs_number_problem(value: str, *, allow_test_range: bool = False) -> Problem | None:
    """Checks an NHS number: 10 digits, mod-11 check digit, not one digit repeated, not the 999 test range.

    The 999 000 0000–999 999 9999 range is never issued; it is allowed only in a test deployment.
    """
    from stdnum.gb import nhs

    number = compact(value)
    if not number.isascii() or not number.isdigit():
        return Problem.FORMAT
    if len(number) != 10:
        return Problem.LENGTH
    if len(set(number)) == 1:
        return Problem.NOT_ISSUED
    if not nhs.is_valid(number):
        return Problem.CHECKSUM
    if number.startswith("999") and not allow_test_range:
        return Problem.TEST_RANGE
    return None


@lru_cache(maxsize=2048)
def upn_problem(value: str) -> Problem | None:
    """Checks a Unique Pupil Number: 13 characters, check letter (temporary UPNs too), known LA number.

    python-stdnum checks the shape and the check letter; the authority number is checked against
    ``resources/upn-authorities.json`` instead of stdnum's 2011 list, which refuses authorities created
    since (838 Dorset, 839 Bournemouth, Christchurch and Poole, 940-943) and Welsh ones.
    """
    from stdnum import exceptions as stdnum_exceptions
    from stdnum.gb import upn

    from referral_desktop.domain.upn_authorities import known_authority_numbers

    number = compact(value)
    if not number.isascii():
        return Problem.FORMAT
    if len(number) != 13:
        return Problem.LENGTH
    try:
        upn.validate(number)
    except stdnum_exceptions.InvalidLength:
        return Problem.LENGTH
    except stdnum_exceptions.InvalidComponent:
        pass  # stdnum's authority list is out of date: the check letter and our list decide below
    except stdnum_exceptions.InvalidChecksum:
        return Problem.CHECKSUM
    except (stdnum_exceptions.ValidationError, ValueError):
        return Problem.FORMAT
    if int(number[1:4]) not in known_authority_numbers():
        return Problem.UNKNOWN_AUTHORITY
    if upn.calc_check_digit(number[1:]) != number[0]:
        return Problem.CHECKSUM
    return None


# Outward code A9, A99, AA9, AA99, A9A, AA9A; inward code 9AA whose letters exclude C I K M O V.
# ZZ99 pseudo-postcodes (NHS: ZZ99 3VZ no fixed abode, ZZ99 3WZ not known, ZZ99 3CZ England...) use any
# inward letters; GIR 0AA is the one historic oddity.
_POSTCODE = re.compile(
    r"^(?:[A-Z]{1,2}[0-9][0-9A-Z]?\s?[0-9][ABD-HJLNP-UW-Z]{2}|ZZ99\s?[0-9][A-Z]{2}|GIR\s?0AA)$"
)


@lru_cache(maxsize=2048)
def postcode_problem(value: str) -> Problem | None:
    """Checks the shape of a UK postcode (not whether it exists), ZZ99 pseudo-postcodes included."""
    text = " ".join(value.upper().split())
    if not text.isascii() or not _POSTCODE.match(text):
        return Problem.FORMAT
    return None


def normalise_postcode(value: str) -> str:
    """``ch12nu`` → ``CH1 2NU`` (for display and sending); unchanged when it is not a postcode."""
    text = compact(value)
    if postcode_problem(text) is not None or len(text) < 5:
        return value
    return f"{text[:-3]} {text[-3:]}"


@lru_cache(maxsize=2048)
def telephone_problem(value: str) -> Problem | None:
    """Checks a UK telephone number, in national (``01244 977277``) or international (``+44 …``) form."""
    import phonenumbers

    if len(value) > 40:
        return Problem.LENGTH
    try:
        number = phonenumbers.parse(value, "GB")
    except phonenumbers.NumberParseException:
        return Problem.FORMAT
    except Exception:  # the library must never take validation down with it
        return Problem.FORMAT
    if number.country_code != 44 or not phonenumbers.is_valid_number(number):
        return Problem.FORMAT
    return None


@lru_cache(maxsize=2048)
def email_problem(value: str) -> Problem | None:
    """Checks email syntax only (no DNS: laptops are often offline)."""
    from email_validator import EmailNotValidError, validate_email

    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return Problem.FORMAT
    except Exception:  # the library must never take validation down with it
        return Problem.FORMAT
    return None
