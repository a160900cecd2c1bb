"""The Qt binding keeps Python's reference counts right.

PySide6-Essentials 6.12.0 dropped a reference to ``None`` on every call of a method that returns void
(``setEnabled``, ``setText``, ...). On Python 3.11, where ``None`` is not immortal, the app then aborts with
"Fatal Python error: none_dealloc" after a few thousand such calls: minutes of real use, or at the end of
a test run. pyproject.toml excludes that release; this test fails on any release with the same fault.
"""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QCheckBox, QLineEdit

CALLS = 3000


def _drift(call) -> dict[str, int]:
    before = {name: sys.getrefcount(obj) for name, obj in (("None", None), ("True", True), ("False", False))}
    for _ in range(CALLS):
        call()
    after = {name: sys.getrefcount(obj) for name, obj in (("None", None), ("True", True), ("False", False))}
    return {name: after[name] - before[name] for name in before}


def test_void_methods_do_not_leak_or_steal_references(qtbot):
    box, line = QCheckBox(), QLineEdit()
    qtbot.addWidget(box)
    qtbot.addWidget(line)
    for label, call in (
        ("setEnabled(True)", lambda: box.setEnabled(True)),
        ("setChecked(False)", lambda: box.setChecked(False)),
        ("setText", lambda: line.setText("x")),
        ("isChecked", box.isChecked),
    ):
        drift = _drift(call)
        assert all(abs(d) < CALLS // 10 for d in drift.values()), f"{label}: reference drift {drift}"
