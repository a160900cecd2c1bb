"""The second AT-SPI walk: two screens the first never reaches (run as ``python -m tests.ui.atspi.recovery_driver
PROFILE_DIR``, driven like app_driver.py, whose event loop and step protocol it uses).

Before the app starts, the profile gets a store holding the referrer's details and a referral iART has
received, a snapshot of it, and then ``store.db`` is deleted: the app opens on the missing-store page. The
walk: that page -> three Tab presses -> Enter with no passphrase -> a wrong passphrase -> the right one
(the copy restored, home) -> the received referral's page, focus in the reply box -> a file the rules
refuse -> two PDFs attached -> five Tab presses from the reply text -> the second document removed with
the keyboard -> Settings: "Save your details" with no name and a malformed email address, "Change passphrase" pressed with nothing typed, then with a wrong current
passphrase -> Lock now -> "Forgotten passphrase" -> RESET typed and "Delete everything and reset" pressed
where the reset cannot finish (a folder stands where it must delete a file).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from tests.ui.atspi.app_driver import _settle, _wait
from tests.ui.atspi.app_driver import main as drive
from tests.ui.received_referral import received_referral

PASSPHRASE = "Wombat-Cinnabar-4821"
WRONG_PASSPHRASE = "Wombat-Cinnabar-0000"
#: Typed as the new passphrase in Settings (never accepted: the current one given there is wrong).
NEW_PASSPHRASE = "Pangolin-Saffron-3907"
#: Sentinels: a child's name in the referral, and the documents' file names (never announced).
CHILD = "Zebedee Sentinelchild"
DOCUMENTS = ("Sentinelname report.pdf", "Sentinelname plan.pdf")
REFUSED = "Sentinelname notes.txt"
MISSING_PAGE_TABS = 3
REPLY_BOX_TABS = 5
_PDF = b"%PDF-1.4\nSentinelfilecontent\n%%EOF\n"


#: A document's id in the answers, under a question they no longer ask (its bytes went when iART received it).
LEFT_OUT = "4d2c1b0a-0f9e-4d8c-b7a6-958473625140"


def lose_the_store(profile: Path) -> None:
    """A store with a received referral and a snapshot of it, then store.db (and -wal, -shm) deleted."""
    from referral_desktop.store import create_store
    from referral_desktop.ui.editor.demo_answers import full_answers

    at = datetime(2026, 11, 24, 5, 15, tzinfo=UTC)
    store = create_store(profile, PASSPHRASE, clock=lambda: at)
    store.profile.set({k: v for k, v in full_answers().items() if k.startswith("referrer_")})
    # With an assessment attached before "No" to the tool: "What you sent" says it went without it.
    received_referral(store, at=at, answers={"children": [{"given_names": CHILD, "family_name": "Quartz"}],
                                             "assessment_tool_used": "no", "assessment_tool_attachments": [LEFT_OUT]})
    if store.snapshots.take() is None:
        raise RuntimeError("no snapshot was taken")
    store.close()
    for name in ("store.db", "store.db-wal", "store.db-shm"):
        (profile / name).unlink(missing_ok=True)


def recovery_walk(app, window, context) -> Iterator[str]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from referral_desktop.ui.screens.home import HomeScreen

    def key(k):
        QTest.keyClick(app.focusWidget(), k)

    # The app's first screen is shown before this test's client listens on the bus; the page is shown
    # again as start-up shows it (no store file: the first-run screen, which opens on this page).
    _wait(app, lambda: getattr(window.current, "missing_page", None) is not None)
    window.start_first_run()
    _wait(app, lambda: getattr(window.current, "missing_page", None) is not None)
    page = window.current.missing_page
    _wait(app, lambda: page.passphrase.hasFocus())
    _settle(app, context, 500)
    yield "missing store"

    for _ in range(MISSING_PAGE_TABS):
        key(Qt.Key.Key_Tab)
        _settle(app, context, 60)
    page.passphrase.setFocus()
    _settle(app, context, 300)
    yield "missing store: tab order"

    key(Qt.Key.Key_Return)
    _settle(app, context, 400)
    yield "missing store: no passphrase"

    QTest.keyClicks(page.passphrase, WRONG_PASSPHRASE)
    key(Qt.Key.Key_Return)
    _wait(app, lambda: "does not open the copy" in page.field.error.text(), timeout_ms=30_000)
    _settle(app, context, 400)
    yield "missing store: wrong passphrase"

    _wait(app, lambda: page.restore_button.isEnabled(), timeout_ms=30_000)
    page.passphrase.clear()
    page.passphrase.setFocus()
    QTest.keyClicks(page.passphrase, PASSPHRASE)
    key(Qt.Key.Key_Return)
    _wait(app, lambda: isinstance(window.current, HomeScreen), timeout_ms=30_000)
    _settle(app, context, 500)
    yield "missing store: restored"

    [summary] = context.runner.run_sync(lambda: context.runner.store.referrals.list_summaries())
    window.open_detail(str(summary.id))
    _wait(app, lambda: getattr(getattr(window.current, "conversation", None), "reply_box", None) is not None
          and window.current.conversation.reply_box.isVisible())
    panel = window.current.conversation
    documents = panel.documents
    panel.editor.setFocus()
    _settle(app, context, 400)
    yield "reply box"

    folder = context.profile_dir.parent / "documents"
    folder.mkdir(exist_ok=True)
    (folder / REFUSED).write_text("plain text", encoding="utf-8")
    documents.attach_button.setFocus()
    documents.add_files([folder / REFUSED])  # what the file dialog hands over (a native dialog is not ours)
    _wait(app, lambda: documents.error.isVisible())
    _settle(app, context, 400)
    yield "reply document refused"

    for number, name in enumerate(DOCUMENTS):
        (folder / name).write_bytes(_PDF + str(number).encode())
    documents.add_files([folder / name for name in DOCUMENTS])
    _wait(app, lambda: len(documents.documents) == len(DOCUMENTS))
    _settle(app, context, 400)
    yield "reply documents attached"

    panel.editor.setFocus()
    _settle(app, context, 200)
    for _ in range(REPLY_BOX_TABS):
        key(Qt.Key.Key_Tab)
        _settle(app, context, 60)
    _settle(app, context, 300)
    yield "reply box: tab order"

    from PySide6.QtWidgets import QPushButton

    [remove] = [b for b in documents.findChildren(QPushButton) if b.accessibleName() == f"Remove {DOCUMENTS[1]}"]
    remove.setFocus()
    _settle(app, context, 200)
    key(Qt.Key.Key_Space)
    _wait(app, lambda: len(documents.documents) == 1)
    _settle(app, context, 400)
    yield "reply document removed"

    yield from _settings_and_reset(app, window, context, key)


def _settings_and_reset(app, window, context, key) -> Iterator[str]:
    """Errors that appear while focus is on the button just pressed, not on the field they are about."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from referral_desktop.ui.screens.forgotten_passphrase import ForgottenPassphraseDialog
    from referral_desktop.ui.screens.settings import SettingsScreen
    from referral_desktop.ui.screens.unlock import UnlockScreen

    window.show_settings()
    _wait(app, lambda: isinstance(window.current, SettingsScreen))
    settings = window.current
    _wait(app, lambda: bool(settings.profile_form.values()["referrer_name"]))  # the details read from the store
    settings.profile_form.inputs["referrer_name"].clear()
    settings.profile_form.inputs["referrer_email"].setText("not an email address")
    settings.save_profile.setFocus()
    _settle(app, context, 200)
    key(Qt.Key.Key_Space)
    _settle(app, context, 400)
    yield "settings: details with errors"

    settings.change_button.setFocus()
    _settle(app, context, 300)
    key(Qt.Key.Key_Space)
    _settle(app, context, 400)
    yield "settings: nothing typed"

    for edit, text in ((settings.old_pass, WRONG_PASSPHRASE), (settings.new_pass, NEW_PASSPHRASE),
                       (settings.new_pass2, NEW_PASSPHRASE)):
        edit.clear()
        edit.setFocus()
        QTest.keyClicks(edit, text)
    settings.change_button.setFocus()
    _settle(app, context, 200)
    key(Qt.Key.Key_Space)
    _wait(app, lambda: "not right" in settings.old_row.error.text(), timeout_ms=30_000)
    _settle(app, context, 400)
    yield "settings: wrong current passphrase"

    window.lock()
    _wait(app, lambda: isinstance(window.current, UnlockScreen) and window.current.forgot_button.isVisible())
    window.current.forgot_button.setFocus()
    _settle(app, context, 200)
    key(Qt.Key.Key_Space)
    _wait(app, lambda: window.findChild(ForgottenPassphraseDialog) is not None)
    dialog = window.findChild(ForgottenPassphraseDialog)
    _wait(app, lambda: dialog.isVisible())
    dialog.activateWindow()  # no window manager on the test's X server to give the new window focus
    _wait(app, lambda: dialog.isActiveWindow())
    _settle(app, context, 400)
    yield "forgotten passphrase: opened"

    dialog.confirm.setFocus()
    QTest.keyClicks(dialog.confirm, "RESET")
    # What the reset must delete cannot be deleted: a folder (with a file in it) stands in its place.
    blocker = context.profile_dir / "unlock.lock"
    blocker.unlink(missing_ok=True)
    blocker.mkdir()
    (blocker / "held").write_text("held", encoding="utf-8")
    key(Qt.Key.Key_Tab)  # from the field to "Delete everything and reset", as a person goes
    _settle(app, context, 200)
    key(Qt.Key.Key_Space)
    _wait(app, lambda: bool(dialog.confirm_row.error.text()), timeout_ms=30_000)
    _settle(app, context, 400)
    yield "forgotten passphrase: reset failed"


def main(argv: list[str]) -> int:
    lose_the_store(Path(argv[0]))
    return drive(argv, walker=recovery_walk)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
