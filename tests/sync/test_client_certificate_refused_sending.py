"""What the sender and the ``send`` command say when a TLS 1.3 server refuses this computer's client
certificate (here: none is configured, and the server requires one from its own CA). The refusal comes
after the handshake and its alert is often lost to the reset behind it; the referral must still be
reported as needing IT (the certificate), stay queued on its backoff, and never read as "could not
reach" iART. Real loopback server, real encrypted store, the real command in a child process."""

from __future__ import annotations

from datetime import date

import pytest
import trustme
from sync_testing.e2e import PASSPHRASE, draft, run_command, run_until_recorded
from sync_testing.servers import Reply, server_tls_context

from referral_desktop.policy import load_policy
from referral_desktop.store import create_store
from referral_desktop.sync.outbox_worker import OutboxWorker
from referral_desktop.sync.queueing import queue_referral


@pytest.fixture
def refusing(tmp_path, ca, ca_bundle, start_server):
    """(policy file, server): a TLS 1.3 server requiring a client certificate from a CA of its own, and a
    policy naming no client certificate."""
    server = start_server(lambda _rec: Reply(200, b"{}"),
                          server_tls_context(ca.issue_cert("127.0.0.1"), require_client_cert_from=trustme.CA(),
                                             tls13_only=True))
    folder = tmp_path / "policy"
    folder.mkdir()
    (folder / "token").write_text("t0ken-for-the-test\n", encoding="utf-8")
    (folder / "policy.toml").write_text(
        f'api_base_url = "{server.url}"\n'
        f'ca_bundle = "{ca_bundle}"\n'
        f'bearer_token_file = "{folder / "token"}"\n'
        "request_timeout_seconds = 2.0\n",
        encoding="utf-8",
    )
    return folder / "policy.toml", server


@pytest.fixture
def queued(tmp_path, refusing):
    """A real store with one referral queued for the refusing server: (store, referral id)."""
    store = create_store(tmp_path / "profile", PASSPHRASE)
    rid = draft(store)
    queue_referral(store, rid, load_policy(refusing[0]), date.today())
    yield store, rid
    store.close()


def test_the_running_sender_records_the_certificate_not_offline(refusing, queued):
    """The background loop (what the home screen's indicator shows) meets the refusal on its health probe:
    it lets the item try on its own backoff and record "tls", which the home screen words as
    "IT must check the certificate", instead of probing for ever while it says "Offline"."""
    policy_file, server = refusing
    store, rid = queued
    worker = OutboxWorker.from_policy(store, load_policy(policy_file))
    entry = run_until_recorded(worker, store, seconds=15)
    assert entry.last_error_code == "tls" and entry.next_attempt_at is not None
    assert worker.online is False
    assert server.recorded == []  # nothing reached the server's application


def test_the_send_command_says_needs_it_for_the_certificate(tmp_path, refusing):
    policy_file, server = refusing
    for attempt in range(3):  # before the fix about half the runs said "network; next attempt ..."
        profile = tmp_path / f"profile-{attempt}"
        store = create_store(profile, PASSPHRASE)
        rid = draft(store)
        queue_referral(store, rid, load_policy(policy_file), date.today())
        store.close()
        sent = run_command(profile, policy_file, "send")
        line = next((x for x in sent.stdout.splitlines() if x.startswith(rid)), "")
        assert line.startswith(f"{rid}\tretrying\t-\tneeds IT: "), sent.stdout + sent.stderr
        assert "client certificate" in line and "client_cert and client_key" in line
        assert "Could not reach" not in sent.stdout + sent.stderr
        assert sent.returncode == 1
    assert server.recorded == []
