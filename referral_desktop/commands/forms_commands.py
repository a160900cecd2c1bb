"""Headless commands of the forms area: ``validate FILE [--json]``, ``schema [FORM]`` and ``forms update``.

For integrators and IT: check an answers document exactly as the app checks it before sending, and get
the JSON Schema of an answers document (or of the form definition format itself). Output names answer
paths and says what to fix; it never repeats an answer, so it is safe to paste into a ticket.

``forms update`` asks the iART API for its current form definition, verifies its signature with the
policy's ``form_signing_key`` and keeps a new version in the profile's form cache. The cache holds form
definitions only, never personal data, so no passphrase is needed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date
from typing import Any

from referral_desktop.commands.answers_document import read_answers_document
from referral_desktop.domain.form_catalog import FormDefinitionError, UnknownForm, load_form, resolve_form
from referral_desktop.domain.validation import validate

_SAFE_NAME = re.compile(r"^[A-Za-z0-9._@-]{1,80}$")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Adds ``validate`` and ``schema``."""
    validate_parser = subparsers.add_parser(
        "validate",
        help="check an answers document against its form",
        description="Checks an answers document (JSON: form_id, form_version, answers) against its form. "
        "Exit 0 valid, 1 invalid (one 'path: message' line each), 2 unreadable or unknown form.",
    )
    validate_parser.add_argument("file", metavar="FILE", help="the answers document (JSON), or - for stdin")
    validate_parser.add_argument("--json", action="store_true", help="print the result as JSON")
    validate_parser.add_argument(
        "--today", metavar="YYYY-MM-DD", help="check dates as if today were this day (default: today)"
    )
    validate_parser.set_defaults(handler=run_validate)

    schema_parser = subparsers.add_parser(
        "schema",
        help="print the JSON Schema of an answers document",
        description="Prints the JSON Schema of an answers document for FORM (a form id for its latest "
        "version, or id@version), or with --definition the schema of the form definition format.",
    )
    schema_parser.add_argument("form", metavar="FORM", nargs="?", default="cwac-marf")
    schema_parser.add_argument(
        "--definition", action="store_true", help="print the schema of the form definition format instead"
    )
    schema_parser.set_defaults(handler=run_schema)

    forms_parser = subparsers.add_parser(
        "forms",
        help="form definition updates from the iART API",
        description="Form definitions: 'forms update' fetches the server's current form, verifies it "
        "with the policy's form_signing_key and keeps a new version in the profile.",
    )
    forms_actions = forms_parser.add_subparsers(dest="forms_action", metavar="ACTION")
    update_parser = forms_actions.add_parser(
        "update",
        help="fetch, verify and keep the server's current form definition",
        description="Ask the iART API (policy api_base_url) for its current form definition, verify its "
        "signature with the policy's form_signing_key and keep it in the profile when it is a new "
        "version. Prints the form id, version and whether it was accepted, with the reason. "
        "Exit 0 accepted or already known, 1 refused or the API could not answer, 2 bad policy file.",
    )
    update_parser.set_defaults(handler=run_forms_update)


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


def _safe(text: Any) -> str:
    return text if isinstance(text, str) and _SAFE_NAME.match(text) else "(not readable)"


def _policy(args: argparse.Namespace) -> Any:
    """The policy in force, or a sentence saying why it cannot be used."""
    from referral_desktop.policy import PolicyError, load_policy

    try:
        return load_policy(getattr(args, "policy", None))
    except PolicyError as exc:
        return str(exc)


def run_validate(args: argparse.Namespace) -> int:
    from referral_desktop.commands.profile_forms import offer_profile_forms

    document = read_answers_document(args.file)
    if isinstance(document, str):
        return _fail(document)
    policy = _policy(args)
    if isinstance(policy, str):
        return _fail(policy)
    offer_profile_forms(args, policy)  # a referral may be on a verified form update
    form_id, version = document["form_id"], document["form_version"]
    try:
        # Without its contacts first: whether answers are valid never depends on a form's text (a test
        # checks it on every example), and filling it in loads the contact directory (~16 ms).
        form = load_form(form_id, version, fill_contacts=False)
    except UnknownForm:
        return _fail(f"Unknown form {_safe(form_id)}@{_safe(version)}: this version of the app does not have it.")
    except FormDefinitionError as exc:
        return _fail(f"The form definition is broken: {exc}")
    today = date.today()
    if args.today:
        try:
            today = date.fromisoformat(args.today)
        except ValueError:
            return _fail("--today must be a date like 2025-06-02.")
    test_deployment = bool(getattr(policy, "test_deployment", False))
    result = validate(form, document["answers"], today=today, test_deployment=test_deployment)
    filled = form if result.is_valid else load_form(form_id, version)
    if filled is not form:  # the messages to print, exactly as the app words them: with the contacts
        form = filled
        result = validate(form, document["answers"], today=today, test_deployment=test_deployment)
    if args.json:
        print(json.dumps({
            "form_id": form.form_id,
            "form_version": form.version,
            "valid": result.is_valid,
            "errors": [
                {"path": e.path, "message": e.message, "section_id": e.section_id} for e in result.errors
            ],
        }, indent=2))
    elif result.is_valid:
        print(f"Valid: the answers meet every rule of {form.form_id} {form.version}.")
    else:
        for error in result.errors:
            print(f"{error.path}: {error.message}")
    return 0 if result.is_valid else 1


def run_schema(args: argparse.Namespace) -> int:
    # Here, not at the top: ``validate`` (the same module) does not need the schema builders.
    from referral_desktop.domain.answers import answers_schema
    from referral_desktop.domain.form_definition import definition_json_schema

    if args.definition:
        print(json.dumps(definition_json_schema(), indent=2, ensure_ascii=False))
        return 0
    try:
        form = resolve_form(args.form)
    except UnknownForm:
        return _fail(f"Unknown form {_safe(args.form)}: give a form id (cwac-marf) or id@version.")
    except FormDefinitionError as exc:
        return _fail(f"The form definition is broken: {exc}")
    print(json.dumps(answers_schema(form), indent=2, ensure_ascii=False))
    return 0


def run_forms_update(args: argparse.Namespace) -> int:
    from referral_desktop.policy import PolicyError, PolicyUnreadable, load_policy
    from referral_desktop.profile_location import resolve_profile_dir
    from referral_desktop.sync.errors import TransportError
    from referral_desktop.sync.form_updates import fetch_form_update, forms_cache_dir

    try:
        policy = load_policy(getattr(args, "policy", None))
    except PolicyUnreadable as exc:
        return _fail(str(exc))
    except PolicyError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    cache_dir = forms_cache_dir(resolve_profile_dir(getattr(args, "profile", None)))
    client = None
    try:
        if policy.form_signing_key:  # without a key nothing is accepted: the server is not asked
            from referral_desktop.sync.api_client import ApiClient

            client = ApiClient.from_policy(policy)
        result = fetch_form_update(client, policy, cache_dir)
    except TransportError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    except PolicyError as exc:  # e.g. the bearer token file named by the policy cannot be read
        print(str(exc), file=sys.stderr)
        return 1
    finally:
        if client is not None:
            client.close()
    outcome = result.status.value.replace("_", " ")
    if result.form_id and result.version:
        print(f"{result.form_id} {result.version}: {outcome}. {result.reason}")
    else:
        print(f"Form update {outcome}. {result.reason}")
    return 1 if result.refused else 0
