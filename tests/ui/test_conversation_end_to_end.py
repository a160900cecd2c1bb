"""The conversation end to end, as the professional meets it: the real sandbox (a separate process over
TLS on loopback), the real encrypted store, the real sender and the real widgets. iART asks for more
information → the notification says so (reference only) → the reply is written on the referral's page
and queued → the app stops before sending it → started again, the sender delivers it, and iART holds it
exactly once."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from referral_desktop.bundled_data import forms_dir
from referral_desktop.policy import load_policy
from referral_desktop.sandbox.launcher import running_sandbox
from referral_desktop.store import open_store
from referral_desktop.sync.outbox_worker import OutboxWorker
from referral_desktop.sync.queueing import queue_referral
from referral_desktop.ui.notifications import IartNotifier
from referral_desktop.ui.screens.referral_detail import ReferralDetailScreen
from tests.ui.conftest import PASSPHRASE, create_store_now, real_store_available
from tests.ui.held_pages import hold, pages_deleted_after_the_test  # noqa: F401 (the fixture, for this module)

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]

REPLY = "Mother knows and agrees; the GP is at Example Street Surgery."


def _policy(folder, sandbox):
    folder.mkdir()
    path = folder / "policy.toml"
    path.write_text(
        f'api_base_url = "{sandbox.url}"\nca_bundle = "{sandbox.ca_file}"\n'
        f'bearer_token_file = "{sandbox.client_token_file}"\n'
        f'iart_public_key = "{sandbox.facts["payload_public_jwk_file"]}"\n',
        encoding="utf-8",
    )
    return load_policy(path)


def test_iart_asks_a_notification_a_reply_the_app_stops_and_the_reply_arrives_once(qtbot, context, tmp_path):
    pytest.importorskip("uvicorn")
    with running_sandbox(tmp_path / "iart") as sandbox:
        policy = _policy(tmp_path / "policy", sandbox)
        context.policy = policy
        context.clock = lambda: datetime.now(UTC)
        store = create_store_now(context)
        answers = json.loads((forms_dir() / "examples" / "valid-route-a.json").read_text())["answers"]
        rid = context.runner.run_sync(lambda: str(store.referrals.create_draft("cwac-marf", "1.0.0", answers).id))
        context.runner.run_sync(lambda: queue_referral(store, rid, policy, date.today()))

        sender_store = open_store(context.profile_dir, PASSPHRASE)  # the sender's own connection, as in the app
        worker = OutboxWorker.from_policy(sender_store, policy)
        context.sync_events.attach(worker)
        shown: list[str] = []
        notifier = IartNotifier(context, present=lambda _title, text: shown.append(text))
        notifier.prime()
        context.runner.wait_idle()
        [sent] = worker.send_due()
        assert sent.state == "received"
        context.runner.wait_idle()

        sandbox.cli("acknowledge", sent.iart_reference)
        worker.poll_statuses()
        qtbot.waitUntil(lambda: len(shown) == 1, timeout=5000)
        sandbox.cli("request-info", sent.iart_reference, "--message", "Does the family know? Who is the GP?")
        worker.poll_statuses()
        qtbot.waitUntil(lambda: len(shown) == 2, timeout=5000)
        assert shown == [f"{sent.iart_reference}: iART acknowledged the referral",
                         f"{sent.iart_reference}: iART asked for more information"]

        screen = hold(qtbot, ReferralDetailScreen(context))  # deleted after the test (held_pages.py)
        screen.show()
        screen.load(rid)
        panel = screen.conversation
        qtbot.waitUntil(lambda: "Who is the GP?" in panel.view.text(), timeout=5000)
        panel.editor.setPlainText(REPLY)
        panel.send_button.click()
        qtbot.waitUntil(lambda: "Waiting to send" in panel.view.text(), timeout=5000)
        worker.close()
        sender_store.close()  # the app stops here: the reply was never sent
        screen.close()

        again = open_store(context.profile_dir, PASSPHRASE)
        restarted = OutboxWorker.from_policy(again, policy)
        try:
            report = restarted.run_once()
            assert [a.state for a in report.replies] == ["sent"]
            assert restarted.run_once().replies == []
        finally:
            restarted.close()
            again.close()
        held = [m for m in sandbox.conversation(sent.iart_reference) if m["direction"] == "to_iart"]
        assert [(m["text"], m["replays"]) for m in held] == [(REPLY, 0)]
        assert all(answers["children"][0]["given_names"] not in text for text in shown)
