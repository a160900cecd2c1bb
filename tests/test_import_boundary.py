"""Qt stays inside referral_desktop.ui, and the layers import one way only."""

from __future__ import annotations

import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import referral_desktop

REPO = Path(__file__).resolve().parents[1]


def _non_ui_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(referral_desktop.__path__, "referral_desktop."):
        if info.name.startswith(("referral_desktop.ui", "referral_desktop.__main__")):
            continue
        names.append(info.name)
    return names


def test_import_linter_contracts_hold():
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports, "import-linter is part of the test extras"
    result = subprocess.run([lint_imports], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_importing_everything_outside_ui_does_not_load_qt():
    modules = _non_ui_modules()
    assert "referral_desktop.cli" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except ImportError as exc:\n"
        "        if 'fastapi' in str(exc) or 'uvicorn' in str(exc):\n"
        "            continue\n"
        "        raise\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"Qt loaded outside ui: {result.stdout}"
