"""A valid MARF answers document and submission bodies for the sandbox tests.

The answers are the form's published demo example (forms/examples/valid-demo-referral.json, the same
made-up family as the editor's demo); NHS number and UPN are published check-digit examples.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from typing import Any

from referral_desktop.bundled_data import forms_dir


def valid_answers() -> dict[str, Any]:
    example = forms_dir() / "examples" / "valid-demo-referral.json"
    return json.loads(example.read_text(encoding="utf-8"))["answers"]


def answers_document(answers: dict[str, Any] | None = None, **extra: Any) -> bytes:
    """The frozen payload bytes, as the client serialises them once."""
    document = {"form_id": "cwac-marf", "form_version": "1.0.0",
                "answers": valid_answers() if answers is None else answers, **extra}
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode("utf-8")


def manifest_entry(data: bytes, content_type: str = "application/pdf", attachment_id: str | None = None):
    return {"id": attachment_id or str(uuid.uuid4()), "size": len(data),
            "sha256": hashlib.sha256(data).hexdigest(), "content_type": content_type}


def submission(payload: bytes | str, *, content_type: str = "application/json",
               attachments: list[dict[str, Any]] | None = None, form_version: str = "1.0.0") -> dict[str, Any]:
    return {"form_id": "cwac-marf", "form_version": form_version, "payload_content_type": content_type,
            "payload": payload.decode("utf-8") if isinstance(payload, bytes) else payload,
            "attachments": attachments or []}
