"""store.db missing, snapshots of it left: the first-run screen offers the copy before anything new is
created (real SQLCipher store, the real screens, the real app window)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from referral_desktop.ui import profile_gateway
from referral_desktop.ui.screens.first_run import FirstRunScreen
from tests.ui.conftest import PASSPHRASE, create_store_now, real_store_available

pytestmark = [pytest.mark.gui,
              pytest.mark.skipif(not real_store_available(), reason="needs the real SQLCipher store")]


@pytest.fixture
def lost(context):
    """A store with a draft and a snapshot of it, then store.db (and -wal, -shm) deleted."""
    store = create_store_now(context)
    draft = context.runner.run_sync(lambda: store.referrals.create_draft("cwac-marf", "1.0.0", {"n": 1}).id)
    snapshot = context.runner.run_sync(store.snapshots.take)
    context.runner.run_sync(store.close)
    context.runner.store = None
    for name in ("store.db", "store.db-wal", "store.db-shm"):
        (context.profile_dir / name).unlink(missing_ok=True)
    return draft, snapshot


def test_the_hints_name_the_stores_own_folders():
    from referral_desktop.store import snapshots

    assert profile_gateway.SNAPSHOTS_HINT == snapshots.SNAPSHOTS_DIR
    assert profile_gateway.EARLIER_COPIES_HINT == snapshots.EARLIER_DIR


def test_the_copy_is_offered_heard_and_restored_from_the_keyboard(qtbot, context, lost, announced):
    from referral_desktop.ui.display_format import format_datetime, format_day_and_time

    draft, snapshot = lost
    screen = FirstRunScreen(context)
    qtbot.addWidget(screen)
    screen.show()
    page = screen.missing_page
    assert page is not None and screen.pages.currentWidget() is page  # not "create a new store"
    assert "missing" in page.message.text() and format_datetime(snapshot.taken_at) in page.message.text()
    assert page.restore_button.text() == f"Restore the copy from {format_day_and_time(snapshot.taken_at)}"
    assert str(context.profile_dir / "snapshots-of-an-earlier-store") in page.start_again_note.text()
    assert any("store file is missing" in text for text in announced)  # heard, not only shown
    qtbot.waitUntil(lambda: page.passphrase.hasFocus(), timeout=2000)
    assert page.passphrase.accessibleDescription() == f"{page.message.text()} {page.field.hint_text}"

    qtbot.keyClicks(page.passphrase, "not the right one at all")
    qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "does not open the copy" in page.field.error.text(), timeout=10_000)
    assert not (context.profile_dir / "store.db").exists()  # nothing changed
    qtbot.waitUntil(lambda: page.restore_button.isEnabled(), timeout=10_000)  # after the unlock delay
    page.passphrase.clear()
    qtbot.keyClicks(page.passphrase, PASSPHRASE)
    with qtbot.waitSignal(screen.finished, timeout=20_000):
        qtbot.keyClick(page.passphrase, Qt.Key.Key_Return)
    restored = context.runner.store
    assert [s.id for s in context.runner.run_sync(restored.referrals.list_summaries)] == [draft]
    assert page.passphrase.text() == ""


def test_starting_again_is_deliberate_and_keeps_the_earlier_copies(qtbot, context, lost):
    _draft, snapshot = lost
    screen = FirstRunScreen(context)
    qtbot.addWidget(screen)
    screen.show()
    page = screen.missing_page
    qtbot.waitUntil(lambda: page.start_again_button.height() > 0, timeout=2000)  # laid out, clickable
    qtbot.mouseClick(page.start_again_button, Qt.MouseButton.LeftButton)
    assert screen.pages.currentIndex() == 0
    assert "kept, not deleted" in screen.intro.text()
    back = screen.findChild(type(page.start_again_button), "backToCopy")
    qtbot.waitUntil(lambda: back.height() > 0, timeout=2000)
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    assert screen.pages.currentWidget() is page  # a second thought is possible
    qtbot.waitUntil(lambda: page.start_again_button.height() > 0, timeout=2000)
    qtbot.mouseClick(page.start_again_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(screen.passphrase, "another long passphrase here")
    qtbot.keyClicks(screen.confirm, "another long passphrase here")
    qtbot.mouseClick(screen.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.pages.currentIndex() == 1, timeout=10_000)
    [aside] = list((context.profile_dir / "snapshots-of-an-earlier-store").iterdir())
    assert [p.name for p in aside.iterdir()] == [snapshot.path.name]


def test_the_app_window_opens_on_the_offer_not_on_set_up(qtbot, context, lost):
    from referral_desktop.ui.main_window import MainWindow

    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: isinstance(window.current, FirstRunScreen), timeout=10_000)
    assert window.current.missing_page is not None
    assert window.current.pages.currentWidget() is window.current.missing_page
    assert window.windowTitle() == "Your store file is missing"  # the title bar and window list say so too
    window.current.missing_page.start_again_button.click()
    assert window.windowTitle() == "Set up Referral Desktop"


def test_without_copies_first_run_is_unchanged(qtbot, context):
    screen = FirstRunScreen(context)
    qtbot.addWidget(screen)
    assert screen.missing_page is None and screen.pages.currentIndex() == 0



def test_the_restore_label_is_whole_at_200_percent_text(qtbot, context, lost):
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    from tests.ui.test_accessibility import clipped_labels

    # 200 % of a desktop's 11-12 pt font: the offscreen platform's own default is 9 pt, and doubling it
    # leaves the label inside the 640 px column where the desktop cut it (seen in a screenshot).
    app = QApplication.instance()
    old = QFont(app.font())
    big = QFont(old)
    big.setPointSizeF(24)
    app.setFont(big)
    try:
        screen = FirstRunScreen(context)
        qtbot.addWidget(screen)
        screen.resize(1366, 728)
        screen.show()
        button = screen.missing_page.restore_button
        qtbot.waitUntil(lambda: button.height() > 0, timeout=2000)
        assert button.fontMetrics().horizontalAdvance(button.text()) > 600  # the case that was cut
        assert button.fontMetrics().horizontalAdvance(button.text()) < button.width()
        assert clipped_labels(screen) == []
    finally:
        app.setFont(old)
