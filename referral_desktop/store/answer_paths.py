"""Which answers changed between two versions of a document, as field paths (for the audit log).

Paths follow the answers-document convention: ``route``, ``children[0].nhs_number``; a repeat group
whose number of items changed is reported as the group itself (``children``). Values never leave here.
"""

from __future__ import annotations

from typing import Any


def _is_group(value: Any) -> bool:
    return isinstance(value, list) and any(isinstance(item, dict) for item in value)


def changed_paths(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    paths: list[str] = []
    for key in sorted(set(old) | set(new), key=str):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if isinstance(before, list) and isinstance(after, list) and _is_group(before) and _is_group(after) \
                and len(before) == len(after):
            for index, (b, a) in enumerate(zip(before, after, strict=True)):
                if b == a:
                    continue
                if isinstance(b, dict) and isinstance(a, dict):
                    paths.extend(f"{key}[{index}].{sub}" for sub in changed_paths(b, a))
                else:
                    paths.append(f"{key}[{index}]")
        else:
            paths.append(str(key))
    return paths
