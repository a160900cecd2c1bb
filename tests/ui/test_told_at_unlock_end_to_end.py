"""What did not reach iART while the app was closed or locked is told at the next unlock, once.

Before, a reply refused by iART or a reply started and not sent that the purge removed was told by a
notification only when it happened while the app was open and unlocked: when the ``send`` or ``status``
command did it from a scheduled task with the app closed, or the sender while the app was locked, the next
unlock read it as already known, and only the referral's page, its receipt and ``status`` said it.

The real thing throughout: the sandbox (a separate process over TLS on loopback), the real SQLCipher store,
the real ``send`` and ``status`` commands in subprocesses while the app is closed, the real sender's rounds
while it is locked, and the real window unlocked with the passphrase typed, with the notifier wired as the
app wires it. The notification is caught where Qt would show it (``QSystemTrayIcon.showMessage``; the test
display has no notification area). Two referrals' losses are one notification, whose click opens the
list (each was its own, and a click on either opened the last one told). Sentinels are planted in the child's name, a reply's words and a
document's name, and must reach no notification, log record, command output or file in the profile.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QSystemTrayIcon

from referral_desktop.bundled_data import forms_dir
from referral_desktop.policy import load_policy
from referral_desktop.sandbox.launcher import running_sandbox
from referral_desktop.store import open_store
from referral_desktop.sync.outbox_worker import OutboxWorker
from referral_desktop.sync.queueing import queue_referral
from referral_desktop.ui.app import _notifier_starter
from referral_desktop.ui.main_window import MainWindow
from referral_desktop.ui.notifications import IartNotifier
from referral_desktop.ui.screens.home import HomeScreen
from referral_desktop.ui.screens.unlock import UnlockScreen
from tests.ui.conftest import PASSPHRASE, create_store_now, real_store_available

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]

CHILD = ("Zebedee", "Sentinelchild")
DRAFT = "SENTINEL Zebedee's mother has moved to Sentinelford"
REFUSED = "SENTINEL the new school is Sentinel Academy"
DOCUMENT = "SENTINEL-Zebedee-letter.pdf"
SENTINELS = ("SENTINEL", "Zebedee", "Sentinelchild", "Sentinelford", ".pdf")
ADVICE = "Open the referral to see what to do."


def _policy(folder: Path, sandbox) -> Path:
    folder.mkdir()
    path = folder / "policy.toml"
    path.write_text(
        f'api_base_url = "{sandbox.url}"\nca_bundle = "{sandbox.ca_file}"\n'
        f'bearer_token_file = "{sandbox.client_token_file}"\n'
        f'iart_public_key = "{sandbox.facts["payload_public_jwk_file"]}"\n',
        encoding="utf-8",
    )
    return path


def _sent_and_acknowledged(store, policy, worker, sandbox, count: int) -> list[tuple[str, str]]:
    """``count`` referrals about the sentinel child, sent to iART and acknowledged: (id, reference) each."""
    answers = json.loads((forms_dir() / "examples" / "valid-route-a.json").read_text())["answers"]
    answers["children"][0].update(given_names=CHILD[0], family_name=CHILD[1])
    ids = [str(store.referrals.create_draft("cwac-marf", "1.0.0", answers).id) for _ in range(count)]
    for rid in ids:
        queue_referral(store, rid, policy, date.today())
    sent = {r.referral_id: r for r in worker.send_due()}
    assert all(sent[rid].state == "received" for rid in ids)
    for rid in ids:
        sandbox.cli("acknowledge", sent[rid].iart_reference)
    worker.poll_statuses()
    return [(rid, sent[rid].iart_reference) for rid in ids]


def _draft_with_document(store, referral_id: str) -> None:
    draft = store.replies.save_draft(referral_id, DRAFT)
    store.attachments.add_to_reply(draft.id, DOCUMENT, b"%PDF-1.4\n" + DOCUMENT.encode() + b"\n%%EOF\n")


def _reply_iart_will_refuse(store, referral_id: str) -> None:
    """A reply queued in a shape iART refuses (422), as a reply it will not accept."""
    reply = store.replies.save_draft(referral_id, REFUSED)
    store.replies.freeze(reply.id, b'{"words":"no text field"}', "application/json")


def _command(profile: Path, policy: Path, *words: str) -> subprocess.CompletedProcess[str]:
    """The real command, as a scheduled task runs it: another process, the app closed."""
    done = subprocess.run(
        [sys.executable, "-m", "referral_desktop", "--profile", str(profile), "--policy", str(policy), *words,
         "--passphrase-stdin"],
        input=PASSPHRASE + "\n", capture_output=True, text=True, timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode in (0, 1), done.stderr
    return done


@pytest.fixture
def tray(monkeypatch) -> list[str]:
    """What the notification area is asked to show (the real notifier's own tray code runs)."""
    shown: list[str] = []
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    monkeypatch.setattr(QSystemTrayIcon, "showMessage", lambda _self, _title, text, *_rest: shown.append(text))
    return shown


def _window(qtbot, context) -> MainWindow:
    """The app's window, its notifier wired as ``ui/app.py`` wires it."""
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.session_unlocked.connect(_notifier_starter(context, window))
    window.show()
    return window


def _unlock(qtbot, window: MainWindow) -> None:
    qtbot.waitUntil(lambda: isinstance(window.current, UnlockScreen), timeout=10_000)
    screen = window.current
    qtbot.keyClicks(screen.passphrase, PASSPHRASE)
    qtbot.keyClick(screen.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(window.current, HomeScreen), timeout=20_000)


def _settle(qtbot, context) -> None:
    context.runner.wait_idle()
    qtbot.wait(200)
    context.runner.wait_idle()


def _nothing_personal(tmp_path: Path, said: str) -> None:
    assert not any(word in said for word in SENTINELS), said
    for path in (tmp_path / "profile").rglob("*"):  # logs and anything else beside the encrypted store
        if path.is_file():
            assert not any(word.encode() in path.read_bytes() for word in SENTINELS), path
    settings = (tmp_path / "settings.ini").read_text(encoding="utf-8") if (tmp_path / "settings.ini").exists() else ""
    assert not any(word in settings for word in SENTINELS)


def test_what_the_commands_lost_while_the_app_was_closed_is_told_once_at_the_next_unlock(
    qtbot, context, tmp_path, tray, caplog
):
    pytest.importorskip("uvicorn")
    caplog.set_level(logging.DEBUG)
    with running_sandbox(tmp_path / "iart") as sandbox:
        policy_file = _policy(tmp_path / "policy", sandbox)
        context.policy = policy = load_policy(policy_file)
        context.clock = lambda: datetime.now(UTC)
        store = create_store_now(context)
        worker = OutboxWorker.from_policy(store, policy)
        [(drafted, drafted_ref), (refused, refused_ref)] = context.runner.run_sync(
            lambda: _sent_and_acknowledged(store, policy, worker, sandbox, 2))
        context.runner.run_sync(lambda: (_draft_with_document(store, drafted), _reply_iart_will_refuse(store, refused)))
        context.runner.run_sync(worker.close)
        context.runner.run_sync(store.close)  # the app is closed
        context.runner.store = None

        sandbox.cli("decide", drafted_ref, "--outcome", "early_help_and_prevention")
        sent = _command(context.profile_dir, policy_file, "send")  # the refused reply
        status = _command(context.profile_dir, policy_file, "status")  # the decision, and the purge
        closed = open_store(context.profile_dir, PASSPHRASE)
        try:
            assert closed.receipts.get(drafted).draft_replies_removed == 1
            assert closed.replies.refused_counts(refused) == {refused: 1}
        finally:
            closed.close()

        window = _window(qtbot, context)
        _unlock(qtbot, window)
        qtbot.waitUntil(lambda: len(tray) == 1, timeout=10_000)
        _settle(qtbot, context)
        told = {drafted_ref: "a reply you had not sent was removed with the referral's details.",
                refused_ref: "a reply you sent was not accepted by iART."}
        assert tray == ["\n".join(["For 2 referrals, something did not reach iART:",
                                    *(f"{ref}: {told[ref]}" for ref in sorted(told)),
                                    "Open each referral from your list to see what to do."])]
        window.open_detail(refused)  # the person is elsewhere when they click the one notification
        qtbot.waitUntil(lambda: not isinstance(window.current, HomeScreen), timeout=5_000)
        window.findChild(IartNotifier).tray.messageClicked.emit()
        qtbot.waitUntil(lambda: isinstance(window.current, HomeScreen), timeout=5_000)  # the list of both

        window.lock()  # and at the unlock after that: nothing again
        _unlock(qtbot, window)
        _settle(qtbot, context)
        assert len(tray) == 1
        window.close()
        _nothing_personal(tmp_path, " ".join([*tray, caplog.text, sent.stdout, sent.stderr, status.stdout,
                                              status.stderr]))


def test_what_the_sender_lost_while_the_app_was_locked_waits_for_the_unlock_and_is_told_once(
    qtbot, context, tmp_path, tray, caplog
):
    pytest.importorskip("uvicorn")
    caplog.set_level(logging.DEBUG)
    with running_sandbox(tmp_path / "iart") as sandbox:
        policy_file = _policy(tmp_path / "policy", sandbox)
        context.policy = policy = load_policy(policy_file)
        context.clock = lambda: datetime.now(UTC)
        store = create_store_now(context)
        sender_store = open_store(context.profile_dir, PASSPHRASE)  # the sender's own connection, as in the app
        worker = OutboxWorker.from_policy(sender_store, policy)
        [(drafted, reference)] = _sent_and_acknowledged(sender_store, policy, worker, sandbox, 1)
        context.runner.run_sync(lambda: _draft_with_document(store, drafted))
        context.runner.run_sync(store.close)
        context.runner.store = None

        window = _window(qtbot, context)
        _unlock(qtbot, window)
        context.sync_events.attach(worker)  # the app's sender tells the screens, from its own thread
        _settle(qtbot, context)
        assert tray == []

        window.lock()
        sandbox.cli("decide", reference, "--outcome", "early_help_and_prevention")
        worker.poll_statuses()  # the sender's round while locked: the decision, then the purge
        assert worker.purge() == 1
        _settle(qtbot, context)
        decided = f"{reference}: iART has made a decision"
        assert tray in ([], [decided])  # what iART did is shown at once; the loss waits for the professional
        assert sender_store.receipts.get(drafted).draft_replies_removed == 1

        _unlock(qtbot, window)
        removed = f"{reference}: a reply you had not sent was removed with the referral's details. {ADVICE}"
        qtbot.waitUntil(lambda: removed in tray, timeout=10_000)
        context.sync_events.emit_state(drafted, "purged")  # another round tells the purge again
        _settle(qtbot, context)
        assert tray.count(removed) == 1 and all(text in (decided, removed) for text in tray)
        window.lock()
        _unlock(qtbot, window)
        _settle(qtbot, context)
        assert tray.count(removed) == 1
        window.close()
        worker.close()
        sender_store.close()
        _nothing_personal(tmp_path, " ".join([*tray, caplog.text]))
