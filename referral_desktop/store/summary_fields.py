"""The few values copied out of an answers document into the referral's summary row.

Why: the home screen lists every referral with the child's initials; reading them from a column means
listing never decrypts and parses the answers documents. Initials (not names) are also what the
receipt keeps after the retention purge.
"""

from __future__ import annotations

from typing import Any


def _initial(value: Any) -> str:
    if isinstance(value, str):
        for ch in value.strip():
            if ch.isalpha():
                return ch.upper()
    return ""


def child_initials(answers: Any) -> str | None:
    """Initials of the first child (given names then family name), e.g. ``"AB"``; None when not known."""
    if not isinstance(answers, dict):
        return None
    children = answers.get("children")
    if not isinstance(children, list) or not children or not isinstance(children[0], dict):
        return None
    first = children[0]
    initials = _initial(first.get("given_names")) + _initial(first.get("family_name"))
    return initials or None
