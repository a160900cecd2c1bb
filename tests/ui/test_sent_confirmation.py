"""The confirmation page tells the truth: waiting (why, next attempt, goes by itself), needs IT, or sent
(reference, decision due, who to phone), and a link to the referral. Real store, real widgets."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest

from referral_desktop.ui.screens.sent_confirmation import SentConfirmationScreen
from tests.ui.conftest import FIXED_NOW, create_store_now, real_store_available

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]


@pytest.fixture
def queued(context):
    store = create_store_now(context)

    def make() -> str:
        referral = store.referrals.create_draft(
            "cwac-marf", "1.0.0", {"children": [{"given_names": "Ada", "family_name": "Lovelock"}]})
        store.referrals.freeze(referral.id, b"{}", "application/json")
        store.outbox.enqueue(referral.id)
        store.referrals.set_state(referral.id, "queued")
        return str(referral.id)

    return store, context.runner.run_sync(make)


def _screen(qtbot, context, referral_id) -> SentConfirmationScreen:
    screen = SentConfirmationScreen(context)
    qtbot.addWidget(screen)
    screen.resize(1000, 700)
    screen.show()
    screen.load(referral_id)
    context.runner.wait_idle()
    qtbot.waitUntil(lambda: screen.state != "")
    return screen


def test_offline_it_says_waiting_why_and_when_the_next_attempt_is(qtbot, context, queued):
    store, referral_id = queued
    context.sync_worker = SimpleNamespace(online=False)
    next_at = FIXED_NOW + timedelta(minutes=7)
    context.runner.run_sync(lambda: store.outbox.mark(referral_id, state="retrying", attempts=1,
                                                      next_attempt_at=next_at, last_error_code="network"))
    screen = _screen(qtbot, context, referral_id)
    assert screen.panel_title.text() == "Referral saved and waiting to send"
    text = screen.next_text.text()
    assert "could not be reached" in text and "try again at 10:07am" in text and "by itself" in text
    assert "do not need to send it again" in text
    assert "999" in screen.phone_text.text()
    assert "Ada" not in text + screen.panel_body.text()


def test_a_certificate_problem_says_it_needs_it(qtbot, context, queued):
    store, referral_id = queued
    context.runner.run_sync(lambda: store.outbox.mark(referral_id, state="retrying", attempts=1,
                                                      next_attempt_at=FIXED_NOW, last_error_code="tls"))
    screen = _screen(qtbot, context, referral_id)
    assert screen.panel_title.text() == "Cannot send: IT must check"
    assert "IT must check the certificate" in screen.next_text.text()


def test_received_shows_the_reference_and_the_decision_due_then_links_to_the_referral(qtbot, context, queued):
    store, referral_id = queued
    screen = _screen(qtbot, context, referral_id)
    assert screen.panel_title.text() == "Referral saved and waiting to send"

    def receive() -> None:
        store.outbox.remove(referral_id)
        store.referrals.set_state(referral_id, "sending")
        store.referrals.set_state(referral_id, "received", iart_reference="IART-2026-000123", sent_at=FIXED_NOW,
                                  received_at=FIXED_NOW, decision_due=FIXED_NOW + timedelta(days=1, hours=7))

    context.runner.run_sync(receive)
    context.sync_events.emit_state(referral_id, "received")  # what the sender does after committing
    qtbot.waitUntil(lambda: screen.panel_title.text() == "Referral sent")
    assert "IART-2026-000123" in screen.panel_body.text()
    assert "aim to decide by <b>25 November 2026 at 5pm</b>" in screen.next_text.text()
    with qtbot.waitSignal(screen.view_requested) as opened:
        screen.view_link.click()
    assert opened.args == [referral_id]


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU"
       b"\x00\x00\x00\nIDATx\x9cc\x00\x00\x00\x02\x00\x01\xe5'\xde\xfc\x00\x00\x00\x00IEND\xaeB`\x82")


def test_not_called_sent_while_a_document_is_still_going(qtbot, context):
    store = create_store_now(context)

    def received_with_two_documents():
        referral = store.referrals.create_draft("cwac-marf", "1.0.0", {})
        ids = [store.attachments.add(referral.id, f"letter {n}.png", PNG + bytes(n)).id for n in range(2)]
        store.referrals.freeze(referral.id, b"{}", "application/json")
        store.outbox.enqueue(referral.id)
        store.referrals.set_state(referral.id, "sending")
        with store.write():  # as the sender records the acknowledgement
            store.referrals.set_state(referral.id, "received", iart_reference="IART-2026-000124",
                                      sent_at=FIXED_NOW, received_at=FIXED_NOW)
            store.outbox.remove(referral.id)
            store.uploads.begin(referral.id, ids)
        store.uploads.mark_uploaded(ids[0], 10)
        return str(referral.id), ids

    referral_id, ids = context.runner.run_sync(received_with_two_documents)
    screen = _screen(qtbot, context, referral_id)
    assert screen.panel_title.text() == "Referral received; documents still being sent"
    assert "1 of 2 documents sent — 1 still being sent" in screen.next_text.text()
    context.runner.run_sync(lambda: store.uploads.mark_uploaded(ids[1], 10))
    context.sync_events.emit_state(referral_id, "received")  # as the uploads job does after a document
    qtbot.waitUntil(lambda: screen.panel_title.text() == "Referral sent")
    assert "2 of 2 documents sent" in screen.next_text.text()
    assert "still being sent" not in screen.next_text.text()


def test_what_happened_is_announced_on_arrival_and_when_it_changes(qtbot, context, queued, announced):
    """After "Send referral" focus goes to "Back to your referrals": a screen reader said only the button,
    never whether the referral had gone or was waiting, nor that it was sent later while the page was open.
    The panel's title and what it says are announced when the page shows them, once per change; never the
    child's initials."""
    store, referral_id = queued
    context.sync_worker = SimpleNamespace(online=False)
    screen = _screen(qtbot, context, referral_id)
    said = [text for text in announced if text]
    assert said == ["Referral saved and waiting to send. It is stored encrypted on this computer. iART has not "
                    "confirmed receiving it yet. There is no connection to iART at the moment. The app will send it "
                    "at 10am, by itself."], said
    screen.load(referral_id)  # the sender reports again, nothing new to say
    context.runner.wait_idle()
    qtbot.wait(50)
    assert [text for text in announced if text] == said

    def receive() -> None:
        store.outbox.remove(referral_id)
        store.referrals.set_state(referral_id, "sending")
        store.referrals.set_state(referral_id, "received", iart_reference="IART-2026-000123", sent_at=FIXED_NOW,
                                  received_at=FIXED_NOW, decision_due=FIXED_NOW + timedelta(days=1, hours=7))

    context.runner.run_sync(receive)
    context.sync_events.emit_state(referral_id, "received")
    qtbot.waitUntil(lambda: screen.panel_title.text() == "Referral sent")
    assert [text for text in announced if text][1:] == [
        "Referral sent. Your iART reference is IART-2026-000123. They aim to decide by 25 November 2026 at 5pm."]
    assert not [text for text in announced if "AL" in text or "Ada" in text]


def test_the_numbers_to_phone_are_no_smaller_than_the_text_at_200_percent(qtbot, context, queued):
    """The numbers to phone were set at a fixed 12.5 pt: at 200 % text (about 20 pt) '999' and the EDT's
    number came out smaller than the words around them (seen in a screenshot of the page)."""
    import re

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    font = app.font()
    original = font.pointSizeF()
    font.setPointSizeF(original * 2)
    app.setFont(font)
    try:
        _store, referral_id = queued
        context.sync_worker = SimpleNamespace(online=False)
        screen = _screen(qtbot, context, referral_id)
        sizes = [float(size) for size in re.findall(r"font-size:(\d+(?:\.\d+)?)pt", screen.phone_text.text())]
        assert sizes and min(sizes) >= screen.phone_text.font().pointSizeF()
    finally:
        font.setPointSizeF(original)
        app.setFont(font)


def test_at_200_percent_the_focused_button_is_scrolled_into_view(qtbot, context, queued):
    """After 'Send referral' focus is on 'Back to your referrals'; at 200 % text on the laptop screen the
    button sat below the fold, focused but out of sight (WCAG 2.4.11)."""
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QApplication, QScrollArea

    from tests.ui.home_on_laptop import app_text

    store, referral_id = queued
    context.sync_worker = SimpleNamespace(online=False)
    with app_text(2.0):
        screen = SentConfirmationScreen(context)
        qtbot.addWidget(screen)
        screen.resize(1366, 700)
        screen.show()
        qtbot.waitExposed(screen)
        screen.load(referral_id)
        context.runner.wait_idle()
        qtbot.waitUntil(lambda: screen.state != "")
        screen.setFocus()  # as the window gives a new screen focus
        button = screen.back_button
        qtbot.waitUntil(lambda: QApplication.focusWidget() is button, timeout=2_000)

        def in_view() -> bool:
            top = button.mapTo(screen, QPoint(0, 0)).y()
            return top >= 0 and top + button.height() <= screen.height()

        qtbot.waitUntil(lambda: button.height() > 0, timeout=2_000)  # laid out
        qtbot.wait(200)  # and settled: the page's text wrapped, its height known
        page = screen if isinstance(screen, QScrollArea) else screen.findChild(QScrollArea)
        assert page.verticalScrollBar().maximum() > 0  # the page does scroll here
        qtbot.waitUntil(in_view, timeout=2_000)


def test_the_reference_stands_out_from_the_text_at_200_percent(qtbot, context, queued):
    """The iART reference is set in large type (professionals read it out on the phone): it was a fixed
    24 pt, twice the text at 100 % but no larger than the text around it at 200 % (seen in a screenshot)."""
    import re

    from tests.ui.home_on_laptop import app_text

    store, referral_id = queued
    _received_by_iart(context, store, referral_id)
    for scale in (1.0, 2.0):
        with app_text(scale):
            screen = _screen(qtbot, context, referral_id)
            [size] = re.findall(r"font-size:(\d+(?:\.\d+)?)pt", screen.panel_body.text())
            assert float(size) >= 1.8 * screen.panel_body.font().pointSizeF(), scale
            screen.close()


def test_the_reference_and_the_numbers_follow_a_text_size_changed_while_open(qtbot, context, queued):
    """Their sizes are written into the labels' rich text when the page is shown (Qt's rich text takes no
    size relative to the label's): the text doubled while the page was open, the reference and '999' stayed
    at the old sizes, smaller than the words around them."""
    import re

    from PySide6.QtWidgets import QApplication

    from referral_desktop.ui.text_size import follow_text_size
    from tests.ui.home_on_laptop import app_text

    store, referral_id = queued
    _received_by_iart(context, store, referral_id)
    with app_text(1.0):
        app = QApplication.instance()
        follow_text_size(app)
        screen = _screen(qtbot, context, referral_id)
        font = app.font()
        font.setPointSizeF(font.pointSizeF() * 2)
        app.setFont(font)
        qtbot.waitUntil(lambda: screen.panel_body.font().pointSizeF() == font.pointSizeF(), timeout=2_000)
        [size] = re.findall(r"font-size:(\d+(?:\.\d+)?)pt", screen.panel_body.text())
        assert float(size) >= 1.8 * font.pointSizeF()
        sizes = [float(s) for s in re.findall(r"font-size:(\d+(?:\.\d+)?)pt", screen.phone_text.text())]
        assert sizes and min(sizes) >= font.pointSizeF()


def _received_by_iart(context, store, referral_id) -> None:
    """The queued referral sent and acknowledged by iART, as the sender leaves it."""
    context.runner.run_sync(lambda: (
        store.referrals.set_state(referral_id, "sending"),
        store.referrals.set_state(referral_id, "received", iart_reference="IART-2026-000123", sent_at=FIXED_NOW,
                                  received_at=FIXED_NOW, decision_due=FIXED_NOW + timedelta(days=1)),
        store.outbox.remove(referral_id)))
