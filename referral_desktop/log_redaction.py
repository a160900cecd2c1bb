"""The filter that keeps personal data out of the app's log file: the last line of defence.

Logs exist for IT: what the app did (ids, states, counts, field *paths*, error codes), never what anyone
typed. The first and real defence is the code itself: every module logs through
``logging.getLogger(__name__)`` with lazy ``%s`` arguments that are ids, states and counts.
:class:`PersonalDataFilter` sits on the log file's handler (``logging_setup``). It cannot know what is
personal, so it is deliberately suspicious of anything a mistake could let through:

* arguments of types that cannot carry typed text pass as they are: numbers, booleans, None, UUIDs,
  dates and times, enum members (states), exception *classes* and their names (``OperationalError``:
  only a name some exception class of the program has);
* text arguments pass only when they look like an identifier the app uses (a UUID, a field path such
  as ``children[0].nhs_number``, a lowercase state or event name, an API path, a hex digest, a host
  name); any other text, any exception instance, path or object is replaced with ``[redacted]``;
* the final message is then scrubbed of anything shaped like an email address, a UK telephone number,
  an NHS number, a UPN or a postcode (this also catches f-strings, whose values never reach ``args``);
* tracebacks keep their frames (file, line, function) but lose the exception *messages*, which often
  quote a value; captured Python warnings keep their place and category, not their text.

Redacting rather than dropping keeps the event visible to IT while losing the value. The filter is not
a licence to log values: a lowercase single word (say, a surname typed in lowercase) would look like an
identifier and pass. Tests plant sentinel values through every path above and search the files.

A module of its own because its patterns are compiled when it is imported, which the log file's
handler does at the first record written (see ``logging_setup``), not at every start of a command.
"""

from __future__ import annotations

import enum
import logging
import re
import traceback
import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

REDACTED = "[redacted]"

_SAFE_TYPES = (bool, int, float, type(None), uuid.UUID, datetime, date, time, timedelta, enum.Enum)

_SAFE_TEXT = [
    re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"),  # UUID
    # field paths, states, event names, module names: children[0].nhs_number, info_requested
    re.compile(r"[a-z][a-z0-9_]*(\[\d+\])?(\.[a-z][a-z0-9_]*(\[\d+\])?)*"),
    re.compile(r"(/[a-z0-9_.\-]*)+"),  # API paths: /v1/referrals/<uuid>
    re.compile(r"[0-9a-f]{16,128}"),  # digests
    re.compile(r"[a-z0-9\-]+(\.[a-z0-9\-]+)+(:\d{1,5})?|\[[0-9a-f:]+\](:\d{1,5})?"),  # hosts, IPs
    re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?"),  # ISO times
    re.compile(r"GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|DEBUG|INFO|WARNING|ERROR|CRITICAL"),
    re.compile(r"\d{3}"),  # status codes given as text
]
_SAFE_TEXT_MAX = 200
_WARNING_HEAD = re.compile(r"(.*?:\d+: \w+):")

_SCRUB = [
    re.compile(r"[^\s@<>()\[\],;:'\"]+@[^\s@<>()\[\],;:'\"]+\.[A-Za-z]{2,}"),  # email
    re.compile(r"(?<![\w/-])(?:\+44\s?\(?0?\)?\s?|\(?0)\d(?:[\s-]?\d){8,9}(?![\w-])"),  # UK phone
    re.compile(r"(?<![\w/-])\d{3}[\s-]?\d{3}[\s-]?\d{4}(?![\w-])"),  # NHS number
    re.compile(r"(?<![A-Za-z0-9])[A-Z]\d{11}[A-Z0-9](?![A-Za-z0-9])"),  # UPN
    re.compile(r"(?<![A-Za-z0-9])[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}(?![A-Za-z0-9])"),  # postcode
]


def is_safe_text(text: str) -> bool:
    """True when ``text`` looks like one of the identifiers the app logs (see the module docstring)."""
    if len(text) > _SAFE_TEXT_MAX:
        return False
    return any(pattern.fullmatch(text) for pattern in _SAFE_TEXT)


#: A name such as ``OperationalError``: checked against the exception classes the program defines.
_CLASS_NAME = re.compile(r"[A-Z][A-Za-z0-9]{2,60}")
_exception_names: set[str] = set()


def is_exception_name(text: str) -> bool:
    """True when ``text`` is the name of an exception class defined in this program, as the app logs
    them (``type(error).__name__``): without this every such name was redacted and IT read "autosave
    failed ([redacted])". Any other capitalised word (a surname, say) is not one and stays redacted."""
    if not _CLASS_NAME.fullmatch(text):
        return False
    if text not in _exception_names:  # a class defined since the last look, or not an exception at all
        _exception_names.update(_subclass_names(BaseException))
    return text in _exception_names


def _subclass_names(base: type) -> set[str]:
    seen: set[type] = set()
    todo = [base]
    while todo:
        cls = todo.pop()
        if cls not in seen:
            seen.add(cls)
            todo.extend(type.__subclasses__(cls))
    return {cls.__name__ for cls in seen}


def _safe_arg(value: Any) -> Any:
    if isinstance(value, _SAFE_TYPES):
        return value
    if isinstance(value, type):  # an exception class, e.g. logger.warning("failed: %s", type(exc))
        return value.__name__
    if isinstance(value, str) and (is_safe_text(value) or is_exception_name(value)):
        return value
    if isinstance(value, BaseException):
        return f"{type(value).__name__}({REDACTED})"
    return REDACTED


def scrub(text: str) -> str:
    """``text`` with anything shaped like an email, UK phone number, NHS number, UPN or postcode
    replaced by ``[redacted]``."""
    for pattern in _SCRUB:
        text = pattern.sub(REDACTED, text)
    return text


def _exception_without_messages(exc_info: Any) -> str:
    exc_type, exc, tb = exc_info
    lines = ["Traceback (most recent call last):\n", *traceback.format_tb(tb)]
    lines.append(f"{exc_type.__name__}: [message withheld]\n")
    cause = exc.__cause__ or exc.__context__ if exc is not None else None
    depth = 0
    while cause is not None and depth < 5:
        lines.append(f"(caused by {type(cause).__name__}: [message withheld])\n")
        cause = cause.__cause__ or cause.__context__
        depth += 1
    return "".join(lines).rstrip("\n")


class PersonalDataFilter(logging.Filter):
    """Last line of defence against personal data in the log file (see the module docstring).

    It rewrites each record in place (``msg`` becomes the final scrubbed text, ``args`` None, exception
    messages withheld) and always lets it through.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "py.warnings" and isinstance(record.msg, str):
            # logging.captureWarnings hands over the finished text; keep where and what kind only.
            where = _WARNING_HEAD.match(record.msg)
            record.msg = (where.group(1) if where else "warning") + ": [message withheld]"
            record.args = None
        if record.args:
            if isinstance(record.args, dict):
                record.args = {key: _safe_arg(value) for key, value in record.args.items()}
            else:
                record.args = tuple(_safe_arg(value) for value in record.args)
        if not isinstance(record.msg, str):  # logger.info(some_object): only harmless types survive
            safe = _safe_arg(record.msg)
            record.msg = str(safe) if safe is record.msg or isinstance(safe, str) else REDACTED
        try:
            message = record.getMessage()
        except (TypeError, ValueError, KeyError):
            message = f"{record.msg if is_safe_text(str(record.msg)) else REDACTED} [arguments did not fit]"
        record.msg = scrub(message)
        record.args = None
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = _exception_without_messages(record.exc_info)
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = REDACTED
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True
