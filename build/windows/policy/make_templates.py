"""Writes the Group Policy administrative templates (ADMX + en-US ADML) for Referral Desktop from the
policy model, so that every setting IT can put in the policy file can also be set with Group Policy or
Intune's imported administrative templates, under the same name and with the same limits.

    python build/windows/policy/make_templates.py          # rewrite ReferralDesktop.admx / en-US/*.adml
    python build/windows/policy/make_templates.py --check  # exit 1 if the committed files are stale

Each policy writes one value named exactly as the setting under
HKLM\\Software\\Policies\\ReferralDesktopProject\\ReferralDesktop (the key the app reads, see
referral_desktop/policy/windows_registry.py): a DWORD for numbers and yes/no, a string for text and
paths, a multi-string for lists; privacy_notice writes its url/file/version under the subkey
privacy_notice. Two settings are left out on purpose: bearer_token (a secret does not belong in a
registry key every user can read; use bearer_token_file) and contacts (a nested table: the file only).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
sys.path.insert(0, str(REPO))

from referral_desktop.policy import Policy  # noqa: E402
from referral_desktop.policy.windows_registry import POLICY_KEY  # noqa: E402

ADMX = HERE / "ReferralDesktop.admx"
ADML = HERE / "en-US" / "ReferralDesktop.adml"
NAMESPACE = "ReferralDesktopProject.Policies.ReferralDesktop"
LEFT_OUT = {"bearer_token": "a secret does not belong in the registry: use bearer_token_file",
            "contacts": "a nested table: set it in the policy file"}
DWORD_MAX = 4294967295


def _kind(name: str, prop: dict[str, Any]) -> str:
    variants = [v for v in prop.get("anyOf", [prop]) if v.get("type") != "null"]
    first = variants[0]
    if name == "privacy_notice":
        return "table"
    if "enum" in first:
        return "enum"
    return str(first.get("type"))


def _limits(name: str) -> tuple[int, int]:
    low, high = 0, DWORD_MAX
    for meta in Policy.model_fields[name].metadata:
        low = int(getattr(meta, "ge", None) or low)
        high = int(getattr(meta, "le", None) or high)
    return low, high


def settings() -> list[tuple[str, str, dict[str, Any]]]:
    """(setting, kind, schema property) for every setting the templates carry, in the model's order."""
    props = Policy.model_json_schema()["properties"]
    return [(name, _kind(name, props[name]), props[name]) for name in Policy.model_fields if name not in LEFT_OUT]


def _explain(name: str, prop: dict[str, Any]) -> str:
    field = Policy.model_fields[name]
    text = f"{field.description}\n\nPolicy setting: {name}. "
    if name == "privacy_notice":
        text += "Writes url, file and version under the subkey privacy_notice."
    text += ("\n\nSettings made here win over the same settings in the policy file "
             "(%ProgramData%\\ReferralDesktop\\policy.toml); settings not made here keep the file's value or "
             "the default. Relative paths are relative to %ProgramData%\\ReferralDesktop. "
             "Check the result on a machine with: referral-desktop doctor")
    return text


def build() -> tuple[str, str]:
    """The ADMX and ADML texts."""
    policies: list[str] = []
    strings: list[tuple[str, str]] = [
        ("ReferralDesktop", "Referral Desktop"),
        ("SUPPORTED_ReferralDesktop_0_1", "Referral Desktop 0.1 and later"),
    ]
    presentations: list[str] = []
    for name, kind, prop in settings():
        title = Policy.model_fields[name].title or name
        strings += [(name, title), (f"{name}_Explain", _explain(name, prop))]
        head = (f'    <policy name="{name}" class="Machine" displayName="$(string.{name})" '
                f'explainText="$(string.{name}_Explain)"')
        common = ('      <parentCategory ref="ReferralDesktop" />\n'
                  '      <supportedOn ref="SUPPORTED_ReferralDesktop_0_1" />\n')
        if kind == "boolean":
            policies.append(
                f'{head} key="{POLICY_KEY}" valueName="{name}">\n{common}'
                '      <enabledValue><decimal value="1" /></enabledValue>\n'
                '      <disabledValue><decimal value="0" /></disabledValue>\n'
                '    </policy>')
            continue
        if kind == "table":
            elements = "".join(f'        <text id="{name}_{part}" valueName="{part}" />\n'
                               for part in ("url", "file", "version"))
            policies.append(f'{head} presentation="$(presentation.{name})" key="{POLICY_KEY}\\{name}">\n{common}'
                            f"      <elements>\n{elements}      </elements>\n    </policy>")
            boxes = "".join(f'      <textBox refId="{name}_{part}"><label>{label}</label></textBox>\n'
                            for part, label in (("url", "Address (https://):"), ("file", "Local copy (file path):"),
                                                ("version", "Version (required with either):")))
            presentations.append(f'    <presentation id="{name}">\n{boxes}    </presentation>')
            continue
        if kind == "integer" or kind == "number":
            low, high = _limits(name)
            element = (f'        <decimal id="{name}" valueName="{name}" required="true" '
                       f'minValue="{low}" maxValue="{high}" />\n')
            default = prop.get("default")
            unit = "seconds" if kind == "number" else "value"
            presentations.append(f'    <presentation id="{name}">\n      <decimalTextBox refId="{name}" '
                                 f'defaultValue="{int(default)}">{escape(title)} ({unit if kind == "number" else "whole number"}):'
                                 f"</decimalTextBox>\n    </presentation>")
        elif kind == "array":
            element = f'        <multiText id="{name}" valueName="{name}" required="true" />\n'
            presentations.append(f'    <presentation id="{name}">\n      <multiTextBox refId="{name}">'
                                 f"{escape(title)} (one per line):</multiTextBox>\n    </presentation>")
        elif kind == "enum":
            items = "".join(f'          <item displayName="$(string.{name}_{value})"><value><string>{value}</string>'
                            f"</value></item>\n" for value in prop["enum"])
            strings += [(f"{name}_{value}", value) for value in prop["enum"]]
            element = f'        <enum id="{name}" valueName="{name}" required="true">\n{items}        </enum>\n'
            default_index = list(prop["enum"]).index(prop.get("default", prop["enum"][0]))
            presentations.append(f'    <presentation id="{name}">\n      <dropdownList refId="{name}" '
                                 f'defaultItem="{default_index}">{escape(title)}:</dropdownList>\n    </presentation>')
        else:
            element = f'        <text id="{name}" valueName="{name}" required="true" />\n'
            presentations.append(f'    <presentation id="{name}">\n      <textBox refId="{name}">'
                                 f"<label>{escape(title)}:</label></textBox>\n    </presentation>")
        policies.append(f'{head} presentation="$(presentation.{name})" key="{POLICY_KEY}">\n{common}'
                        f"      <elements>\n{element}      </elements>\n    </policy>")

    admx = f"""<?xml version="1.0" encoding="utf-8"?>
<!-- Generated by build/windows/policy/make_templates.py from the policy model: do not edit by hand. -->
<policyDefinitions xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                   revision="1.0" schemaVersion="1.0"
                   xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">
  <policyNamespaces>
    <target prefix="referraldesktop" namespace="{NAMESPACE}" />
    <using prefix="windows" namespace="Microsoft.Policies.Windows" />
  </policyNamespaces>
  <resources minRequiredRevision="1.0" />
  <supportedOn>
    <definitions>
      <definition name="SUPPORTED_ReferralDesktop_0_1" displayName="$(string.SUPPORTED_ReferralDesktop_0_1)" />
    </definitions>
  </supportedOn>
  <categories>
    <category name="ReferralDesktop" displayName="$(string.ReferralDesktop)" />
  </categories>
  <policies>
{chr(10).join(policies)}
  </policies>
</policyDefinitions>
"""
    string_rows = "\n".join(f"      <string id={quoteattr(key)}>{escape(value)}</string>" for key, value in strings)
    adml = f"""<?xml version="1.0" encoding="utf-8"?>
<!-- Generated by build/windows/policy/make_templates.py from the policy model: do not edit by hand. -->
<policyDefinitionResources xmlns:xsd="http://www.w3.org/2001/XMLSchema"
                           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" revision="1.0" schemaVersion="1.0"
                           xmlns="http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions">
  <displayName>Referral Desktop</displayName>
  <description>Deployment policy of Referral Desktop (Multi-Agency Referral Form).</description>
  <resources>
    <stringTable>
{string_rows}
    </stringTable>
    <presentationTable>
{chr(10).join(presentations)}
    </presentationTable>
  </resources>
</policyDefinitionResources>
"""
    return admx, adml


def main(argv: list[str]) -> int:
    admx, adml = build()
    if "--check" in argv:
        stale = [p for p, text in ((ADMX, admx), (ADML, adml))
                 if not p.exists() or p.read_text(encoding="utf-8") != text]
        for path in stale:
            print(f"{path} is out of date: run python build/windows/policy/make_templates.py", file=sys.stderr)
        return 1 if stale else 0
    ADML.parent.mkdir(parents=True, exist_ok=True)
    ADMX.write_text(admx, encoding="utf-8", newline="\n")
    ADML.write_text(adml, encoding="utf-8", newline="\n")
    print(f"wrote {ADMX.relative_to(REPO)} and {ADML.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
