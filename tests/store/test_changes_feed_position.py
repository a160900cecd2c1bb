"""The changes feed's position in the store (migration 10): kept across a close and an unlock, owned by
one API address, saved only over the position a poll started from, and never holding personal data."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from referral_desktop.store import open_store

from .conftest import PASSPHRASE

API = "https://iart.example.gov.uk/v1"
UNTIL = datetime(2026, 3, 2, 9, 30, 0, 123456, tzinfo=timezone(timedelta(hours=1)))  # the server's own offset


def drafts(store, n):
    return [str(store.referrals.create_draft("cwac-marf", "1.0.0", {}).id) for _ in range(n)]


def test_a_saved_position_survives_closing_the_store_as_the_server_gave_it(store, profile, clock):
    ids = drafts(store, 2)
    assert store.changes_feed.load(API) is None
    saved = store.changes_feed.save(API, UNTIL, expected=None, followed=ids)
    store.close()
    with open_store(profile, PASSPHRASE, clock=clock) as reopened:
        position = reopened.changes_feed.load(API)
        with reopened.read() as conn:
            [text] = conn.execute("SELECT until FROM changes_feed_position").fetchone()
    assert position == saved and position.until == UNTIL and position.followed == frozenset(ids)
    assert text == "2026-03-02T09:30:00.123456+01:00"  # the server's value, offset and all


def test_a_position_belongs_to_its_api_address(store):
    store.changes_feed.save(API, UNTIL, expected=None, followed=drafts(store, 1))
    assert store.changes_feed.load("https://other.example/v1") is None
    # A poller for the other address starts afresh and replaces it (and what it covered).
    other = store.changes_feed.save("https://other.example/v1", UNTIL, expected=None, followed=[])
    assert other is not None and other.followed == frozenset()
    assert store.changes_feed.load(API) is None


def test_a_poll_saves_only_over_the_position_it_started_from(store):
    """Two pollers on one profile: the one that saved first wins; the other's save changes nothing."""
    first_ids, second_ids = drafts(store, 1), drafts(store, 1)
    start = store.changes_feed.save(API, UNTIL, expected=None, followed=first_ids)
    app, command = store.changes_feed.load(API), store.changes_feed.load(API)
    won = store.changes_feed.save(API, UNTIL + timedelta(minutes=2), expected=app, followed=first_ids + second_ids)
    assert won is not None and won.generation == start.generation + 1
    assert store.changes_feed.save(API, UNTIL + timedelta(minutes=3), expected=command, followed=[]) is None
    assert store.changes_feed.load(API) == won
    # Starting afresh is refused too while a position exists for this address.
    assert store.changes_feed.save(API, UNTIL, expected=None, followed=[]) is None


def test_later_pages_keep_the_followed_list_and_a_new_list_replaces_it(store):
    a, b, c = drafts(store, 3)
    position = store.changes_feed.save(API, UNTIL, expected=None, followed=[a, b])
    position = store.changes_feed.save(API, UNTIL + timedelta(seconds=1), expected=position)
    assert store.changes_feed.load(API).followed == {a, b}
    position = store.changes_feed.save(API, UNTIL + timedelta(seconds=2), expected=position, followed=[b, c])
    assert store.changes_feed.load(API).followed == {b, c}


def test_a_deleted_referral_leaves_the_list_and_forget_drops_everything(store):
    a, b = drafts(store, 2)
    store.changes_feed.save(API, UNTIL, expected=None, followed=[a, b, "not-a-referral-here"])
    store.referrals.delete_draft(a)
    assert store.changes_feed.load(API).followed == {b}
    store.changes_feed.forget()
    assert store.changes_feed.load(API) is None
    with store.read() as conn:
        assert conn.execute("SELECT count(*) FROM changes_feed_followed").fetchone()[0] == 0

