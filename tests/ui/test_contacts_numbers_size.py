"""The contacts page's phone numbers are set larger than its text, at any text size, also when the size
changes while the page is open.

Why: the numbers were written ``<b style='font-size:120%'>``, and Qt's rich text takes no percentage: the
numbers came out at the text's own size, bold only (measured here: 9 pt in 9 pt text). GOV.UK sets what is
to be dialled large; a size keyword (``large``: 1.2 times the text) is relative to the page's font, so it
follows a change of the text size without the page being built again.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QApplication

from referral_desktop.ui.screens.contacts import ContactsScreen
from referral_desktop.ui.text_size import follow_text_size
from tests.ui.home_on_laptop import app_text

pytestmark = pytest.mark.gui


def _size_of(document: QTextDocument, text: str) -> float:
    found = document.find(text)
    assert not found.isNull(), text
    cursor = QTextCursor(document)
    cursor.setPosition(found.selectionEnd())
    return cursor.charFormat().font().pointSizeF()


def test_the_numbers_to_dial_are_larger_than_the_text_before_and_after_a_change(qtbot, context):
    with app_text(1.0):
        app = QApplication.instance()
        follow_text_size(app)
        screen = ContactsScreen(context)
        qtbot.addWidget(screen)
        screen.show()
        qtbot.waitExposed(screen)
        document = screen.text.document()
        body = screen.text.font().pointSizeF()
        assert _size_of(document, "999") >= 1.2 * body
        assert _size_of(document, "All times are UK local time") == pytest.approx(body)

        font = app.font()
        font.setPointSizeF(font.pointSizeF() * 2)
        app.setFont(font)
        qtbot.waitUntil(lambda: screen.text.font().pointSizeF() == font.pointSizeF(), timeout=2000)
        assert _size_of(document, "999") >= 1.2 * font.pointSizeF()
