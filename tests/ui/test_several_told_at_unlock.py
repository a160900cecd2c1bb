"""Several referrals' losses told at one unlock are one notification, not one each: it says how many and
which (by iART reference), and a click opens the list of referrals. Before, each was its own notification
and a click on any of them opened the last one told. Real SQLCipher store, the real notifier; nothing of
the form, the replies or their documents reaches the notification (sentinels planted)."""

from __future__ import annotations

import pytest

from referral_desktop.ui.notifications import IartNotifier
from tests.ui.conftest import create_store_now, real_store_available
from tests.ui.notified import primed_notifier, quick_notifier, settled
from tests.ui.received_referral import received_referral
from tests.ui.test_document_notifications import AT
from tests.ui.test_removed_draft_notifications import _decided_and_purged, _drafted

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]

SENTINELS = ("SENTINEL", "Zebedee", "Sentinelford", ".pdf", "Sentinelchild")


def _received_as(store, reference: str) -> str:
    """A referral about the sentinel child that iART received as ``reference``."""
    return received_referral(store, at=AT, reference=reference,
                             answers={"children": [{"given_names": "Zebedee", "family_name": "Sentinelchild"}]})


def _lost_while_closed(context, count: int) -> list[str]:
    """``count`` referrals whose unsent replies the purge removed while the app was closed."""
    store = create_store_now(context)

    def lose() -> list[str]:
        ids = [_received_as(store, f"IART-2026-00010{n}") for n in range(count)]
        for rid in ids:
            _drafted(store, rid)
            _decided_and_purged(store, rid)
        return ids

    return context.runner.run_sync(lose)


def _unlocked(context) -> tuple[IartNotifier, list[str], list[str], list[bool]]:
    return primed_notifier(context, quick_notifier)  # as at the unlock


def test_two_referrals_lost_while_closed_are_one_notification_that_opens_the_list(qtbot, context):
    _lost_while_closed(context, 2)
    notifier, shown, opened, listed = _unlocked(context)
    removed = "a reply you had not sent was removed with the referral's details."
    assert shown == ["For 2 referrals, something did not reach iART:\n"
                     f"IART-2026-000100: {removed}\n"
                     f"IART-2026-000101: {removed}\n"
                     "Open each referral from your list to see what to do."]
    notifier.clicked()
    assert (opened, listed) == ([], [True])  # not one of the two chosen at random: the list
    assert not any(word in shown[0] for word in SENTINELS)
    _again, shown_again, _o, _l = _unlocked(context)  # the next unlock: told once only
    assert shown_again == []


def test_many_are_counted_and_the_first_few_named(qtbot, context):
    _lost_while_closed(context, 5)
    _notifier, shown, _opened, _listed = _unlocked(context)
    assert len(shown) == 1
    lines = shown[0].split("\n")
    assert lines[0] == "For 5 referrals, something did not reach iART:"
    assert [line.split(":")[0] for line in lines[1:4]] == [f"IART-2026-00010{n}" for n in range(3)]
    assert lines[4:] == ["And 2 more referrals.", "Open each referral from your list to see what to do."]


def test_one_referral_is_still_told_alone_and_opens_its_page(qtbot, context):
    [rid] = _lost_while_closed(context, 1)
    notifier, shown, opened, listed = _unlocked(context)
    assert shown == ["IART-2026-000100: a reply you had not sent was removed with the referral's details. "
                     "Open the referral to see what to do."]
    notifier.clicked()
    assert (opened, listed) == ([rid], [])


def test_while_open_a_click_after_news_of_several_referrals_opens_the_list(qtbot, context):
    """The same while the app is open: two rounds of the sender a moment apart bring news of two referrals
    (two notifications on screen at once; a click does not say which was clicked), so a click opens the
    list, not the last told. Once clicked they are gone: news of one referral after that opens its page
    again. (News of both in one round is one notification: test_several_told_while_open.py.)"""
    store = create_store_now(context)
    first, second = context.runner.run_sync(
        lambda: [_received_as(store, "IART-2026-000100"), _received_as(store, "IART-2026-000101")])
    notifier, shown, opened, listed = _unlocked(context)

    def moved(rid: str, state: str) -> None:
        context.runner.run_sync(lambda: store.referrals.set_state(rid, state))
        context.sync_events.emit_state(rid, state)
        context.runner.wait_idle()
        settled()

    moved(first, "acknowledged")
    moved(second, "acknowledged")
    assert shown == ["IART-2026-000100: iART acknowledged the referral",
                     "IART-2026-000101: iART acknowledged the referral"]
    notifier.clicked()
    assert (opened, listed) == ([], [True])
    moved(first, "decided")
    notifier.clicked()
    assert (opened, listed) == ([first], [True])
