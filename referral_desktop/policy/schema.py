"""The policy described for people and tools: its JSON Schema and the README's table of settings."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from referral_desktop.policy.model import Policy


def policy_schema() -> dict[str, Any]:
    """JSON Schema of the policy file, for IT's configuration tools."""
    schema = Policy.model_json_schema(mode="validation")
    schema["description"] = (
        "Machine-wide policy of Referral Desktop, written as TOML. Relative paths are relative to the "
        "policy file's folder."
    )
    return schema



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
        fmt = prop.get("format")
        return {"path": "path", "password": "text (secret)"}.get(fmt, "text")
    return {"integer": "integer", "number": "number", "boolean": "true / false", "object": "table"}.get(
        kind or "", kind or "any"
    )


def _default_label(name: str) -> str:
    field = Policy.model_fields[name]
    if field.default_factory is not None:
        value = field.default_factory()
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
