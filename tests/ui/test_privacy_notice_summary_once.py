"""The privacy notice says that it is a summary once, not twice.

Why: the bundled summary opens by saying "This is a summary, not the council's privacy notice", and the
app put its own italic line "This is a plain-English summary of …, not the full notice" above it, so a
family reading it, and a screen reader reading the page, heard the same warning twice in a row (found by
looking at the screen). The notice's text is versioned, and the version is recorded with consent, so the
app's line gives way, never the notice; a summary whose own text does not say so keeps the app's line.
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from referral_desktop.domain.privacy_notice import bundled_notice, load_privacy_notice
from referral_desktop.ui.screens.privacy_notice import PrivacyNoticeScreen, notice_html

pytestmark = pytest.mark.gui

SAYS_SUMMARY = re.compile(r"\bthis is a (?:plain-English )?summary\b", re.IGNORECASE)


def _plain(html_text: str) -> str:
    from PySide6.QtGui import QTextDocument

    document = QTextDocument()
    document.setHtml(html_text)
    return document.toPlainText()


def test_the_bundled_summary_is_called_a_summary_once_on_screen_and_on_paper(qtbot, context):
    screen = PrivacyNoticeScreen(context)
    qtbot.addWidget(screen)
    screen.show()
    heard = screen.text.toPlainText()
    assert len(SAYS_SUMMARY.findall(heard)) == 1, heard[:400]
    assert heard.lstrip().startswith("This is a summary, not the council's privacy notice.")
    assert len(SAYS_SUMMARY.findall(_plain(screen.document_html()))) == 1  # the PDF's text


def test_the_summary_shown_beside_a_web_notice_is_called_a_summary_once(qapp):
    notice = load_privacy_notice(url="https://www.cheshirewestandchester.gov.uk/privacy", version="2026.3")
    plain = _plain(notice_html(notice))
    assert "on the web" in plain
    assert len(SAYS_SUMMARY.findall(plain)) == 1, plain[:400]


def test_a_summary_whose_text_does_not_say_so_is_labelled_by_the_app(qapp):
    quiet = dataclasses.replace(bundled_notice(), text="## Who is responsible\n\nThe council is.")
    plain = _plain(notice_html(quiet))
    assert len(SAYS_SUMMARY.findall(plain)) == 1
    assert "not the full notice" in plain
