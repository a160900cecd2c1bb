"""The real app, on the xcb platform with the accessibility bridge on, walked step by step for the AT-SPI tests.

Run as ``python -m tests.ui.atspi.app_driver PROFILE_DIR`` under the test's X server and session bus. It
reads ``next`` lines on standard input; each moves the walk to its next checkpoint (keyboard presses on
the focused widget where a person would press keys) and prints ``CHECKPOINT <name>`` once the GUI is idle,
so the test can read the tree from the bus. It prints nothing else on standard output.

The walk: first run (a passphrase typed key by key; Enter in the second field while the two differ) -> your details -> home -> new referral (urgency:
the phone-now page, then "No") -> every section of the form -> 40 Tab presses on the first section -> an
error (Send on an empty draft) -> the error summary's first link followed with Enter -> a complete
referral's check-your-answers page -> Send -> the confirmation page -> Lock now -> a wrong passphrase
typed and Enter -> the right one -> home.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

#: A passphrase whose characters the test looks for in every event on the bus.
PASSPHRASE = "Quokka-Verdigris-719"
#: A wrong one typed at the lock screen (its characters are looked for too).
WRONG_PASSPHRASE = "Marmoset-Ochre-264"
TAB_STOPS = 40


def _wait(app, condition, timeout_ms: int = 15_000) -> None:
    from PySide6.QtCore import QDeadlineTimer, QEventLoop

    deadline = QDeadlineTimer(timeout_ms)
    while not condition():
        if deadline.hasExpired():
            raise TimeoutError("the app did not reach the expected state")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def _settle(app, context, ms: int = 250) -> None:
    from PySide6.QtCore import QDeadlineTimer, QEventLoop

    context.runner.wait_idle()
    deadline = QDeadlineTimer(ms)
    while not deadline.hasExpired():
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


def walk(app, window, context) -> Iterator[str]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from referral_desktop.ui.editor.demo_answers import demo_document, full_answers
    from referral_desktop.ui.screens.home import HomeScreen
    from referral_desktop.ui.screens.sent_confirmation import SentConfirmationScreen

    def key(k, modifier=Qt.KeyboardModifier.NoModifier):
        QTest.keyClick(app.focusWidget(), k, modifier)

    first = window.current
    _wait(app, lambda: first.passphrase.isVisible())
    first.passphrase.setFocus()
    QTest.keyClicks(first.passphrase, PASSPHRASE)
    key(Qt.Key.Key_Backspace)
    QTest.keyClicks(first.passphrase, PASSPHRASE[-1])
    first.confirm.setFocus()
    QTest.keyClicks(first.confirm, PASSPHRASE)
    _settle(app, context, 400)
    yield "first run"

    QTest.keyClicks(first.confirm, "x")  # the passphrases now differ; Enter pressed in the second field
    QTest.keyClick(first.confirm, Qt.Key.Key_Return)
    _settle(app, context, 400)
    yield "first run: passphrases differ"

    QTest.keyClick(first.confirm, Qt.Key.Key_Backspace)  # the same passphrase again
    _settle(app, context, 300)  # the bridge hands key events to the bus first: each arrives a moment later
    first.create_button.click()
    _wait(app, lambda: first.pages.currentIndex() == 1)
    answers = full_answers()
    first.profile_form.set_values({k: v for k, v in answers.items() if k.startswith("referrer_")})
    _settle(app, context)
    yield "your details"

    first.save_profile_button.click()
    _wait(app, lambda: isinstance(window.current, HomeScreen))
    _settle(app, context, 500)
    yield "home"

    window.new_referral()
    urgency = window.current
    _wait(app, lambda: urgency.yes.isVisible())
    urgency.yes.setFocus()
    _settle(app, context)
    yield "urgency"

    key(Qt.Key.Key_Space)  # choose "Yes"
    urgency.continue_button.setFocus()
    key(Qt.Key.Key_Space)
    _settle(app, context, 400)
    yield "phone now"

    urgency.pages.setCurrentIndex(0)
    urgency.no.setFocus()
    key(Qt.Key.Key_Space)
    urgency.continue_button.setFocus()
    key(Qt.Key.Key_Space)
    _wait(app, lambda: getattr(getattr(window.current, "editor", None), "go_to", None) is not None)
    editor = window.current.editor
    _settle(app, context, 400)
    for row in [r for r in editor._visible_rows() if r != editor.step_list.check_row]:
        editor.go_to(row, focus_page=True)
        _settle(app, context, 200)
        yield f"section: {editor.sections[row].title}"
        if editor.sections[row].title == "Children":
            view = next(iter(editor.pages[row].groups.values()))
            view.add_button.setFocus()
            key(Qt.Key.Key_Space)
            _settle(app, context, 300)
            yield "second child"

    longest = max((r for r in editor._visible_rows() if r != editor.step_list.check_row),
                  key=lambda r: len(editor.sections[r].items))
    editor.go_to(longest, focus_page=True)
    _settle(app, context, 300)
    yield "tab order: start"
    for _ in range(TAB_STOPS):
        key(Qt.Key.Key_Tab)
        _settle(app, context, 40)
    _settle(app, context, 300)
    yield "tab order: done"

    editor.go_to_check()
    _settle(app, context, 300)
    send = editor.check_page.send_button if hasattr(editor.check_page, "send_button") else None
    if send is not None:
        send.setFocus()
        key(Qt.Key.Key_Space)
    else:
        editor.request_send()
    _settle(app, context, 500)
    yield "error summary"

    key(Qt.Key.Key_Tab)
    _settle(app, context, 100)
    key(Qt.Key.Key_Return)
    _settle(app, context, 400)
    yield "error link followed"

    example = demo_document()
    referral = context.runner.run_sync(lambda: context.runner.store.referrals.create_draft(
        example["form_id"], example["form_version"], example["answers"]))
    window.open_editor(str(referral.id))
    _wait(app, lambda: getattr(getattr(window.current, "editor", None), "referral_id", None) == str(referral.id))
    editor = window.current.editor
    editor.go_to_check()
    _settle(app, context, 500)
    yield "check answers"

    send = editor.check_page.send_button if hasattr(editor.check_page, "send_button") else None
    if send is not None:
        send.setFocus()
        key(Qt.Key.Key_Space)
    else:
        editor.request_send()
    _wait(app, lambda: isinstance(window.current, SentConfirmationScreen), timeout_ms=15_000)
    _wait(app, lambda: window.current.state != "", timeout_ms=15_000)  # the page has said what happened
    _settle(app, context, 600)
    yield "sent"

    from referral_desktop.ui.screens.unlock import UnlockScreen

    window.lock()
    _wait(app, lambda: isinstance(window.current, UnlockScreen) and window.current.passphrase.isVisible())
    lock_screen = window.current
    lock_screen.passphrase.setFocus()
    _settle(app, context, 300)
    QTest.keyClicks(lock_screen.passphrase, WRONG_PASSPHRASE)
    key(Qt.Key.Key_Return)
    _wait(app, lambda: bool(lock_screen.field.error.text()))
    _settle(app, context, 500)
    yield "locked: wrong passphrase"
    _wait(app, lambda: lock_screen.unlock_button.isEnabled(), timeout_ms=60_000)  # a wait after a wrong one
    lock_screen.passphrase.clear()
    QTest.keyClicks(lock_screen.passphrase, PASSPHRASE)
    key(Qt.Key.Key_Return)
    _wait(app, lambda: isinstance(window.current, HomeScreen), timeout_ms=20_000)
    _settle(app, context, 300)
    yield "unlocked again"


def main(argv: list[str], walker=walk) -> int:
    """Runs ``walker(app, window, context)`` (a generator of checkpoint names) one step per ``next``."""
    profile = Path(argv[0])
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    os.environ["QT_LINUX_ACCESSIBILITY_ALWAYS_ON"] = "1"
    from PySide6.QtCore import QSocketNotifier

    from referral_desktop.ui.app import build_application, make_settings
    from referral_desktop.ui.app_context import AppContext
    from referral_desktop.ui.main_window import MainWindow
    from referral_desktop.ui.task_runner import StoreTaskRunner

    app = build_application(["referral-desktop-atspi-test"])
    runner = StoreTaskRunner()
    context = AppContext(profile_dir=profile, runner=runner, settings=make_settings(profile.parent / "settings.ini"),
                         clock=lambda: datetime(2026, 11, 24, 10, 0, tzinfo=UTC))
    window = MainWindow(context)
    window.resize(1240, 760)
    window.show()
    window.activateWindow()
    steps = walker(app, window, context)

    def advance() -> None:
        line = sys.stdin.readline()
        if not line:
            app.quit()
            return
        if line.strip() != "next":
            return
        try:
            name = next(steps)
        except StopIteration:
            print("DONE", flush=True)
            app.quit()
            return
        print(f"CHECKPOINT {name}", flush=True)

    # The event loop must keep running between steps: it is what answers the bus.
    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(advance)
    app.exec()
    window.close()
    runner.wait_idle()
    runner.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
