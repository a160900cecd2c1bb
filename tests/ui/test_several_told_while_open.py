"""News of several referrals that arrives together while the app is open (one round of the sender: five
decisions from one ``GET /v1/referrals/changes``) is one notification, as at the unlock: how many, the
first three by iART reference with what happened, and a click opens the list. It was five notifications,
each covering the last. One referral's news is still told alone, in its own words, and opens its page.

Real SQLCipher store, the real notifier with the app's own gathering time (the notification is caught where
it would be shown, ``present``), and the whole way with the sender and the sandbox over TLS. Sentinels in
the child's name and a document's name must reach no notification."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from referral_desktop.policy import load_policy
from referral_desktop.sandbox.launcher import running_sandbox
from referral_desktop.sync.outbox_worker import OutboxWorker
from tests.ui.conftest import create_store_now, real_store_available
from tests.ui.notified import primed_notifier
from tests.ui.test_document_notifications import _received_with_documents, _refused_for_good
from tests.ui.test_several_told_at_unlock import SENTINELS, _received_as
from tests.ui.test_told_at_unlock_end_to_end import SENTINELS as PERSONAL
from tests.ui.test_told_at_unlock_end_to_end import _policy, _sent_and_acknowledged

pytestmark = [pytest.mark.gui, pytest.mark.skipif(not real_store_available(), reason="needs the real store")]

DECIDED = "iART has made a decision"


def _listening(context):
    """The notifier as after the unlock, with the app's own gathering: (notifier, shown, opened, listed)."""
    return primed_notifier(context)


def _one_round(context, store, moves: list[tuple[str, str]]) -> None:
    """As one round of the sender: each referral's change committed, then told, one after the other."""
    for rid, state in moves:
        if state == "decided":
            context.runner.run_sync(lambda r=rid: store.referrals.set_state(
                r, "decided", outcome="early_help_and_prevention", decided_at=store.clock()))
        context.sync_events.emit_state(rid, state)


def _told(qtbot, notifier) -> None:
    """Until the news held for the moment is told (the gathering's own end, not a fixed time)."""
    qtbot.waitUntil(lambda: not notifier.gathering, timeout=5_000)


def test_five_decisions_in_one_round_are_one_notification_that_opens_the_list(qtbot, context):
    store = create_store_now(context)
    ids = context.runner.run_sync(lambda: [_received_as(store, f"IART-2026-00010{n}") for n in range(5)])
    notifier, shown, opened, listed = _listening(context)
    _one_round(context, store, [(rid, "decided") for rid in reversed(ids)])
    context.runner.wait_idle()
    qtbot.waitUntil(lambda: shown != [], timeout=5_000)
    _told(qtbot, notifier)
    assert shown == ["News about 5 referrals:\n"
                     f"IART-2026-000100: {DECIDED}.\n"
                     f"IART-2026-000101: {DECIDED}.\n"
                     f"IART-2026-000102: {DECIDED}.\n"
                     "And 2 more referrals.\n"
                     "Open each referral from your list to see more."]
    notifier.clicked()
    assert (opened, listed) == ([], [True])
    assert not any(word in shown[0] for word in SENTINELS)


def test_one_referrals_news_is_told_alone_in_its_own_words_and_opens_its_page(qtbot, context):
    store = create_store_now(context)
    rid = context.runner.run_sync(lambda: _received_as(store, "IART-2026-000100"))
    notifier, shown, opened, listed = _listening(context)
    _one_round(context, store, [(rid, "decided")])
    qtbot.waitUntil(lambda: shown != [], timeout=5_000)
    assert shown == [f"IART-2026-000100: {DECIDED}"]
    notifier.clicked()
    assert (opened, listed) == ([rid], [])


def test_news_in_separate_rounds_is_told_separately_and_two_kinds_together_say_what_to_do(qtbot, context):
    store = create_store_now(context)
    first = context.runner.run_sync(lambda: _received_as(store, "IART-2026-000100"))
    with_documents, [refused, _other] = context.runner.run_sync(lambda: _received_with_documents(store))
    notifier, shown, _opened, _listed = _listening(context)

    context.runner.run_sync(lambda: store.referrals.set_state(first, "acknowledged"))
    _one_round(context, store, [(first, "acknowledged")])
    context.runner.wait_idle()
    _told(qtbot, notifier)
    assert shown == ["IART-2026-000100: iART acknowledged the referral"]

    # The next round: a decision for one, a document given up on for the other (sentinel file names).
    context.runner.run_sync(lambda: _refused_for_good(store, refused))
    _one_round(context, store, [(first, "decided"), (with_documents, "received")])
    context.runner.wait_idle()
    _told(qtbot, notifier)
    assert shown[1:] == ["News about 2 referrals:\n"
                         f"IART-2026-000100: {DECIDED}.\n"
                         "IART-2026-000123: a document could not be sent.\n"
                         "Open each referral from your list to see what to do."]
    assert not any(word in text for text in shown for word in SENTINELS)


def test_two_changes_of_one_referral_in_one_round_are_one_notification_in_its_words(qtbot, context):
    store = create_store_now(context)
    rid = context.runner.run_sync(lambda: _received_as(store, "IART-2026-000100"))
    notifier, shown, opened, _listed = _listening(context)
    context.runner.run_sync(lambda: store.referrals.set_state(rid, "acknowledged"))
    context.sync_events.emit_state(rid, "acknowledged")
    context.runner.wait_idle()  # read before the next change: two pieces of news, one moment
    _one_round(context, store, [(rid, "decided")])
    context.runner.wait_idle()
    _told(qtbot, notifier)
    assert shown == [f"IART-2026-000100: iART acknowledged the referral; {DECIDED}"]
    notifier.clicked()
    assert opened == [rid]


def test_three_decisions_from_one_poll_of_the_sandbox_over_tls_are_one_notification(qtbot, context, tmp_path, caplog):
    """The whole way: three referrals sent to the sandbox (a separate process, TLS on loopback) and
    acknowledged; iART decides all three; the sender's one poll of its changes records them, and the screens
    hear of each as the app's sender tells them."""
    pytest.importorskip("uvicorn")
    caplog.set_level(logging.DEBUG)
    with running_sandbox(tmp_path / "iart") as sandbox:
        context.policy = policy = load_policy(_policy(tmp_path / "policy", sandbox))
        context.clock = lambda: datetime.now(UTC)
        store = create_store_now(context)
        worker = OutboxWorker.from_policy(store, policy)
        try:
            sent = context.runner.run_sync(lambda: _sent_and_acknowledged(store, policy, worker, sandbox, 3))
            notifier, shown, opened, listed = _listening(context)
            context.sync_events.attach(worker)
            for _rid, reference in sent:
                sandbox.cli("decide", reference, "--outcome", "early_help_and_prevention")
            updates = context.runner.run_sync(worker.poll_statuses)  # one round: GET /v1/referrals/changes
            assert sorted(u.state for u in updates if u.state == "decided") == ["decided"] * 3
            qtbot.waitUntil(lambda: shown != [], timeout=10_000)
            _told(qtbot, notifier)
            references = sorted(reference for _rid, reference in sent)
            assert shown == ["News about 3 referrals:\n"
                             + "".join(f"{reference}: {DECIDED}.\n" for reference in references)
                             + "Open each referral from your list to see more."]
            notifier.clicked()
            assert (opened, listed) == ([], [True])
            assert not any(word in shown[0] or word in caplog.text for word in PERSONAL)
        finally:
            context.runner.run_sync(worker.close)


def test_a_loss_is_told_at_once_with_what_is_held_never_held_itself(qtbot, context):
    """A loss is marked told in the store when it is read (``losses_told.take``): held for the moment like
    other news, an app ended in that moment never told it, and never would. It is told at once, with
    whatever news is held then. Here the moment is made a minute long: the loss must not wait for it."""
    from referral_desktop.ui.gathered_news import NewsGatherer

    store = create_store_now(context)
    first = context.runner.run_sync(lambda: _received_as(store, "IART-2026-000100"))
    with_documents, [refused, _other] = context.runner.run_sync(lambda: _received_with_documents(store))
    notifier, shown, _opened, _listed = primed_notifier(
        context, gatherer=NewsGatherer(quiet_ms=60_000, at_most_ms=60_000))
    _one_round(context, store, [(first, "decided")])
    context.runner.wait_idle()
    qtbot.waitUntil(lambda: notifier.gathering, timeout=5_000)
    assert shown == []  # a decision alone is held for the moment
    context.runner.run_sync(lambda: _refused_for_good(store, refused))
    _one_round(context, store, [(with_documents, "received")])
    context.runner.wait_idle()
    qtbot.waitUntil(lambda: shown != [], timeout=5_000)
    assert shown == ["News about 2 referrals:\n"
                     f"IART-2026-000100: {DECIDED}.\n"
                     "IART-2026-000123: a document could not be sent.\n"
                     "Open each referral from your list to see what to do."]
    assert not notifier.gathering
