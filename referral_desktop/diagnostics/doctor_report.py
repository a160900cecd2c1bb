"""``doctor --json``: the checks as a document IT's tools can read, with its JSON Schema.

The sentences stay for people; the numbers behind them (latency, clock skew, free space) are given as
numbers, with the app's version, and the document names its schema (``doctor --json-schema`` prints it)
so that a tool can check what it parses. The schema's ``$id`` changes only when the document's shape
changes incompatibly.
"""

from __future__ import annotations

from typing import Any

from referral_desktop import __version__
from referral_desktop.diagnostics.doctor_results import CheckResult

SCHEMA_ID = "urn:referral-desktop:doctor-report:1"

REPORT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": SCHEMA_ID,
    "title": "Referral Desktop doctor report",
    "description": "What 'referral-desktop doctor --json' prints: one result per check, and the exit code.",
    "type": "object",
    "required": ["$schema", "app_version", "results", "exit_code"],
    "additionalProperties": False,
    "properties": {
        "$schema": {"const": SCHEMA_ID},
        "app_version": {"type": "string", "title": "Version of the app that ran the checks"},
        "exit_code": {"enum": [0, 1, 2], "title": "0 all ok, 1 warnings only, 2 at least one failure"},
        "results": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["check", "status", "detail"],
                "additionalProperties": False,
                "properties": {
                    "check": {"type": "string", "title": "Name of the check (policy, api, clock, disk, ...)"},
                    "status": {"enum": ["ok", "warn", "fail"]},
                    "detail": {"type": "string", "title": "The sentence doctor prints for people"},
                    "measurements": {
                        "type": "object",
                        "title": "The check's numbers",
                        "additionalProperties": {"type": "number"},
                        "properties": {
                            "latency_ms": {"type": "number", "minimum": 0,
                                           "title": "Time the API took to answer /health, in milliseconds"},
                            "clock_skew_seconds": {"type": "number",
                                                   "title": "This computer's clock minus the API's; positive: ahead"},
                            "free_bytes": {"type": "integer", "minimum": 0,
                                           "title": "Free space where the user's data is kept, in bytes"},
                        },
                    },
                },
            },
        },
    },
}


def report(results: list[CheckResult], exit_code: int) -> dict[str, Any]:
    """The document ``doctor --json`` prints."""
    rows: list[dict[str, Any]] = []
    for result in results:
        row: dict[str, Any] = {"check": result.name, "status": result.status.label, "detail": result.detail}
        if result.measurements:
            row["measurements"] = dict(result.measurements)
        rows.append(row)
    return {"$schema": SCHEMA_ID, "app_version": __version__, "results": rows, "exit_code": exit_code}
