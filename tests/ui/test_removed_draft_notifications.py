"""A reply the professional started and had not sent, removed by the purge when iART decided, is news: a
notification says so, once, with the iART reference and nothing of what the reply said or the names of
its documents. Before, the purge removed it and nothing told anyone. Real SQLCipher store, the real
notifier; the purge is told as the sender tells it (a "purged" change), and the notification is caught
where it would be shown (``present``)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QSystemTrayIcon

from referral_desktop.store.losses_told import Lost
from referral_desktop.store.retention import purge_expired
from referral_desktop.ui.notifications import IartNotifier, Known, news
from tests.ui.conftest import create_store_now, real_store_available
from tests.ui.notified import quick_notifier
from tests.ui.test_document_notifications import AT, _changed, _listening
from tests.ui.test_refused_reply_notifications import _received

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]

TEXT = "SENTINEL Zebedee's mother has moved to Sentinelford"
NAME = "SENTINEL-Zebedee-letter.pdf"
TOLD = ("IART-2026-000123: a reply you had not sent was removed with the referral's details. Open the referral "
        "to see what to do.")


def _drafted(store, referral_id: str, text: str = TEXT, document: bool = True) -> None:
    draft = store.replies.save_draft(referral_id, text)
    if document:
        store.attachments.add_to_reply(draft.id, NAME, b"%PDF-1.4\n" + NAME.encode() + b"\n%%EOF\n")


def _decided_and_purged(store, referral_id: str) -> None:
    store.referrals.set_state(referral_id, "acknowledged")
    store.referrals.set_state(referral_id, "decided", outcome="early_help", decided_at=AT)
    assert purge_expired(store, AT, 30) == 1


def test_a_draft_removed_by_the_purge_is_told_once_without_its_words(qtbot, context):
    store = create_store_now(context)
    rid = context.runner.run_sync(lambda: _received(store))
    context.runner.run_sync(lambda: _drafted(store, rid))
    notifier, shown = _listening(context)
    opened: list[str] = []
    notifier.open_requested.connect(opened.append)
    _changed(context, rid)  # a draft saved: not news
    assert shown == []

    context.runner.run_sync(lambda: _decided_and_purged(store, rid))
    _changed(context, rid, "purged")  # as the sender tells the purge
    assert shown == [TOLD]
    _changed(context, rid, "purged")  # told again by another round: not news
    assert shown == [TOLD]
    assert not any(word in shown[0] for word in ("SENTINEL", "Zebedee", "Sentinelford", ".pdf"))
    notifier.clicked()
    assert opened == [rid]


def test_a_decision_read_before_the_purge_then_the_purge_tells_the_draft_once(qtbot, context):
    store = create_store_now(context)
    rid = context.runner.run_sync(lambda: _received(store))
    context.runner.run_sync(lambda: _drafted(store, rid))
    _notifier, shown = _listening(context)

    def decided() -> None:
        store.referrals.set_state(rid, "acknowledged")
        store.referrals.set_state(rid, "decided", outcome="early_help", decided_at=AT)

    context.runner.run_sync(decided)
    _changed(context, rid, "decided")  # read while the draft is still there (a document may hold the purge)
    assert shown == ["IART-2026-000123: iART has made a decision"]
    context.runner.run_sync(lambda: purge_expired(store, AT, 30))
    _changed(context, rid, "purged")
    assert shown[1:] == [TOLD]


def test_told_with_the_decision_when_both_are_read_together(qtbot, context):
    store = create_store_now(context)
    rid = context.runner.run_sync(lambda: _received(store))
    context.runner.run_sync(lambda: _drafted(store, rid, document=False))
    _notifier, shown = _listening(context)
    context.runner.run_sync(lambda: _decided_and_purged(store, rid))
    _changed(context, rid, "decided")  # the decision's change, read only after the purge
    _changed(context, rid, "purged")
    assert shown == [TOLD]


def test_a_draft_removed_while_the_app_was_closed_is_told_once_at_the_next_unlock(qtbot, context):
    store = create_store_now(context)
    rid = context.runner.run_sync(lambda: _received(store))
    context.runner.run_sync(lambda: _drafted(store, rid))
    context.runner.run_sync(lambda: _decided_and_purged(store, rid))  # the app closed
    _notifier, shown = _listening(context)  # the next unlock: not told yet, so it is news now
    assert shown == [TOLD]
    _changed(context, rid, "purged")
    assert shown == [TOLD]
    _again, shown_again = _listening(context)  # and at the unlock after that, it is not news
    assert shown_again == []


def test_a_blank_draft_held_nothing_and_tells_nothing(qtbot, context):
    store = create_store_now(context)
    rid = context.runner.run_sync(lambda: _received(store))
    context.runner.run_sync(lambda: _drafted(store, rid, text="  \n", document=False))
    _notifier, shown = _listening(context)
    context.runner.run_sync(lambda: _decided_and_purged(store, rid))
    _changed(context, rid, "purged")
    assert shown == []


def test_a_removed_draft_and_a_refused_reply_in_one_change_are_told_together():
    before = Known("acknowledged", "IART-1", 0)
    after = Known("purged", "IART-1", 0)
    assert news(before, after, Lost(replies_refused=1, drafts_removed=1)) == (
        "IART-1: a reply you sent was not accepted by iART; a reply you had not sent was removed with the "
        "referral's details. Open the referral to see what to do.")


def test_with_no_notification_area_the_loss_waits_until_one_can_show_it(qtbot, context, monkeypatch):
    """Marked told only where it can be shown: a desktop without a notification area keeps it for an
    unlock where there is one (or notifications are turned off)."""
    store = create_store_now(context)
    rid = context.runner.run_sync(lambda: _received(store))
    context.runner.run_sync(lambda: _drafted(store, rid))
    context.runner.run_sync(lambda: _decided_and_purged(store, rid))
    shown: list[str] = []
    monkeypatch.setattr(QSystemTrayIcon, "showMessage", lambda _self, _title, text, *_rest: shown.append(text))
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: False))
    IartNotifier(context).prime()
    context.runner.wait_idle()
    assert shown == []
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    IartNotifier(context).prime()  # the next unlock, on a desktop with one
    context.runner.wait_idle()
    assert shown == [TOLD]


def test_while_locked_the_loss_waits_and_is_told_at_the_unlock(qtbot, context):
    store = create_store_now(context)
    rid = context.runner.run_sync(lambda: _received(store))
    context.runner.run_sync(lambda: _drafted(store, rid))
    shown: list[str] = []
    unlocked = [True]
    notifier = quick_notifier(context, present=lambda _title, text: shown.append(text), unlocked=lambda: unlocked[0])
    notifier.prime()
    context.runner.wait_idle()
    unlocked[0] = False
    context.runner.run_sync(lambda: _decided_and_purged(store, rid))
    _changed(context, rid, "purged")
    assert shown == []
    unlocked[0] = True
    notifier.prime()  # as at the unlock
    context.runner.wait_idle()
    assert shown == [TOLD]
    _changed(context, rid, "purged")
    notifier.prime()
    context.runner.wait_idle()
    assert shown == [TOLD]
