"""The professional's whole journey by keyboard only, at 200 % text in a dark palette (run as ``python -m
tests.ui.atspi.journey_driver PROFILE_DIR``, driven like app_driver.py, whose event loop and step protocol
it uses).

Before the app starts, the profile gets a store holding the referrer's details. Every step presses keys on
whatever has focus, as a person would (Tab until the control is reached, Space or Enter on it); file dialogs
get a path typed into them. The walk: unlock -> home -> New referral (Ctrl+N) -> "Yes" to the urgency
question -> who to call now, the call recorded -> the editor (not this walk's: a complete draft is opened
and its check page reached) -> Send -> the confirmation -> back home -> the referral's page (iART has
received it and asked a question meanwhile) -> a reply typed with a document attached, sent -> the copy
exported as PDF past the warning -> Lock now (Ctrl+L) -> unlocked again.

With ``JOURNEY_SHOTS`` set to a folder, every checkpoint also saves the window (and any dialog open) there.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.ui.atspi.app_driver import _settle, _wait
from tests.ui.atspi.app_driver import main as drive

PASSPHRASE = "Wombat-Cinnabar-4821"
#: Sentinels: the child's name in the referral and the document's file name (never announced).
REPLY = "The family moved to Sentinelton last week."
DOCUMENT = "Sentinelname letter.pdf"
QUESTION = "Which school does the child attend now?"
_PDF = b"%PDF-1.4\nSentinelfilecontent\n%%EOF\n"
#: Most Tab presses a step may take to reach its control (more is a finding in itself).
TAB_LIMIT = 40
AT = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


def details_only(profile: Path) -> None:
    from referral_desktop.store import create_store
    from referral_desktop.ui.editor.demo_answers import full_answers

    store = create_store(profile, PASSPHRASE, clock=lambda: AT)
    store.profile.set({k: v for k, v in full_answers().items() if k.startswith("referrer_")})
    store.close()


def journey(app, window, context) -> Iterator[str]:
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QWidget

    from referral_desktop.ui.editor.demo_answers import demo_document
    from referral_desktop.ui.example_palettes import dress
    from referral_desktop.ui.screens.home import HomeScreen
    from referral_desktop.ui.screens.referral_detail import ReferralDetailScreen
    from referral_desktop.ui.screens.sent_confirmation import SentConfirmationScreen
    from referral_desktop.ui.screens.unlock import UnlockScreen
    from referral_desktop.ui.screens.urgency import UrgencyScreen

    shots = os.environ.get("JOURNEY_SHOTS")
    dress(app, font_scale=2.0, palette="dark")
    window.showMaximized()
    log = sys.stderr

    def focused() -> QWidget | None:
        return app.focusWidget()

    def describe(widget: QWidget | None) -> str:
        if widget is None:
            return "(nothing)"
        return f"{type(widget).__name__} {widget.objectName()!r} {widget.accessibleName()!r}"

    def key(k, modifier=Qt.KeyboardModifier.NoModifier) -> None:
        QTest.keyClick(focused() or window, k, modifier)

    def tab_to(found: Callable[[QWidget], bool], what: str) -> int:
        for presses in range(1, TAB_LIMIT + 1):
            key(Qt.Key.Key_Tab)
            _settle(app, context, 30)
            widget = focused()
            if widget is not None and found(widget):
                print(f"JOURNEY {what}: reached in {presses} Tab presses", file=log, flush=True)
                return presses
        raise AssertionError(f"{what}: not reached in {TAB_LIMIT} Tab presses; focus on {describe(focused())}")

    def named(text: str) -> Callable[[QWidget], bool]:
        return lambda w: text in (getattr(w, "text", lambda: "")() or "") or text == w.accessibleName()

    def checkpoint(name: str) -> str:
        print(f"JOURNEY {name}: focus on {describe(focused())} (the window's: {describe(window.focusWidget())}, "
              f"active: {type(app.activeWindow()).__name__})", file=log, flush=True)
        if shots:
            slug = "".join(c if c.isalnum() else "-" for c in name).strip("-")
            window.grab().save(str(Path(shots) / f"{slug}.png"))
            modal = QApplication.activeModalWidget()
            if modal is not None and modal is not window:
                modal.grab().save(str(Path(shots) / f"{slug}-dialog.png"))
        return name

    def in_dialog(typed: str, name: str) -> None:
        """Once the modal dialog a key opens is up: a checkpoint's picture, the path typed, Enter."""

        def answer() -> None:
            modal = QApplication.activeModalWidget()
            if modal is None or modal is window:
                QTimer.singleShot(100, answer)
                return
            _settle(app, context, 300)
            checkpoint(name)
            QTest.keyClicks(focused(), typed)
            QTest.keyClick(focused(), Qt.Key.Key_Return)

        QTimer.singleShot(100, answer)

    def back_from_dialog() -> None:
        """The dialog closed: the window is active again, as a window manager makes it (Xvfb has none, so
        X's focus went nowhere with the dialog), and Qt gives focus back to where it was in the window."""
        _wait(app, lambda: QApplication.activeModalWidget() is None)
        _settle(app, context, 500)  # X takes focus away with the dialog a moment after it closes
        window.activateWindow()
        _wait(app, lambda: app.activeWindow() is window)

    _wait(app, lambda: isinstance(window.current, UnlockScreen) and window.current.passphrase.hasFocus())
    QTest.keyClicks(focused(), PASSPHRASE)
    key(Qt.Key.Key_Return)
    _wait(app, lambda: isinstance(window.current, HomeScreen), timeout_ms=30_000)
    _settle(app, context, 600)
    yield checkpoint("home")

    key(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    _wait(app, lambda: isinstance(window.current, UrgencyScreen))
    urgency = window.current
    _settle(app, context, 400)
    yield checkpoint("urgency question")

    if not urgency.yes.hasFocus():
        tab_to(lambda w: w is urgency.yes, "Yes")
    key(Qt.Key.Key_Space)
    tab_to(named("Continue"), "Continue")
    key(Qt.Key.Key_Space)
    _wait(app, lambda: urgency.pages.currentIndex() == 1)
    _settle(app, context, 500)
    yield checkpoint("who to call now")

    tab_to(lambda w: w is urgency.call_service, "Who did you phone?")
    key(Qt.Key.Key_Down)  # the first service
    _settle(app, context, 200)
    yield checkpoint("call recorded")

    tab_to(named("Continue to the written referral"), "Continue to the written referral")
    key(Qt.Key.Key_Space)
    _wait(app, lambda: getattr(getattr(window.current, "editor", None), "go_to", None) is not None)
    _settle(app, context, 600)
    yield checkpoint("editor")

    # The editor is not this walk's: a complete draft, on its check page, as its own walk leaves it.
    example = demo_document()
    referral = context.runner.run_sync(lambda: context.runner.store.referrals.create_draft(
        example["form_id"], example["form_version"], example["answers"]))
    referral_id = str(referral.id)
    window.open_editor(referral_id)
    _wait(app, lambda: getattr(getattr(window.current, "editor", None), "referral_id", None) == referral_id)
    editor = window.current.editor
    editor.go_to_check()
    _settle(app, context, 600)
    yield checkpoint("check answers")

    editor.check_page.send_button.setFocus()  # below every answer's Change link: the editor's walk's to reach
    key(Qt.Key.Key_Space)
    _wait(app, lambda: isinstance(window.current, SentConfirmationScreen), timeout_ms=15_000)
    _wait(app, lambda: window.current.state != "", timeout_ms=15_000)
    _settle(app, context, 600)
    yield checkpoint("confirmation")

    key(Qt.Key.Key_Space)  # focus is on "Back to your referrals"
    _wait(app, lambda: isinstance(window.current, HomeScreen))
    home = window.current

    def iart_received_and_asked() -> None:  # what the sender records when iART answers (not this walk's)
        store = context.runner.store
        store.referrals.set_state(referral_id, "sending")
        store.referrals.set_state(referral_id, "received", iart_reference="IART-2026-000777", sent_at=AT,
                                  received_at=AT, decision_due=AT + timedelta(days=1))
        store.outbox.remove(referral_id)
        store.referrals.set_state(referral_id, "info_requested", message=QUESTION, message_at=AT)

    context.runner.run_sync(iart_received_and_asked)
    home.reload()
    _settle(app, context, 600)
    yield checkpoint("home after sending")

    tab_to(lambda w: w is home.table, "the list")
    for _ in range(home.proxy.rowCount()):
        if home.table.currentIndex().isValid() and home.proxy.index(
                home.table.currentIndex().row(), 0).data(Qt.ItemDataRole.UserRole + 2) == referral_id:
            break
        key(Qt.Key.Key_Down)
    key(Qt.Key.Key_Return)
    _wait(app, lambda: isinstance(window.current, ReferralDetailScreen) and window.current.referral_id == referral_id)
    detail = window.current
    _wait(app, lambda: detail.conversation.reply_box.isVisible())
    _settle(app, context, 600)
    yield checkpoint("referral page")

    tab_to(lambda w: w is detail.conversation.editor, "Reply to iART")
    QTest.keyClicks(focused(), REPLY)
    _settle(app, context, 1200)  # the autosave's pause
    yield checkpoint("reply typed")

    folder = context.profile_dir.parent / "documents"
    folder.mkdir(exist_ok=True)
    (folder / DOCUMENT).write_bytes(_PDF)
    tab_to(named("Attach a file…"), "Attach a file")
    in_dialog(str(folder / DOCUMENT), "choosing the document")
    key(Qt.Key.Key_Space)
    back_from_dialog()
    _settle(app, context, 800)
    yield checkpoint("document attached")

    tab_to(named("Send reply"), "Send reply")
    key(Qt.Key.Key_Space)
    _settle(app, context, 800)
    yield checkpoint("reply sent")

    tab_to(named("Export as PDF…"), "Export as PDF")
    key(Qt.Key.Key_Space)
    _settle(app, context, 600)
    yield checkpoint("export warning")

    tab_to(named("Save an unencrypted PDF…"), "Save an unencrypted PDF")
    in_dialog(str(folder / "copy.pdf"), "choosing where to save")
    key(Qt.Key.Key_Space)
    back_from_dialog()
    _wait(app, lambda: (folder / "copy.pdf").exists(), timeout_ms=15_000)
    _settle(app, context, 800)
    yield checkpoint("exported")

    key(Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    _wait(app, lambda: isinstance(window.current, UnlockScreen) and window.current.passphrase.isVisible())
    _settle(app, context, 500)
    yield checkpoint("locked")

    QTest.keyClicks(focused(), PASSPHRASE)
    key(Qt.Key.Key_Return)
    _wait(app, lambda: not isinstance(window.current, UnlockScreen), timeout_ms=30_000)
    _settle(app, context, 600)
    yield checkpoint("unlocked again")


def main(argv: list[str]) -> int:
    details_only(Path(argv[0]))
    return drive(argv, walker=journey)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
