"""Every drop-down and number box the app makes leaves the wheel to the page unless it has focus.

The guard is in the controls' own classes (``ui/wheel_guard.py``), not in a filter on the application
(see that module for why), so a control made from Qt's own class would have none: the source is read for
any, and each guarded class is tried with real wheel events inside a scrolled page.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from PySide6.QtCore import QDateTime, QPoint, QPointF, Qt
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea, QVBoxLayout, QWidget

import referral_desktop.ui
from referral_desktop.ui.wheel_guard import GuardedComboBox, GuardedDateTimeEdit, GuardedSpinBox

pytestmark = pytest.mark.gui

# Qt's controls that change their value with the wheel.
WHEEL_CONTROLS = {"QComboBox", "QFontComboBox", "QSpinBox", "QDoubleSpinBox", "QDateTimeEdit", "QDateEdit",
                  "QTimeEdit", "QAbstractSpinBox", "QSlider", "QDial", "QScrollBar"}
UI = Path(referral_desktop.ui.__file__).parent


def _made_or_subclassed(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in WHEEL_CONTROLS:
                found.append(f"{path.relative_to(UI)}:{node.lineno} makes a {name}")
        elif isinstance(node, ast.ClassDef) and path.name != "wheel_guard.py":
            for base in node.bases:
                name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")
                if name in WHEEL_CONTROLS:
                    found.append(f"{path.relative_to(UI)}:{node.lineno} subclasses {name}")
    return found


def test_the_app_makes_no_unguarded_wheel_control():
    found = [line for path in sorted(UI.rglob("*.py")) for line in _made_or_subclassed(path)]
    assert found == [], "use the classes in ui/wheel_guard.py"


def wheel(widget: QWidget, clicks: int = -2) -> None:
    """Wheel events (120 units a click) at the middle of ``widget``. (Over a spin box's text, the window
    system's wheel event reaches the text field first, which passes it to the box.)"""
    from PySide6.QtGui import QWheelEvent

    centre = QPointF(widget.width() / 2, widget.height() / 2)
    for _ in range(abs(clicks)):
        event = QWheelEvent(
            centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(), QPoint(0, 120 if clicks > 0 else -120),
            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False,
        )
        QApplication.sendEvent(widget, event)


@pytest.mark.parametrize("make", [
    lambda: _combo(), lambda: GuardedSpinBox(), lambda: GuardedDateTimeEdit(QDateTime(2026, 11, 24, 10, 0, 0)),
], ids=["drop-down", "number", "date and time"])
def test_an_unfocused_control_scrolls_the_page_and_a_focused_one_changes(qtbot, make):
    control = make()
    if isinstance(control, GuardedSpinBox):
        control.setRange(0, 100)
        control.setValue(50)
    page = QWidget()
    column = QVBoxLayout(page)
    column.addWidget(QLabel("Above\n" * 30))
    column.addWidget(control)
    column.addWidget(QLabel("Below\n" * 30))
    area = QScrollArea()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.resize(400, 300)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    area.ensureWidgetVisible(control)
    value = _value(control)
    before = area.verticalScrollBar().value()
    wheel(control, -2)
    assert _value(control) == value
    assert area.verticalScrollBar().value() > before  # the page moved instead
    control.setFocus()
    qtbot.waitUntil(control.hasFocus)
    wheel(control, -1)
    assert _value(control) != value  # with focus, the wheel is the user's way of choosing


def _combo() -> GuardedComboBox:
    combo = GuardedComboBox()
    combo.addItems(["GP", "School nurse", "Health visitor", "Teacher"])
    combo.setCurrentIndex(1)
    return combo


def _value(control) -> str:
    return control.currentText() if isinstance(control, GuardedComboBox) else control.text()
