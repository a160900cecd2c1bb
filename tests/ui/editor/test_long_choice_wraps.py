"""A choice's words wrap within the page, as GOV.UK's radios' labels do, instead of pushing it sideways.

Why: Qt's radio button draws its words on one line, so at 200 % text "The person concerned (the child or
young person)" needed 870 px, and at 800 px wide the page scrolled sideways, the section's own words cut
at its right edge (found while giving the page room from the section list, test_narrow_editor.py).
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QRadioButton

from referral_desktop.ui.editor.demo_answers import full_answers
from tests.ui.home_on_laptop import app_text

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("section", ["route_and_level", "consent"])
def test_at_800_px_and_200_percent_a_section_of_long_choices_does_not_scroll_sideways(open_editor, qtbot, section):
    with app_text(2.0):
        editor = open_editor(answers=full_answers())
        editor.go_to(editor._section_index(section))
        editor.resize(800, 660)
        qtbot.waitUntil(lambda: editor.width() == 800)
        for _ in range(3):
            QApplication.processEvents()
        page = editor.current_page()
        assert page.horizontalScrollBar().maximum() == 0, (section, page.widget().minimumSizeHint().width(),
                                                           page.viewport().width())
        for button in page.findChildren(QRadioButton):
            if not button.isVisibleTo(page):
                continue
            assert button.width() <= page.viewport().width()
            # Every word drawn: the button is as tall as its words need at its width.
            metrics = QFontMetrics(button.font())
            words = button.text().split()
            assert all(metrics.horizontalAdvance(w) < button.width() for w in words), button.text()
            assert button.height() >= button.heightForWidth(button.width()), button.text()


def test_a_click_on_a_choice_s_second_line_chooses_it(qtbot):
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    from referral_desktop.ui.editor.inputs.choice_inputs import RadioInput

    with app_text(2.0):
        holder = QWidget()
        radios = RadioInput([("a", "a. Child at risk of significant harm"), ("b", "b. Request for advice")])
        QVBoxLayout(holder).addWidget(radios)
        qtbot.addWidget(holder)
        holder.resize(360, 400)
        holder.show()
        qtbot.waitExposed(holder)
        button = radios.buttons["a"]
        assert button.height() >= 2 * button.fontMetrics().lineSpacing(), "wrapped onto two lines"
        with qtbot.waitSignal(radios.value_changed) as chosen:
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(button.width() // 2, button.height() - 6))
        assert chosen.args == ["a"]
