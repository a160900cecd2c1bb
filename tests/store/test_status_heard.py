"""When iART last told this computer of each waiting referral (migration 11, ``store.status_heard``):
kept across a close and an unlock, due a day on (from iART's receipt when never heard of), longest
unheard first, never moved back, pulled back from the future, gone when the referral is decided,
purged or deleted, older (never newer) in a restored snapshot, and never holding personal data."""

from __future__ import annotations

from datetime import timedelta

from referral_desktop.store import open_store
from referral_desktop.store.snapshots import restore_snapshot

from .conftest import PASSPHRASE, answers_with_child

WAITING = ("received", "acknowledged", "info_requested")
DAY = timedelta(days=1)


def received(store, clock, n=1, **times):
    """``n`` referrals iART holds (received now, a minute apart, unless ``times`` say otherwise)."""
    ids = []
    for i in range(n):
        rid = str(store.referrals.create_draft("cwac-marf", "1.0.0", answers_with_child()).id)
        store.referrals.freeze(rid, b"payload", "application/json")
        store.outbox.enqueue(rid)
        store.referrals.set_state(rid, "sending")
        at = clock()
        details = {"sent_at": at, "received_at": at, **times}
        store.referrals.set_state(rid, "received", iart_reference=f"IART-{i}", **details)
        store.outbox.remove(rid)
        ids.append(rid)
        clock.advance(minutes=1)
    return ids


def due(store, now, limit=100):
    return store.status_heard.longest_unheard(WAITING, heard_before=now - DAY, limit=limit)


def heard_rows(store):
    with store.read() as conn:
        return dict(conn.execute("SELECT referral_id, heard_at FROM status_heard").fetchall())


def test_a_heard_time_survives_closing_the_store(store, profile, clock):
    [rid] = received(store, clock)
    heard_at = clock.now + timedelta(hours=2)
    store.status_heard.record(heard_at, [rid])
    store.close()
    with open_store(profile, PASSPHRASE, clock=clock) as reopened:
        assert due(reopened, heard_at + DAY - timedelta(seconds=1)) == []
        assert due(reopened, heard_at + DAY) == [(rid, heard_at)]


def test_a_referral_never_heard_of_is_due_a_day_after_iarts_receipt(store, clock):
    receipt = clock.now - timedelta(days=2)  # iART's time: no feed page has mentioned it since
    [rid] = received(store, clock, received_at=receipt)
    assert due(store, clock.now) == [(rid, receipt)]
    store.status_heard.record(clock.now, [rid])
    assert due(store, clock.now) == []


def test_the_longest_unheard_come_first_and_only_as_many_as_asked(store, clock):
    a, b, c, d = received(store, clock, 4)
    start = clock.now
    store.status_heard.record(start + timedelta(hours=1), [a])  # a and c heard since; b, d not
    store.status_heard.record(start + timedelta(hours=2), [c])
    later = start + timedelta(days=2)
    assert [rid for rid, _ in due(store, later)] == [b, d, a, c]
    assert [rid for rid, _ in due(store, later, limit=2)] == [b, d]
    assert [rid for rid, _ in due(store, start + DAY + timedelta(hours=1))] == [b, d, a]


def test_only_referrals_iart_holds_and_still_waiting_are_due(store, clock):
    waiting, decided = received(store, clock, 2)
    store.referrals.set_state(decided, "decided", outcome="early_help", decided_at=clock())
    draft = str(store.referrals.create_draft("cwac-marf", "1.0.0", {}).id)
    store.status_heard.record(clock.now - timedelta(days=5), [draft])  # (never, but harmless if it were)
    assert [rid for rid, _ in due(store, clock.now + timedelta(days=3))] == [waiting]


def test_a_time_is_never_moved_back_and_decided_referrals_are_forgotten(store, clock):
    a, b = received(store, clock, 2)
    late, early = clock.now + timedelta(hours=5), clock.now + timedelta(hours=1)
    store.status_heard.record(late, [a, b])
    store.status_heard.record(early, [a])  # another poller on the profile, with an older poll
    assert sorted(due(store, late + DAY)) == sorted([(a, late), (b, late)])
    store.status_heard.record(late, [], settled=[b])
    assert set(heard_rows(store)) == {a}


def test_nothing_heard_opens_no_write(store, clock):
    """A poll that heard of nobody, and a start with no time ahead of the clock, write nothing at all."""
    [rid] = received(store, clock)
    store.status_heard.record(clock.now, [rid])
    statements: list[str] = []
    with store.read() as conn:
        conn.set_trace_callback(statements.append)
    try:
        store.status_heard.record(clock.now, [], settled=[])
        assert store.status_heard.pull_back(clock.now + timedelta(hours=1)) == 0
    finally:
        with store.read() as conn:
            conn.set_trace_callback(None)
    assert statements and not [s for s in statements if not s.lstrip().upper().startswith("SELECT")]


def test_times_from_a_clock_since_put_back_are_brought_to_the_present(store, clock):
    a, b = received(store, clock, 2)
    store.status_heard.record(clock.now + timedelta(days=365), [a])  # the clock ran a year ahead
    store.status_heard.record(clock.now, [b])
    now = clock.now + timedelta(minutes=5)
    assert store.status_heard.pull_back(now) == 1
    assert due(store, now + DAY) == [(b, clock.now), (a, now)]  # a is due a day on, not in a year


def test_a_deleted_or_purged_referral_leaves_no_row(store, clock):
    waiting, decided = received(store, clock, 2)
    draft = str(store.referrals.create_draft("cwac-marf", "1.0.0", {}).id)
    store.status_heard.record(clock.now, [waiting, decided, draft, "not-a-referral-here"])
    assert set(heard_rows(store)) == {waiting, decided, draft}  # an unknown id is skipped, not an error
    store.referrals.delete_draft(draft)
    store.referrals.set_state(decided, "decided", outcome="early_help", decided_at=clock())
    assert store.purge_expired(clock.now, 30) == 1  # the decided one: its row goes with its data
    assert set(heard_rows(store)) == {waiting}
    clock.advance(days=31)
    assert store.purge_expired(clock.now, 30) == 1  # still waiting after the retention period
    assert heard_rows(store) == {}


def test_a_restored_snapshot_holds_older_times_so_the_get_comes_sooner_never_later(store, profile, clock):
    [rid] = received(store, clock)
    first = clock.now
    store.status_heard.record(first, [rid])
    assert store.snapshots.take() is not None
    store.status_heard.record(first + timedelta(hours=6), [rid])
    store.close()
    restore_snapshot(profile, PASSPHRASE)
    with open_store(profile, PASSPHRASE, clock=clock) as restored:
        assert due(restored, first + DAY) == [(rid, first)]


def test_the_table_holds_an_id_and_a_time_only(store, clock):
    [rid] = received(store, clock)
    store.status_heard.record(clock.now, [rid])
    with store.read() as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(status_heard)")]
        [row] = conn.execute("SELECT * FROM status_heard").fetchall()
    assert columns == ["referral_id", "heard_at"]
    assert row == (rid, clock.now.isoformat(timespec="microseconds"))
