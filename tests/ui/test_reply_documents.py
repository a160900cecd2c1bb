"""Documents with a reply on the referral's page (real store, real widgets): chosen in the reply box and
kept with the draft at once, a refused file refused there with the store's sentence through the error
component, removable by keyboard, queued with the reply, and the conversation saying "1 of 2 documents
sent" once iART holds it; no file name in any announcement."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from referral_desktop.ui import accessibility
from tests.ui.conftest import create_store_now, real_store_available
from tests.ui.test_conversation import AT, _open, _received

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]

PDF = b"%PDF-1.4\nSentinelfilecontent\n%%EOF\n"
NAME = "Sentinelname report.pdf"


@pytest.fixture
def announced(monkeypatch):
    said: list[str] = []
    real = accessibility.announce

    def keep(widget, text, assertive=False):
        said.append(text)
        real(widget, text, assertive)

    from referral_desktop.ui.screens import conversation_panel, reply_documents

    monkeypatch.setattr(reply_documents, "announce", keep)
    monkeypatch.setattr(conversation_panel, "announce", keep)
    return said


def test_documents_are_chosen_kept_checked_removed_and_queued_with_the_reply(qtbot, context, tmp_path, announced):
    store = create_store_now(context)
    rid = context.runner.run_sync(lambda: _received(store))
    screen = _open(qtbot, context, rid)
    panel = screen.conversation
    documents = panel.documents
    assert documents.attach_button.accessibleName() == "Attach a file to your reply"
    assert "PDF" in documents.hint.text() and "up to" in documents.hint.text()

    notes = tmp_path / "Sentinelname notes.txt"
    notes.write_text("plain text", encoding="utf-8")
    documents.add_files([notes])
    qtbot.waitUntil(documents.error.isVisible, timeout=5000)
    assert documents.error.text().startswith("The selected file must be a PDF")
    assert documents.error.accessibleName().startswith("Error: The selected file must be a PDF")
    assert accessibility.is_invalid(documents.attach_button)  # a screen reader hears it on the button
    assert "Error: The selected file must be a PDF" in documents.attach_button.accessibleDescription()
    assert any(text.startswith("The selected file must be a PDF") for text in announced)

    first, second = tmp_path / NAME, tmp_path / "Sentinelname plan.pdf"
    first.write_bytes(PDF)
    second.write_bytes(PDF + b"2")
    documents.add_files([first, second])
    qtbot.waitUntil(lambda: len(documents.documents) == 2, timeout=5000)
    assert not documents.error.isVisible() and not accessibility.is_invalid(documents.attach_button)
    draft = context.runner.run_sync(lambda: store.replies.draft(rid))
    kept = context.runner.run_sync(lambda: store.attachments.for_reply(draft.id))
    assert sorted(a.filename for a in kept) == sorted([NAME, "Sentinelname plan.pdf"])

    remove = [b for b in documents.findChildren(type(documents.attach_button))
              if b.accessibleName() == "Remove Sentinelname plan.pdf"]
    assert len(remove) == 1
    remove[0].setFocus()
    qtbot.keyClick(remove[0], Qt.Key.Key_Space)  # the keyboard, not only the mouse
    qtbot.waitUntil(lambda: len(documents.documents) == 1, timeout=5000)
    assert [a.filename for a in context.runner.run_sync(lambda: store.attachments.for_reply(draft.id))] == [NAME]

    context.policy = type("Policy", (), {"iart_public_key": None})()
    panel.editor.setPlainText("The school's report is attached.")
    panel.send_button.click()
    qtbot.waitUntil(lambda: "Reply queued" in panel.saved.text(), timeout=5000)
    assert panel.saved.text().startswith("Reply queued with 1 document")
    assert documents.documents == []
    [reply] = context.runner.run_sync(lambda: store.replies.list(rid))
    assert reply.state == "queued" and b"attachment_names" in reply.frozen_payload
    qtbot.waitUntil(lambda: "Documents:" in panel.view.text(), timeout=5000)
    assert f"Documents: {NAME} (1 document, sent after the reply)" in panel.view.text()

    def iart_holds_it():
        [info] = store.attachments.for_reply(reply.id)
        with store.write():
            store.replies.mark_sent(reply.id, sent_at=AT + timedelta(hours=1), sequence=1)
            store.uploads.begin_reply(reply.id, [info.id])

    context.runner.run_sync(iart_holds_it)
    context.sync_events.emit_state(rid, "received")
    qtbot.waitUntil(lambda: "0 of 1 document sent" in panel.view.text(), timeout=5000)
    assert all("Sentinelname" not in text for text in announced), announced


def _tab_stops_after(qtbot, widget, count):
    """The controls Tab presses reach from ``widget``, as a keyboard user moves."""
    from PySide6.QtWidgets import QApplication

    widget.window().activateWindow()
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus, timeout=2000)
    stops = []
    for _ in range(count):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        stops.append(focused.accessibleName() or focused.text())
    return stops


def _remove_buttons_shown(documents) -> list[str]:
    """The "Remove …" buttons on screen. A row added to a shown panel is shown by Qt a moment later (its
    layout posts the show), and Tab skips it until then: wait for what a person would see, not the list."""
    from PySide6.QtWidgets import QPushButton

    return [b.accessibleName() for b in documents.findChildren(QPushButton)
            if b.isVisible() and b.accessibleName().startswith("Remove ")]


def test_tab_reaches_each_document_s_remove_button_where_it_is_shown(qtbot, context, tmp_path):
    """The rows are above "Attach a file…": Tab from the reply reaches them in that order, also after one
    is removed and the rows are rebuilt (a new button would otherwise be last in the window's chain)."""
    store = create_store_now(context)
    rid = context.runner.run_sync(lambda: _received(store))
    screen = _open(qtbot, context, rid)
    panel = screen.conversation
    documents = panel.documents
    paths = [tmp_path / NAME, tmp_path / "Sentinelname plan.pdf"]
    for number, path in enumerate(paths):
        path.write_bytes(PDF + str(number).encode())
    documents.add_files(paths)
    qtbot.waitUntil(lambda: len(_remove_buttons_shown(documents)) == 2, timeout=5000)
    names = [f"Remove {d.filename}" for d in documents.documents]
    assert _tab_stops_after(qtbot, panel.editor, 4) == [*names, "Attach a file to your reply", "Send reply"]
    documents.remove(documents.documents[0].id)
    qtbot.waitUntil(lambda: _remove_buttons_shown(documents) == [names[1]], timeout=5000)
    assert _tab_stops_after(qtbot, panel.editor, 3) == [names[1], "Attach a file to your reply", "Send reply"]


def test_a_replys_document_given_up_on_is_named_in_the_conversation_with_why_and_what_to_do(qtbot, context):
    store = create_store_now(context)
    rid = context.runner.run_sync(lambda: _received(store))

    def sent_with_documents():
        reply = store.replies.save_draft(rid, "Both letters are attached.")
        refused = store.attachments.add_to_reply(reply.id, "consent <letter>.pdf", PDF)
        damaged = store.attachments.add_to_reply(reply.id, "plan.pdf", PDF + b"2")
        store.replies.freeze(reply.id, b'{"text": "..."}', "application/json")
        with store.write():
            store.replies.mark_sent(reply.id, sent_at=AT + timedelta(hours=1), sequence=1)
            store.uploads.begin_reply(reply.id, [refused.id, damaged.id])
        for _ in range(3):
            store.uploads.mark_refused(refused.id, error_code="rejected_422", next_attempt_at=AT, max_refusals=3)
            store.uploads.mark_mismatch(damaged.id, failure="damaged_here", next_attempt_at=AT, max_mismatches=3)

    context.runner.run_sync(sent_with_documents)
    screen = _open(qtbot, context, rid)
    shown = screen.conversation.view.text()
    assert "0 of 2 documents sent; 2 could not be sent" in shown
    assert "the rest go in the background" not in shown  # nothing of it is on its way any more
    assert ("“consent &lt;letter&gt;.pdf” could not be sent:</b> iART did not accept it. It gave the same "
            "answer each time it was sent, so it will not be tried again. Phone iART") in shown
    assert "“plan.pdf” could not be sent:</b> the copy kept on this computer is damaged" in shown
    assert "iART has your reply without it" in shown and "iART has your referral without it" not in shown
    assert "still being sent" not in screen.summary.text()  # the page's own count leaves a reply's documents out
