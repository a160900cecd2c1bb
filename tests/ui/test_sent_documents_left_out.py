"""A referral's page says which document was not sent with it, and why, as the check page said before sending.

Found after ``test_check_documents_left_out.py``: the check page's inset told the person that the report
attached under "Attach the completed assessment" would not be sent (the answers no longer asked that
question), but once sent, "What you sent" listed only the questions asked and said nothing of it; the
document itself is deleted when iART acknowledges the referral, so nothing on the page showed it had
ever been attached. Now "What you sent" opens with the same inset, in the past tense once iART holds the
referral, naming the question (the form's words), never the file.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from referral_desktop.sync.queueing import queue_referral
from referral_desktop.ui.editor.demo_answers import current_demo_version, full_answers
from tests.ui.conftest import create_store_now, real_store_available
from tests.ui.held_pages import pages_deleted_after_the_test  # noqa: F401 (the fixture, for this module)
from tests.ui.test_referral_detail import _open_until

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]

AT = datetime(2026, 11, 24, 9, 15, tzinfo=UTC)
PLAIN = SimpleNamespace(test_deployment=False, iart_public_key=None)
PDF = b"%PDF-1.4\n"
RECEIVED = ("1 document you attached was not sent: it was attached to “Attach the completed assessment”, a "
            "question your answers no longer asked. It was deleted from this computer when iART received "
            "the referral.")
WAITING = ("1 document you attached is not being sent: it is attached to “Attach the completed assessment”, a "
           "question your answers no longer ask. It is kept on this computer until iART receives the referral, "
           "then deleted.")


def _queued_with_a_hidden_document(store, *, tool_used="no"):
    """A complete referral with a report under "Other documents" and an assessment attached before "Have you
    used an evidence-based assessment tool?" was changed to ``tool_used``, frozen and queued as the app does."""
    referral = store.referrals.create_draft("cwac-marf", current_demo_version(), full_answers())
    rid = str(referral.id)
    report = store.attachments.add(rid, "report.pdf", PDF + b"report", allowed_types=("application/pdf",)).id
    assessment = store.attachments.add(rid, "Sentinel-gcp2.pdf", PDF + b"gcp2", allowed_types=("application/pdf",)).id
    answers = store.referrals.get(rid).answers
    answers.update(attachments=[report], assessment_tool_used=tool_used, assessment_tool_attachments=[assessment])
    store.referrals.save_answers(rid, answers)
    queue_referral(store, rid, PLAIN, date(2026, 11, 24))
    return rid


def _acknowledged(store, rid):
    """What the sender records when iART acknowledges it (``sync/jobs/sending.py``, ``_received``)."""
    store.referrals.set_state(rid, "sending")
    with store.write() as conn:
        store.referrals.set_state(rid, "received", iart_reference="IART-2026-000123", sent_at=AT, received_at=AT,
                                  decision_due=AT + timedelta(days=1))
        store.outbox.remove(rid)
        store.attachments.drop_left_out(conn, rid)
        store.uploads.begin(rid, [a.id for a in store.attachments.to_send(rid)])


def test_what_you_sent_says_which_document_was_left_out_and_why(qtbot, context):
    store = create_store_now(context)

    def sent():
        rid = _queued_with_a_hidden_document(store)
        _acknowledged(store, rid)
        return rid

    rid = context.runner.run_sync(sent)
    screen = _open_until(qtbot, context, rid, "IART-2026-000123")
    notice = screen.sent_answers.left_out_notice
    assert notice.isVisibleTo(screen) and notice.text() == RECEIVED
    assert "Sentinel" not in notice.text()  # the question is named, never the file
    # Under "What you sent", before the answers: read in that order by someone going down the page.
    layout = screen.sent_answers.layout()
    assert layout.indexOf(notice) < layout.indexOf(screen.sent_answers.summary)


def test_while_it_waits_to_send_it_says_the_document_is_not_being_sent(qtbot, context):
    store = create_store_now(context)
    rid = context.runner.run_sync(lambda: _queued_with_a_hidden_document(store))
    screen = _open_until(qtbot, context, rid, "Why it is waiting")
    assert screen.sent_answers.left_out_notice.isVisibleTo(screen)
    assert screen.sent_answers.left_out_notice.text() == WAITING


def test_nothing_is_said_when_every_document_went(qtbot, context):
    store = create_store_now(context)

    def sent():
        rid = _queued_with_a_hidden_document(store, tool_used="yes")
        _acknowledged(store, rid)
        return rid

    screen = _open_until(qtbot, context, context.runner.run_sync(sent), "IART-2026-000123")
    assert screen.sent_answers.left_out_notice.isHidden()
