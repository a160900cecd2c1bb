"""Words typed in the reply box while the store refuses writes are not lost when the page is left: the box
went with the page, and its save's failure with it. The real page and store; the fault is SQLite's own
read-only error on the window's connection (as in ``test_save_fault_end_to_end``)."""

from __future__ import annotations

import pytest

from referral_desktop.ui.screens.referral_detail import ReferralDetailScreen
from tests.ui.conftest import create_store_now, real_store_available
from tests.ui.test_refused_reply_notifications import _received
from tests.ui.test_save_fault_end_to_end import _writes

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]

TYPED = "SENTINEL Zebedee moved to Sentinelford"


def _page(qtbot, context, rid: str) -> ReferralDetailScreen:
    screen = ReferralDetailScreen(context)
    qtbot.addWidget(screen)
    screen.show()
    screen.load(rid)
    qtbot.waitUntil(screen.conversation.editor.isVisible, timeout=5000)
    return screen


def _draft(context, store, rid: str) -> str | None:
    replies = context.runner.run_sync(lambda: store.replies.list(rid))
    return next((reply.text for reply in replies if reply.state == "draft"), None)


def _typed_then_left(qtbot, context):
    store = create_store_now(context)
    rid = context.runner.run_sync(lambda: _received(store))
    screen = _page(qtbot, context, rid)
    _writes(context, allowed=False)
    qtbot.keyClicks(screen.conversation.editor, TYPED)
    screen.hide()  # the page is left (the window takes it out, then deletes it)
    screen.deleteLater()
    qtbot.wait(50)
    context.runner.wait_idle()
    return store, rid


def test_words_left_behind_are_saved_once_the_store_takes_them(qtbot, context):
    store, rid = _typed_then_left(qtbot, context)
    assert _draft(context, store, rid) != TYPED
    _writes(context, allowed=True)
    if context.held_answers is not None:
        context.held_answers._retry.setInterval(100)  # the app tries every 5 s; the test need not wait
    qtbot.waitUntil(lambda: _draft(context, store, rid) == TYPED, timeout=10_000)


def test_the_page_opened_again_first_shows_them_and_saves_them(qtbot, context):
    store, rid = _typed_then_left(qtbot, context)
    screen = _page(qtbot, context, rid)
    assert screen.conversation.editor.toPlainText() == TYPED
    _writes(context, allowed=True)
    qtbot.waitUntil(lambda: _draft(context, store, rid) == TYPED, timeout=10_000)
