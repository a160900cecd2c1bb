"""Words typed in the reply box within the autosave pause (800 ms) when the purge lands are lost: the
draft cannot be saved once the referral's details are gone (a reply cannot go after iART's decision). When
nothing of the reply had been saved yet (the first words, or a draft left blank), the purge counted no
draft, so nothing said a reply was lost. The page now counts it on the receipt as the purge would have
(one reply started and not sent), so the page, the receipt, ``status`` and one notification say it.

Real SQLCipher store, the real referral page and reply box typed into with the keyboard, the real
notifier; the purge is made as the sender's round makes it and told as the sender tells it ("purged")."""

from __future__ import annotations

import pytest

from referral_desktop.store.retention import purge_expired
from referral_desktop.ui.screens.referral_detail import ReferralDetailScreen
from tests.ui.conftest import create_store_now, real_store_available
from tests.ui.held_pages import hold, pages_deleted_after_the_test  # noqa: F401 (the fixture, for this module)
from tests.ui.notified import quick_notifier, settled
from tests.ui.test_document_notifications import AT
from tests.ui.test_refused_reply_notifications import _received
from tests.ui.test_removed_draft_notifications import TOLD, _decided_and_purged

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]

TYPED = "SENTINEL Zebedee moved to Sentinelford"


def _page_with_notifier(qtbot, context, store):
    rid = context.runner.run_sync(lambda: _received(store))
    shown: list[str] = []
    notifier = quick_notifier(context, present=lambda _title, text: shown.append(text))
    notifier.prime()
    context.runner.wait_idle()
    screen = ReferralDetailScreen(context)
    screen.notifier = notifier  # kept as long as the page (the app keeps it with the window)
    hold(qtbot, screen)  # deleted after the test (held_pages.py)
    screen.show()
    screen.load(rid)
    panel = screen.conversation
    qtbot.waitUntil(panel.editor.isVisible, timeout=5000)
    return rid, screen, panel, shown


def _purged_in_the_pause(qtbot, context, store, rid: str, wait_ms: int = 0) -> None:
    """The sender's round decides and purges while the typing waits for its autosave; the screens hear
    of it ``wait_ms`` later (after the autosave tried, when longer than its pause)."""
    context.runner.run_sync(lambda: _decided_and_purged(store, rid))
    qtbot.wait(wait_ms)
    context.sync_events.emit_state(rid, "purged")
    context.runner.wait_idle()
    qtbot.wait(1000)  # past the autosave's pause
    context.runner.wait_idle()
    settled()


@pytest.mark.parametrize("wait_ms", [0, 1200], ids=["heard-before-the-autosave", "autosave-refused-first"])
def test_words_typed_in_the_pause_are_counted_and_told_once(qtbot, context, wait_ms):
    store = create_store_now(context)
    rid, screen, panel, shown = _page_with_notifier(qtbot, context, store)
    qtbot.keyClicks(panel.editor, TYPED)  # nothing saved yet: the autosave waits for a pause
    _purged_in_the_pause(qtbot, context, store, rid, wait_ms)

    assert store.receipts.get(rid).draft_replies_removed == 1
    qtbot.waitUntil(lambda: "A reply you had started and not sent was removed" in screen.summary.text(), timeout=5000)
    assert shown == [TOLD]
    context.sync_events.emit_state(rid, "purged")  # another round: not counted or told again
    context.runner.wait_idle()
    qtbot.wait(100)
    context.runner.wait_idle()
    settled()
    assert store.receipts.get(rid).draft_replies_removed == 1 and shown == [TOLD]
    assert not any("SENTINEL" in text or "Zebedee" in text for text in shown)


def test_a_saved_draft_and_more_words_in_the_pause_are_one_reply(qtbot, context):
    store = create_store_now(context)
    rid, _screen, panel, shown = _page_with_notifier(qtbot, context, store)
    qtbot.keyClicks(panel.editor, "SENTINEL first words")
    qtbot.waitUntil(lambda: panel.saved.text() == "Draft reply saved on this computer", timeout=5000)
    qtbot.keyClicks(panel.editor, " and more")
    _purged_in_the_pause(qtbot, context, store, rid)
    assert store.receipts.get(rid).draft_replies_removed == 1  # the purge counted it; not twice
    assert shown == [TOLD]


def test_a_box_left_blank_counts_nothing(qtbot, context):
    store = create_store_now(context)
    rid, _screen, panel, shown = _page_with_notifier(qtbot, context, store)
    qtbot.keyClicks(panel.editor, "   ")  # only spaces: nothing was lost
    _purged_in_the_pause(qtbot, context, store, rid)
    assert store.receipts.get(rid).draft_replies_removed == 0
    assert shown == []


def test_the_decision_read_before_the_purge_still_counts_the_words_once(qtbot, context):
    """The box closes at the decision with the words in it (they can no longer be saved); the purge that
    follows (once nothing of the referral is on its way) counts them."""
    store = create_store_now(context)
    rid, _screen, panel, shown = _page_with_notifier(qtbot, context, store)
    qtbot.keyClicks(panel.editor, TYPED)

    def decided() -> None:
        store.referrals.set_state(rid, "acknowledged")
        store.referrals.set_state(rid, "decided", outcome="early_help", decided_at=AT)

    context.runner.run_sync(decided)
    context.sync_events.emit_state(rid, "decided")
    context.runner.wait_idle()
    qtbot.waitUntil(lambda: not panel.editor.isVisible(), timeout=5000)
    qtbot.wait(1000)  # the autosave's pause passes with the box closed: nothing saved
    context.runner.run_sync(lambda: purge_expired(store, AT, 30))
    context.sync_events.emit_state(rid, "purged")
    qtbot.waitUntil(lambda: TOLD in shown, timeout=5000)
    context.runner.wait_idle()
    settled()
    assert store.receipts.get(rid).draft_replies_removed == 1
    assert shown == ["IART-2026-000123: iART has made a decision", TOLD]
