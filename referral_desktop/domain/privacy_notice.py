"""The privacy notice professionals share with families, and its version.

Professionals must share the council's privacy notice at every first visit and record that they did,
including *which version* (PRODUCT.md §2 rule 6). The notice's text is deployment data: the policy's
``[privacy_notice]`` table may point at the council's current notice (a local copy to show and print, and/or
its web address) with its version. Without that, the app shows the bundled default
(``resources/privacy-notice.md`` with ``resources/privacy-notice.json``): a short plain-English summary of
what the council's children's-services notices say, clearly marked as a summary, never passed off as the
council's own text.

The domain never fetches anything: a notice given by URL only carries the address for the UI to open,
plus the bundled summary as :attr:`PrivacyNotice.fallback` for use offline.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from referral_desktop.bundled_data import read_resource_text

NOTICE_METADATA_RESOURCE = "privacy-notice.json"

_TEXT_TYPES = {
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".txt": "text/plain",
    ".html": "text/html",
    ".htm": "text/html",
}
_BINARY_TYPES = {".pdf": "application/pdf"}


class PrivacyNoticeError(ValueError):
    """The notice the policy points at cannot be used; the message names the policy setting."""


@dataclass(frozen=True)
class PrivacyNotice:
    """One privacy notice as the app shows it and records it.

    - ``version``: what the referral records as the version shared;
    - ``source``: ``"bundled"`` (the summary), ``"policy-file"`` or ``"policy-url"``;
    - ``text`` (Markdown, plain text or HTML, per ``content_type``) or ``content`` (PDF bytes); both None
      for a URL-only notice;
    - ``location``: the file path or URL it came from (None when bundled);
    - ``is_summary``: True for the bundled summary, which must be labelled as such wherever shown;
    - ``fallback``: for a URL-only notice, the bundled summary to show when offline.
    """

    version: str
    title: str
    source: Literal["bundled", "policy-file", "policy-url"]
    content_type: str
    text: str | None = None
    content: bytes | None = None
    location: str | None = None
    url: str | None = None
    is_summary: bool = False
    summary_of: str | None = None
    fallback: PrivacyNotice | None = None


@lru_cache(maxsize=1)
def bundled_notice() -> PrivacyNotice:
    """The bundled plain-English summary."""
    meta = json.loads(read_resource_text(NOTICE_METADATA_RESOURCE))
    return PrivacyNotice(
        version=str(meta["version"]),
        title=str(meta["title"]),
        source="bundled",
        content_type="text/markdown",
        text=read_resource_text(str(meta["text_file"])),
        is_summary=bool(meta.get("is_summary", True)),
        summary_of=meta.get("summary_of"),
    )


def load_privacy_notice(
    *,
    url: str | None = None,
    file: str | os.PathLike[str] | None = None,
    version: str | None = None,
) -> PrivacyNotice:
    """The notice in force: the policy's ``file`` and/or ``url`` with its ``version``, else the bundled
    summary. Call as ``load_privacy_notice(**policy.privacy_notice.model_dump())``.

    Raises :class:`PrivacyNoticeError` (naming the policy setting) when a file is named but cannot be
    read, or a version is missing: recording the wrong version would be worse than stopping.
    """
    if not url and not file:
        return bundled_notice()
    if not version or not str(version).strip():
        raise PrivacyNoticeError("privacy_notice.version: is required when url or file is set")
    if file:
        path = Path(file)
        suffix = path.suffix.lower()
        if suffix not in _TEXT_TYPES and suffix not in _BINARY_TYPES:
            raise PrivacyNoticeError(
                "privacy_notice.file: must be a .md, .txt, .html or .pdf file"
            )
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise PrivacyNoticeError(
                f"privacy_notice.file: the file {path} cannot be read ({exc.strerror or 'unreadable'})"
            ) from None
        if suffix in _BINARY_TYPES:
            if not data.startswith(b"%PDF-"):
                raise PrivacyNoticeError(f"privacy_notice.file: the file {path} is not a PDF")
            text, content = None, data
        else:
            try:
                text, content = data.decode("utf-8-sig"), None
            except UnicodeDecodeError:
                raise PrivacyNoticeError(f"privacy_notice.file: the file {path} is not UTF-8 text") from None
        return PrivacyNotice(
            version=str(version).strip(),
            title="Privacy notice",
            source="policy-file",
            content_type=_TEXT_TYPES.get(suffix) or _BINARY_TYPES[suffix],
            text=text,
            content=content,
            location=str(path),
            url=url or None,
        )
    return PrivacyNotice(
        version=str(version).strip(),
        title="Privacy notice",
        source="policy-url",
        content_type="text/uri-list",
        location=url,
        url=url,
        fallback=bundled_notice(),
    )
