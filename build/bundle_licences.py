"""The licences of what a frozen build carries: written into the bundle (every installer ships them) and,
for the .deb, as a Debian machine-readable ``copyright`` file.

The list of Python distributions is not kept by hand: it is the app's runtime dependencies (from
pyproject.toml) and theirs, found in the environment that builds the bundle, minus what the spec leaves
out. Each one's licence files are copied as published; the Qt libraries' LGPL-3.0 / GPL-3.0 texts, which
the PySide6 wheels do not carry, are in build/licenses/.
"""

from __future__ import annotations

import importlib.metadata as metadata
import re
import shutil
import tomllib
from dataclasses import dataclass
from pathlib import Path

BUILD = Path(__file__).resolve().parent
ROOT = BUILD.parent
LICENCE_FILE = re.compile(r"(^|/)(LICEN[CS]E|COPYING|NOTICE|AUTHORS|CONTRIBUTORS)[^/]*$", re.IGNORECASE)
# Distributions the spec leaves out of the bundle (see NOT_SHIPPED there): their licences are not shipped.
NOT_BUNDLED = {"dnspython"}
# Distributions whose wheels carry no licence file: the texts of their licence, from build/licenses/.
EXTRA_TEXTS = {
    "pyside6-essentials": ("LGPL-3.0.txt", "GPL-3.0.txt"),
    "shiboken6": ("LGPL-3.0.txt", "GPL-3.0.txt"),
}
# SPDX names as Debian's copyright format spells them, and the common-licenses file each refers to.
DEBIAN_NAMES = {"MIT": "Expat", "LGPL-3.0-only": "LGPL-3", "GPL-3.0": "GPL-3", "GPL-3.0-only": "GPL-3",
                "GPL-2.0-only": "GPL-2", "Apache-2.0": "Apache-2.0", "MPL-2.0": "MPL-2.0",
                "LGPL-2.1-or-later": "LGPL-2.1+"}
COMMON_LICENSES = {"LGPL-3": "LGPL-3", "GPL-3": "GPL-3", "GPL-2": "GPL-2", "Apache-2.0": "Apache-2.0",
                   "MPL-2.0": "MPL-2.0", "LGPL-2.1+": "LGPL-2.1"}


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    licence: str  # SPDX expression, or the best the metadata says
    files: tuple[str, ...]  # licence files inside the installed distribution
    distribution: metadata.Distribution


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _licence(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    if meta.get("License-Expression"):
        return str(meta["License-Expression"])
    text = (meta.get("License") or "").strip()
    if text and "\n" not in text and len(text) < 60:
        return {"LGPL": "LGPL-2.1-or-later", "Dual License": "Apache-2.0 OR BSD-3-Clause"}.get(text, text)
    classifiers = [c.rsplit(" :: ", 1)[-1] for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    return " OR ".join(classifiers) or "see the licence files"


def bundled_components() -> list[Component]:
    """Every third-party Python distribution the frozen app carries, sorted by name."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    found: dict[str, Component] = {}

    def walk(requirement: str) -> None:
        name = re.split(r"[\s;<>=!\[~(]", requirement.strip(), maxsplit=1)[0]
        key = _key(name)
        if key in found or key in NOT_BUNDLED:
            return
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            return
        files = tuple(sorted(str(f) for f in dist.files or [] if LICENCE_FILE.search(str(f))
                             and ".dist-info/" in str(f)))
        found[key] = Component(dist.metadata["Name"], dist.version, _licence(dist), files, dist)
        for sub in dist.requires or []:
            if "extra ==" not in sub:
                walk(sub)

    for requirement in project["dependencies"]:
        walk(requirement)
    return sorted(found.values(), key=lambda c: _key(c.name))


def write_licences(target: Path) -> list[Component]:
    """Writes LICENSE, THIRD-PARTY-NOTICES.md and licenses/<distribution>/... into ``target``."""
    components = bundled_components()
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "LICENSE", target / "LICENSE")
    shutil.copy(BUILD / "THIRD-PARTY-NOTICES.md", target / "THIRD-PARTY-NOTICES.md")
    folder = target / "licenses"
    shutil.rmtree(folder, ignore_errors=True)
    for component in components:
        own = folder / component.name
        own.mkdir(parents=True)
        for name in component.files:
            source = Path(str(component.distribution.locate_file(name)))
            shutil.copy(source, own / name.split(".dist-info/", 1)[1].replace("/", "-"))
        for text in EXTRA_TEXTS.get(_key(component.name), ()):
            shutil.copy(BUILD / "licenses" / text, own / text)
        (own / "VERSION").write_text(f"{component.name} {component.version}\nLicence: {component.licence}\n",
                                     encoding="utf-8")
    return components


def _debian_licence(expression: str) -> str:
    return " or ".join(DEBIAN_NAMES.get(part.strip(), part.strip()) for part in re.split(r"\s+OR\s+", expression))


def debian_copyright(components: list[Component], bundle_dir: str) -> str:
    """/usr/share/doc/<package>/copyright in the machine-readable format (DEP-5)."""
    paragraphs = [
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n"
        "Upstream-Name: referral-desktop\n"
        "Comment: A frozen build: the app with a Python runtime and the libraries below, under\n"
        f" {bundle_dir}. Each library's own licence files are in {bundle_dir}/licenses/, and\n"
        f" {bundle_dir}/THIRD-PARTY-NOTICES.md says how the LGPL Qt libraries may be replaced.",
        "Files: *\nCopyright: 2026 Referral Desktop contributors\nLicense: Expat",
        f"Files: {bundle_dir}/_internal/python3.11/* {bundle_dir}/_internal/base_library.zip\n"
        f" {bundle_dir}/_internal/libpython3.11*\n"
        "Copyright: 2001-2024 Python Software Foundation\n"
        "License: PSF-2.0\n"
        " The licence is at https://docs.python.org/3.11/license.html.",
    ]
    used: set[str] = {"Expat"}
    for component in components:
        if _key(component.name) == "referral-desktop":
            continue
        licence = _debian_licence(component.licence)
        used.update(part.strip() for part in licence.split(" or "))
        paragraphs.append(
            f"Files: {bundle_dir}/licenses/{component.name}/*\n"
            f"Copyright: the {component.name} authors (see {bundle_dir}/licenses/{component.name}/)\n"
            f"License: {licence}\n"
            f"Comment: {component.name} {component.version}, bundled under {bundle_dir}/_internal/."
        )
    paragraphs.append(
        "License: Expat\n"
        " Permission is hereby granted, free of charge, to any person obtaining a copy of this software\n"
        " and associated documentation files (the \"Software\"), to deal in the Software without\n"
        " restriction, including without limitation the rights to use, copy, modify, merge, publish,\n"
        " distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the\n"
        " Software is furnished to do so, subject to the following conditions:\n"
        " .\n"
        " The above copyright notice and this permission notice shall be included in all copies or\n"
        " substantial portions of the Software.\n"
        " .\n"
        " THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING\n"
        " BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND\n"
        " NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,\n"
        " DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,\n"
        " OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE."
    )
    for name in sorted(used - {"Expat"}):
        common = COMMON_LICENSES.get(name)
        where = (f"On Debian systems the full text is in /usr/share/common-licenses/{common}."
                 if common else f"The full text is in the component's folder under {bundle_dir}/licenses/.")
        paragraphs.append(f"License: {name}\n {where}")
    return "\n\n".join(paragraphs) + "\n"
