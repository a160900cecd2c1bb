"""Contract route for the current form definition, signed (ES256, detached JWS) with the sandbox's key.

The published form is the newest bundled version, or a ``form_file`` served exactly as it is (even
broken: clients must refuse it) for testing form updates.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request, Response
from joserfc import jws

from referral_desktop.bundled_data import forms_dir
from referral_desktop.domain.api_contract import ProblemType, SignedFormDefinition
from referral_desktop.domain.form_catalog import available_forms
from referral_desktop.sandbox.auth import require_client
from referral_desktop.sandbox.context import SandboxContext, context_of
from referral_desktop.sandbox.problems import ProblemError, model_response

router = APIRouter()


def _latest_form_file(form_id: str) -> tuple[str, str]:
    versions = available_forms(forms_dir()).get(form_id) or []
    if not versions:
        raise ProblemError(404, ProblemType.NOT_FOUND, "No form definition is published")
    version = versions[-1]
    return version, (forms_dir() / form_id / f"{version}.json").read_text(encoding="utf-8")


def _published_file(path: Path, default_form_id: str) -> tuple[str, str, str]:
    """(form id, version, exact text) of a ``form_file``: served as it is, even when broken (the client
    must refuse it); its id and version are read from it when it has them."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise ProblemError(404, ProblemType.NOT_FOUND, "No form definition is published") from None
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    data = data if isinstance(data, dict) else {}
    form_id = data["form_id"] if isinstance(data.get("form_id"), str) else default_form_id
    version = data["version"] if isinstance(data.get("version"), str) else "0.0.0"
    return form_id, version, text


def _current_form(ctx: SandboxContext) -> tuple[str, str, str]:
    """(form id, version, exact text) of the form to publish."""
    if ctx.form_file is not None:
        return _published_file(ctx.form_file, ctx.form_id)
    version, text = _latest_form_file(ctx.form_id)
    return ctx.form_id, version, text


class PublishedFormFile:
    """The ``form_file`` as a form source, so that referrals made on the version it publishes are
    validated against it (registered with the form catalog by the server runner)."""

    def __init__(self, path: Path, default_form_id: str = "cwac-marf") -> None:
        self.path = path
        self.default_form_id = default_form_id

    def _current(self) -> tuple[str, str, str] | None:
        try:
            return _published_file(self.path, self.default_form_id)
        except ProblemError:
            return None

    def form_versions(self) -> dict[str, list[str]]:
        current = self._current()
        return {current[0]: [current[1]]} if current else {}

    def definition_text(self, form_id: str, version: str) -> str | None:
        current = self._current()
        return current[2] if current and current[:2] == (form_id, version) else None


@router.get("/v1/forms/current")
async def current_form(request: Request) -> Response:
    ctx = context_of(request)
    require_client(ctx, request)
    form_id, version, text = _current_form(ctx)
    key = ctx.secrets.form_signing_key
    kid = key.kid
    header: dict[str, Any] = {"alg": "ES256"}
    if kid:
        header["kid"] = kid
    signature = jws.detach_content(jws.serialize_compact(header, text.encode("utf-8"), key))
    return model_response(
        SignedFormDefinition(
            form_id=form_id, version=version, definition=text, signature=signature,
            algorithm="ES256", key_id=kid,
        )
    )
