"""The home list follows a received referral's document and replies over the real way to iART: the sandbox
(a separate process, TLS on loopback), the real sender on its own connection to the real SQLCipher store,
its events delivered to the real home screen as the app delivers them. The list says "1 document not sent
yet" while iART holds the upload back, "1 reply waiting to send" while iART is unavailable for replies,
"1 reply not accepted by iART" once iART refuses one, and nothing once everything is there. Sentinels in
the child's name, the document's name and the replies' words reach no cell, nothing a screen reader hears,
and no log record."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import Qt

from referral_desktop.policy import load_policy
from referral_desktop.store import open_store
from referral_desktop.sync.outbox_worker import OutboxWorker
from referral_desktop.sync.queueing import queue_referral
from referral_desktop.sync.replying import queue_reply
from tests.sync.sync_testing.e2e import PDF, SENTINEL, SENTINEL_FILENAME, valid_answers, write_policy
from tests.ui.conftest import PASSPHRASE, create_store_now, real_store_available
from tests.ui.home_on_laptop import home_on_laptop
from tests.ui.test_home_not_at_iart import _said, _state_cell

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]


def _queued_with_document(store, policy) -> str:
    referral = store.referrals.create_draft("cwac-marf", "1.0.0", valid_answers())
    document = store.attachments.add(referral.id, SENTINEL_FILENAME, PDF, allowed_types=("application/pdf",),
                                     max_bytes=2**20)
    answers = valid_answers()
    answers["attachments"] = [document.id]
    store.referrals.save_answers(referral.id, answers)
    queue_referral(store, referral.id, policy, date.today())
    return str(referral.id)


def test_the_list_follows_a_document_and_replies_on_their_way_to_iart(qtbot, context, tmp_path, sandbox,
                                                                      laptop_screen, caplog):
    caplog.set_level(logging.DEBUG)
    context.policy = policy = load_policy(write_policy(tmp_path / "policy", sandbox))
    context.clock = lambda: datetime.now(UTC)
    create_store_now(context)  # the screens' connection
    sender_store = open_store(context.profile_dir, PASSPHRASE)  # the sender's own, as in the app
    later = [timedelta(0)]  # the sender's clock, moved past its own backoff instead of waiting it out
    worker = OutboxWorker.from_policy(sender_store, policy, clock=lambda: datetime.now(UTC) + later[0])
    try:
        rid = _queued_with_document(sender_store, policy)
        with home_on_laptop(qtbot, context, laptop_screen, 1.0) as (_window, home):
            context.sync_events.attach(worker)
            cells: list[str] = []
            home.model.dataChanged.connect(lambda *_: cells.append(_said(home, rid)))

            sandbox.set_faults([{"endpoint": "upload", "kind": "unavailable", "retry_after": 0}])
            [sent] = worker.send_due()
            assert sent.state == "received"
            [held_back] = worker.upload_due()
            assert held_back.state == "pending"
            qtbot.waitUntil(lambda: _said(home, rid) == "Received by iART · 1 document not sent yet", timeout=5_000)

            sandbox.set_faults([])
            later[0] += timedelta(hours=1)
            assert [r.state for r in worker.upload_due()] == ["uploaded"]
            qtbot.waitUntil(lambda: _said(home, rid) == "Received by iART", timeout=5_000)
            assert "Received by iART" not in cells[:cells.index("Received by iART · 1 document not sent yet")]

            sandbox.set_faults([{"endpoint": "messages", "kind": "unavailable", "retry_after": 0}])
            queue_reply(sender_store, rid, policy, f"{SENTINEL} moved to a new school")
            [waiting] = worker.send_due_replies()
            assert waiting.state == "retrying"
            qtbot.waitUntil(lambda: _said(home, rid) == "Received by iART · 1 reply waiting to send", timeout=5_000)
            sandbox.set_faults([])
            later[0] += timedelta(hours=1)
            assert [r.state for r in worker.send_due_replies()] == ["sent"]
            qtbot.waitUntil(lambda: _said(home, rid) == "Received by iART", timeout=5_000)

            # A reply in a shape iART refuses (no text): its own 422, not a fault of the sandbox's.
            reply = sender_store.replies.save_draft(rid, f"{SENTINEL} a second reply")
            sender_store.replies.freeze(reply.id, b'{"words":"no text field"}', "application/json")
            [refused] = worker.send_due_replies()
            assert refused.state == "refused"
            qtbot.waitUntil(lambda: _said(home, rid) == "Received by iART · 1 reply not accepted by iART",
                            timeout=5_000)
            heard = _state_cell(home, rid).data(Qt.ItemDataRole.AccessibleTextRole)
            assert heard == "State: Received by iART. 1 reply not accepted by iART"
            seen = " ".join(str(home.proxy.index(r, c).data(role)) for r in range(home.proxy.rowCount())
                            for c in range(home.proxy.columnCount())
                            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole))
            assert SENTINEL not in seen and SENTINEL not in caplog.text
    finally:
        worker.close()
        sender_store.close()
