"""A decided referral's row on the home list still says what never reached iART once the retention purge
has removed its details: its documents, its replies iART refused, a reply started and not sent. The
purge deletes the upload and reply rows the list counted; the page and the saved receipt kept saying it
from the receipt's counts, while the row fell silent ("Decided (receipt kept)" alone).

Real SQLCipher store, the real retention purge (``store.retention.purge_expired``, with the sender's
"purged" event as its purging job sends it), the real home screen on a 1366 x 768 laptop at 100 % and
200 % text, and the referral's real page beside it. File names and a reply's words are planted as
sentinels: they reach no cell and nothing a screen reader hears.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from referral_desktop.store.retention import purge_expired
from tests.ui.conftest import FIXED_NOW, create_store_now, real_store_available
from tests.ui.held_pages import hold, pages_deleted_after_the_test  # noqa: F401 (the fixture, for this module)
from tests.ui.home_on_laptop import home_on_laptop
from tests.ui.test_home_not_at_iart import AT, NAME, PDF, REPLY, _said, _state_cell, _with_documents

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]


def _everything_lost(store, reference: str) -> str:
    """A referral iART received whose one document was given up on (the copy here damaged), with a reply
    iART refused carrying a document and a reply started and not sent; then decided (not purged yet)."""
    referral_id, [document] = _with_documents(store, reference, 1)
    store.uploads.mark_mismatch(document, failure="damaged_here", next_attempt_at=AT, max_mismatches=1)
    refused = store.replies.save_draft(referral_id, REPLY)
    store.attachments.add_to_reply(refused.id, f"reply-{NAME}", PDF)
    store.replies.freeze(refused.id, b"{}", "application/json")
    store.replies.mark_refused(refused.id, "rejected_422")
    store.replies.save_draft(referral_id, f"{REPLY}, unsent")
    store.referrals.set_state(referral_id, "acknowledged")
    store.referrals.set_state(referral_id, "decided", outcome="early_help_and_prevention", decided_at=AT)
    return referral_id


PURGED = "Decided (receipt kept) · 2 documents did not reach iART, 1 reply not accepted by iART, " \
         "1 reply started and not sent"


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_a_purged_referrals_row_says_what_never_reached_iart_as_its_page_does(qtbot, context, laptop_screen, scale):
    store = create_store_now(context)

    def referrals():
        earlier = _everything_lost(store, "IART-2026-000301")  # purged before the list is opened
        assert purge_expired(store, FIXED_NOW) == 1
        live = _everything_lost(store, "IART-2026-000302")  # purged while the list is open
        return earlier, live

    earlier, live = context.runner.run_sync(referrals)
    with home_on_laptop(qtbot, context, laptop_screen, scale) as (_window, home):
        assert _said(home, earlier) == PURGED  # read from its receipt as the list loads
        assert _said(home, live) == "Decided · 1 document could not be sent, 1 reply not accepted by iART"

        # The sender's purging job: the details go, the receipt takes the counts, the screens are told.
        assert context.runner.run_sync(lambda: purge_expired(store, FIXED_NOW + timedelta(minutes=2))) == 1
        context.sync_events.emit_state(live, "purged")
        qtbot.waitUntil(lambda: _said(home, live) == PURGED, timeout=5_000)

        # The list keeps the columns it shows without them (the words are no wider than the states').
        assert home.proxy.columnCount() == (3 if scale == 2.0 else 5)
        cell = _state_cell(home, live)
        heard = cell.data(Qt.ItemDataRole.AccessibleTextRole)
        assert heard.startswith("State: Decided (receipt kept). 2 documents did not reach iART, 1 reply not "
                                "accepted by iART, 1 reply started and not sent"), heard
        if scale == 2.0:
            assert heard.endswith(". iART reference: IART-2026-000302"), heard
        # Read whole: as wide as its longest line, as tall as its lines, and nothing scrolls sideways.
        table = home.table
        metrics = table.fontMetrics()
        lines = cell.data().split("\n")
        header = table.horizontalHeader()
        qtbot.waitUntil(lambda: all(metrics.horizontalAdvance(line) < header.sectionSize(cell.column())
                                    for line in lines), timeout=2_000)  # the column re-fits after the change
        qtbot.waitUntil(lambda: table.rowHeight(_state_cell(home, live).row()) >= len(lines) * metrics.lineSpacing())
        assert table.horizontalHeader().length() <= table.viewport().width()
        home.search.setText("did not reach")  # found by its words
        qtbot.waitUntil(lambda: home.proxy.rowCount() == 2, timeout=2_000)

        every = [home.proxy.index(r, c).data(role) for r in range(home.proxy.rowCount())
                 for c in range(home.proxy.columnCount())
                 for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole)]
        assert not any("SENTINEL" in str(text) or "Sentinel" in str(text) for text in every)

    # The row says what the page says, count for count.
    screen = _open_purged(qtbot, context, live)
    page = html.unescape(" ".join(re.sub(r"<[^>]+>", " ", screen.summary.text()).split()))
    assert "⚠ 2 documents attached to this referral or your replies never reached iART" in page
    assert "⚠ 1 reply you sent never reached iART" in page
    assert "⚠ A reply you had started and not sent was removed" in page


def _open_purged(qtbot, context, referral_id):
    """The referral's page, as the detail tests open it (theirs waits for another reference)."""
    from referral_desktop.ui.screens.referral_detail import ReferralDetailScreen

    screen = hold(qtbot, ReferralDetailScreen(context))  # deleted after the test (held_pages.py)
    screen.show()
    screen.load(referral_id)
    qtbot.waitUntil(lambda: "IART-2026-000302" in screen.summary.text(), timeout=5000)
    return screen

