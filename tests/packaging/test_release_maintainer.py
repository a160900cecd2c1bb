"""The packages' Maintainer: set in one place (pyproject, or DEBFULLNAME/DEBEMAIL for a build), and a
build that may be published refuses a placeholder address unless it is marked ``--test-build``."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
BUILD_INSTALLER = REPO / "build" / "build_installer.py"
WORKFLOW = REPO / ".github" / "workflows" / "installers.yml"

pytestmark = pytest.mark.packaging


def _module(name: str):
    spec = importlib.util.spec_from_file_location(name, REPO / "build" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _env(**overrides: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBEMAIL", "DEBFULLNAME")}
    env.update(overrides)
    return env


@pytest.mark.parametrize("identity", [
    "Referral Desktop maintainers <referral-desktop@example.org>",  # pyproject's today
    "Seed maintainers <maintainers@users.noreply.r-seed-4f0c32e4.example>",  # the commits' author
    "A Person <someone@example.com>", "A Person <someone@mail.example.net>", "A Person <a@b.invalid>",
    "A Person <a@build.test>", "A Person <a@localhost>", "A Person <a@EXAMPLE.ORG.>",
    "someone@nhs.uk",  # no name: not a Maintainer field
])
def test_a_placeholder_is_refused_with_the_reason(identity):
    maintainer = _module("maintainer")
    assert maintainer.placeholder_reason(identity)
    message = maintainer.refusal(identity)
    assert "DEBEMAIL" in message and "--test-build" in message and identity in message


@pytest.mark.parametrize("identity", [
    "Release Owner <release.owner@referral-desktop.org.uk>",
    "Release Owner <owner@examples.co.uk>",  # a real domain that merely contains "example"
    "Release Owner <owner@notexample.org>",
])
def test_an_address_that_can_reach_someone_passes(identity):
    maintainer = _module("maintainer")
    assert maintainer.placeholder_reason(identity) is None and maintainer.refusal(identity) is None


def test_the_identity_is_pyprojects_first_maintainer_unless_debemail_is_set(monkeypatch):
    import tomllib

    maintainer = _module("maintainer")
    first = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["maintainers"][0]
    monkeypatch.delenv("DEBEMAIL", raising=False)
    monkeypatch.setenv("DEBFULLNAME", "Ignored Without An Address")
    assert maintainer.maintainer() == f"{first['name']} <{first['email']}>"
    monkeypatch.setenv("DEBEMAIL", "release.owner@referral-desktop.org.uk")
    monkeypatch.setenv("DEBFULLNAME", "Release Owner")
    assert maintainer.maintainer() == "Release Owner <release.owner@referral-desktop.org.uk>"


def test_a_build_to_publish_stops_before_building_and_names_the_variable(tmp_path):
    """The real entry point, as the release workflow runs it: with pyproject's placeholder it exits 2 at
    once, naming DEBEMAIL, and nothing is built."""
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, str(BUILD_INSTALLER), "--out", str(out)],
                            capture_output=True, text=True, env=_env(), timeout=60)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "example.org is a domain reserved for examples" in result.stderr
    assert "Set DEBEMAIL (and DEBFULLNAME)" in result.stderr
    assert not (out / "dist").exists()

    also_placeholder = subprocess.run([sys.executable, str(BUILD_INSTALLER), "--out", str(out)],
                                      capture_output=True, text=True, env=_env(DEBEMAIL="me@laptop.invalid"))
    assert also_placeholder.returncode == 2 and "laptop.invalid" in also_placeholder.stderr


@pytest.mark.parametrize(("flags", "env"), [
    (["--test-build"], {}),  # a marked test build goes on with the placeholder
    ([], {"DEBEMAIL": "release.owner@referral-desktop.org.uk", "DEBFULLNAME": "Release Owner"}),  # a real one
])
def test_a_test_build_or_a_real_maintainer_gets_past_the_gate(tmp_path, flags, env):
    """Past the gate, asked to re-pack a bundle that is not there, it stops at the next step instead
    (which shows the gate let it through without building for minutes)."""
    result = subprocess.run([sys.executable, str(BUILD_INSTALLER), "--out", str(tmp_path), "--skip-bundle", *flags],
                            capture_output=True, text=True, env=_env(**env), timeout=60)
    assert "no bundle at" in result.stderr and "Not building a package to publish" not in result.stderr


def test_a_test_builds_changelog_says_it_is_not_for_publishing():
    build_installer = _module("build_installer")
    test_build = build_installer.changelog_text(True, "Fri, 27 Nov 2026 21:00:00 +0000")
    release = build_installer.changelog_text(False, "Fri, 27 Nov 2026 21:00:00 +0000")
    assert "  * Test build (--test-build): not for publishing.\n" in test_build
    assert "Test build" not in release and "@" not in release.replace(build_installer.maintainer(), "")
    assert release.rstrip().endswith(f" -- {build_installer.maintainer()}  Fri, 27 Nov 2026 21:00:00 +0000")


def test_the_workflow_publishes_only_from_a_tag_with_the_maintainer_variables():
    yaml = pytest.importorskip("ruamel.yaml")
    workflow = yaml.YAML(typ="safe").load(WORKFLOW.read_text(encoding="utf-8"))
    assert workflow["env"]["TEST_BUILD"] == "${{ github.ref_type != 'tag' }}"
    assert workflow["env"]["DEBEMAIL"] == "${{ secrets.DEBEMAIL }}"
    assert workflow["env"]["DEBFULLNAME"] == "${{ secrets.DEBFULLNAME }}"
    builds = [step["run"] for job in workflow["jobs"].values() for step in job["steps"]
              if "build/build_installer.py" in step.get("run", "")]
    assert len(builds) == 3  # Windows: bundle, then MSI; macOS: bundle and pkg
    for script in builds:  # each passes --test-build exactly when TEST_BUILD is true
        assert "--test-build" in script and "TEST_BUILD" in script, script
