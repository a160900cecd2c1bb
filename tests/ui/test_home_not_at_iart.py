"""The home list says, in words beside the state, what of a sent referral has not reached iART: a document
not sent yet or given up on, a reply waiting to send or not accepted. It said "Received by iART" alone,
which a professional reads as "everything went", while the referral's page said otherwise.

Real SQLCipher store (the counts are the store's), real home screen on a 1366 x 768 laptop at 100 % and
200 % text, the sender's events as the app delivers them; a file name and a reply's words are planted as
sentinels and must reach no cell and nothing a screen reader hears. The whole way over TLS with the sandbox
is in ``test_home_not_at_iart_end_to_end.py``.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from referral_desktop.ui.screens.referral_table_model import STATE_COLUMN, ReferralTableModel
from tests.ui.conftest import FIXED_NOW, create_store_now, real_store_available
from tests.ui.home_on_laptop import home_on_laptop
from tests.ui.received_referral import received_referral

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]

AT = FIXED_NOW - timedelta(hours=2)
NAME = "SENTINEL-Olive-school-report.pdf"
REPLY = "SENTINEL Olive's mother moved to Sentinelford"
PDF = b"%PDF-1.4\nSentinel letter\n%%EOF\n"


def _with_documents(store, reference: str, count: int) -> tuple[str, list[str]]:
    """A referral iART received that waits for ``count`` documents (as the sender records its answer)."""
    referral = store.referrals.create_draft("cwac-marf", "1.0.0", {})
    ids = [store.attachments.add(referral.id, f"{n}{NAME}", PDF + bytes(n)).id for n in range(count)]
    store.referrals.freeze(referral.id, b"payload", "application/json")
    store.outbox.enqueue(referral.id)
    store.referrals.set_state(referral.id, "sending")
    with store.write():
        store.referrals.set_state(referral.id, "received", iart_reference=reference, sent_at=AT, received_at=AT,
                                  decision_due=AT + timedelta(days=1))
        store.uploads.begin(referral.id, ids)
    store.outbox.remove(referral.id)
    return str(referral.id), ids


def _queued_reply(store, referral_id: str) -> str:
    reply = store.replies.save_draft(referral_id, REPLY)
    store.replies.freeze(reply.id, b"{}", "application/json")
    return reply.id


def _state_cell(home, referral_id: str):
    model: ReferralTableModel = home.model
    row = home.proxy.mapFromSource(model.index(model.row_index(referral_id), STATE_COLUMN)).row()
    return home.proxy.index(row, home.proxy.view_column(STATE_COLUMN))


def _said(home, referral_id: str) -> str:
    """The state cell's lines as one: the state, then each kind not at iART on a line of its own ("Received
    by iART · 1 document not sent yet, 1 reply waiting to send"); in the narrow layout (200 % text on a
    laptop) the reference is the last line."""
    lines = _state_cell(home, referral_id).data().split("\n")
    if home.model.reference_under_state:
        assert lines.pop().startswith("IART-2026-")
    return lines[0] + "".join((" · " if n == 1 else ", ") + part for n, part in enumerate(lines[1:], 1))


def _changed(qtbot, context, home, referral_id: str, expected: str) -> None:
    """The sender's event for the referral (as the uploads and reply jobs send after each step), then the
    row as it reads once refreshed."""
    context.sync_events.emit_state(referral_id, "received")
    qtbot.waitUntil(lambda: _said(home, referral_id) == expected, timeout=5_000)


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_what_has_not_reached_iart_is_said_beside_the_state_heard_whole_and_follows_the_sender(
        qtbot, context, laptop_screen, scale):
    store = create_store_now(context)

    def referrals():
        documents, ids = _with_documents(store, "IART-2026-000101", 2)
        store.uploads.mark_uploaded(ids[0], 100)
        replied = received_referral(store, at=AT, reference="IART-2026-000102")
        store.referrals.set_state(replied, "acknowledged")
        reply = _queued_reply(store, replied)
        plain = received_referral(store, at=AT, reference="IART-2026-000103")
        return documents, ids, replied, reply, plain

    documents, ids, replied, reply, plain = context.runner.run_sync(referrals)
    with home_on_laptop(qtbot, context, laptop_screen, scale) as (_window, home):
        table = home.table
        document_cell, reply_cell = _state_cell(home, documents), _state_cell(home, replied)
        assert home.model.reference_under_state is (scale == 2.0)
        assert _said(home, documents) == "Received by iART · 1 document not sent yet"
        assert _said(home, replied) == "Acknowledged by iART · 1 reply waiting to send"
        assert _said(home, plain) == "Received by iART"  # everything there
        # The list keeps the columns it shows without them (its layout is not the words' to change).
        assert home.proxy.columnCount() == (3 if scale == 2.0 else 5)
        heard = document_cell.data(Qt.ItemDataRole.AccessibleTextRole)
        assert heard.startswith("State: Received by iART. 1 document not sent yet")
        assert "·" not in heard  # the dot is for the eye; a screen reader hears two sentences
        # Read whole: the state column is as wide as its longest line, those rows as tall as their lines
        # (the others keep the list's height), and nothing scrolls sideways.
        metrics = table.fontMetrics()
        width = table.horizontalHeader().sectionSize(document_cell.column())
        for cell in (document_cell, reply_cell):
            lines = cell.data().split("\n")
            assert all(metrics.horizontalAdvance(line) < width for line in lines), scale
            tall = len(lines) * metrics.lineSpacing()
            qtbot.waitUntil(lambda c=cell, h=tall: table.rowHeight(c.row()) >= h)
        plain_row = _state_cell(home, plain).row()
        assert table.rowHeight(plain_row) == table.verticalHeader().defaultSectionSize()
        assert table.horizontalHeader().length() <= table.viewport().width(), scale
        home.search.setText("not sent yet")  # found by its words
        qtbot.waitUntil(lambda: home.proxy.rowCount() == 1, timeout=2_000)
        home.search.clear()
        qtbot.waitUntil(lambda: home.proxy.rowCount() == 3, timeout=2_000)
        # Sorted the other way, each tall row is still its own referral's.
        home.table.sortByColumn(home.proxy.view_column(STATE_COLUMN), Qt.SortOrder.DescendingOrder)
        for referral_id in (documents, replied, plain):
            lines = _state_cell(home, referral_id).data().count("\n") + 1
            qtbot.waitUntil(lambda r=referral_id, n=lines: (table.rowHeight(_state_cell(home, r).row())
                                                            >= n * metrics.lineSpacing()))
            if referral_id == plain:
                assert table.rowHeight(_state_cell(home, plain).row()) == table.verticalHeader().defaultSectionSize()

        # The sender moves them: each event's row says where things now stand.
        context.runner.run_sync(lambda: store.uploads.mark_mismatch(
            ids[1], failure="damaged_here", next_attempt_at=AT, max_mismatches=1))
        _changed(qtbot, context, home, documents, "Received by iART · 1 document could not be sent")
        context.runner.run_sync(lambda: store.replies.mark_refused(reply, "rejected_422"))
        _changed(qtbot, context, home, replied, "Acknowledged by iART · 1 reply not accepted by iART")
        context.runner.run_sync(lambda: store.uploads.reconcile(documents, []))  # iART holds it after all
        _changed(qtbot, context, home, documents, "Received by iART")
        assert home.model.not_at_iart_rows.keys() == {replied}

        every = [home.proxy.index(r, c).data(role) for r in range(home.proxy.rowCount())
                 for c in range(home.proxy.columnCount())
                 for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole)]
        assert not any("SENTINEL" in str(text) or "Sentinel" in str(text) for text in every)


def test_a_row_is_as_tall_as_its_lines_while_it_has_them_and_goes_back_after(qtbot, context, laptop_screen):
    store = create_store_now(context)
    referral_id, ids = context.runner.run_sync(lambda: _with_documents(store, "IART-2026-000201", 12))
    context.runner.run_sync(lambda: _queued_reply(store, referral_id))
    other = context.runner.run_sync(lambda: received_referral(store, at=AT, reference="IART-2026-000202"))
    with home_on_laptop(qtbot, context, laptop_screen, 1.0) as (_window, home):
        table = home.table
        default = table.verticalHeader().defaultSectionSize()
        assert _said(home, referral_id) == "Received by iART · 12 documents not sent yet, 1 reply waiting to send"
        qtbot.waitUntil(lambda: table.rowHeight(_state_cell(home, referral_id).row()) > 2 * default)
        assert table.horizontalHeader().sectionSize(_state_cell(home, referral_id).column()) == (
            home.columns.widths[STATE_COLUMN])  # no wider than the state's own words need
        home.search.setText("IART-2026-000202")  # the tall row filtered out: the row in its place is not tall
        qtbot.waitUntil(lambda: home.proxy.rowCount() == 1, timeout=2_000)
        qtbot.waitUntil(lambda: table.rowHeight(0) == default)
        home.search.clear()
        qtbot.waitUntil(lambda: home.proxy.rowCount() == 2, timeout=2_000)
        qtbot.waitUntil(lambda: table.rowHeight(_state_cell(home, referral_id).row()) > 2 * default)
        assert table.rowHeight(_state_cell(home, other).row()) == default

        def all_sent():
            for aid in ids:
                store.uploads.mark_uploaded(aid, 100)
            [reply] = store.replies.outgoing()
            store.replies.mark_sent(reply.id, sent_at=AT, sequence=1)

        context.runner.run_sync(all_sent)
        _changed(qtbot, context, home, referral_id, "Received by iART")
        qtbot.waitUntil(lambda: table.rowHeight(_state_cell(home, referral_id).row()) == default)
