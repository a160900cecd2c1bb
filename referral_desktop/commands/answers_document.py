"""Reading an answers document (JSON: form_id, form_version, answers) for ``validate`` and ``import``.

Why one reader: both commands take the same file, and each used to parse it its own way with its own
messages. The messages never quote the file's content (it holds answers about a child); they say what
is wrong and where (line and column for broken JSON).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from referral_desktop.domain import strict_json


def read_answers_document(file: str) -> dict[str, Any] | str:
    """The document from ``file`` (``-`` for standard input), or a sentence saying why it cannot be used."""
    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return f"Cannot read the file ({type(exc).__name__})."
    try:
        data = strict_json.loads(text)
    except json.JSONDecodeError as exc:
        return f"The file is not valid JSON (line {exc.lineno}, column {exc.colno})."
    except strict_json.UnusableJson as exc:
        return f"The file cannot be used: {exc.reason}."
    if not isinstance(data, dict):
        return "The file is not an answers document: expected a JSON object with form_id, form_version and answers."
    missing = [key for key in ("form_id", "form_version", "answers") if key not in data]
    if missing:
        return f"The answers document has no {', '.join(missing)}."
    if not isinstance(data["answers"], dict):
        return "The answers document's answers must be a JSON object."
    return data
