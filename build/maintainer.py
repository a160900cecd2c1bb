"""Who maintains the packages, and the release gate that keeps a placeholder out of a published one.

The identity is set in one place: ``[project].maintainers`` in pyproject.toml (its first entry). A release
owner who does not want their address committed sets Debian's own variables ``DEBFULLNAME`` and
``DEBEMAIL`` for the build instead (in the installers workflow: the repository secrets of the same
names). The .deb's ``Maintainer`` and its changelog's sign-off both come from here.

The project has no real maintainer address on record (pyproject holds ``referral-desktop@example.org``,
and the commits are signed by a ``.example`` address), and one must not be made up. So a build that may be
published refuses a placeholder, naming the variable to set; a build that only tries the packaging
(CI, a developer) says ``--test-build`` and its package's changelog says it is not for publishing.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Names that can never reach a person (RFC 2606 and RFC 6761): the .example, .invalid, .test and
# .localhost top-level domains and example.com/.net/.org, with their subdomains.
_PLACEHOLDER_DOMAIN = re.compile(r"(^|\.)(example|invalid|test|localhost|example\.(com|net|org))$", re.I)
_ADDRESS = re.compile(r"^(?P<name>[^<>]+?)\s*<(?P<email>[^<>@\s]+@(?P<domain>[^<>@\s]+))>$")


def maintainer() -> str:
    """``Name <address>``: ``$DEBFULLNAME <$DEBEMAIL>`` when ``DEBEMAIL`` is set, else the first of
    pyproject's maintainers."""
    if os.environ.get("DEBEMAIL"):
        return f"{os.environ.get('DEBFULLNAME') or 'Referral Desktop maintainers'} <{os.environ['DEBEMAIL']}>"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    first = project["maintainers"][0]
    return f"{first['name']} <{first['email']}>"


def placeholder_reason(identity: str) -> str | None:
    """Why ``identity`` cannot be a published package's Maintainer, or None if it can."""
    match = _ADDRESS.match(identity.strip())
    if match is None:
        return "it is not of the form 'Name <address>'"
    domain = match["domain"].rstrip(".")
    if _PLACEHOLDER_DOMAIN.search(domain):
        return f"{domain} is a domain reserved for examples: mail to it never reaches anyone"
    return None


def refusal(identity: str) -> str | None:
    """The message a release build stops with when ``identity`` is a placeholder, or None."""
    reason = placeholder_reason(identity)
    if reason is None:
        return None
    return (f"Not building a package to publish with the Maintainer {identity!r}: {reason}.\n"
            "Set DEBEMAIL (and DEBFULLNAME) to the release owner's address for this build — in the installers "
            "workflow, the repository secrets DEBEMAIL and DEBFULLNAME — or put it in [project].maintainers "
            "in pyproject.toml. To try the packaging without publishing, add --test-build.")
