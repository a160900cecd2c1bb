"""The mypy plugin for PySide6 constructors (mypy_plugins/pyside6_keywords.py) accepts what PySide6
accepts at run time and still refuses the rest: a misspelt keyword, a wrong type."""

from __future__ import annotations

from pathlib import Path

import pytest

api = pytest.importorskip("mypy.api", reason="mypy is in the lint extra")

ROOT = Path(__file__).resolve().parents[1]

SNIPPET = '''
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

window = QWidget(objectName="window")
ok = QPushButton("OK", window, objectName="ok", clicked=lambda: None)
find = QShortcut(QKeySequence("Ctrl+F"), window, activated=lambda: None)
misspelt = QPushButton("OK", objectNme="ok")  # line 8
wrong_type = QLabel("x", objectName=3)  # line 9
'''


def test_inherited_properties_and_signals_are_keywords_and_mistakes_still_errors(tmp_path: Path) -> None:
    source = tmp_path / "probe.py"
    source.write_text(SNIPPET, encoding="utf-8")
    out, err, status = api.run([
        "--config-file", str(ROOT / "pyproject.toml"), "--cache-dir", str(tmp_path / "cache"),
        "--no-error-summary", str(source),
    ])
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert status == 1, (out, err)
    lines = sorted({int(line.split(":")[1]) for line in errors})
    assert lines == [8, 9], out
    assert 'Unexpected keyword argument "objectNme"' in out
    assert 'matches argument types "str", "int"' in out
