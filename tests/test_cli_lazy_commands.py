"""Sub-command modules are imported only when their sub-command runs: ``--help`` lists the light table,
``validate`` loads the validator but not the store, the sync client or (without a signing key in the
policy) the form-update machinery. The table must say exactly what the modules register."""

from __future__ import annotations

import argparse
import importlib
import json
import subprocess
import sys
from pathlib import Path

from referral_desktop import cli
from referral_desktop.bundled_data import forms_dir

REPO = Path(__file__).resolve().parents[1]

#: Runs cli.main(argv) in a fresh interpreter and prints which of the watched modules it loaded.
PROBE = """
import json, sys
from referral_desktop.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
watched = [m for m in sys.modules if m.startswith((
    "referral_desktop.commands.", "referral_desktop.store", "referral_desktop.sync", "referral_desktop.ui",
    "referral_desktop.domain", "referral_desktop.policy", "pydantic", "jose", "jwcrypto", "requests", "holidays", "email_validator",
    "phonenumbers", "stdnum")) and type(sys.modules[m]).__name__ != "_RefusingLoader"]  # not pydantic's
print(json.dumps({"code": code, "loaded": watched}), file=sys.stderr)
"""


def _run(tmp_path: Path, *argv: str) -> tuple[dict, str]:
    env = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, cwd=REPO,
                            env=env, timeout=120)
    return json.loads(result.stderr.strip().splitlines()[-1]), result.stdout


def _policy(tmp_path: Path, extra: str = "") -> Path:
    policy = tmp_path / "policy.toml"
    policy.write_text('api_base_url = "https://iart.example.org/v1"\n' + extra, encoding="utf-8")
    return policy


def test_the_table_says_what_each_module_registers():
    for module in cli.COMMAND_MODULES:
        parser = argparse.ArgumentParser()
        subparsers = parser.add_subparsers(dest="command")
        importlib.import_module(module).register(subparsers)
        registered = {(action.dest, action.help) for action in subparsers._choices_actions}  # noqa: SLF001
        assert registered == {(c.name, c.help) for c in cli.COMMANDS if c.module == module}, module


def test_help_lists_every_command_without_importing_any(tmp_path):
    result, out = _run(tmp_path, "--help")
    assert result["code"] == 0
    assert all(c.name in out for c in cli.COMMANDS)
    assert result["loaded"] == []


def test_validate_imports_neither_the_store_nor_sync_nor_form_updates_without_a_signing_key(tmp_path):
    document = forms_dir() / "examples" / "valid-route-a.json"
    result, out = _run(tmp_path, "--policy", str(_policy(tmp_path)), "validate", str(document))
    assert result["code"] == 0 and out.startswith("Valid")
    loaded = result["loaded"]
    assert "referral_desktop.commands.forms_commands" in loaded
    # The bank-holiday calendar (~20 ms to import) is for deadlines and opening hours, not for answers.
    assert not [m for m in loaded if m.startswith(("referral_desktop.store", "referral_desktop.sync",
                                                    "referral_desktop.ui", "jose", "jwcrypto", "requests",
                                                    "holidays"))]
    assert {m for m in loaded if m.startswith("referral_desktop.commands.")} <= {
        "referral_desktop.commands.forms_commands", "referral_desktop.commands.answers_document",
        "referral_desktop.commands.profile_forms"}
    # Form 1.0.0 names no contact in its text: the contact directory (pydantic models) is not loaded.
    assert "referral_desktop.domain.contacts" not in loaded
    # Of the policy package, only what loading a policy needs (not its schema, user settings, key checks).
    assert "referral_desktop.policy.loading" in loaded
    assert not {"referral_desktop.policy.schema", "referral_desktop.policy.user_settings",
                "referral_desktop.policy.referenced_files"} & set(loaded)


def test_the_policy_package_offers_every_name_it_lists():
    """Its names are imported from their modules when first asked for (a table in policy/__init__.py)."""
    import referral_desktop.policy as policy

    assert sorted(policy.__all__) == sorted(policy._MODULE_OF)  # noqa: SLF001
    for name in policy.__all__:
        module = importlib.import_module(f"referral_desktop.policy.{policy._MODULE_OF[name]}")  # noqa: SLF001
        assert getattr(policy, name) is getattr(module, name)


def test_validate_loads_the_contacts_only_to_word_the_messages_of_answers_not_valid(tmp_path):
    """Valid answers on form 1.1.0 (whose text names contacts) print no message: the contact directory
    is not loaded (tests/domain/test_validity_without_contacts.py: validity never depends on it)."""
    document = forms_dir() / "examples" / "1.1.0" / "valid-route-a.json"
    result, out = _run(tmp_path, "--policy", str(_policy(tmp_path)), "validate", str(document))
    assert result["code"] == 0 and out.startswith("Valid")
    assert "referral_desktop.domain.contacts" not in result["loaded"]
    result, out = _run(tmp_path, "--policy", str(_policy(tmp_path)), "validate", "--json", str(document))
    assert result["code"] == 0 and json.loads(out)["valid"] is True


def test_validate_on_a_form_that_names_contacts_fills_them_in(tmp_path):
    """Form 1.1.0's text refers to contacts (``{contact:iart.number}``): its messages show the numbers."""
    document = json.loads((forms_dir() / "examples" / "1.1.0" / "valid-route-a.json").read_text(encoding="utf-8"))
    document["answers"]["immediate_danger"] = "yes"  # the rule whose message names who to phone
    path = tmp_path / "danger.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result, out = _run(tmp_path, "--policy", str(_policy(tmp_path)), "validate", str(path))
    assert result["code"] == 1
    assert "referral_desktop.domain.contacts" in result["loaded"]
    assert out and "{contact:" not in out


def test_validate_imports_an_identifier_library_only_for_answers_that_need_it(tmp_path):
    """email-validator (~18 ms), phonenumbers (~14 ms) and python-stdnum (~7 ms) are imported by the
    first answer of their kind: a referral without e-mail addresses does not pay for email-validator."""
    document = json.loads((forms_dir() / "examples" / "valid-route-a.json").read_text(encoding="utf-8"))
    result, _ = _run(tmp_path, "--policy", str(_policy(tmp_path)), "validate",
                     str(forms_dir() / "examples" / "valid-route-a.json"))
    assert result["code"] == 0
    assert {"email_validator", "phonenumbers", "stdnum"} <= set(result["loaded"])

    answers = document["answers"]
    del answers["referrer_email"]  # required: the referral is refused, and says so
    for professional in answers.get("professionals", []):
        professional.pop("professional_email", None)
    path = tmp_path / "no-email.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result, out = _run(tmp_path, "--policy", str(_policy(tmp_path)), "validate", str(path))
    assert result["code"] == 1 and "referrer_email" in out
    assert "email_validator" not in result["loaded"]
    assert {"phonenumbers", "stdnum"} <= set(result["loaded"])

    path.write_text(json.dumps({**document, "answers": {}}), encoding="utf-8")
    result, _ = _run(tmp_path, "--policy", str(_policy(tmp_path)), "validate", str(path))
    assert result["code"] == 1
    assert not [m for m in result["loaded"] if m.startswith(("email_validator", "phonenumbers", "stdnum"))]


def test_validate_with_a_signing_key_still_offers_the_profile_s_verified_forms(tmp_path, monkeypatch):
    from referral_desktop.commands import profile_forms

    offered = []
    monkeypatch.setattr("referral_desktop.sync.form_updates.use_verified_cache",
                        lambda profile, policy: offered.append(policy.form_signing_key))
    policy = type("P", (), {"form_signing_key": "a key"})()
    profile_forms.offer_profile_forms(argparse.Namespace(profile=str(tmp_path)), policy)
    assert offered == ["a key"]


def test_a_command_s_own_help_and_errors_still_come_from_its_module(tmp_path):
    result, out = _run(tmp_path, "send", "--help")
    assert result["code"] == 0 and "Drain the outbox once" in out
    assert "referral_desktop.commands.sync_commands" in result["loaded"]
    assert "referral_desktop.commands.store_commands" not in result["loaded"]
    args = cli.build_parser("send", everything=False).parse_args(["send"])
    assert args.command == "send" and callable(args.handler)


def test_a_name_replaced_for_a_while_in_a_policy_module_is_not_left_behind_in_the_package(monkeypatch):
    import referral_desktop.policy as policy
    from referral_desktop.policy import schema

    real = schema.policy_schema
    with monkeypatch.context() as patch:
        patch.setattr(schema, "policy_schema", lambda: "replaced")
        assert policy.policy_schema() == "replaced"
    assert policy.policy_schema is real
