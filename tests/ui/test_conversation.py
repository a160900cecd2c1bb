"""The conversation on a referral's page (real store, real widgets): both sides in order with each
reply's state, the reply box autosaving and queueing exactly the text typed, nothing typed replaced by
a refresh; and iART's news as notifications without personal data, clicking one opening the referral
(after unlock when locked)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from referral_desktop.ui.notifications import set_notifications_enabled
from referral_desktop.ui.screens.home import HomeScreen
from referral_desktop.ui.screens.referral_detail import ReferralDetailScreen
from referral_desktop.ui.screens.unlock import UnlockScreen
from tests.ui.conftest import PASSPHRASE, create_store_now, real_store_available, shown_window_creating_its_store
from tests.ui.held_pages import hold, pages_deleted_after_the_test  # noqa: F401 (the fixture, for this module)
from tests.ui.notified import quick_notifier, settled
from tests.ui.received_referral import received_referral

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]

AT = datetime(2026, 11, 24, 5, 15, tzinfo=UTC)  # before the tests' fixed now (10:00)
CHILD = "Zebedee Sentinelchild"


def _received(store, reference="IART-2026-000123"):
    return received_referral(store, at=AT, reference=reference,
                             answers={"children": [{"given_names": CHILD, "family_name": "Quartz"}]})


def _open(qtbot, context, referral_id):
    screen = ReferralDetailScreen(context)
    hold(qtbot, screen)  # deleted after the test (held_pages.py)
    screen.show()
    screen.load(referral_id)
    qtbot.waitUntil(lambda: "IART-2026" in screen.summary.text(), timeout=5000)
    return screen


def test_both_sides_in_order_with_each_replys_state_escaped(qtbot, context):
    store = create_store_now(context)

    def conversation():
        rid = _received(store)
        store.referrals.set_state(rid, "info_requested", message="Does the family know <about> it?",
                                  message_at=AT + timedelta(hours=1))
        sent = store.replies.freeze(store.replies.save_draft(rid, "Yes — mother & father agreed.").id,
                                    b"{}", "application/json")
        store.replies.mark_sent(sent.id, sent_at=AT + timedelta(hours=2), sequence=2,
                                read_at=AT + timedelta(hours=3))
        store.referrals.add_message(rid, "Which school?", AT + timedelta(hours=4))
        waiting = store.replies.freeze(store.replies.save_draft(rid, "Chester High.").id, b"{}", "application/json")
        store.replies.mark_retry(waiting.id, attempts=1, next_attempt_at=AT + timedelta(hours=6), error_code="http_403")
        store.replies.save_draft(rid, "A draft not yet sent")
        return rid

    rid = context.runner.run_sync(conversation)
    screen = _open(qtbot, context, rid)
    shown = screen.conversation.view.text()
    order = ["Does the family know &lt;about&gt; it?", "Yes — mother &amp; father agreed.", "Which school?",
             "Chester High."]
    assert [shown.index(part) for part in order] == sorted(shown.index(part) for part in order)
    assert "Read by iART on 24 November 2026 at 8:15am" in shown and "Sent on 24 November 2026 at 7:15am" in shown
    assert "IT must check this computer&#x27;s connection to iART" in shown
    assert "A draft not yet sent" not in shown  # the draft is in the box, not the conversation
    assert screen.conversation.editor.toPlainText() == "A draft not yet sent"
    assert screen.conversation.reply_box.isVisible()
    assert "Conversation with iART" in screen.summary.text()


def test_the_reply_box_autosaves_queues_the_text_and_keeps_typing_through_a_refresh(qtbot, context):
    store = create_store_now(context)
    rid = context.runner.run_sync(lambda: _received(store))
    screen = _open(qtbot, context, rid)
    panel = screen.conversation
    panel.send_button.click()
    assert panel.error.isVisible() and "Write your reply" in panel.error.text()
    assert context.runner.run_sync(lambda: store.replies.list(rid)) == []

    panel.editor.setPlainText("The family moved to Ellesmere Port")
    qtbot.waitUntil(lambda: context.runner.run_sync(lambda: store.replies.draft(rid)) is not None, timeout=5000)
    assert context.runner.run_sync(lambda: store.replies.draft(rid).text) == "The family moved to Ellesmere Port"

    panel.editor.moveCursor(QTextCursor.MoveOperation.End)
    panel.editor.insertPlainText(" last week")  # typing goes on while the sender refreshes the page
    context.runner.run_sync(lambda: store.referrals.add_message(rid, "Noted, thank you", AT))
    context.sync_events.emit_state(rid, "received")
    qtbot.waitUntil(lambda: "Noted, thank you" in panel.view.text(), timeout=5000)
    assert panel.editor.toPlainText() == "The family moved to Ellesmere Port last week"

    context.policy = type("Policy", (), {"iart_public_key": None})()
    panel.send_button.click()
    qtbot.waitUntil(lambda: panel.editor.toPlainText() == "" or panel.error.isVisible(), timeout=5000)
    assert not panel.error.isVisible(), panel.error.text()
    [reply] = context.runner.run_sync(lambda: store.replies.list(rid))
    assert (reply.state, reply.text) == ("queued", "The family moved to Ellesmere Port last week")
    assert reply.frozen_payload == b'{"text":"The family moved to Ellesmere Port last week"}'
    assert not panel.error.isVisible()
    qtbot.waitUntil(lambda: "Waiting to send" in panel.view.text(), timeout=5000)


def test_no_reply_box_before_iart_holds_the_referral(qtbot, context):
    store = create_store_now(context)
    rid = context.runner.run_sync(lambda: str(store.referrals.create_draft("cwac-marf", "1.0.0", {}).id))
    screen = ReferralDetailScreen(context)
    hold(qtbot, screen)  # deleted after the test (held_pages.py)
    screen.show()
    screen.load(rid)
    qtbot.waitUntil(lambda: "Referral" in screen.title.text() and screen.summary.text() != "", timeout=5000)
    context.runner.wait_idle()
    assert not screen.conversation.reply_box.isVisible()


def test_notifications_tell_iarts_news_once_without_personal_data(qtbot, context):
    store = create_store_now(context)
    rid = context.runner.run_sync(lambda: _received(store))
    shown: list[tuple[str, str]] = []
    notifier = quick_notifier(context, present=lambda title, text: shown.append((title, text)))
    opened: list[str] = []
    notifier.open_requested.connect(opened.append)
    notifier.prime()  # as after unlock: learn where things stand
    context.runner.wait_idle()

    def change(state, emit_as=None, **details):
        context.runner.run_sync(lambda: store.referrals.set_state(rid, state, **details))
        context.sync_events.emit_state(rid, emit_as or state)
        context.runner.wait_idle()
        settled()  # each its own round of the sender: told before the next

    context.sync_events.emit_state(rid, "received")  # a refresh with nothing new
    context.runner.wait_idle()
    settled()
    assert shown == []
    change("acknowledged")
    change("info_requested", message=f"Is {CHILD} safe tonight?", message_at=AT)
    context.sync_events.emit_state(rid, "info_requested")  # a reply read by iART: no news
    context.runner.wait_idle()
    settled()
    context.runner.run_sync(lambda: store.referrals.add_message(rid, "And the GP?", AT + timedelta(hours=1)))
    context.sync_events.emit_state(rid, "info_requested")
    context.runner.wait_idle()
    settled()
    set_notifications_enabled(context.settings, False)
    change("acknowledged")
    set_notifications_enabled(context.settings, True)
    change("decided", outcome="early_help_and_prevention", decided_at=AT)
    assert [text for _title, text in shown] == [
        "IART-2026-000123: iART acknowledged the referral",
        "IART-2026-000123: iART asked for more information",
        "IART-2026-000123: iART asked for more information",
        "IART-2026-000123: iART has made a decision",
    ]
    assert all(CHILD not in text and "GP" not in text for _title, text in shown)
    notifier.clicked()
    assert opened == [rid]


def _locked_with_a_received_referral(qtbot, context):
    """The window past first run with one referral iART received, then locked."""
    window = shown_window_creating_its_store(qtbot, context)
    qtbot.waitUntil(lambda: context.runner.store is not None, timeout=10_000)
    rid = context.runner.run_sync(lambda: _received(context.runner.store))
    window.unlocked = True  # past first run: the profile form is not what this test is about
    window.lock()
    qtbot.waitUntil(lambda: isinstance(window.current, UnlockScreen), timeout=5_000)
    return window, rid


def test_clicking_a_notification_while_locked_opens_the_referral_after_unlock(qtbot, context, store_api):
    window, rid = _locked_with_a_received_referral(qtbot, context)

    window.open_when_unlocked(rid)
    assert isinstance(window.current, UnlockScreen)  # nothing behind the lock is shown
    unlock = window.current
    unlock.passphrase.setText(PASSPHRASE)
    unlock.unlock_button.click()
    qtbot.waitUntil(lambda: isinstance(window.current, ReferralDetailScreen), timeout=10_000)
    qtbot.waitUntil(lambda: "IART-2026-000123" in window.current.summary.text(), timeout=5_000)
    window.open_when_unlocked(rid)  # unlocked: at once
    assert isinstance(window.current, ReferralDetailScreen)
    assert not any(isinstance(w, HomeScreen) and w.isVisible() for w in QApplication.topLevelWidgets())
    window.close()


def test_clicking_the_several_notification_while_locked_shows_the_list_after_unlock(qtbot, context, store_api):
    """A referral's notification clicked, then the one about several: unlocking shows the list (the
    last asked), and nothing behind the lock is shown before."""
    window, rid = _locked_with_a_received_referral(qtbot, context)

    window.open_when_unlocked(rid)
    window.show_list_when_unlocked()
    assert isinstance(window.current, UnlockScreen)
    unlock = window.current
    unlock.passphrase.setText(PASSPHRASE)
    unlock.unlock_button.click()
    qtbot.waitUntil(lambda: isinstance(window.current, HomeScreen), timeout=10_000)
    qtbot.wait(50)  # a referral page would be opened straight after the list
    assert isinstance(window.current, HomeScreen)
    window.open_detail(rid)
    window.show_list_when_unlocked()  # unlocked: at once
    assert isinstance(window.current, HomeScreen)
    window.close()


def test_after_the_decision_replies_are_closed_and_the_page_says_what_to_do(qtbot, context):
    store = create_store_now(context)

    def decided():
        rid = _received(store)
        store.referrals.set_state(rid, "decided", outcome="early_help_and_prevention", decided_at=AT)
        return rid

    screen = _open(qtbot, context, context.runner.run_sync(decided))
    context.runner.wait_idle()
    assert not screen.conversation.reply_box.isVisible()
    assert screen.conversation.after_decision.isVisible()
    assert "phone them" in screen.conversation.after_decision.text()


def test_the_reply_box_says_an_unsent_reply_is_removed_if_iart_decides_first(qtbot, context):
    """Before it happens: the purge removes a draft reply with the details when iART decides, so the open
    box says so where it is seen and where a screen reader reads the box's description."""
    store = create_store_now(context)
    screen = _open(qtbot, context, context.runner.run_sync(lambda: _received(store)))
    context.runner.wait_idle()
    panel = screen.conversation
    assert panel.reply_box.isVisible() and panel.unsent_warning.isVisible()
    said = ("If iART decides before you press Send reply, the reply is removed from this computer with the "
            "referral's details and never reaches iART.")
    assert panel.unsent_warning.text() == said
    assert panel.editor.accessibleDescription().endswith(said)


def test_sending_a_reply_by_keyboard_keeps_focus_on_send_reply_and_queues_it_once(qtbot, context):
    """The keyboard journey heard "Export as PDF…, button" as Space pressed "Send reply": the button was
    disabled while the reply was queued, and Qt moves focus off a disabled button, to the next one on the
    page, where it stayed. A second press while queuing still queues nothing more."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    store = create_store_now(context)
    rid = context.runner.run_sync(lambda: _received(store))
    screen = _open(qtbot, context, rid)
    screen.window().activateWindow()
    panel = screen.conversation
    context.policy = type("Policy", (), {"iart_public_key": None})()
    panel.editor.setPlainText("The family moved last week")
    panel.send_button.setFocus()
    qtbot.waitUntil(panel.send_button.hasFocus)
    moved: list[object] = []
    QApplication.instance().focusChanged.connect(lambda _old, new: moved.append(new))
    QTest.keyClick(panel.send_button, Qt.Key.Key_Space)
    QTest.keyClick(panel.send_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: panel.editor.toPlainText() == "", timeout=5000)
    context.runner.wait_idle()
    assert moved == [] and panel.send_button.hasFocus(), moved
    assert len(context.runner.run_sync(lambda: store.replies.list(rid))) == 1
