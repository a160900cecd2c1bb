"""``referral-desktop policy check`` and ``policy schema``, run as IT would run them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from referral_desktop.bundled_data import resource_path
from referral_desktop.cli import main
from referral_desktop.policy import POLICY_ENV, Policy


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_valid_file_exits_0(capsys):
    path = resource_path("policy-examples/pilot-sandbox.toml")
    code, out, err = run(capsys, "policy", "check", str(path))
    assert code == 0, err
    assert out.startswith(f"{path}: valid")


def test_check_invalid_file_exits_1_with_one_line_per_problem(tmp_path, capsys):
    path = tmp_path / "policy.toml"
    path.write_text('retention_days = 0\nbearer_token = "SENTINEL-secret"\nauto_lok_minutes = 3\n')
    code, out, err = run(capsys, "policy", "check", str(path))
    assert code == 1
    assert out == ""
    assert err.splitlines() == [
        f"{path}: retention_days: must be at least 1",
        f"{path}: auto_lok_minutes: is not a setting this version knows (check the spelling)",
    ]
    assert "SENTINEL" not in err and "Traceback" not in err


def test_check_unreadable_file_exits_2(tmp_path, capsys):
    code, _, err = run(capsys, "policy", "check", str(tmp_path / "absent.toml"))
    assert code == 2
    assert err.strip() == f"{tmp_path / 'absent.toml'}: no such file"


def test_check_reports_missing_files_unless_settings_only(capsys):
    path = resource_path("policy-examples/production.toml")
    code, _, err = run(capsys, "policy", "check", str(path))
    if code == 1:  # the example names files under /etc/referral-desktop that this machine lacks
        assert "ca_bundle: the file /etc/referral-desktop/ca-bundle.pem does not exist" in err
    code, out, err = run(capsys, "policy", "check", "--settings-only", str(path))
    assert code == 0, err
    assert "valid (settings are correct)" in out


def test_check_without_file_uses_the_policy_in_force(tmp_path, capsys, monkeypatch):
    path = tmp_path / "p.toml"
    path.write_text("auto_lock_minutes = 0\n")
    monkeypatch.setenv(POLICY_ENV, str(path))
    code, _, err = run(capsys, "policy", "check")
    assert code == 1 and "auto_lock_minutes: must be at least 1" in err
    good = tmp_path / "good.toml"
    good.write_text("auto_lock_minutes = 2\n")
    code, out, _ = run(capsys, "--policy", str(good), "policy", "check")
    assert code == 0 and str(good) in out


def test_schema_is_json_schema_of_the_model(capsys):
    code, out, _ = run(capsys, "policy", "schema")
    assert code == 0
    schema = json.loads(out)
    assert schema["title"] == "Referral Desktop deployment policy"
    assert set(schema["properties"]) == set(Policy.model_fields)


def test_policy_without_action_is_a_usage_error(capsys):
    code, _, err = run(capsys, "policy")
    assert code == 2 and "check" in err


@pytest.mark.parametrize("name", ["pilot-sandbox.toml", "production.toml"])
def test_console_entry_point(name):
    path = resource_path(f"policy-examples/{name}")
    result = subprocess.run(
        [sys.executable, "-m", "referral_desktop", "policy", "check", "--settings-only", str(path)],
        capture_output=True, text=True, cwd=Path(__file__).parent,
    )
    assert result.returncode == 0, result.stderr


def test_schema_is_one_that_intune_and_jamf_editors_accept_and_checks_what_it_can(capsys):
    import tomllib

    import jsonschema

    code, out, _ = run(capsys, "policy", "schema")
    schema = json.loads(out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert "$ref" not in out and '"null"' not in out  # those editors follow neither
    for name, prop in schema["properties"].items():
        assert prop.get("title") and prop["title"] != name.replace("_", " ").title(), name  # a human title
        assert prop.get("description"), name
    validator = jsonschema.Draft202012Validator(schema)
    for example in ("pilot-sandbox.toml", "production.toml"):
        data = tomllib.loads(resource_path(f"policy-examples/{example}").read_text(encoding="utf-8"))
        assert not list(validator.iter_errors(data)), example
    wrong = {"certificate_pins": ["sha256/not-a-pin"], "api_base_url": "ftp://iart.example.gov.uk",
             "retention_days": 0, "retention_day": 7}
    flagged = {error.path[0] if error.path else error.validator for error in validator.iter_errors(wrong)}
    assert flagged == {"certificate_pins", "api_base_url", "retention_days", "additionalProperties"}
