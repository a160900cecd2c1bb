"""A referral's page: its facts as one list, each warning and each note a paragraph of its own, and when iART
received the referral among the facts.

Why: the page's summary was one block of text: the facts, then every warning ("⚠ 1 document … never reached
iART", "⚠ 2 replies you sent never reached iART", "⚠ A reply you had started was removed …") and the
retention sentence, one after another with nothing between them; at 200 % text a screen of run-together
lines. GOV.UK gives each warning its own paragraph (warning text) and sets notes apart (inset text). And the
page never said when iART received the referral, though the timeline and the receipt do ("Received by iART").
Real SQLCipher store, the real retention purge, the real page.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QLabel

from referral_desktop.ui.receipt_export import receipt_rows
from referral_desktop.ui.screens.referral_detail import ReferralDetailScreen
from tests.ui.conftest import create_store_now, real_store_available
from tests.ui.held_pages import hold, pages_deleted_after_the_test  # noqa: F401 (the fixture, for this module)
from tests.ui.test_referral_detail import _open, _purged_with_replies, _received

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]


def _shown_labels(screen) -> list[QLabel]:
    """The page summary's labels that show text, top to bottom, where they are once laid out.

    The text appears before the layout that places it: Qt posts the layout request and runs it before the
    next paint. Measuring in between (CI, under load, measured a 7-pixel "gap" that was the old height of
    the facts' label) tests a moment nobody sees, so the posted layouts run first, as before a paint."""
    for _ in range(3):  # the summary's layout, then the column's and the page's it changes
        QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest)
    labels = [label for label in screen.summary.findChildren(QLabel) if label.isVisibleTo(screen) and label.text()]
    return sorted(labels, key=lambda label: label.mapTo(screen, label.rect().topLeft()).y())


def test_each_warning_and_the_retention_note_is_a_paragraph_of_its_own(qtbot, context):
    store = create_store_now(context)
    referral_id = context.runner.run_sync(
        lambda: _purged_with_replies(store, refused=2, names=["a.png", "b.png"], refuse_documents=1))
    screen = _open(qtbot, context, referral_id)
    labels = _shown_labels(screen)
    facts, *paragraphs = labels
    assert "<b>State:</b>" in facts.text() and "<b>Outcome:</b>" in facts.text()
    assert "⚠" not in facts.text() and "retention policy" not in facts.text()
    said = [label.text() for label in paragraphs]
    assert len(said) == 3, said
    assert "1 document attached to this referral" in said[0]
    assert "2 replies you sent never reached iART" in said[1]
    assert "removed from this computer under the retention policy" in said[2]
    assert [label.property("role") for label in paragraphs] == ["warning", "warning", "inset"]
    for upper, lower in zip(labels, labels[1:], strict=False):  # apart, not one block
        gap = lower.mapTo(screen, lower.rect().topLeft()).y() - upper.mapTo(screen, upper.rect().bottomLeft()).y()
        assert gap >= upper.fontMetrics().height() // 2, (upper.text()[:40], gap)
    for label in labels:
        assert label.wordWrap() and label.height() >= label.heightForWidth(label.width())  # whole, never cut


def test_the_page_says_when_iart_received_it_as_the_receipt_does(qtbot, context):
    store = create_store_now(context)
    referral_id = context.runner.run_sync(lambda: _received(store))
    screen = _open(qtbot, context, referral_id)
    referral = context.runner.run_sync(lambda: store.referrals.get(referral_id))
    [(label, when)] = [row for row in receipt_rows(referral, None) if row[0] == "Received by iART"]
    facts = screen.summary.text()
    assert f"<b>{label}:</b> {when}" in facts
    assert when == "24 November 2026 at 9:15am"
    assert facts.index("<b>Sent:</b>") < facts.index(f"<b>{label}:</b>")


def test_a_referral_not_received_yet_says_nothing_of_it(qtbot, context):
    store = create_store_now(context)

    def queued():
        referral = store.referrals.create_draft("cwac-marf", "1.0.0", {"immediate_danger": "no"})
        store.referrals.freeze(referral.id, b"payload", "application/json")
        store.outbox.enqueue(referral.id)
        store.referrals.set_state(referral.id, "queued")
        return str(referral.id)

    referral_id = context.runner.run_sync(queued)
    screen = hold(qtbot, ReferralDetailScreen(context))
    screen.show()
    screen.load(referral_id)
    qtbot.waitUntil(lambda: "Why it is waiting" in screen.summary.text(), timeout=5000)
    assert "Received by iART" not in screen.summary.text()
    [why] = [label for label in _shown_labels(screen) if "Why it is waiting" in label.text()]
    assert why.property("role") == "inset" and "<b>State:</b>" not in why.text()
