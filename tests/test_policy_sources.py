"""Policy through IT's own tools: the Windows registry (Group Policy / Intune) and macOS managed
preferences (configuration profiles), merged with the machine-wide file, checked by the same model."""

from __future__ import annotations

import plistlib
from pathlib import Path

import pytest

from referral_desktop.policy import PolicyError, load_policy
from referral_desktop.policy.managed_preferences import ManagedPreferencesSource
from referral_desktop.policy.windows_registry import POLICY_KEY, POLICY_KEY_LABEL, RegistrySource

PIN = "sha256/rAzgJ2Vii2VNKiCnxpG7FNT0oMkAxAgbG8mWh71Up40="
BACKUP_PIN = "sha256/AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="


class FakeRegistry:
    """HKEY_LOCAL_MACHINE as nested dicts: values by name, subkeys as dicts (what WinregReader returns)."""

    def __init__(self, keys: dict[str, dict] | None = None, error: OSError | None = None):
        self.keys = keys or {}
        self.error = error
        self.asked: list[str] = []

    def read_tree(self, key: str):
        self.asked.append(key)
        if self.error:
            raise self.error
        return self.keys.get(key)


def load(tmp_path: Path, *, registry: dict | None = None, file_text: str | None = None, plist: dict | None = None,
         path=None):
    machine = tmp_path / "machine" / "policy.toml"
    machine.parent.mkdir(exist_ok=True)
    if file_text is not None:
        machine.write_text(file_text, encoding="utf-8")
    sources = []
    if registry is not None:
        sources.append(RegistrySource(FakeRegistry({POLICY_KEY: registry}), base_dir=machine.parent))
    if plist is not None:
        plist_path = tmp_path / "org.referraldesktop.app.plist"
        plist_path.write_bytes(plistlib.dumps(plist))
        sources.append(ManagedPreferencesSource(plist_path, base_dir=machine.parent))
    return load_policy(path, environ={}, machine_path=machine, managed_sources=sources)


def test_registry_values_of_registry_types_become_the_policy(tmp_path):
    policy = load(tmp_path, registry={
        "api_base_url": "https://iart.example.gov.uk/v1",
        "certificate_pins": [PIN, BACKUP_PIN, ""],  # REG_MULTI_SZ, as regedit leaves a trailing empty string
        "test_deployment": 1,  # REG_DWORD
        "request_timeout_seconds": 45,  # a DWORD for a number of seconds
        "retention_days": 14,
        "ca_bundle": "ca.pem",  # relative: from the machine policy folder
        "privacy_notice": {"url": "https://example.gov.uk/privacy", "version": "2025-04"},  # a subkey
    })
    assert policy.api_base_url == "https://iart.example.gov.uk/v1"
    assert policy.certificate_pins == (PIN, BACKUP_PIN)
    assert policy.test_deployment is True and policy.request_timeout_seconds == 45.0
    assert policy.ca_bundle == tmp_path / "machine" / "ca.pem"
    assert policy.privacy_notice.version == "2025-04"
    assert policy.origins()["retention_days"] == ("registry", POLICY_KEY_LABEL)
    assert "auto_lock_minutes" not in policy.origins()  # a default


def test_the_registry_wins_over_the_machine_file_setting_by_setting(tmp_path):
    policy = load(tmp_path, file_text='api_base_url = "https://old.example.gov.uk"\nauto_lock_minutes = 3\n',
                  registry={"api_base_url": "https://iart.example.gov.uk/v1"})
    assert policy.api_base_url == "https://iart.example.gov.uk/v1"
    assert policy.auto_lock_minutes == 3
    machine = str(tmp_path / "machine" / "policy.toml")
    assert policy.origins() == {"api_base_url": ("registry", POLICY_KEY_LABEL), "auto_lock_minutes": ("file", machine)}


def test_a_wrong_registry_value_is_named_by_key_and_setting_and_never_shown(tmp_path):
    with pytest.raises(PolicyError) as caught:
        load(tmp_path, file_text="retention_days = 0\n",
             registry={"test_deployment": 2, "auto_lock_minutes": 500, "bearer_token": "s3cret-token",
                       "bearer_token_file": "token"})
    problems = caught.value.problems
    machine = str(tmp_path / "machine" / "policy.toml")
    assert f"{POLICY_KEY_LABEL}: test_deployment: must be true or false" in problems
    assert any(p.startswith(f"{POLICY_KEY_LABEL}: auto_lock_minutes: must be at most 60") for p in problems)
    assert any(p.startswith(f"{machine}: retention_days: must be at least 1") for p in problems)
    assert any(p.startswith(f"{POLICY_KEY_LABEL}: bearer_token_file:") for p in problems)
    assert "s3cret-token" not in str(caught.value)


def test_a_misspelt_registry_value_is_refused_by_name(tmp_path):
    with pytest.raises(PolicyError) as caught:
        load(tmp_path, registry={"retention_day": 7})
    assert caught.value.problems == [
        f"{POLICY_KEY_LABEL}: retention_day: is not a setting this version knows (check the spelling)"]


def test_a_registry_that_cannot_be_read_is_reported_not_ignored(tmp_path):
    machine = tmp_path / "policy.toml"
    source = RegistrySource(FakeRegistry(error=PermissionError(13, "Access is denied")))
    with pytest.raises(PolicyError) as caught:
        load_policy(environ={}, machine_path=machine, managed_sources=[source])
    assert str(caught.value).startswith(f"{POLICY_KEY_LABEL}: cannot be read")


def test_group_policy_can_forbid_a_user_policy(tmp_path):
    own = tmp_path / "own.toml"
    own.write_text('api_base_url = "https://elsewhere.example.org"\n', encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load(tmp_path, registry={"allow_user_policy": 0}, path=own)
    assert str(caught.value).startswith(f"{POLICY_KEY_LABEL}: allow_user_policy is false")
    assert load(tmp_path, registry={"retention_days": 5}, path=own).api_base_url == "https://elsewhere.example.org"


def test_no_registry_key_and_no_file_means_the_defaults(tmp_path):
    policy = load(tmp_path, registry=None)
    assert policy.api_base_url == "https://127.0.0.1:8443" and policy.origins() == {}
    empty = RegistrySource(FakeRegistry())
    assert load_policy(environ={}, machine_path=tmp_path / "none.toml", managed_sources=[empty]).origins() == {}


def test_managed_preferences_from_a_configuration_profile(tmp_path):
    policy = load(tmp_path, file_text="retention_days = 9\n", plist={
        "api_base_url": "https://iart.example.gov.uk/v1", "certificate_pins": [PIN], "test_deployment": True,
        "request_timeout_seconds": 20, "log_level": "warning",
    })
    assert policy.api_base_url == "https://iart.example.gov.uk/v1" and policy.certificate_pins == (PIN,)
    assert policy.test_deployment is True and policy.request_timeout_seconds == 20.0 and policy.log_level == "WARNING"
    assert policy.retention_days == 9
    plist_path = str(tmp_path / "org.referraldesktop.app.plist")
    assert policy.origins()["api_base_url"] == ("managed preferences", plist_path)


def test_wrong_managed_preferences_are_named_by_file_and_setting(tmp_path):
    with pytest.raises(PolicyError) as caught:
        load(tmp_path, plist={"retention_days": "thirty", "api_base_url": "http://iart.example.gov.uk"})
    plist_path = str(tmp_path / "org.referraldesktop.app.plist")
    assert any(p.startswith(f"{plist_path}: retention_days:") for p in caught.value.problems)
    assert any(p.startswith(f"{plist_path}: api_base_url: must use https://") for p in caught.value.problems)
    broken = tmp_path / "broken.plist"
    broken.write_bytes(b"not a plist")
    with pytest.raises(PolicyError, match="is not a property list"):
        load_policy(environ={}, machine_path=tmp_path / "x.toml", managed_sources=[ManagedPreferencesSource(broken)])


def test_this_machines_own_management_settings_are_not_read_on_linux(tmp_path, monkeypatch):
    from referral_desktop.policy import loading

    monkeypatch.setattr(loading.sys, "platform", "linux")
    assert loading.platform_managed_sources() == []
