"""The deployment policy: defaults, where it is found, every check naming file and setting, user bounds."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from referral_desktop.bundled_data import resource_path
from referral_desktop.domain.contacts import load_contacts
from referral_desktop.policy import (
    DEFAULT_ALLOWED_TYPES,
    POLICY_ENV,
    Policy,
    PolicyError,
    PolicyUnreadable,
    UserSettings,
    check_referenced_files,
    effective_settings,
    load_policy,
    machine_policy_path,
    policy_reference_markdown,
    policy_schema,
    read_policy_file,
)

REPO = Path(__file__).resolve().parents[1]
PIN = "sha256/rAzgJ2Vii2VNKiCnxpG7FNT0oMkAxAgbG8mWh71Up40="


def write(tmp_path: Path, text: str, name: str = "policy.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(tmp_path: Path, text: str) -> list[str]:
    path = write(tmp_path, text)
    with pytest.raises(PolicyError) as caught:
        read_policy_file(path)
    assert not isinstance(caught.value, PolicyUnreadable)
    for line in caught.value.problems:
        assert line.startswith(f"{path}: "), line
        assert "Traceback" not in line and "pydantic" not in line and "errors.pydantic.dev" not in line
    return [line.removeprefix(f"{path}: ") for line in caught.value.problems]


def test_defaults_point_at_the_local_sandbox():
    policy = Policy()
    assert policy.api_base_url == "https://127.0.0.1:8443"
    assert policy.retention_days == 30
    assert policy.auto_lock_minutes == 5
    assert policy.test_deployment is False
    assert policy.attachment_allowed_types == DEFAULT_ALLOWED_TYPES
    assert "application/pdf" in policy.attachment_allowed_types and "text/plain" in policy.attachment_allowed_types
    assert policy.source is None


def test_policy_is_frozen():
    policy = Policy()
    with pytest.raises(ValidationError):
        policy.retention_days = 1  # type: ignore[misc]


@pytest.mark.parametrize("name", ["pilot-sandbox.toml", "production.toml"])
def test_example_policies_load(name):
    policy = read_policy_file(resource_path(f"policy-examples/{name}"))
    assert policy.source.name == name
    assert policy.api_base_url.startswith("https://")


def test_production_example_fixes_the_important_settings():
    policy = read_policy_file(resource_path("policy-examples/production.toml"))
    assert not policy.allow_user_policy and not policy.test_deployment
    assert len(policy.certificate_pins) == 2
    assert policy.privacy_notice.version and policy.privacy_notice.url
    assert load_contacts(policy.contacts).service("edt").numbers[1].verify is False


def test_pilot_example_is_a_test_deployment():
    assert read_policy_file(resource_path("policy-examples/pilot-sandbox.toml")).test_deployment


@pytest.mark.parametrize(
    "text, expected",
    [
        ("retention_days = 0", "retention_days: must be at least 1"),
        ("retention_days = 5000", "retention_days: must be at most 3650"),
        ('retention_days = "30"', "retention_days: must be a whole number"),
        ("auto_lock_minutes = 0", "auto_lock_minutes: must be at least 1"),
        ("auto_lock_minutes = 61", "auto_lock_minutes: must be at most 60"),
        ("retention_day = 7", "retention_day: is not a setting this version knows (check the spelling)"),
        ('test_deployment = "no"', "test_deployment: must be true or false"),
        ('api_base_url = "http://iart.example.org"', "api_base_url: must use https://"),
        ('api_base_url = "ftp://iart.example.org"', "api_base_url: must be an https:// address"),
        ('api_base_url = "https://user:pw@iart.example.org"', "api_base_url: must not contain a user name"),
        ('certificate_pins = ["abc"]', "certificate_pins[0]: must be the SHA-256 of a server's public key"),
        ('client_key = "/k.pem"', "client_key: needs client_cert as well"),
        ('bearer_token = "x"\nbearer_token_file = "/t"', "bearer_token_file: set bearer_token or bearer_token_file, not both"),
        ('bearer_token = "  "', "bearer_token: must not be empty"),
        ("request_timeout_seconds = 0", "request_timeout_seconds: must be at least 1"),
        ('attachment_allowed_types = ["pdf"]', "attachment_allowed_types[0]: must be a media type"),
        ("attachment_allowed_types = []", "attachment_allowed_types: must not be empty"),
        ('log_level = "LOUD"', "log_level: must be one of"),
        ('ca_bundle = ""', "ca_bundle: must not be empty"),
        ('[privacy_notice]\nurl = "https://example.gov.uk/notice"', "privacy_notice: version: is required"),
        ('[privacy_notice]\nurl = "http://example.gov.uk/notice"\nversion = "1"', "privacy_notice.url: must be an https:// address"),
        ('[contacts.services.iart]\nnumbers = []', "contacts: services.iart.numbers: must not be empty"),
        ('[contacts.services.edt.hours]\nbank_holidays = "never"', "contacts: services.edt.hours.bank_holidays: must be one of"),
    ],
)
def test_each_mistake_is_named_by_setting(tmp_path, text, expected):
    problems = problems_of(tmp_path, text)
    assert any(line.startswith(expected) for line in problems), problems


def test_several_mistakes_are_all_reported(tmp_path):
    problems = problems_of(tmp_path, "retention_days = 0\nauto_lock_minutes = 99\ntypo = 1\n")
    assert len(problems) == 3


def test_the_bearer_token_is_never_repeated_in_errors(tmp_path):
    secret = "SENTINEL-token-8f2e"
    path = write(tmp_path, f'bearer_token = "{secret}"\nbearer_token_file = "/t"\nretention_days = 0\n')
    with pytest.raises(PolicyError) as caught:
        read_policy_file(path)
    assert secret not in str(caught.value)
    policy = Policy(bearer_token=secret)
    assert secret not in repr(policy) and secret not in str(policy)
    assert policy.read_bearer_token() == secret


def test_not_toml_is_invalid_and_names_the_line(tmp_path):
    problems = problems_of(tmp_path, "retention_days = \n")
    assert problems[0].startswith("is not valid TOML") and "line 1" in problems[0]


def test_not_utf8_is_invalid(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_bytes(b'log_level = "\xff"\n')
    with pytest.raises(PolicyError, match="is not UTF-8 text"):
        read_policy_file(path)


def test_missing_file_and_folder_are_unreadable(tmp_path):
    with pytest.raises(PolicyUnreadable, match="no such file"):
        read_policy_file(tmp_path / "absent.toml")
    with pytest.raises(PolicyUnreadable, match="is a folder"):
        read_policy_file(tmp_path)


def test_values_are_normalised(tmp_path):
    hex_pin = base64.b64decode(PIN[7:]).hex(":")
    path = write(
        tmp_path,
        f'api_base_url = "https://iart.example.org/v1/"\n'
        f'certificate_pins = ["{PIN}", "{PIN[7:]}", "{hex_pin}"]\n'
        'attachment_allowed_types = ["Application/PDF", "application/pdf"]\nlog_level = "debug"\n',
    )
    policy = read_policy_file(path)
    assert policy.api_base_url == "https://iart.example.org/v1"
    assert policy.certificate_pins == (PIN,)
    assert policy.attachment_allowed_types == ("application/pdf",)
    assert policy.log_level == "DEBUG"


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080"])
def test_plain_http_is_allowed_to_loopback_only(url):
    assert Policy(api_base_url=url).api_base_url == url


def test_relative_paths_are_relative_to_the_policy_file(tmp_path):
    (tmp_path / "conf").mkdir()
    path = write(tmp_path / "conf", 'ca_bundle = "ca.pem"\nclient_cert = "/abs/client.pem"\n')
    policy = read_policy_file(path)
    assert policy.ca_bundle == tmp_path / "conf" / "ca.pem"
    assert policy.client_cert == Path("/abs/client.pem")


def test_referenced_files_are_checked_separately(tmp_path):
    (tmp_path / "ca.pem").write_text("-----BEGIN CERTIFICATE-----\nMII\n-----END CERTIFICATE-----\n")
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    public = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    (tmp_path / "key.pem").write_bytes(public.public_bytes(serialization.Encoding.PEM,
                                                           serialization.PublicFormat.SubjectPublicKeyInfo))
    (tmp_path / "token").write_text("")
    (tmp_path / "client.pem").write_text("not a certificate")
    path = write(
        tmp_path,
        'ca_bundle = "ca.pem"\niart_public_key = "key.pem"\nbearer_token_file = "token"\n'
        'client_cert = "client.pem"\nform_signing_key = "missing.jwk"\n',
    )
    problems = check_referenced_files(read_policy_file(path))
    text = "\n".join(problems)
    assert "ca_bundle" not in text and "iart_public_key" not in text
    assert f"{path}: bearer_token_file: the file {tmp_path / 'token'} is empty" in problems
    assert "client_cert: the file" in text and "does not look like a PEM certificate" in text
    assert "form_signing_key: the file" in text and "does not exist" in text


def test_bearer_token_file_first_line(tmp_path):
    (tmp_path / "token").write_text("abc123\nignored\n")
    policy = read_policy_file(write(tmp_path, 'bearer_token_file = "token"\n'))
    assert policy.read_bearer_token() == "abc123"


# -- where the policy is found -------------------------------------------------------------------


def test_load_order_path_then_environment_then_machine_then_defaults(tmp_path):
    explicit = write(tmp_path, "retention_days = 1\n", "explicit.toml")
    from_env = write(tmp_path, "retention_days = 2\n", "env.toml")
    machine = write(tmp_path, "retention_days = 3\n", "machine.toml")
    env = {POLICY_ENV: str(from_env)}
    assert load_policy(explicit, environ=env, machine_path=machine).retention_days == 1
    assert load_policy(None, environ=env, machine_path=machine).retention_days == 2
    assert load_policy(None, environ={}, machine_path=machine).retention_days == 3
    defaults = load_policy(None, environ={}, machine_path=tmp_path / "absent.toml")
    assert defaults == Policy() and defaults.source is None


def test_a_locked_machine_policy_cannot_be_replaced(tmp_path):
    machine = write(tmp_path, "allow_user_policy = false\nretention_days = 3\n", "machine.toml")
    mine = write(tmp_path, "retention_days = 300\n", "mine.toml")
    with pytest.raises(PolicyError, match="allow_user_policy is false") as caught:
        load_policy(mine, environ={}, machine_path=machine)
    assert str(machine) in str(caught.value)
    with pytest.raises(PolicyError, match="allow_user_policy is false"):
        load_policy(None, environ={POLICY_ENV: str(mine)}, machine_path=machine)
    # naming the machine file itself is fine
    assert load_policy(machine, environ={}, machine_path=machine).retention_days == 3


def test_an_invalid_machine_policy_is_refused_not_ignored(tmp_path):
    machine = write(tmp_path, "retention_days = 0\n", "machine.toml")
    with pytest.raises(PolicyError, match="retention_days: must be at least 1"):
        load_policy(None, environ={}, machine_path=machine)


def test_machine_policy_path_is_fixed_on_linux(monkeypatch):
    from referral_desktop.policy import sources

    monkeypatch.undo()  # the real path, which every other test is sealed from (tests/conftest.py)
    # In a worker process the path was sealed as the module was imported (tests/sealed_site): the
    # module's own value is kept beside it.
    written = getattr(sources, "LINUX_POLICY_PATH_AS_WRITTEN", sources.LINUX_POLICY_PATH)
    assert written == Path("/etc/referral-desktop/policy.toml")
    monkeypatch.setattr(sources, "LINUX_POLICY_PATH", written)
    monkeypatch.setenv("XDG_CONFIG_DIRS", "/tmp/evil")
    path = machine_policy_path()
    assert path.name == "policy.toml"
    if path.anchor == "/" and "Library" not in path.parts:
        assert path == Path("/etc/referral-desktop/policy.toml")


# -- user settings -------------------------------------------------------------------------------


@pytest.mark.parametrize("chosen, ceiling, expected", [(None, 5, 5), (2, 5, 2), (30, 5, 5), (0, 5, 1), (-3, 10, 1), (60, 60, 60)])
def test_user_may_lock_sooner_never_later(chosen, ceiling, expected):
    result = effective_settings(Policy(auto_lock_minutes=ceiling), UserSettings(auto_lock_minutes=chosen))
    assert result.auto_lock_minutes == expected
    assert result.auto_lock_ceiling == ceiling


def test_effective_settings_take_everything_else_from_policy():
    policy = Policy(retention_days=9, attachment_max_bytes=1000, test_deployment=True, log_level="WARNING")
    result = effective_settings(policy, UserSettings.model_validate({"auto_lock_minutes": 3, "from_a_newer_version": 1}))
    assert (result.retention_days, result.attachment_max_bytes, result.test_deployment, result.log_level) == (
        9, 1000, True, "WARNING")
    assert effective_settings(None).auto_lock_minutes == 5


# -- documentation -------------------------------------------------------------------------------


def test_schema_lists_every_setting_and_forbids_others():
    schema = policy_schema()
    assert set(schema["properties"]) == set(Policy.model_fields)
    assert schema["additionalProperties"] is False
    json.dumps(schema)


def test_readme_reference_table_matches_the_model():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert policy_reference_markdown() in readme, (
        "README's policy table is out of date: paste the output of "
        "`python -c 'from referral_desktop.policy import policy_reference_markdown as m; print(m())'`"
    )
    for name in Policy.model_fields:
        assert re.search(rf"\| `{name}` \|", readme)


@pytest.mark.parametrize("proxy", ["socks5://proxy.example.org:1080", "socks5h://proxy.example.org:1080",
                                   "socks4://proxy.example.org:1080"])
def test_a_socks_proxy_is_refused_at_check_rather_than_failing_every_send(tmp_path, proxy):
    problems = problems_of(tmp_path, f'proxy_url = "{proxy}"\n')
    assert len(problems) == 1 and "proxy_url" in problems[0] and "SOCKS" in problems[0], problems


def test_an_http_proxy_is_accepted(tmp_path):
    policy = read_policy_file(write(tmp_path, 'proxy_url = "http://proxy.example.org:3128"\n'))
    assert policy.proxy_url == "http://proxy.example.org:3128"


def test_a_policy_saved_with_a_utf8_byte_order_mark_is_read(tmp_path):
    # Windows PowerShell 5.1's Set-Content -Encoding UTF8 writes one.
    path = tmp_path / "policy.toml"
    path.write_bytes("\ufeffretention_days = 9\n".encode())
    assert read_policy_file(path).retention_days == 9


def test_tests_are_sealed_from_this_machines_policy(tmp_path, sealed_machine_policy):
    """With a machine policy at the sealed path, a command run as a new process sees it there — so the
    real /etc/referral-desktop/policy.toml, present or not, is never what the tests read."""
    import subprocess
    import sys

    assert machine_policy_path() == Path(sealed_machine_policy)
    Path(sealed_machine_policy).write_text("allow_user_policy = false\n", encoding="utf-8")
    try:
        mine = tmp_path / "mine.toml"
        mine.write_text("retention_days = 7\n", encoding="utf-8")
        result = subprocess.run([sys.executable, "-m", "referral_desktop", "--policy", str(mine), "policy", "check"],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 1
        assert f"{sealed_machine_policy}: allow_user_policy is false" in result.stderr
    finally:
        Path(sealed_machine_policy).unlink()
