""""What has happened" shows every event without a scroll box of its own, at 100 % and 200 % text.

Why: the timeline was a box 180 px high inside the scrolling page: at 200 % text a returned referral's last
event, "Returned by iART", was cut in half at its bottom edge, and a referral with more events needed a second
scroll bar inside the page's. The box now grows with its events (the page scrolls).
"""

from __future__ import annotations

import pytest

from referral_desktop.ui.screens.referral_detail import ReferralDetailScreen
from tests.ui.conftest import create_store_now, real_store_available
from tests.ui.held_pages import hold, pages_deleted_after_the_test  # noqa: F401 (the fixture, for this module)
from tests.ui.home_on_laptop import app_text
from tests.ui.test_referral_detail import _received
from tests.ui.written_times import MOMENT

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_every_event_is_in_view_without_scrolling_the_box(qtbot, context, scale):
    store = create_store_now(context)

    def many_events() -> str:
        referral_id = _received(store)
        for text in ("Please send the attendance figures.", "And the GP's name.", "Thank you."):
            store.referrals.set_state(referral_id, "info_requested", message=text, message_at=None)
            store.referrals.set_state(referral_id, "acknowledged")
        return referral_id

    with app_text(scale):
        screen = hold(qtbot, ReferralDetailScreen(context))  # deleted after the test (held_pages.py)
        screen.resize(1366, 700)
        screen.show()
        referral_id = context.runner.run_sync(many_events)
        screen.load(referral_id)
        qtbot.waitUntil(lambda: "IART-2026-000123" in screen.summary.text(), timeout=5000)
        qtbot.wait(50)
        timeline = screen.timeline
        rows = timeline.toPlainText().strip().splitlines()
        assert len(rows) >= 8, rows
        bar = timeline.verticalScrollBar()
        assert bar.maximum() == 0, (bar.maximum(), timeline.height())  # nothing below the box's edge
        document = timeline.document().size().height()
        assert timeline.viewport().height() >= document
        assert timeline.height() < document + 4 * timeline.fontMetrics().height()  # no tall empty box either
        # Each event's moment on one line: at 200 % "23 November 2026 at 7:20am" broke before its time.
        block, moments = timeline.document().begin(), 0
        while block.isValid():
            if MOMENT.fullmatch(block.text().replace("\N{NO-BREAK SPACE}", " ")):  # nowrap's spaces
                moments += 1
                assert block.layout().lineCount() == 1, (scale, block.text())
            block = block.next()
        assert moments == len(rows) // 2, (moments, rows)  # a moment and what happened, on each row
