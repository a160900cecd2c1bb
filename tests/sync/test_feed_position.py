"""The changes feed's position is kept in the store, so a restarted sender resumes from it (issue 13).

Through the real job (``OutboxWorker.poll_statuses``), the real encrypted store (closed and opened again
for a restart) and the real sandbox over TLS; the requests are counted at the client's one plumbing
method. The sandbox's feed holds more than one page (other computers' referrals), so re-reading it from
the oldest waiting referral costs several requests where resuming costs one.

What must never happen is a change skipped. The contract promises that ``until`` passed back as the
next ``since`` misses nothing; what the client must add is that a referral it did not yet hold as
waiting when a page was read (acknowledged by iART while the poll was on the wire, or recorded just
after the position was saved) is read again from its own receipt, and that a position the server
refuses, one older than any waiting referral, or one in a snapshot restored later, costs at most a
longer read, never a missed change.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import pytest
from sync_testing.e2e import PASSPHRASE, draft, sent_referral, valid_answers
from sync_testing.restartable_app import (
    count_requests,
    feed_requests,
    poll_until_caught_up,
    running_app,
    sandbox_acts,
    status_requests,
)

from referral_desktop.domain.api_contract import StatusChanges
from referral_desktop.store.snapshots import restore_snapshot
from referral_desktop.sync import api_client
from referral_desktop.sync.errors import TransportError
from referral_desktop.sync.jobs.status_polling import StatusPolling
from referral_desktop.sync.payload import answers_document, freeze_document
from referral_desktop.sync.queueing import queue_referral
from referral_desktop.sync.request_bodies import submission_body

pytestmark = pytest.mark.usefixtures("sandbox_faults_cleared")

OTHERS = 130  # other computers' referrals in the feed: more than the feed's page of 100


@pytest.fixture
def requests_made(monkeypatch):
    """Every request the app makes, as (path, params), in order."""
    return count_requests(monkeypatch)


@pytest.fixture
def untils(monkeypatch):
    """The ``until`` of every feed page the app was given, in order."""
    given: list[datetime] = []
    real = api_client.ApiClient.changes_since

    def noting(self, since, limit=None):
        page = real(self, since, limit)
        given.append(page.until)
        return page

    monkeypatch.setattr(api_client.ApiClient, "changes_since", noting)
    return given


def others_referrals(sandbox, n: int = OTHERS) -> None:
    """``n`` referrals from other computers land in the feed (posted with a bare session)."""
    frozen = freeze_document(answers_document("cwac-marf", "1.0.0", valid_answers()), None)
    body = submission_body(form_id="cwac-marf", form_version="1.0.0", payload=frozen.data,
                           content_type=frozen.content_type)
    with sandbox.session() as session:
        for _ in range(n):
            response = session.post(f"{sandbox.url}/v1/referrals", data=body, timeout=30,
                                    headers={"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())})
            assert response.status_code == 201, response.status_code


def acknowledge(sandbox, reference: str) -> None:
    sandbox_acts(sandbox, reference, "acknowledge")


@pytest.fixture
def app(tmp_path, rig):
    yield from running_app(tmp_path, rig)


def saved_since(app) -> datetime:
    return app.store.changes_feed.load(app.worker.context.client().url("")).until


def test_a_restarted_sender_resumes_from_the_saved_position_in_one_request(app, sandbox, requests_made, untils):
    rid, reference = sent_referral(app.store, app.policy, app.worker)
    others_referrals(sandbox)
    poll_until_caught_up(app.worker)
    assert len(feed_requests(requests_made)) >= 2  # the first catch-up reads every page since the receipt
    position = untils[-1]

    app.restart()
    acknowledge(sandbox, reference)
    requests_made.clear()
    [update] = app.worker.poll_statuses()

    assert (update.referral_id, update.state) == (rid, "acknowledged")
    [params] = feed_requests(requests_made)  # one request: it resumed, it did not read the feed again
    assert datetime.fromisoformat(params["since"]) == position
    assert app.worker.poller.next_due(app.clock()) > app.clock()  # and nothing left for a next round


@pytest.mark.parametrize("restarted", [False, True], ids=["same run", "after a restart"])
def test_a_referral_acknowledged_while_a_poll_is_on_the_wire_is_not_skipped(app, sandbox, monkeypatch, restarted):
    """The poll reads the waiting list, then the feed. A referral received and acknowledged in between is
    in the page (its changes are before the page's ``until``) but was not waiting when the poll began, so
    that poll passes it by; the next poll must read it again from its receipt, not resume after it."""
    sent_referral(app.store, app.policy, app.worker)
    poll_until_caught_up(app.worker)
    late = draft(app.store)
    queue_referral(app.store, late, app.policy, date.today())
    real = api_client.ApiClient.changes_since
    sent: list[str] = []

    def meanwhile(self, since, limit=None):
        if not sent:  # the waiting list is read; now the referral is received and acknowledged
            [received] = app.worker.send_due()
            sent.append(received.iart_reference)
            acknowledge(sandbox, received.iart_reference)
        return real(self, since, limit)

    monkeypatch.setattr(api_client.ApiClient, "changes_since", meanwhile)
    assert app.worker.poll_statuses() == []  # that poll did not hold it as waiting
    monkeypatch.setattr(api_client.ApiClient, "changes_since", real)
    assert app.state(late) == "received"
    if restarted:
        app.restart()
    app.clock.advance(120)

    updates = app.worker.poll_statuses()
    assert [(u.referral_id, u.state) for u in updates if u.changed] == [(late, "acknowledged")]
    assert app.state(late) == "acknowledged"


def test_a_referral_sent_just_before_the_app_closed_is_followed_after_the_restart(app, sandbox, requests_made):
    sent_referral(app.store, app.policy, app.worker)
    poll_until_caught_up(app.worker)
    late, reference = sent_referral(app.store, app.policy, app.worker)  # no poll before the app closes
    acknowledge(sandbox, reference)
    app.restart()
    updates = app.worker.poll_statuses()
    assert [(u.referral_id, u.state) for u in updates if u.changed] == [(late, "acknowledged")]


def test_a_position_the_server_refuses_falls_back_to_the_oldest_waiting_referral(app, sandbox, requests_made, untils):
    rid, reference = sent_referral(app.store, app.policy, app.worker)
    others_referrals(sandbox, 20)
    poll_until_caught_up(app.worker)
    position = untils[-1]
    app.restart()

    # The feed is down for a moment: that is no verdict on the position, which is kept.
    sandbox.set_faults([{"endpoint": "changes", "kind": "unavailable", "times": 1}])
    requests_made.clear()
    with pytest.raises(TransportError):
        app.worker.poll_statuses()
    assert [datetime.fromisoformat(p["since"]) for p in feed_requests(requests_made)] == [position]
    assert saved_since(app) == position

    # The server refuses the position itself (gone): the poll asks again as a fresh sender would.
    sandbox.set_faults([{"endpoint": "changes", "kind": "error", "status": 410, "times": 1}])
    acknowledge(sandbox, reference)
    app.clock.advance(120)
    requests_made.clear()
    [update] = app.worker.poll_statuses()
    assert (update.referral_id, update.state) == (rid, "acknowledged")
    first, second = [datetime.fromisoformat(p["since"]) for p in feed_requests(requests_made)][:2]
    received_at = app.store.referrals.get(rid).received_at
    assert first == position and second == received_at - StatusPolling.FIRST_SINCE_MARGIN
    assert saved_since(app) == untils[-1]  # and the new position is kept


def test_a_position_older_than_every_waiting_referral_is_not_read_from(app, sandbox, requests_made):
    rid, _ = sent_referral(app.store, app.policy, app.worker)
    api = app.worker.context.client().url("")
    month_ago = app.store.referrals.get(rid).received_at - timedelta(days=30)
    assert app.store.changes_feed.save(api, month_ago, expected=None, followed=[])
    app.restart()
    requests_made.clear()
    app.worker.poll_statuses()
    params = feed_requests(requests_made)[0]  # (the sandbox holds this module's other referrals too)
    received_at = app.store.referrals.get(rid).received_at
    assert datetime.fromisoformat(params["since"]) == received_at - StatusPolling.FIRST_SINCE_MARGIN


def test_a_restored_snapshot_resumes_from_its_own_older_position(app, sandbox, requests_made, untils):
    rid, reference = sent_referral(app.store, app.policy, app.worker)
    poll_until_caught_up(app.worker)
    at_snapshot = untils[-1]
    app.clock.advance(60)
    assert app.store.snapshots.take() is not None
    acknowledge(sandbox, reference)
    app.clock.advance(120)
    app.worker.poll_statuses()
    assert app.state(rid) == "acknowledged" and saved_since(app) > at_snapshot

    app.stop()  # the store is damaged, say; the professional restores the newest snapshot
    restore_snapshot(app.profile, PASSPHRASE)
    app.start()
    assert app.state(rid) == "received"  # what the snapshot held
    requests_made.clear()
    [update] = app.worker.poll_statuses()
    assert (update.referral_id, update.state) == (rid, "acknowledged")  # heard again, not skipped
    assert datetime.fromisoformat(feed_requests(requests_made)[0]["since"]) == at_snapshot


def test_a_referral_the_feed_has_not_mentioned_for_a_day_still_gets_a_single_get(app, sandbox, requests_made,
                                                                                  monkeypatch):
    rid, reference = sent_referral(app.store, app.policy, app.worker)
    poll_until_caught_up(app.worker)
    app.restart()
    app.worker.poll_statuses()
    sandbox_acts(sandbox, reference, "decide", outcome="no_further_action")
    app.clock.advance(StatusPolling.FALLBACK_AFTER.total_seconds())
    # The feed says nothing more of it (as if it had dropped the change): only a single GET can tell.
    monkeypatch.setattr(api_client.ApiClient, "changes_since",
                        lambda self, since, limit=None: StatusChanges(changes=[], until=since))
    requests_made.clear()
    [update] = app.worker.poll_statuses()
    assert status_requests(requests_made) == [f"/referrals/{reference}/status"]
    assert (update.referral_id, update.state, update.outcome) == (rid, "decided", "no_further_action")
