"""The forms commands as IT and integrators run them: real process, real files, exit codes, no values echoed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from referral_desktop.bundled_data import forms_dir
from referral_desktop.cli import main

EXAMPLES = forms_dir() / "examples"


def _run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "referral_desktop", *args], capture_output=True, text=True, input=stdin, timeout=60
    )


def test_validate_valid_example_in_a_real_process():
    result = _run("validate", str(EXAMPLES / "valid-route-b.json"))
    assert result.returncode == 0, result.stderr
    assert "Valid" in result.stdout


def test_validate_invalid_example_prints_path_and_message(capsys):
    code = main(["validate", str(EXAMPLES / "invalid-route-b-without-tool.json"), "--today", "2025-06-02"])
    out = capsys.readouterr().out
    assert code == 1
    assert out.splitlines() == [
        "assessment_tool_used: Routes b and c need an evidence-based assessment tool: complete one first, "
        "or choose route a if the child is at risk of significant harm"
    ]


def test_validate_json_output(capsys):
    code = main(["validate", str(EXAMPLES / "invalid-no-children.json"), "--json", "--today", "2025-06-02"])
    result = json.loads(capsys.readouterr().out)
    assert code == 1
    assert result == {
        "form_id": "cwac-marf",
        "form_version": "1.0.0",
        "valid": False,
        "errors": [{"path": "children", "message": "Add at least one child", "section_id": "children"}],
    }


def test_every_example_through_the_command(capsys):
    expected = json.loads((EXAMPLES / "expected-errors.json").read_text(encoding="utf-8"))
    for path in sorted(EXAMPLES.glob("*-*.json")):
        if path.name == "expected-errors.json":
            continue
        code = main(["validate", str(path), "--json", "--today", expected["today"]])
        result = json.loads(capsys.readouterr().out)
        if path.name.startswith("valid-"):
            assert code == 0 and result["valid"], path.name
        else:
            assert code == 1, path.name
            assert [e["path"] for e in result["errors"]] == [expected["expected"][path.name]]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON (line 1, column 2)"),
        ("[1, 2]", "not an answers document"),
        ('{"form_id": "cwac-marf", "answers": {}}', "has no form_version"),
        ('{"form_id": "cwac-marf", "form_version": "1.0.0", "answers": []}', "answers must be a JSON object"),
        ('{"form_id": "nope", "form_version": "1.0.0", "answers": {}}', "Unknown form nope@1.0.0"),
        ('{"form_id": "cwac-marf", "form_version": "7.0.0", "answers": {}}', "Unknown form cwac-marf@7.0.0"),
        ('{"form_id": "Zebedee Sentinel", "form_version": "1", "answers": {}}', "Unknown form (not readable)"),
    ],
)
def test_unreadable_documents_exit_2(tmp_path: Path, capsys, content, message):
    path = tmp_path / "doc.json"
    path.write_text(content, encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Traceback" not in captured.err and "Zebedee" not in captured.err


def test_missing_file_exits_2(tmp_path: Path, capsys):
    assert main(["validate", str(tmp_path / "absent.json")]) == 2
    assert "Cannot read the file" in capsys.readouterr().err


def test_validate_reads_stdin_and_never_echoes_values():
    document = json.loads((EXAMPLES / "valid-route-a.json").read_text(encoding="utf-8"))
    document["answers"]["referrer_email"] = "Zebedee-Sentinel-4711"
    document["answers"]["children"][0]["nhs_number"] = "Zebedee-Sentinel-4711"
    result = _run("validate", "-", stdin=json.dumps(document))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "referrer_email: Enter your email address in the correct format, like name@example.com",
        "children[0].nhs_number: Enter an NHS number with 10 digits",
    ]
    assert "Zebedee" not in result.stdout + result.stderr


def test_test_deployment_comes_from_policy(tmp_path: Path, capsys):
    document = json.loads((EXAMPLES / "valid-route-a.json").read_text(encoding="utf-8"))
    document["answers"]["children"][0]["nhs_number"] = "9990000018"
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    empty_policy = tmp_path / "policy.toml"
    empty_policy.write_text("", encoding="utf-8")
    assert main(["--policy", str(empty_policy), "validate", str(path)]) == 1
    test_policy = tmp_path / "test-policy.toml"
    test_policy.write_text("test_deployment = true\n", encoding="utf-8")
    assert main(["--policy", str(test_policy), "validate", str(path)]) == 0
    capsys.readouterr()


def test_schema_of_answers_document(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    answers = schema["properties"]["answers"]["properties"]
    assert schema["properties"]["form_version"] == {"const": "1.1.0"}  # new referrals use 1.1.0
    assert answers["route"]["anyOf"][0]["enum"] == ["a", "b", "c"]
    assert answers["children"]["maxItems"] == 12
    assert answers["children"]["items"]["properties"]["date_of_birth"]["anyOf"][0]["format"] == "date"
    assert main(["schema", "cwac-marf@1.1.0"]) == 0
    assert json.loads(capsys.readouterr().out) == schema
    assert main(["schema", "cwac-marf@1.0.0"]) == 0
    assert json.loads(capsys.readouterr().out)["properties"]["form_version"] == {"const": "1.0.0"}


def test_schema_of_the_definition_format(capsys):
    assert main(["schema", "--definition"]) == 0
    published = json.loads((forms_dir() / "form-definition.schema.json").read_text(encoding="utf-8"))
    assert json.loads(capsys.readouterr().out) == published


def test_schema_of_unknown_form_exits_2(capsys):
    assert main(["schema", "cwac-marf@2.0.0"]) == 2
    assert "Unknown form cwac-marf@2.0.0" in capsys.readouterr().err
