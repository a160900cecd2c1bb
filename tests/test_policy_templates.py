"""What IT imports into its own tools: the Group Policy templates (ADMX/ADML) and the macOS configuration
profile example. Each is checked against the policy model and read back through the app's own readers."""

from __future__ import annotations

import importlib.util
import plistlib
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

from referral_desktop.policy import Policy, load_policy
from referral_desktop.policy.managed_preferences import BUNDLE_ID, ManagedPreferencesSource
from referral_desktop.policy.windows_registry import POLICY_KEY, RegistrySource

REPO = Path(__file__).resolve().parents[1]
TEMPLATES = REPO / "build" / "windows" / "policy"
PROFILE = REPO / "build" / "macos" / "policy" / f"{BUNDLE_ID}.mobileconfig"
NS = {"p": "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"}
PIN = "sha256/rAzgJ2Vii2VNKiCnxpG7FNT0oMkAxAgbG8mWh71Up40="

EXAMPLE_TEXT = {
    "api_base_url": "https://iart.example.gov.uk/v1",
    "proxy_url": "http://proxy.example.org:3128",
    "log_level": "WARNING",
    "privacy_notice_url": "https://example.gov.uk/privacy",
    "privacy_notice_version": "2025-04",
}


def _generator():
    spec = importlib.util.spec_from_file_location("make_templates", TEMPLATES / "make_templates.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_templates_are_the_generated_ones():
    admx, adml = _generator().build()
    assert (TEMPLATES / "ReferralDesktop.admx").read_text(encoding="utf-8") == admx, \
        "run python build/windows/policy/make_templates.py"
    assert (TEMPLATES / "en-US" / "ReferralDesktop.adml").read_text(encoding="utf-8") == adml


def test_every_setting_has_a_policy_under_the_key_the_app_reads_with_every_string_defined():
    admx = ET.parse(TEMPLATES / "ReferralDesktop.admx").getroot()
    adml = ET.parse(TEMPLATES / "en-US" / "ReferralDesktop.adml").getroot()
    policies = {p.get("name"): p for p in admx.iterfind(".//p:policies/p:policy", NS)}
    assert set(policies) == set(Policy.model_fields) - {"bearer_token", "contacts"}
    for name, policy in policies.items():
        assert policy.get("class") == "Machine"
        assert policy.get("key").startswith(POLICY_KEY), name
        names = [policy.get("valueName")] + [e.get("valueName") for e in policy.iterfind("p:elements/*", NS)]
        assert name in names or name == "privacy_notice", name
    strings = {s.get("id") for s in adml.iterfind(".//p:stringTable/p:string", NS)}
    presentations = {p.get("id"): p for p in adml.iterfind(".//p:presentationTable/p:presentation", NS)}
    text = (TEMPLATES / "ReferralDesktop.admx").read_text(encoding="utf-8")
    import re

    assert set(re.findall(r"\$\(string\.([^)]+)\)", text)) <= strings
    assert set(re.findall(r"\$\(presentation\.([^)]+)\)", text)) <= set(presentations)
    for policy in policies.values():  # every element has its box in the presentation, and no other
        elements = {e.get("id") for e in policy.iterfind("p:elements/*", NS)}
        if elements:
            presentation = presentations[policy.get("presentation")[len("$(presentation."):-1]]
            assert {b.get("refId") for b in presentation} == elements


def _what_group_policy_writes(policy: ET.Element) -> dict:
    """The registry values an enabled policy writes, for a plausible entry in each box."""
    values: dict = {}
    name = policy.get("name")
    if policy.get("valueName"):  # a yes/no policy
        values[policy.get("valueName")] = int(policy.find("p:enabledValue/p:decimal", NS).get("value"))
    for element in policy.iterfind("p:elements/*", NS):
        tag = element.tag.split("}")[1]
        value_name, element_id = element.get("valueName"), element.get("id")
        if tag == "decimal":
            values[value_name] = int(element.get("minValue"))
        elif tag == "multiText":
            values[value_name] = [PIN] if name == "certificate_pins" else ["application/pdf", "image/png"]
        elif tag == "enum":
            values[value_name] = element.find("p:item/p:value/p:string", NS).text
        else:
            values[value_name] = EXAMPLE_TEXT.get(element_id, f"{element_id}.pem")
    return values


def test_what_the_templates_write_is_read_back_as_a_valid_policy(tmp_path):
    admx = ET.parse(TEMPLATES / "ReferralDesktop.admx").getroot()
    tree: dict = {}
    for policy in admx.iterfind(".//p:policies/p:policy", NS):
        if policy.get("name") == "client_key":
            continue  # written with client_cert, which the next line covers by its own policy
        target = tree
        for part in policy.get("key")[len(POLICY_KEY):].strip("\\").split("\\"):
            if part:
                target = target.setdefault(part, {})
        target.update(_what_group_policy_writes(policy))

    class Registry:
        def read_tree(self, key):
            return tree if key == POLICY_KEY else None

    policy = load_policy(environ={}, machine_path=tmp_path / "none.toml",
                         managed_sources=[RegistrySource(Registry(), base_dir=tmp_path)])
    assert policy.api_base_url == "https://iart.example.gov.uk/v1" and policy.certificate_pins == (PIN,)
    assert policy.test_deployment is True and policy.log_level == "DEBUG"
    assert policy.retention_days == 1 and policy.request_timeout_seconds == 1.0
    assert policy.privacy_notice.version == "2025-04"
    assert policy.ca_bundle == tmp_path / "ca_bundle.pem"
    assert {kind for kind, _ in policy.origins().values()} == {"registry"}
    assert len(policy.origins()) == len(Policy.model_fields) - 3  # not bearer_token, contacts, client_key


def test_the_configuration_profile_example_sets_a_valid_policy_through_managed_preferences(tmp_path):
    profile = plistlib.loads(PROFILE.read_bytes())
    assert profile["PayloadType"] == "Configuration" and profile["PayloadScope"] == "System"
    uuids = [profile["PayloadUUID"]] + [p["PayloadUUID"] for p in profile["PayloadContent"]]
    assert all(str(uuid.UUID(u)).upper() == u for u in uuids) and len(set(uuids)) == len(uuids)
    (payload,) = profile["PayloadContent"]
    assert payload["PayloadType"] == "com.apple.ManagedClient.preferences"
    settings = payload["PayloadContent"][BUNDLE_ID]["Forced"][0]["mcx_preference_settings"]
    # macOS writes those keys to /Library/Managed Preferences/<bundle id>.plist, which the app reads:
    managed = tmp_path / f"{BUNDLE_ID}.plist"
    managed.write_bytes(plistlib.dumps(settings, fmt=plistlib.FMT_BINARY))
    policy = load_policy(environ={}, machine_path=tmp_path / "none.toml",
                         managed_sources=[ManagedPreferencesSource(managed)])
    assert policy.api_base_url == "https://iart-api.example.gov.uk/v1"
    assert len(policy.certificate_pins) == 2 and policy.allow_user_policy is False
    assert set(policy.origins()) == set(settings)
