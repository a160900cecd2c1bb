"""The referral detail screen shows iART's messages from the real store, oldest first, with their times,
and refreshes when the sender reports a change."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

import pytest

from referral_desktop.ui.screens.referral_detail import ReferralDetailScreen
from tests.ui.conftest import create_store_now, real_store_available
from tests.ui.held_pages import hold, pages_deleted_after_the_test  # noqa: F401 (the fixture, for this module)
from tests.ui.poppler import pdf_text
from tests.ui.received_referral import received_referral

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]

ASKED_AT = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)


def _received(store, answers=None):
    """A referral iART has received (reference, decision due), with ``answers`` (a minimal set by default)."""
    return received_referral(store, at=ASKED_AT, answers=answers or {"immediate_danger": "no"})


def _open(qtbot, context, referral_id):
    screen = hold(qtbot, ReferralDetailScreen(context))  # deleted after the test, not by the collector
    screen.show()
    screen.load(referral_id)
    qtbot.waitUntil(lambda: "IART-2026-000123" in screen.summary.text(), timeout=5000)
    return screen


def test_without_messages_the_screen_says_so(qtbot, context):
    store = create_store_now(context)
    referral_id = context.runner.run_sync(lambda: _received(store))
    screen = _open(qtbot, context, referral_id)
    assert screen.conversation.view.text() == "No messages yet. iART's questions and your replies will appear here."


def test_messages_from_iart_are_shown_in_order_with_their_times(qtbot, context):
    store = create_store_now(context)
    referral_id = context.runner.run_sync(lambda: _received(store))

    def ask():
        store.referrals.set_state(referral_id, "info_requested", message="Please send the school report.",
                                  message_at=ASKED_AT)
        store.referrals.add_message(referral_id, "Also the GP's name <please>.", ASKED_AT + timedelta(hours=2))

    context.runner.run_sync(ask)
    screen = _open(qtbot, context, referral_id)
    shown = screen.conversation.view.text()
    assert shown.index("Please send the school report.") < shown.index("Also the GP&#x27;s name &lt;please&gt;.")
    assert "24 November 2026 at 9:15am" in shown and "24 November 2026 at 11:15am" in shown  # UK time (GMT in November)
    assert "asked for more information" in screen.summary.text()
    assert "Message from iART" in screen.timeline.toPlainText()


def test_a_message_arriving_while_the_screen_is_open_appears(qtbot, context):
    store = create_store_now(context)
    referral_id = context.runner.run_sync(lambda: _received(store))
    screen = _open(qtbot, context, referral_id)
    context.runner.run_sync(lambda: store.referrals.set_state(
        referral_id, "info_requested", message="Who else lives at the address?", message_at=ASKED_AT))
    context.sync_events.emit_state(referral_id, "info_requested")  # as the sender does after a poll
    qtbot.waitUntil(lambda: "Who else lives at the address?" in screen.conversation.view.text(), timeout=5000)


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU"
       b"\x00\x00\x00\nIDATx\x9cc\x00\x00\x00\x02\x00\x01\xe5'\xde\xfc\x00\x00\x00\x00IEND\xaeB`\x82")


def _received_with_documents(store, names):
    referral = store.referrals.create_draft("cwac-marf", "1.0.0", {"immediate_danger": "no"})
    ids = [store.attachments.add(referral.id, name, PNG + bytes(n)).id for n, name in enumerate(names)]
    store.referrals.freeze(referral.id, b"payload", "application/json")
    store.outbox.enqueue(referral.id)
    store.referrals.set_state(referral.id, "sending")
    with store.write():  # as the sender records the acknowledgement: every document still to upload
        store.referrals.set_state(referral.id, "received", iart_reference="IART-2026-000123", sent_at=ASKED_AT,
                                  received_at=ASKED_AT, decision_due=ASKED_AT + timedelta(days=1))
        store.uploads.begin(referral.id, ids)
    return str(referral.id), ids


def test_documents_still_going_are_counted_and_the_referral_is_not_called_fully_sent(qtbot, context):
    store = create_store_now(context)
    referral_id, ids = context.runner.run_sync(
        lambda: _received_with_documents(store, ["school report.png", "photo.png", "letter.png"]))
    context.runner.run_sync(lambda: [store.uploads.mark_uploaded(a, 100) for a in ids[:2]])
    screen = _open(qtbot, context, referral_id)
    text = screen.summary.text()
    assert "2 of 3 documents sent" in text
    assert "1 still being sent" in text and "fully sent when they are all there" in text
    context.runner.run_sync(lambda: store.uploads.mark_uploaded(ids[2], 100))
    context.sync_events.emit_state(referral_id, "received")  # as the uploads job does after each document
    qtbot.waitUntil(lambda: "3 of 3 documents sent" in screen.summary.text(), timeout=5000)
    assert "still being sent" not in screen.summary.text()


def test_a_document_given_up_on_is_named_with_what_to_do(qtbot, context):
    store = create_store_now(context)
    referral_id, ids = context.runner.run_sync(lambda: _received_with_documents(store, ["school <report>.png"]))

    def damaged():
        for _ in range(3):
            store.uploads.mark_mismatch(ids[0], failure="damaged_here", next_attempt_at=ASKED_AT, max_mismatches=3)

    context.runner.run_sync(damaged)
    screen = _open(qtbot, context, referral_id)
    text = screen.summary.text()
    assert "0 of 1 document sent; 1 could not be sent" in text
    assert "“school &lt;report&gt;.png” could not be sent" in text
    assert "copy kept on this computer is damaged" in text
    assert "iART has your referral without it" in text and "Phone iART" in text
    assert "still being sent" not in text  # nothing is still going: it is not pretended otherwise


def test_a_document_iart_refused_for_good_says_so_and_what_to_do_not_still_being_sent(qtbot, context):
    store = create_store_now(context)
    referral_id, ids = context.runner.run_sync(
        lambda: _received_with_documents(store, ["school report.png", "consent <form>.png"]))

    def refused(times):
        for _ in range(times):
            store.uploads.mark_refused(ids[1], error_code="rejected_422", next_attempt_at=ASKED_AT, max_refusals=3)

    context.runner.run_sync(lambda: (store.uploads.mark_uploaded(ids[0], 100), refused(2)))
    screen = _open(qtbot, context, referral_id)
    text = screen.summary.text()
    assert "1 of 2 documents sent" in text and "1 still being sent" in text  # refused twice: tried again
    assert "did not accept" not in text
    context.runner.run_sync(lambda: refused(1))
    context.sync_events.emit_state(referral_id, "received")  # as the uploads job does when it gives up
    qtbot.waitUntil(lambda: "could not be sent:" in screen.summary.text(), timeout=5000)
    text = screen.summary.text()
    assert "1 of 2 documents sent; 1 could not be sent" in text
    assert "“consent &lt;form&gt;.png” could not be sent:</b> iART did not accept it." in text
    assert "will not be tried again" in text
    assert "Phone iART (View → Contacts and hours), give them the iART reference" in text
    assert "still being sent" not in text  # it is not on its way any more, and the page does not say it is
    assert "iART has your referral without it" not in text  # a "not found" may mean iART has no referral
    assert "school report.png" not in text  # the document that arrived is counted, not named


def test_the_title_names_the_child_by_initials(qtbot, context):
    store = create_store_now(context)
    referral = context.runner.run_sync(lambda: store.referrals.create_draft(
        "cwac-marf", "1.0.0", {"children": [{"given_names": "Ada", "family_name": "Lovelock"}]}))

    def send():
        store.referrals.freeze(referral.id, b"payload", "application/json")
        store.outbox.enqueue(referral.id)
        store.referrals.set_state(referral.id, "sending")
        store.referrals.set_state(referral.id, "received", iart_reference="IART-2026-000123", sent_at=ASKED_AT,
                                  received_at=ASKED_AT, decision_due=ASKED_AT + timedelta(days=1))

    context.runner.run_sync(send)
    screen = _open(qtbot, context, str(referral.id))
    assert screen.title.text() == "Referral for AL — Received by iART"


def test_a_waiting_referral_says_why_and_when_it_is_tried_again(qtbot, context):
    store = create_store_now(context)

    def make():
        referral = store.referrals.create_draft("cwac-marf", "1.0.0", {"immediate_danger": "no"})
        store.referrals.freeze(referral.id, b"payload", "application/json")
        store.outbox.enqueue(referral.id)
        store.referrals.set_state(referral.id, "queued")
        store.outbox.mark(referral.id, state="retrying", attempts=2,
                          next_attempt_at=datetime(2026, 11, 24, 10, 42, tzinfo=UTC),
                          last_error_code="timeout")
        return str(referral.id)

    referral_id = context.runner.run_sync(make)
    screen = hold(qtbot, ReferralDetailScreen(context))
    screen.show()
    screen.load(referral_id)
    qtbot.waitUntil(lambda: "Why it is waiting" in screen.summary.text(), timeout=5000)
    assert "did not answer in time" in screen.summary.text()
    assert "try again at 10:42am" in screen.summary.text()


def test_decided_with_a_document_still_on_its_way_it_does_not_promise_removal_shortly(qtbot, context):
    """The purge waits for a document still on its way to iART (store/retention.py), so the page says
    the details go once everything has arrived, not "shortly", which could be days on a refusal."""
    from referral_desktop.store.retention import purge_expired

    store = create_store_now(context)

    def decided_while_uploading():
        referral_id, _ids = _received_with_documents(store, ["report.png"])
        store.referrals.set_state(referral_id, "decided", decided_at=ASKED_AT + timedelta(hours=3),
                                  outcome="early_help_and_prevention")
        assert purge_expired(store, ASKED_AT + timedelta(hours=4)) == 0  # held by the document
        return referral_id

    referral_id = context.runner.run_sync(decided_while_uploading)
    screen = _open(qtbot, context, referral_id)
    text = " ".join(screen.summary.text().split())
    assert "once everything still on its way to iART has arrived" in text
    assert "shortly" not in text


def test_after_the_purge_it_says_the_details_were_removed_and_offers_only_the_receipt(qtbot, context, tmp_path,
                                                                                      announced):
    """Issue 10: after a decision the export is the receipt (reference, dates, outcome), with no
    'not encrypted' warning because it holds nothing personal; never an empty form under a reference."""

    from PySide6.QtWidgets import QApplication, QMessageBox

    from referral_desktop.store.retention import purge_expired

    store = create_store_now(context)

    def decide_and_purge():
        referral_id = _received(store)
        store.referrals.set_state(referral_id, "decided", decided_at=ASKED_AT + timedelta(hours=3),
                                  outcome="early_help_and_prevention")
        purge_expired(store, ASKED_AT + timedelta(hours=4))
        return referral_id

    referral_id = context.runner.run_sync(decide_and_purge)
    screen = _open(qtbot, context, referral_id)
    assert "removed from this computer under the retention policy" in screen.summary.text()
    assert screen.export_button.isVisible() and screen.export_button.text() == "Save the receipt as PDF…"
    exported: list[str] = []
    screen.export_requested.connect(exported.append)
    target = tmp_path / "receipt.pdf"
    suggested: list[str] = []
    screen.choose_receipt_path = lambda name: suggested.append(name) or str(target)
    screen.export_button.click()
    qtbot.waitUntil(lambda: target.exists() and "Saved" in screen.export_status.text(), timeout=20_000)
    assert "The receipt is saved as a PDF." in announced  # heard, without the file's name
    assert not exported  # the full copy (and its warning) was not asked for
    assert suggested and suggested[0].startswith("receipt-IART-")
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert target.read_bytes().startswith(b"%PDF")
    text = pdf_text(target)
    reference = context.runner.run_sync(lambda: store.referrals.get(referral_id).iart_reference)
    assert reference in text and "Early Help and Prevention" in text
    assert "holds no details of the child or family" in " ".join(text.split())


def test_the_page_shows_what_was_sent_read_only(qtbot, context):
    store = create_store_now(context)

    answers = {"immediate_danger": "no", "referrer_name": "<b>Pat</b> Example",
               "children": [{"given_names": "Ada", "family_name": "Lovelock"}]}
    screen = _open(qtbot, context, context.runner.run_sync(lambda: _received(store, answers)))
    qtbot.waitUntil(lambda: bool(screen.sent_answers.lines), timeout=5000)
    lines = dict(screen.sent_answers.lines)
    assert lines["Is a child in immediate danger, or are you worried about a child's immediate safety?"] == "No"
    assert "<b>Pat</b> Example" in lines.values()  # the user's text as typed, never as HTML
    assert screen.sent_answers.isVisibleTo(screen) and screen.sent_title.text() == "What you sent"
    from PySide6.QtWidgets import QLineEdit, QPushButton

    assert not screen.sent_answers.findChildren(QLineEdit) and not screen.sent_answers.findChildren(QPushButton)


def _decided_and_purged(store, names, *, refuse: int = 0, damage: int = 0):
    """A referral with documents ``names``: the first ``refuse`` refused by iART for good, the next
    ``damage`` damaged here, the rest uploaded; then decided and purged."""
    from referral_desktop.store.retention import purge_expired

    referral_id, ids = _received_with_documents(store, names)
    for aid in ids[:refuse]:
        for _ in range(3):
            store.uploads.mark_refused(aid, error_code="rejected_422", next_attempt_at=ASKED_AT, max_refusals=3)
    for aid in ids[refuse:refuse + damage]:
        store.uploads.mark_mismatch(aid, failure="damaged_here", next_attempt_at=ASKED_AT, max_mismatches=1)
    for aid in ids[refuse + damage:]:
        store.uploads.mark_uploaded(aid, 100)
    store.referrals.set_state(referral_id, "decided", decided_at=ASKED_AT + timedelta(hours=3),
                              outcome="early_help_and_prevention")
    assert purge_expired(store, ASKED_AT + timedelta(hours=4)) == 1
    return referral_id


def test_a_purged_referral_whose_document_never_reached_iart_still_says_to_phone_iart(qtbot, context):
    """The purge takes a given-up document's upload row with it; the receipt's count keeps the advice
    the page gave before (documents_status.py), so it does not disappear by surprise."""
    store = create_store_now(context)
    referral_id = context.runner.run_sync(
        lambda: _decided_and_purged(store, ["consent <form>.png", "school report.png"], refuse=1))
    screen = _open(qtbot, context, referral_id)
    text = " ".join(screen.summary.text().split())
    assert "removed from this computer under the retention policy" in text
    assert "<b>⚠ 1 document attached to this referral or your replies never reached iART:</b>" in text
    assert "iART did not accept it." in text
    assert ("Phone iART (View → Contacts and hours), give them the iART reference IART-2026-000123, and ask how to send "
            "it another way") in text
    assert "consent" not in text and "school report" not in text  # the names went with the purge


def test_damaged_and_refused_documents_are_told_apart_on_the_purged_page(qtbot, context):
    store = create_store_now(context)
    referral_id = context.runner.run_sync(
        lambda: _decided_and_purged(store, ["a.png", "b.png", "c.png"], refuse=1, damage=2))
    screen = _open(qtbot, context, referral_id)
    text = " ".join(screen.summary.text().split())
    assert "3 documents attached to this referral or your replies never reached iART:</b>" in text
    assert "2 because the copy kept on this computer was damaged, 1 because iART did not accept it." in text
    assert "ask how to send them another way" in text and "have the original files ready" in text


def test_a_purged_referral_whose_documents_all_arrived_gives_no_such_advice(qtbot, context):
    store = create_store_now(context)
    referral_id = context.runner.run_sync(lambda: _decided_and_purged(store, ["a.png", "b.png"]))
    screen = _open(qtbot, context, referral_id)
    text = screen.summary.text()
    assert "removed from this computer under the retention policy" in text
    assert "never reached iART" not in text and "Phone iART" not in text


def test_the_saved_receipt_counts_the_documents_that_never_reached_iart(qtbot, context, tmp_path):
    """The PDF receipt is the professional's record once the details are gone: it says so too (a count,
    no names), and says nothing of documents when they all arrived."""
    store = create_store_now(context)
    refused_id = context.runner.run_sync(
        lambda: _decided_and_purged(store, ["consent <form>.png", "school report.png"], refuse=1))
    from referral_desktop.ui.receipt_export import receipt_page
    from tests.ui.printed_now import print_now

    target = print_now(context, store, receipt_page, refused_id, tmp_path / "refused.pdf")
    text = " ".join(pdf_text(target).split())
    assert "Documents that never reached iART 1 (iART did not accept it)" in text
    assert "consent" not in text and "school report" not in text
    all_arrived = context.runner.run_sync(lambda: _decided_and_purged(store, ["a.png"]))
    target = print_now(context, store, receipt_page, all_arrived, tmp_path / "arrived.pdf")
    text = pdf_text(target)
    assert "never reached" not in text and "Messages exchanged" in text


def test_only_damaged_documents_say_the_copy_here_was_damaged():
    from referral_desktop.store.records import Receipt
    from referral_desktop.ui.documents_status import never_reached_line

    def receipt(damaged, refused):
        return Receipt("r", "IART-1", "cwac-marf", "1.0.0", ASKED_AT, None, None, None, None, None, None, ASKED_AT,
                       documents_damaged_here=damaged, documents_refused_by_iart=refused)

    line = never_reached_line(receipt(2, 0), "IART-1")
    assert "2 documents attached to this referral or your replies never reached iART:</b> The copy kept on this " \
           "computer was damaged." in line
    assert "iART did not accept" not in line and "send them another way" in line
    assert never_reached_line(receipt(None, None), "IART-1") == ""  # a receipt from before the count
    assert never_reached_line(receipt(0, 0), "IART-1") == ""
    assert "iART did not accept them" in never_reached_line(receipt(0, 2), "IART-1")


REFUSED_REPLY = "SENTINEL the family moved to Sentinelford"


def _purged_with_replies(store, *, refused: int, sent: int = 0, names=(), refuse_documents: int = 0):
    """A referral with ``refused`` replies iART refused and ``sent`` it holds (and documents ``names``, the
    first ``refuse_documents`` refused for good), then decided and purged."""
    from referral_desktop.store.retention import purge_expired

    referral_id, ids = _received_with_documents(store, list(names))
    for aid in ids[:refuse_documents]:
        for _ in range(3):
            store.uploads.mark_refused(aid, error_code="rejected_422", next_attempt_at=ASKED_AT, max_refusals=3)
    for aid in ids[refuse_documents:]:
        store.uploads.mark_uploaded(aid, 100)
    for n in range(refused + sent):
        reply = store.replies.freeze(store.replies.save_draft(referral_id, f"{REFUSED_REPLY} {n}").id, b"{}",
                                     "application/json")
        if n < refused:
            store.replies.mark_refused(reply.id, "rejected_422")
        else:
            store.replies.mark_sent(reply.id, sent_at=ASKED_AT, sequence=n + 1)
    store.referrals.set_state(referral_id, "decided", decided_at=ASKED_AT + timedelta(hours=3),
                              outcome="early_help_and_prevention")
    assert purge_expired(store, ASKED_AT + timedelta(hours=4)) == 1
    return referral_id


def test_a_purged_referral_with_a_reply_iart_refused_still_says_to_phone_iart(qtbot, context):
    """Before the purge the conversation said "Not accepted by iART"; the purge deletes the reply with that
    notice, so the receipt's count keeps it on the page (a count only: the reply's text is gone)."""
    store = create_store_now(context)
    referral_id = context.runner.run_sync(lambda: _purged_with_replies(store, refused=1, sent=1))
    screen = _open(qtbot, context, referral_id)
    text = " ".join(screen.summary.text().split())
    assert ("<b>⚠ 1 reply you sent never reached iART:</b> iART did not accept it. Phone iART (View → "
            "Contacts and hours), give them the iART reference IART-2026-000123, and tell them what it said.") in text
    assert "This computer no longer holds it." in text
    assert "SENTINEL" not in text and "Sentinelford" not in text
    assert "document attached to" not in text  # no documents' advice when none is missing


def test_refused_replies_and_missing_documents_are_told_side_by_side(qtbot, context):
    store = create_store_now(context)
    referral_id = context.runner.run_sync(
        lambda: _purged_with_replies(store, refused=2, names=["a.png", "b.png"], refuse_documents=1))
    screen = _open(qtbot, context, referral_id)
    lines = screen.summary.text().split("<br>")
    [documents] = [n for n, line in enumerate(lines) if "1 document attached to this referral" in line]
    [replies] = [n for n, line in enumerate(lines) if "2 replies you sent never reached iART" in line]
    assert replies == documents + 1
    assert "iART did not accept them" in lines[replies] and "tell them what they said" in lines[replies]
    assert "This computer no longer holds them." in lines[replies]


def test_a_purged_referral_without_refused_replies_gives_no_such_advice(qtbot, context):
    store = create_store_now(context)
    referral_id = context.runner.run_sync(lambda: _purged_with_replies(store, refused=0, sent=2))
    screen = _open(qtbot, context, referral_id)
    assert "never reached iART" not in screen.summary.text() and "Phone iART" not in screen.summary.text()


def test_the_retention_sentence_says_what_the_receipt_holds(qtbot, context):
    store = create_store_now(context)
    purged = context.runner.run_sync(lambda: _purged_with_replies(store, refused=0))
    purged_page = _open(qtbot, context, purged)
    text = html.unescape(" ".join(purged_page.summary.text().split()))
    assert ("This receipt remains: the iART reference, the child's initials, the dates, the outcome, how many "
            "messages were exchanged, and how many documents and replies did not reach iART (counts only).") in text
    assert "the reference, dates and outcome." not in text

    def decided():
        referral_id = _received(store)
        store.referrals.set_state(referral_id, "decided", decided_at=ASKED_AT, outcome="early_help_and_prevention")
        return referral_id

    decided_page = _open(qtbot, context, context.runner.run_sync(decided))
    text = html.unescape(" ".join(decided_page.summary.text().split()))
    assert ("a receipt stays with the iART reference, the child's initials, the dates, the outcome, how many "
            "messages were exchanged, and how many documents and replies did not reach iART (counts only).") in text


def test_the_saved_receipt_counts_the_replies_iart_refused(qtbot, context, tmp_path):
    store = create_store_now(context)
    referral_id = context.runner.run_sync(lambda: _purged_with_replies(store, refused=1, sent=1))
    from referral_desktop.ui.receipt_export import receipt_page
    from tests.ui.printed_now import print_now

    target = print_now(context, store, receipt_page, referral_id, tmp_path / "receipt.pdf")
    text = " ".join(pdf_text(target).split())
    assert "Replies iART did not accept 1" in text and "Messages exchanged with iART 1" in text
    assert "SENTINEL" not in text and "Sentinelford" not in text
    none_refused = context.runner.run_sync(lambda: _purged_with_replies(store, refused=0, sent=1))
    target = print_now(context, store, receipt_page, none_refused, tmp_path / "none.pdf")
    text = pdf_text(target)
    assert "did not accept" not in text and "Messages exchanged with iART 1" in " ".join(text.split())


def test_a_purged_referral_does_not_say_messages_will_appear(qtbot, context):
    """The purge removes the messages with the details: the conversation said "No messages yet. iART's
    questions and your replies will appear here." under a page whose replies are closed, even where messages
    had been exchanged. It says how many were (the receipt's count) and that they were removed."""
    from referral_desktop.store.retention import purge_expired

    store = create_store_now(context)

    def asked_decided_purged() -> str:
        referral_id = _received(store)
        store.referrals.set_state(referral_id, "info_requested", message="SENTINEL who lives there?",
                                  message_at=ASKED_AT)
        store.referrals.set_state(referral_id, "acknowledged")
        store.referrals.set_state(referral_id, "decided", decided_at=ASKED_AT + timedelta(hours=3),
                                  outcome="early_help_and_prevention")
        assert purge_expired(store, ASKED_AT + timedelta(hours=4)) == 1
        return referral_id

    screen = _open(qtbot, context, context.runner.run_sync(asked_decided_purged))
    qtbot.waitUntil(lambda: screen.conversation.after_decision.isVisible(), timeout=5000)
    text = screen.conversation.view.text()
    assert text == ("1 message was exchanged with iART. It was removed from this computer with the referral's "
                    "details."), text
    assert "SENTINEL" not in text


def test_a_decided_referral_without_messages_says_none_were_exchanged(qtbot, context):
    store = create_store_now(context)

    def decided() -> str:
        referral_id = _received(store)
        store.referrals.set_state(referral_id, "decided", decided_at=ASKED_AT + timedelta(hours=3),
                                  outcome="early_help_and_prevention")
        return referral_id

    screen = _open(qtbot, context, context.runner.run_sync(decided))
    qtbot.waitUntil(lambda: screen.conversation.after_decision.isVisible(), timeout=5000)
    assert screen.conversation.view.text() == "No messages were exchanged with iART."


def test_a_purged_referral_without_messages_says_none_are_kept(qtbot, context):
    store = create_store_now(context)
    referral_id = context.runner.run_sync(lambda: _decided_and_purged(store, []))
    screen = _open(qtbot, context, referral_id)
    qtbot.waitUntil(lambda: screen.conversation.after_decision.isVisible(), timeout=5000)
    assert "will appear here" not in screen.conversation.view.text()
    assert screen.conversation.view.text() == (
        "No messages with iART are kept on this computer: the referral's details were removed under the "
        "retention policy.")


def _open_until(qtbot, context, referral_id, words):
    screen = hold(qtbot, ReferralDetailScreen(context))
    screen.show()
    screen.load(referral_id)
    qtbot.waitUntil(lambda: words in screen.summary.text(), timeout=5000)
    return screen


def test_a_returned_referral_does_not_say_replies_will_appear(qtbot, context):
    """iART returned the referral: no reply can be made, yet the conversation
    said "No messages yet. iART's questions and your replies will appear here." It says what to do instead."""
    store = create_store_now(context)

    def returned() -> str:
        referral = store.referrals.create_draft("cwac-marf", "1.0.0", {"immediate_danger": "no"})
        store.referrals.freeze(referral.id, b"payload", "application/json")
        store.outbox.enqueue(referral.id)
        store.referrals.set_state(referral.id, "sending")
        store.referrals.reject(referral.id, [("children[0].nhs_number", "Enter an NHS number with 10 digits")])
        return str(referral.id)

    screen = _open_until(qtbot, context, context.runner.run_sync(returned), "Returned")
    text = screen.conversation.view.text()
    assert "will appear here" not in text and "your replies" not in text, text
    assert text == ("No messages. iART returned this referral, so there is nothing to reply to: fix the answers "
                    "above and send it again."), text
    assert not screen.conversation.reply_box.isVisible()


def test_a_referral_waiting_to_send_says_when_messages_can_come(qtbot, context):
    store = create_store_now(context)

    def queued() -> str:
        referral = store.referrals.create_draft("cwac-marf", "1.0.0", {"immediate_danger": "no"})
        store.referrals.freeze(referral.id, b"payload", "application/json")
        store.outbox.enqueue(referral.id)
        return str(referral.id)

    screen = _open_until(qtbot, context, context.runner.run_sync(queued), "Waiting to send")
    assert screen.conversation.view.text() == (
        "No messages yet. Once iART has received the referral, its questions and your replies will appear here.")


def test_a_decided_referral_says_when_it_was_decided_not_when_a_decision_was_expected(qtbot, context):
    """Beside the outcome, "Decision expected by" is a date that no longer means anything (the home list
    dropped it for decided rows); the page says when iART decided instead."""
    store = create_store_now(context)

    def decided() -> str:
        referral_id = _received(store)
        store.referrals.set_state(referral_id, "decided", decided_at=ASKED_AT + timedelta(hours=3),
                                  outcome="early_help_and_prevention")
        return referral_id

    screen = _open(qtbot, context, context.runner.run_sync(decided))
    summary = screen.summary.text()
    assert "Decision expected by" not in summary, summary
    assert "<b>Decided:</b> 24 November 2026 at 12:15pm" in summary, summary
    assert "<b>Outcome:</b> Early Help and Prevention" in summary
