"""Plain-English messages for mistakes in the data files people edit by hand (contacts, policy).

IT staff and council officers correct these files without reading Python, so a mistake is reported
as one line per problem that names the place and says what is wrong
(``services.iart.hours.weekly[0].opens: must be a time such as 08:30``), never as a pydantic dump or
a traceback. The input value itself is never repeated: a policy may hold a bearer token.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import ValidationError


def format_location(loc: Sequence[int | str]) -> str:
    """``("certificate_pins", 0)`` → ``certificate_pins[0]``; ``("privacy_notice", "version")`` →
    ``privacy_notice.version``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += ("." if text else "") + str(part)
    return text or "(top level)"


def _plain_message(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        return f"must be at least {bound}" if kind == "greater_than_equal" else f"must be more than {bound}"
    if kind in ("less_than_equal", "less_than"):
        bound = ctx.get("le", ctx.get("lt"))
        return f"must be at most {bound}" if kind == "less_than_equal" else f"must be less than {bound}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "must be a whole number"
    if kind in ("float_type", "float_parsing"):
        return "must be a number"
    if kind in ("bool_type", "bool_parsing"):
        return "must be true or false"
    if kind in ("string_type", "path_type"):
        return "must be text in quotes"
    if kind == "list_type":
        return "must be a list, such as [\"a\", \"b\"]"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "must be a table of settings"
    if kind == "extra_forbidden":
        return "is not a setting this version knows (check the spelling)"
    if kind == "missing":
        return "is required"
    if kind == "literal_error":
        return f"must be one of: {ctx.get('expected', '')}".rstrip(": ")
    if kind == "too_short":
        least = ctx.get("min_length", 1)
        return "must not be empty" if least == 1 else f"must have at least {least} items"
    if kind == "too_long":
        return f"must have at most {ctx.get('max_length')} items"
    if kind in ("string_too_short",):
        return "must not be empty"
    if kind in ("value_error", "assertion_error"):
        message = str(ctx.get("error", error.get("msg", "")))
        return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return str(error.get("msg", "is not valid"))


def describe_errors(
    exc: ValidationError, *, prefix: Sequence[int | str] = (), names: dict[tuple[Any, ...], str] | None = None
) -> list[str]:
    """One ``place: message`` line per problem in ``exc``.

    ``prefix`` is prepended to every location (e.g. ``("contacts",)`` when the contacts overrides are
    checked inside the policy); ``names`` lets a caller replace a list index by a name, e.g.
    ``{("services", 0): "services.iart"}``.
    """
    lines = []
    for error in exc.errors(include_input=False, include_url=False):
        loc = tuple(error.get("loc", ()))
        place = None
        for length in range(len(loc), 0, -1):
            if names and loc[:length] in names:
                rest = format_location(loc[length:]) if loc[length:] else ""
                place = names[loc[:length]] + ("." + rest if rest and not rest.startswith("[") else rest)
                break
        if place is None:
            place = format_location(loc)
        place = format_location(tuple(prefix)) + "." + place if prefix else place
        lines.append(f"{place}: {_plain_message(dict(error))}")
    return _unique(lines)


def _unique(lines: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for line in lines:
        seen.setdefault(line, None)
    return list(seen)
