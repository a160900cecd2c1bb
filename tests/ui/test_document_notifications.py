"""A document given up on (its upload ``failed``: damaged here, refused as not matching its checksum, or
refused by iART for good) is news: the professional is told by a notification, once, with the iART
reference and no file name, even when the retention purge took the referral before the change was read.

Why: the referral's page says to phone iART about such a document, but nobody has to open that page, and
once iART has decided the purge takes the referral in the same round of the sender. Real SQLCipher store,
the real notifier; the notification is caught where it would be shown (``present``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from referral_desktop.store.losses_told import Lost
from referral_desktop.store.retention import purge_expired
from referral_desktop.ui.notifications import Known, news, set_notifications_enabled
from tests.ui.conftest import create_store_now, real_store_available
from tests.ui.notified import quick_notifier, settled

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]

AT = datetime(2026, 11, 24, 5, 15, tzinfo=UTC)
CHILD = "Zebedee Sentinelchild"
#: File names no notification may hold.
NAMES = ("SENTINEL-Zebedee-school-report.png", "SENTINEL-consent-form.png")
REPLY_NAME = "SENTINEL-reply-letter.pdf"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x00\x00\x00\x00:~\x9bU"
       b"\x00\x00\x00\nIDATx\x9cc\x00\x00\x00\x02\x00\x01\xe5'\xde\xfc\x00\x00\x00\x00IEND\xaeB`\x82")
PDF = b"%PDF-1.4\nreply document\n%%EOF\n"
TOLD = "IART-2026-000123: a document could not be sent. Open the referral to see what to do."


def _received_with_documents(store) -> tuple[str, list[str]]:
    """A referral iART acknowledged, with two documents it still waits for (as the sender records it)."""
    referral = store.referrals.create_draft(
        "cwac-marf", "1.0.0", {"children": [{"given_names": CHILD, "family_name": "Quartz"}]})
    ids = [store.attachments.add(referral.id, name, PNG + bytes(n)).id for n, name in enumerate(NAMES)]
    store.referrals.freeze(referral.id, b"payload", "application/json")
    store.outbox.enqueue(referral.id)
    store.referrals.set_state(referral.id, "sending")
    with store.write():
        store.referrals.set_state(referral.id, "received", iart_reference="IART-2026-000123", sent_at=AT,
                                  received_at=AT, decision_due=AT + timedelta(days=1))
        store.uploads.begin(referral.id, ids)
    store.outbox.remove(referral.id)
    return str(referral.id), ids


def _refused_for_good(store, attachment_id: str) -> None:
    for _ in range(3):  # as the uploads job records iART's final refusals, up to its bound
        store.uploads.mark_refused(attachment_id, error_code="rejected_422", next_attempt_at=AT, max_refusals=3)


def _listening(context):
    shown: list[str] = []
    notifier = quick_notifier(context, present=lambda _title, text: shown.append(text))
    notifier.prime()  # as after unlock: learn where things stand
    context.runner.wait_idle()
    return notifier, shown


def _changed(context, referral_id, state="received"):
    context.sync_events.emit_state(referral_id, state)  # as the uploads job does when it gives one up
    context.runner.wait_idle()
    settled()  # what it brought, told (news is held a moment to be told with what arrives with it)


def test_a_document_given_up_on_is_told_once_without_its_name(qtbot, context):
    store = create_store_now(context)
    rid, [refused, uploaded] = context.runner.run_sync(lambda: _received_with_documents(store))
    notifier, shown = _listening(context)
    opened: list[str] = []
    notifier.open_requested.connect(opened.append)

    context.runner.run_sync(lambda: store.uploads.mark_uploaded(uploaded, 100))
    _changed(context, rid)  # a document arrived: not news
    assert shown == []
    context.runner.run_sync(lambda: _refused_for_good(store, refused))
    _changed(context, rid)
    assert shown == [TOLD]
    _changed(context, rid)  # a later poll, the same count: not told again
    _changed(context, rid, "acknowledged")
    assert shown == [TOLD]
    assert all(sentinel not in text for text in shown for sentinel in ("SENTINEL", "png", CHILD, "Zebedee"))
    notifier.clicked()
    assert opened == [rid]  # the page that says what to do


def test_after_a_restart_a_document_known_to_be_given_up_is_not_told_again(qtbot, context):
    store = create_store_now(context)
    rid, [refused, _other] = context.runner.run_sync(lambda: _received_with_documents(store))
    _first, shown = _listening(context)
    context.runner.run_sync(lambda: _refused_for_good(store, refused))
    _changed(context, rid)
    assert shown == [TOLD]

    _again, shown_again = _listening(context)  # the app started (or unlocked) again: read at unlock
    _changed(context, rid)
    context.runner.run_sync(lambda: store.referrals.set_state(rid, "acknowledged"))
    _changed(context, rid, "acknowledged")
    assert shown_again == ["IART-2026-000123: iART acknowledged the referral"]  # that news only


def test_a_second_document_given_up_later_is_told_and_two_at_once_are_counted(qtbot, context):
    store = create_store_now(context)
    rid, [first, second] = context.runner.run_sync(lambda: _received_with_documents(store))
    _notifier, shown = _listening(context)
    context.runner.run_sync(lambda: _refused_for_good(store, first))
    _changed(context, rid)
    context.runner.run_sync(lambda: store.uploads.mark_mismatch(
        second, failure="damaged_here", next_attempt_at=AT, max_mismatches=1))
    _changed(context, rid)
    assert shown == [TOLD, TOLD]

    other, ids = context.runner.run_sync(lambda: _received_with_documents(store))
    _changed(context, other)  # learnt while unlocked: nothing given up yet
    context.runner.run_sync(lambda: [_refused_for_good(store, aid) for aid in ids])
    _changed(context, other)
    assert shown[2:] == ["IART-2026-000123: 2 documents could not be sent. Open the referral to see what to do."]


def test_a_replys_document_given_up_on_is_told(qtbot, context):
    store = create_store_now(context)
    rid, ids = context.runner.run_sync(lambda: _received_with_documents(store))
    context.runner.run_sync(lambda: [store.uploads.mark_uploaded(aid, 100) for aid in ids])
    _notifier, shown = _listening(context)

    def reply_with_document() -> str:
        draft = store.replies.save_draft(rid, "Here is the letter")
        info = store.attachments.add_to_reply(draft.id, REPLY_NAME, PDF)
        store.replies.freeze(draft.id, b"{}", "application/json")
        with store.write():
            store.replies.mark_sent(draft.id, sent_at=AT, sequence=1)
            store.uploads.begin_reply(draft.id, [info.id])
        return info.id

    document = context.runner.run_sync(reply_with_document)
    _changed(context, rid)
    assert shown == []
    context.runner.run_sync(lambda: _refused_for_good(store, document))
    _changed(context, rid)
    assert shown == [TOLD]
    assert "SENTINEL" not in shown[0] and "letter" not in shown[0] and "Here is" not in shown[0]


def test_given_up_then_purged_before_the_change_is_read_is_still_told_once(qtbot, context):
    """The sender gives the document up, then purges the decided referral in the same round: the
    notifier reads the referral after the purge, from its receipt's count."""
    store = create_store_now(context)
    rid, [refused, uploaded] = context.runner.run_sync(lambda: _received_with_documents(store))
    context.runner.run_sync(lambda: store.referrals.set_state(
        rid, "decided", outcome="early_help_and_prevention", decided_at=AT))
    _notifier, shown = _listening(context)  # the decision was known at unlock

    def given_up_and_purged():
        store.uploads.mark_uploaded(uploaded, 100)
        _refused_for_good(store, refused)
        assert purge_expired(store, AT + timedelta(hours=1)) == 1

    context.runner.run_sync(given_up_and_purged)
    _changed(context, rid, "decided")  # the uploads job's change, read after the purge
    assert shown == [TOLD]
    _changed(context, rid, "purged")
    assert shown == [TOLD]

    _after_restart, shown_again = _listening(context)  # a purged referral is not read at unlock
    _changed(context, rid, "purged")  # and its receipt's count is never news about an unknown referral
    assert shown_again == []


def test_told_once_when_given_up_before_the_purge_is_read(qtbot, context):
    store = create_store_now(context)
    rid, [refused, uploaded] = context.runner.run_sync(lambda: _received_with_documents(store))
    context.runner.run_sync(lambda: store.referrals.set_state(
        rid, "decided", outcome="early_help_and_prevention", decided_at=AT))
    _notifier, shown = _listening(context)
    context.runner.run_sync(lambda: (store.uploads.mark_uploaded(uploaded, 100), _refused_for_good(store, refused)))
    _changed(context, rid, "decided")
    assert shown == [TOLD]
    context.runner.run_sync(lambda: purge_expired(store, AT + timedelta(hours=1)))
    _changed(context, rid, "purged")  # the receipt counts the same document: not news
    assert shown == [TOLD]


def test_turned_off_nothing_is_told_and_turning_on_again_does_not_tell_it_late(qtbot, context):
    store = create_store_now(context)
    rid, [refused, _other] = context.runner.run_sync(lambda: _received_with_documents(store))
    _notifier, shown = _listening(context)
    set_notifications_enabled(context.settings, False)
    context.runner.run_sync(lambda: _refused_for_good(store, refused))
    _changed(context, rid)
    set_notifications_enabled(context.settings, True)
    _changed(context, rid)
    assert shown == []


def test_a_decision_and_a_document_given_up_in_one_change_are_told_together():
    before = Known("acknowledged", "IART-2026-000123", 0)
    after = Known("decided", "IART-2026-000123", 0)
    assert news(before, after, Lost(documents_given_up=1)) == (
        "IART-2026-000123: iART has made a decision; a document could not be sent. "
        "Open the referral to see what to do.")
    assert news(after, after) is None
    assert news(after, after, Lost()) is None
    assert news(None, Known("purged", "IART-2026-000123", 0), Lost(documents_given_up=3)) == (
        "IART-2026-000123: 3 documents could not be sent. Open the referral to see what to do.")
