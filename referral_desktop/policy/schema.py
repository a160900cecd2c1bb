"""The policy described for people and tools: its JSON Schema and the README's table of settings."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from referral_desktop.policy.model import Policy

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "urn:referral-desktop:policy:1"

# Patterns for what IT types by hand: a pin in any of the forms the model accepts, and addresses. The
# model checks more (a pin is 32 bytes, http:// only to loopback); these let an editor flag a typo early.
PIN_PATTERN = r"^(sha256/)?([A-Za-z0-9+/]{43}=|([0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2})$"
URL_PATTERNS = {
    "api_base_url": r"^https?://[^\s/?#@]+(/[^\s?#]*)?$",
    "proxy_url": r"^https?://[^\s/?#]+/?$",
}


def policy_schema() -> dict[str, Any]:
    """JSON Schema (2020-12) of the policy, for IT's configuration tools (Intune's and Jamf's custom
    settings editors): every setting with a title, a description and its limits, patterns for pins and
    addresses, no ``$ref`` and no ``anyOf`` with null (those editors understand neither; a setting left
    out takes its default)."""
    schema = Policy.model_json_schema(mode="validation")
    definitions = schema.pop("$defs", {})
    schema = _inline(schema, definitions)
    properties = schema["properties"]
    for name, pattern in URL_PATTERNS.items():
        properties[name]["pattern"] = pattern
    properties["certificate_pins"]["items"]["pattern"] = PIN_PATTERN
    properties["privacy_notice"]["properties"]["url"]["pattern"] = r"^https://[^\s/?#@]+"
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": SCHEMA_ID,
        **schema,
        "description": "Machine-wide policy of Referral Desktop: the policy file (TOML), the Windows registry "
        "key Group Policy writes, or macOS managed preferences. Relative paths are relative to the policy "
        "file's folder.",
    }


def _inline(node: Any, definitions: dict[str, Any]) -> Any:
    """The schema with each ``$ref`` replaced by its definition and ``anyOf: [X, null]`` by X."""
    if isinstance(node, list):
        return [_inline(item, definitions) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target = definitions[node["$ref"].rsplit("/", 1)[-1]]
        merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        return _inline(merged, definitions)
    variants = node.get("anyOf")
    if variants is not None:
        kept = [v for v in variants if v.get("type") != "null"]
        if len(kept) == 1:
            rest = {k: v for k, v in node.items() if k != "anyOf"}
            if rest.get("default", 0) is None:
                rest.pop("default")
            return _inline({**kept[0], **rest}, definitions)
    return {key: _inline(value, definitions) for key, value in node.items()}


def _type_label(prop: dict[str, Any]) -> str:
    if "anyOf" in prop:
        labels = [_type_label(p) for p in prop["anyOf"] if p.get("type") != "null"]
        return " or ".join(labels)
    if "$ref" in prop:
        return "table"
    if "enum" in prop:
        return " / ".join(f'"{v}"' for v in prop["enum"])
    kind = prop.get("type")
    if kind == "array":
        return f"list of {_type_label(prop.get('items', {}))}"
    if kind == "string":
        fmt = str(prop.get("format", ""))
        return {"path": "path", "password": "text (secret)"}.get(fmt, "text")
    return {"integer": "integer", "number": "number", "boolean": "true / false", "object": "table"}.get(
        kind or "", kind or "any"
    )


def _default_label(name: str) -> str:
    field = Policy.model_fields[name]
    if field.default_factory is not None:
        value = field.default_factory()  # type: ignore[call-arg]  # these factories take no argument
        if isinstance(value, BaseModel):
            return "(unset)"
        return "{}" if value == {} else repr(value)
    value = field.default
    if value is None:
        return "(unset)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, tuple):
        return "[" + ", ".join(f'"{v}"' for v in value) + "]" if value else "[]"
    return str(value)


def policy_reference_markdown() -> str:
    """The README's table of settings, generated from the model (a test keeps the README in step)."""
    schema = Policy.model_json_schema()
    props = schema["properties"]
    lines = ["| setting | type | default | what it does |", "| --- | --- | --- | --- |"]
    for name, field in Policy.model_fields.items():
        prop = props[name]
        label = _type_label(prop)
        if name == "privacy_notice":
            label = "table (url, file, version)"
        if name == "log_level":
            label = "DEBUG / INFO / WARNING / ERROR"
        limits = []
        for meta in field.metadata:
            for attr, word in (("ge", "≥"), ("le", "≤")):
                if getattr(meta, attr, None) is not None:
                    limits.append(f"{word} {getattr(meta, attr)}")
        if limits:
            label += f" ({', '.join(limits)})"
        default = _default_label(name).replace("|", "\\|")
        if name == "attachment_allowed_types":
            default = "PDF, PNG, JPEG, DOCX, ODT, plain text"
        lines.append(f"| `{name}` | {label} | {default} | {field.description} |")
    return "\n".join(lines) + "\n"
