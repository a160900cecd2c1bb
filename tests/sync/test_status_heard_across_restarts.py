"""When iART last told the app of each waiting referral is kept in the store, so the day-old fallback
(one single status GET for a referral the changes feed has not mentioned for a day) still happens on a
laptop that is restarted every day (issue 13).

Through the real job (``OutboxWorker.poll_statuses``), the real encrypted store (closed and unlocked
again for each restart) and the real sandbox over TLS, on a clock the test moves by hand. Before the
"last heard" times were kept, every start counted each waiting referral as heard just then, so a
referral the feed had stopped mentioning never got its single GET while the app kept being restarted.
"""

from __future__ import annotations

import pytest
from sync_testing.e2e import sent_referral
from sync_testing.restartable_app import (
    count_requests,
    poll_until_caught_up,
    running_app,
    sandbox_acts,
    status_requests,
)

from referral_desktop.domain.api_contract import StatusChanges
from referral_desktop.sync import api_client
from referral_desktop.sync.jobs.status_polling import StatusPolling

pytestmark = pytest.mark.usefixtures("sandbox_faults_cleared")

HOUR = 3600


@pytest.fixture
def app(tmp_path, rig):
    yield from running_app(tmp_path, rig)


@pytest.fixture
def requests_made(monkeypatch):
    return count_requests(monkeypatch)


@pytest.fixture
def silent_feed(monkeypatch):
    """The feed says nothing of anyone (as if it had lost their changes): only single GETs can tell."""
    monkeypatch.setattr(api_client.ApiClient, "changes_since",
                        lambda self, since, limit=None: StatusChanges(changes=[], until=since))


def status_path(reference: str) -> str:
    return f"/referrals/{reference}/status"


def heard_times(app) -> dict[str, str]:
    with app.store.read() as conn:
        return dict(conn.execute("SELECT referral_id, heard_at FROM status_heard").fetchall())


def heard_rows(app) -> int:
    return len(heard_times(app))


def test_a_referral_the_feed_stops_mentioning_gets_its_single_get_a_day_on_however_often_the_app_restarts(
        app, sandbox, requests_made):
    quiet, quiet_ref = sent_referral(app.store, app.policy, app.worker)
    moved, moved_ref = sent_referral(app.store, app.policy, app.worker)
    poll_until_caught_up(app.worker)  # the feed mentions both (their receipt): heard at hour 0
    gets: list[tuple[int, list[str]]] = []
    for hour in range(5, 55, 5):  # the laptop is restarted every five hours, and polls once
        app.clock.advance(5 * HOUR)
        app.restart()
        if hour == 15:
            sandbox_acts(sandbox, moved_ref, "acknowledge")  # the feed mentions this one again
        requests_made.clear()
        app.worker.poll_statuses()
        if singles := status_requests(requests_made):
            gets.append((hour, singles))

    assert app.state(moved) == "acknowledged"
    # Each referral gets one single GET a day after it was last heard of (by the feed or a GET), not
    # sooner, not never; and none in between.
    assert gets == [
        (25, [status_path(quiet_ref)]),  # heard at hour 0
        (40, [status_path(moved_ref)]),  # heard at hour 15, when the feed told of its acknowledgement
        (50, [status_path(quiet_ref)]),  # heard at hour 25, by its single GET
    ]


@pytest.mark.usefixtures("silent_feed")
def test_a_referral_never_heard_of_counts_from_its_receipt_the_longest_unheard_first(
        app, requests_made, monkeypatch):
    """A referral the feed has never mentioned is due a day after iART received it, even on the first
    poll after a restart; several due at once go longest-unheard first, at most SINGLE_GETS_PER_ROUND a
    poll, and each then waits a day from its own GET."""
    monkeypatch.setattr(StatusPolling, "SINGLE_GETS_PER_ROUND", 2)
    sent = [sent_referral(app.store, app.policy, app.worker) for _ in range(3)]
    received = sorted((app.store.referrals.get(rid).received_at, ref) for rid, ref in sent)
    first, second, third = (status_path(ref) for _, ref in received)
    assert received[0][0] < received[1][0] < received[2][0]  # iART's times, in the order it took them

    def restart_and_poll(hours: float) -> list[str]:
        app.clock.advance(hours * HOUR)
        app.restart()
        requests_made.clear()
        app.worker.poll_statuses()
        return status_requests(requests_made)

    app.clock.advance_to(received[-1][0])  # this computer's clock agrees with iART's
    assert restart_and_poll(23) == []
    assert restart_and_poll(2) == [first, second]  # due since hour 24: the two longest unheard
    assert restart_and_poll(1) == [third]  # heard of at its receipt, the third waited its turn
    assert restart_and_poll(1) == []
    assert restart_and_poll(21) == []  # hour 48: the first two were heard at hour 25
    assert sorted(restart_and_poll(1.5)) == sorted([first, second])  # (heard at the same poll: either first)
    assert restart_and_poll(1) == [third]


def test_a_decided_referral_leaves_no_heard_time_behind(app, sandbox):
    rid, reference = sent_referral(app.store, app.policy, app.worker)
    poll_until_caught_up(app.worker)
    assert heard_rows(app) == 1
    sandbox_acts(sandbox, reference, "decide", outcome="no_further_action")
    app.clock.advance(120)
    app.worker.poll_statuses()
    assert app.state(rid) == "decided" and heard_rows(app) == 0


def test_a_referral_purged_while_still_waiting_leaves_no_heard_time_behind(app):
    rid, _ = sent_referral(app.store, app.policy, app.worker)
    poll_until_caught_up(app.worker)
    assert heard_rows(app) == 1
    app.clock.advance((app.policy.retention_days + 1) * 24 * HOUR)
    app.store.purge_expired(app.clock(), app.policy.retention_days)
    assert app.state(rid) == "purged" and heard_rows(app) == 0


def test_a_poll_with_nothing_new_leaves_every_heard_time_as_it_was(app, sandbox):
    """Only the referrals a poll heard of get a new time: a quiet poll does not rewrite them all."""
    sent = [sent_referral(app.store, app.policy, app.worker) for _ in range(3)]
    poll_until_caught_up(app.worker)
    before = heard_times(app)
    assert set(before) == {rid for rid, _ in sent}
    app.clock.advance(HOUR)
    app.restart()
    app.worker.poll_statuses()
    assert heard_times(app) == before
    moved, moved_ref = sent[1]
    sandbox_acts(sandbox, moved_ref, "acknowledge")
    app.clock.advance(HOUR)
    app.worker.poll_statuses()
    assert heard_times(app) == {**before, moved: app.clock.now.isoformat(timespec="microseconds")}
