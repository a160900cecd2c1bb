"""Reading an exported PDF as a printed page needs poppler's tools; CI installs them (.ci/run), so there a
missing tool fails the test, and elsewhere it skips it. A PDF with no text never skips: that is a failure."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

TOOLS = ("pdftotext", "pdfinfo", "pdftoppm")


def require_poppler() -> None:
    if all(shutil.which(tool) for tool in TOOLS):
        return
    if os.environ.get("CI"):
        pytest.fail("poppler-utils (pdftotext, pdfinfo, pdftoppm) must be installed in CI (.ci/run)")
    pytest.skip("poppler-utils is not installed: apt-get install poppler-utils")


def pdf_text(pdf: Path, *options: str) -> str:
    """The PDF's text as pdftotext reads it (the test is skipped or failed first if poppler is missing)."""
    require_poppler()
    return subprocess.run(["pdftotext", *options, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
