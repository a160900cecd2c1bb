"""The local authority numbers a Unique Pupil Number may carry, read from ``resources/upn-authorities.json``.

Why a data file: python-stdnum checks a UPN's shape and check letter well, but its list of authority
numbers dates from 2011, so it refuses pupils of Dorset (838), Bournemouth, Christchurch and Poole (839),
North and West Northamptonshire (940, 941), Cumberland (942), Westmorland and Furness (943) and the Welsh
authorities. The numbers are data, each group with its source beside it, so that a reorganisation is a
data change. A UPN is kept for life, so numbers of abolished authorities stay in the list.
"""

from __future__ import annotations

import json
from functools import cache

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from referral_desktop.bundled_data import read_resource_text
from referral_desktop.domain.data_file_errors import describe_errors

UPN_AUTHORITIES_RESOURCE = "upn-authorities.json"


class UpnAuthoritiesError(ValueError):
    """The authority-number data file is not valid (one ``place: message`` per line)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Authority(_Frozen):
    number: int = Field(ge=100, le=999)
    name: str = Field(min_length=1)
    from_: str | None = Field(default=None, alias="from")
    verify: bool = False


class AuthorityGroup(_Frozen):
    """Numbers from one source: a bare list (``numbers``) or named authorities, or both."""

    name: str = Field(min_length=1)
    source: str = Field(min_length=1)
    verify: bool = False
    numbers: tuple[int, ...] = ()
    authorities: tuple[Authority, ...] = ()

    @model_validator(mode="after")
    def _not_empty(self) -> AuthorityGroup:
        if not self.numbers and not self.authorities:
            raise ValueError("a group needs numbers or authorities")
        if any(not 100 <= n <= 999 for n in self.numbers):
            raise ValueError("numbers must have three digits")
        return self


class UpnAuthorities(_Frozen):
    version: str = ""
    about: str = ""
    source: str = Field(min_length=1)
    groups: tuple[AuthorityGroup, ...] = Field(min_length=1)

    def numbers(self) -> frozenset[int]:
        """Every authority number of every group."""
        found: set[int] = set()
        for group in self.groups:
            found.update(group.numbers)
            found.update(a.number for a in group.authorities)
        return frozenset(found)


def parse_upn_authorities(text: str) -> UpnAuthorities:
    """The authorities in ``text`` (the data file's JSON), or UpnAuthoritiesError naming each place."""
    try:
        return UpnAuthorities.model_validate(json.loads(text))
    except json.JSONDecodeError as exc:
        raise UpnAuthoritiesError(f"{UPN_AUTHORITIES_RESOURCE}: not valid JSON (line {exc.lineno})") from None
    except ValidationError as exc:
        raise UpnAuthoritiesError("\n".join(describe_errors(exc))) from None


@cache
def bundled_upn_authorities() -> UpnAuthorities:
    """The app's own authority list (read once)."""
    return parse_upn_authorities(read_resource_text(UPN_AUTHORITIES_RESOURCE))


@cache
def known_authority_numbers() -> frozenset[int]:
    """Every number a UPN's characters 2-4 may hold."""
    return bundled_upn_authorities().numbers()
