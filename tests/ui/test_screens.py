"""Urgency triage, export warning, privacy notice, settings, and the error hook."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from referral_desktop.ui.excepthook import ErrorReporter
from referral_desktop.ui.export_pdf import ExportFlow
from referral_desktop.ui.screens.privacy_notice import PrivacyNoticeScreen
from referral_desktop.ui.screens.settings import SettingsScreen
from referral_desktop.ui.screens.urgency import UrgencyScreen
from tests.ui.conftest import create_store_now

pytestmark = pytest.mark.gui


def test_urgent_yes_shows_who_to_call_first_then_records_the_call(qtbot, context, store_api):
    store = create_store_now(context)
    context.runner.run_sync(lambda: store.profile.set({"referrer_name": "Alex Example", "referrer_role": "Nurse"}))
    screen = UrgencyScreen(context)
    qtbot.addWidget(screen)
    screen.show()
    context.runner.wait_idle()
    screen.continue_button.click()
    assert "Select yes" in screen.question_error.text()  # an answer is needed
    screen.yes.setChecked(True)
    screen.continue_button.click()
    assert screen.pages.currentIndex() == 1
    listed = screen.call_panel.services.text()
    assert listed.index("999") < listed.index("0300 123 7047")  # 999 first, iART open on Tuesday 10:00
    assert "pt; font-weight:bold" in listed and screen.call_panel.large  # numbers in large type
    screen.follow_up_button.click()
    assert "Select who you phoned" in screen.call_service_row.error.text()
    screen.call_service.setCurrentIndex(screen.call_service.findData("iart"))
    qtbot.keyClicks(screen.call_reference, "REF-1")
    qtbot.keyClicks(screen.call_person, "Sam Duty")
    with qtbot.waitSignal(screen.start_draft) as started:
        screen.follow_up_button.click()
    answers = started.args[0]
    assert answers["immediate_danger"] == "yes"
    assert answers["phone_referral_made"] == "yes"
    assert answers["phone_referral_service"] == "iart"
    assert answers["phone_referral_datetime"] == "2026-11-24T10:00"
    assert answers["phone_referral_reference"] == "REF-1"
    assert answers["referrer_name"] == "Alex Example"  # About you pre-filled from the profile
    # The call was to iART: "Have you discussed this with iART?" is that call, not asked again.
    assert (answers["iart_discussed"], answers["iart_discussion_datetime"], answers["iart_worker_name"]) == (
        "yes", "2026-11-24T10:00", "Sam Duty")


def test_urgent_no_goes_straight_to_a_draft(qtbot, context, store_api):
    create_store_now(context)
    screen = UrgencyScreen(context)
    qtbot.addWidget(screen)
    context.runner.wait_idle()
    screen.no.setChecked(True)
    with qtbot.waitSignal(screen.start_draft) as started:
        screen.continue_button.click()
    assert started.args[0]["immediate_danger"] == "no"
    assert "phone_referral_made" not in started.args[0]


def test_export_warns_that_the_file_is_not_encrypted_before_writing(qtbot, context, store_api, tmp_path,
                                                                    announced):
    store = create_store_now(context)
    referral = context.runner.run_sync(
        lambda: store.referrals.create_draft("cwac-marf", "1.0.0", {"immediate_danger": "no",
                                                                  "referrer_name": "Alex Example"}))
    target = tmp_path / "out.pdf"
    asked: list[str] = []
    done: list[Path] = []
    window = QWidget()
    qtbot.addWidget(window)
    flow = ExportFlow(context, window, done=done.append, failed=pytest.fail,
                      choose_path=lambda suggested: asked.append(suggested) or str(target))
    flow.start(str(referral.id))
    warning = flow.warning
    assert warning.isVisible()
    assert "not be encrypted" in warning.text()
    assert "ordinary email" in warning.text()
    warning.button(QMessageBox.StandardButton.Cancel).click()  # cancelling writes nothing
    assert not target.exists() and not asked
    flow.start(str(referral.id))
    proceed = next(b for b in flow.warning.buttons() if b.objectName() == "exportProceed")
    proceed.click()
    qtbot.waitUntil(lambda: bool(done), timeout=20_000)
    assert asked and "Alex" not in asked[0]  # no personal data in the suggested file name
    assert target.read_bytes().startswith(b"%PDF")
    if os.name == "posix":
        assert target.stat().st_mode & 0o077 == 0
    # Heard (the window only wrote it in its status bar for 10 s), without the file's name.
    assert "The referral is saved as a PDF. It is not encrypted." in announced
    assert not [text for text in announced if "out.pdf" in text]


def test_privacy_notice_shows_version_and_saves_pdf(qtbot, context, tmp_path, announced):
    screen = PrivacyNoticeScreen(context)
    qtbot.addWidget(screen)
    screen.show()
    assert screen.version != "unavailable"
    assert screen.version in screen.version_label.text()
    assert "summary" in screen.text.toPlainText().lower()
    target = tmp_path / "SENTINEL-notice.pdf"
    with qtbot.waitSignal(screen.saved, timeout=20_000):
        screen._save(path=str(target))
    assert target.read_bytes().startswith(b"%PDF")
    # Heard, not only written beside the buttons; not the file's name, which may be anything typed.
    assert "The privacy notice is saved as a PDF." in announced
    assert not [text for text in announced if "SENTINEL" in text]
    (tmp_path / "taken.pdf").mkdir()  # a folder where the file should go: the PDF cannot be written
    screen._save(path=str(tmp_path / "taken.pdf"))
    qtbot.waitUntil(lambda: "could not be saved" in screen.status.text(), timeout=20_000)
    assert "The PDF could not be saved. Choose another folder." in announced


def test_settings_caps_auto_lock_and_shows_versions(qtbot, context, store_api):
    create_store_now(context)
    screen = SettingsScreen(context)
    qtbot.addWidget(screen)
    screen.load()
    assert screen.auto_lock.maximum() == context.auto_lock_ceiling()
    screen.auto_lock.setValue(2)
    assert context.auto_lock_minutes() == 2
    context.settings.setValue("security/auto_lock_minutes", 999)  # a hand-edited file cannot exceed policy
    assert context.auto_lock_minutes() == context.auto_lock_ceiling()
    qtbot.waitUntil(lambda: "SQLCipher 4" in screen.about.text(), timeout=10_000)
    assert "Qt 6" in screen.about.text()
    assert "form version" in screen.about.text()


def test_settings_says_what_the_notifications_are_about(qtbot, context):
    """They tell iART's news and what never reached iART (a document given up on, a reply iART refused):
    the switch must not say "iART's news" only, or someone turning it off does not know what they lose."""
    from PySide6.QtWidgets import QLabel

    screen = SettingsScreen(context)
    qtbot.addWidget(screen)
    words = " ".join(label.text() for label in screen.findChildren(QLabel)) + " " + screen.notifications.text()
    assert "could not reach iART" in words and "document or a reply you sent" in words
    assert screen.notifications.text() == "Show notifications about your referrals"


@pytest.mark.qt_no_exception_capture
def test_unexpected_error_in_a_slot_shows_a_dialog_and_the_loop_goes_on(qtbot):
    app = QApplication.instance()
    reporter = ErrorReporter(app).install()
    try:
        def broken_slot() -> None:
            raise RuntimeError("secret answer text")

        QTimer.singleShot(0, broken_slot)
        qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible(), timeout=5_000)
        assert "secret" not in reporter.dialog.text()  # no values in the message
        assert "RuntimeError" in reporter.dialog.text()
        ticked = []
        QTimer.singleShot(0, lambda: ticked.append(1))
        qtbot.waitUntil(lambda: ticked == [1], timeout=2_000)  # the event loop is not frozen
        reporter.dialog.button(QMessageBox.StandardButton.Ok).click()
        assert reporter.dialog is None
    finally:
        reporter.uninstall()
    assert sys.excepthook is not reporter


def test_who_to_call_says_when_the_list_was_worked_out(qtbot, context):
    from referral_desktop.ui.screens.who_to_call import WhoToCallPanel

    panel = WhoToCallPanel(context)
    qtbot.addWidget(panel)
    # The time the open services were worked out (not an opening time), and how often that happens.
    assert panel.updated.text() == "As at 10am (UK time); updated every minute."


def test_a_call_to_another_service_does_not_claim_an_iart_discussion():
    from referral_desktop.ui.screens.urgency import initial_answers

    answers = initial_answers("yes", {"when": "2026-11-24T10:00", "service": "police", "person": "PC Example"}, {})
    assert "iart_discussed" not in answers and "iart_worker_name" not in answers
