"""A referral the retention purge took without a decision (iART received it, and no decision came within the
retention period) is not called "Decided", on the home list or its page.

The purge removes a referral's details once iART has decided, or once the retention period (30 days by
default) has passed since iART received it (``store/retention.py``). Both became "Decided (receipt kept)":
the list, the page's heading and its State line said iART had decided, and the conversation said "iART has
decided, so replies are closed", of a referral iART never decided. The receipt knows (no outcome, no
decision time), and the removed-draft line already said "when the retention period ended".

Real SQLCipher store, the real retention purge, the real home screen and page.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from referral_desktop.store.retention import purge_expired
from referral_desktop.ui.screens.referral_detail import ReferralDetailScreen
from tests.ui.conftest import create_store_now, real_store_available
from tests.ui.held_pages import hold, pages_deleted_after_the_test  # noqa: F401 (the fixture, for this module)
from tests.ui.home_on_laptop import home_on_laptop
from tests.ui.received_referral import received_referral
from tests.ui.test_home_not_at_iart import _said, _state_cell
from tests.ui.test_referral_detail import ASKED_AT

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]


def _purged_both_ways(store) -> tuple[str, str]:
    """(decided then purged, purged undecided when the retention period ended)."""
    decided = received_referral(store, at=ASKED_AT, reference="IART-2026-000401")
    store.referrals.set_state(decided, "acknowledged")
    store.referrals.set_state(decided, "decided", outcome="no_further_action", decided_at=ASKED_AT + timedelta(days=2))
    undecided = received_referral(store, at=ASKED_AT, reference="IART-2026-000402")
    assert purge_expired(store, ASKED_AT + timedelta(days=31)) == 2
    return decided, undecided


def test_the_home_list_says_details_removed_not_decided(qtbot, context, laptop_screen):
    store = create_store_now(context)
    decided, undecided = context.runner.run_sync(lambda: _purged_both_ways(store))
    with home_on_laptop(qtbot, context, laptop_screen, 1.0) as (_window, home):
        assert _said(home, decided) == "Decided (receipt kept)"
        assert _said(home, undecided) == "Details removed (receipt kept)"
        heard = _state_cell(home, undecided).data(Qt.ItemDataRole.AccessibleTextRole)
        assert heard == "State: Details removed (receipt kept)"
        home.search.setText("decided")
        qtbot.waitUntil(lambda: home.proxy.rowCount() == 1, timeout=2_000)


def test_the_page_does_not_say_iart_decided(qtbot, context):
    store = create_store_now(context)
    decided, undecided = context.runner.run_sync(lambda: _purged_both_ways(store))
    for referral_id, reference in ((undecided, "IART-2026-000402"), (decided, "IART-2026-000401")):
        screen = hold(qtbot, ReferralDetailScreen(context))
        screen.show()
        screen.load(referral_id)
        qtbot.waitUntil(lambda s=screen, r=reference: r in s.summary.text(), timeout=5_000)
        if referral_id == undecided:
            assert screen.title.text() == "Referral — Details removed (receipt kept)"
            assert "<b>State:</b> Details removed (receipt kept)" in screen.summary.text()
            assert "Decided" not in screen.summary.text() and "decided" not in screen.summary.text()
            closed = screen.conversation.after_decision.text()
            assert closed.startswith("The referral's details were removed under the retention policy, so "
                                     "replies are closed."), closed
            assert "iART has decided" not in closed
        else:  # decided, then purged: as before
            assert screen.title.text() == "Referral — Decided (receipt kept)"
            assert screen.conversation.after_decision.text().startswith("iART has decided, so replies are closed.")
        assert screen.conversation.after_decision.isVisibleTo(screen)


def test_it_is_counted_and_found_under_sent_not_decided(qtbot, context, laptop_screen):
    """iART received it and never decided: a person looks for it among the referrals sent and not decided, and
    the "Decided" filter's count (and its description) counted it as decided. Each filter's description says
    what it now holds, and its count is what it shows."""
    from referral_desktop.ui.screens.group_filters import FILTER_DESCRIPTIONS

    store = create_store_now(context)
    decided, undecided = context.runner.run_sync(lambda: _purged_both_ways(store))
    with home_on_laptop(qtbot, context, laptop_screen, 1.0) as (_window, home):
        assert home.filter_buttons["decided"].text() == "Decided (1)"
        assert home.filter_buttons["sent"].text() == "Sent (1)"
        for group, expected in (("decided", decided), ("sent", undecided)):
            home.filter_buttons[group].click()
            qtbot.waitUntil(lambda: home.proxy.rowCount() == 1, timeout=2_000)
            assert _state_cell(home, expected).isValid()  # shown under this filter
            assert home.count_label.text() == "Showing 1 of 2 referrals"
    # The descriptions a screen reader hears say so: "Decided" said it also held "those whose details were
    # removed", decided or not.
    assert "not decided" in FILTER_DESCRIPTIONS["sent"] and "retention period ended" in FILTER_DESCRIPTIONS["sent"]
    assert "retention period" not in FILTER_DESCRIPTIONS["decided"]
    assert "iART has decided" in FILTER_DESCRIPTIONS["decided"]
