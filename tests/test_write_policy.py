"""``write-policy`` as the installers run it: empty properties, non-ASCII paths, upgrades over IT's edits."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from referral_desktop.cli import main
from referral_desktop.policy import read_policy_file

PIN = "sha256/rAzgJ2Vii2VNKiCnxpG7FNT0oMkAxAgbG8mWh71Up40="
BACKUP_PIN = "sha256/AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="


def write_policy(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["write-policy", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_msi_silent_install_with_only_api_url_passes_every_other_property_empty(tmp_path, capsys):
    # Exactly what the MSI's custom action runs when IT gives API_URL, RETENTION_DAYS, TEST_DEPLOYMENT
    # and LOG_LEVEL: every other property arrives as "".
    target = tmp_path / "policy.toml"
    code, _, err = write_policy(
        capsys, "--force", "--output", str(target), "--api-base-url", "https://127.0.0.1:8443",
        "--bearer-token-file", "", "--ca-bundle", "", "--certificate-pins", "", "--client-cert", "",
        "--client-key", "", "--iart-public-key", "", "--proxy-url", "", "--retention-days", "7",
        "--auto-lock-minutes", "", "--test-deployment", "1", "--log-level", "DEBUG",
    )
    assert code == 0, err
    written = tomllib.loads(target.read_text(encoding="utf-8"))
    assert written == {"api_base_url": "https://127.0.0.1:8443", "retention_days": 7, "test_deployment": True,
                       "log_level": "DEBUG"}


@pytest.mark.parametrize("option", ["--certificate-pins", "--retention-days", "--test-deployment", "--log-level",
                                    "--proxy-url", "--ca-bundle", "--auto-lock-minutes"])
def test_an_empty_or_blank_value_means_unset_for_every_option(tmp_path, capsys, option):
    target = tmp_path / "policy.toml"
    code, _, err = write_policy(capsys, "--output", str(target), "--api-base-url", "https://iart.example.gov.uk",
                                option, " ")
    assert code == 0, err
    assert tomllib.loads(target.read_text(encoding="utf-8")) == {"api_base_url": "https://iart.example.gov.uk"}


def test_non_ascii_paths_are_written_as_toml_the_app_reads_back(tmp_path, capsys):
    folder = tmp_path / "Zoë's certificates — Chester"
    folder.mkdir()
    bundle = folder / "ca.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n")
    target = tmp_path / "policy.toml"
    code, _, err = write_policy(capsys, "--output", str(target), "--api-base-url", "https://iart.example.gov.uk",
                                "--ca-bundle", str(bundle))
    assert code == 0, err
    assert "Zoë's certificates — Chester" in target.read_text(encoding="utf-8")  # written as itself, not escaped
    assert read_policy_file(target).ca_bundle == bundle.resolve()


def msi_upgrade(capsys, target: Path, *extra: str) -> tuple[int, str, str]:
    return write_policy(capsys, "--update", "--output", str(target), "--api-base-url", "https://iart.example.gov.uk",
                        "--certificate-pins", PIN, "--retention-days", "", "--proxy-url", "", *extra)


def test_an_upgrade_with_the_same_properties_keeps_it_s_hand_edits(tmp_path, capsys):
    target = tmp_path / "policy.toml"
    assert msi_upgrade(capsys, target)[0] == 0  # first install writes the file
    # IT adds the backup pin the README asks for, and a comment
    edited = target.read_text(encoding="utf-8").replace(
        f'certificate_pins = [\n    "{PIN}",\n]', f'certificate_pins = ["{PIN}", "{BACKUP_PIN}"]  # backup: spare key')
    assert BACKUP_PIN in edited
    target.write_text(edited, encoding="utf-8")

    code, out, err = msi_upgrade(capsys, target)
    assert code == 0, err
    assert target.read_text(encoding="utf-8") == edited  # untouched, comment and all
    assert "left as it is" in out
    assert not target.with_name("policy.toml.previous").exists()


def test_an_upgrade_that_changes_a_property_changes_only_that_and_keeps_the_previous_file(tmp_path, capsys):
    target = tmp_path / "policy.toml"
    target.write_text(f'api_base_url = "https://iart.example.gov.uk"\ncertificate_pins = ["{PIN}", "{BACKUP_PIN}"]\n'
                      "auto_lock_minutes = 3\n", encoding="utf-8")
    before = target.read_text(encoding="utf-8")

    code, out, err = msi_upgrade(capsys, target, "--log-level", "WARNING")
    assert code == 0, err
    assert "log_level" in out and "policy.toml.previous" in out
    policy = read_policy_file(target)
    assert policy.log_level == "WARNING"
    assert policy.auto_lock_minutes == 3 and len(policy.certificate_pins) == 2  # IT's settings kept
    assert target.with_name("policy.toml.previous").read_text(encoding="utf-8") == before


def test_an_upgrade_with_a_wrong_property_changes_nothing(tmp_path, capsys):
    target = tmp_path / "policy.toml"
    target.write_text('api_base_url = "https://iart.example.gov.uk"\n', encoding="utf-8")
    code, _, err = msi_upgrade(capsys, target, "--auto-lock-minutes", "500")
    assert code == 1 and "auto_lock_minutes" in err
    assert target.read_text(encoding="utf-8") == 'api_base_url = "https://iart.example.gov.uk"\n'
    assert not target.with_name("policy.toml.previous").exists()
