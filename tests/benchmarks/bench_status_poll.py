"""Benchmark of one status poll with many referrals waiting for a decision (not collected by pytest):

    .venv/bin/python tests/benchmarks/bench_status_poll.py [--count 10000] [--anchor-count 100] [--rounds 5]

The sandbox (its own process, HTTPS on loopback) holds ``--count`` + ``--anchor-count`` referrals; one real
encrypted store holds ``--count`` of them as received and waiting for a decision, a second store the other
``--anchor-count``. Each
poll goes through the real job (``OutboxWorker.poll_statuses``: the store's waiting list, then
``GET /v1/referrals/changes?since=`` following ``has_more``). Printed for each: requests made, the app's CPU
seconds (this process; the server is another one) and wall time.

1. **Catch-up after start-up**: a fresh sender's first polls (until the feed has no more pages). Its first
   ``since`` is just before the oldest waiting referral was received, so it reads every change since then.
2. **Steady poll** (the figure of issue 13): iART moves ``--changed`` referrals of each store (acknowledges
   them; the feed page holds both stores' changes), then one poll; repeated ``--rounds`` times, medians printed. Anchors measured in
   the same run: the same poll with ``--anchor-count`` referrals waiting, and a bare ``requests`` GET of
   the same feed page. Target: one feed request per poll, whatever the count, and a poll of 10,000 costing
   about what a poll of 100 costs.
3. **Catch-up after a restart**: the app is closed (sender stopped, store locked), iART decides
   ``--changed`` referrals of each store meanwhile (ones it acknowledged in 2.), the store is unlocked
   again and a new sender polls until the feed has no more pages. "after": it resumes from the feed position saved in the store;
   "before": the same restart with the saved position dropped first (``store.changes_feed.forget()``),
   which is what every restart did before the position was kept: read the feed from the oldest waiting
   referral. Both through the real job, in the same run.

Seeding is not what is measured, so it takes the short way: the referrals are posted to the sandbox with
a bare session (four threads) and recorded in the store as the sender records them (queued, sending,
received with iART's acknowledgement), in batched transactions.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[0] / "sync"))

from sync_testing.e2e import PASSPHRASE, valid_answers, write_policy  # noqa: E402

from referral_desktop.domain.api_contract import Acknowledgement  # noqa: E402
from referral_desktop.policy import load_policy  # noqa: E402
from referral_desktop.sandbox.launcher import running_sandbox  # noqa: E402
from referral_desktop.store import create_store, open_store  # noqa: E402
from referral_desktop.sync import api_client  # noqa: E402
from referral_desktop.sync.outbox_worker import OutboxWorker  # noqa: E402
from referral_desktop.sync.payload import answers_document, freeze_document  # noqa: E402
from referral_desktop.sync.request_bodies import submission_body  # noqa: E402

FORM_ID, FORM_VERSION = "cwac-marf", "1.0.0"
BATCH = 500

#: Requests the app made, by path (counted at the client's one plumbing method; nothing else changes).
REQUESTS: dict[str, int] = {}
_real_call = api_client.ApiClient._call


def _counting_call(self, method, path, **kwargs):  # noqa: ANN001, ANN202 - the method's own signature
    key = path.split("?")[0] if "/changes" in path else "other " + method
    REQUESTS[key] = REQUESTS.get(key, 0) + 1
    return _real_call(self, method, path, **kwargs)


api_client.ApiClient._call = _counting_call  # type: ignore[method-assign]


def _post_all(sandbox, ids: list[str], body: bytes) -> list[Acknowledgement]:  # noqa: ANN001
    """Each referral posted to the sandbox under its own id (four threads); the acknowledgements."""

    def post(chunk: list[str]) -> list[Acknowledgement]:
        acks = []
        with sandbox.session() as session:
            for rid in chunk:
                response = session.post(f"{sandbox.url}/v1/referrals", data=body, timeout=30,
                                        headers={"Content-Type": "application/json", "Idempotency-Key": rid})
                assert response.status_code == 201, response.text
                acks.append(Acknowledgement.model_validate_json(response.content))
        return acks

    with ThreadPoolExecutor(4) as pool:
        acks = [ack for part in pool.map(post, [ids[i::4] for i in range(4)]) for ack in part]
    return sorted(acks, key=lambda a: (a.received_at, str(a.referral_id)))


def seed(sandbox, profile: Path, count: int):  # noqa: ANN001, ANN201
    """A real encrypted store holding ``count`` referrals that the sandbox holds too, each recorded as the
    sender records an acknowledgement: received, waiting for a decision. Returns (store, acks)."""
    answers = valid_answers()
    frozen = freeze_document(answers_document(FORM_ID, FORM_VERSION, answers), None)
    body = submission_body(form_id=FORM_ID, form_version=FORM_VERSION, payload=frozen.data,
                           content_type=frozen.content_type)
    store = create_store(profile, PASSPHRASE)
    ids = []
    for start in range(0, count, BATCH):
        with store.write():
            for _ in range(min(BATCH, count - start)):
                rid = str(store.referrals.create_draft(FORM_ID, FORM_VERSION, answers).id)
                store.referrals.freeze(rid, frozen.data, frozen.content_type)
                store.outbox.enqueue(rid)
                store.referrals.set_state(rid, "sending")
                ids.append(rid)
    acks = _post_all(sandbox, ids, body)
    for start in range(0, count, BATCH):
        with store.write():
            for ack in acks[start : start + BATCH]:
                rid = str(ack.referral_id)
                store.referrals.set_state(rid, "received", iart_reference=ack.iart_reference,
                                          sent_at=ack.received_at, received_at=ack.received_at,
                                          decision_due=ack.decision_due)
                store.outbox.remove(rid)
    return store, acks


def measure(poll) -> tuple[int, float, float, list]:  # noqa: ANN001
    """(feed requests, app CPU s, wall s, the poll's updates) of one call."""
    REQUESTS.clear()
    cpu, wall = time.process_time(), time.perf_counter()
    updates = poll()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    others = sum(n for k, n in REQUESTS.items() if k.startswith("other"))
    assert others == 0, REQUESTS  # the feed only: no single GETs
    return REQUESTS.get("/referrals/changes", 0), cpu, wall, updates


def catch_up(worker) -> tuple[int, float, float, int, int]:  # noqa: ANN001
    """A fresh sender's first polls until the feed has no more pages: (requests, cpu, wall, polls, updates)."""
    requests = polls = updates = 0
    cpu = wall = 0.0
    while True:
        n, c, w, u = measure(worker.poll_statuses)
        requests, cpu, wall, polls, updates = requests + n, cpu + c, wall + w, polls + 1, updates + len(u)
        if worker.poller.next_due(worker.context.clock()) > worker.context.clock():
            return requests, cpu, wall, polls, updates


def restart(worker, profile: Path, policy):  # noqa: ANN001, ANN201
    """The app closed and opened again on ``profile``: (store, a new sender, warmed up)."""
    worker.close()
    worker.context.store.close()
    store = open_store(profile, PASSPHRASE)
    worker = OutboxWorker.from_policy(store, policy, pool_size=1)
    worker.probe()  # TLS and imports warmed up; not part of a poll
    return store, worker


def bare_get(sandbox, since: datetime) -> tuple[float, float, int]:  # noqa: ANN001
    """A bare requests GET of the feed from ``since`` (one page): (cpu, wall, changes)."""
    with sandbox.session() as session:
        cpu, wall = time.process_time(), time.perf_counter()
        response = session.get(f"{sandbox.url}/v1/referrals/changes", params={"since": since.isoformat()},
                               timeout=30)
        changes = len(response.json()["changes"])
        return time.process_time() - cpu, time.perf_counter() - wall, changes


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--anchor-count", type=int, default=100)
    parser.add_argument("--changed", type=int, default=20, help="referrals iART moves before each steady poll")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    assert args.changed <= args.anchor_count <= args.count and args.changed * args.rounds <= args.anchor_count
    with tempfile.TemporaryDirectory(prefix="bench-poll-") as folder, running_sandbox(
        Path(folder) / "iart", extra_args=["--log-level", "WARNING"]
    ) as sandbox:
        tmp = Path(folder)
        policy = load_policy(write_policy(tmp / "policy", sandbox, encrypt=False))
        started = time.perf_counter()
        big, big_acks = seed(sandbox, tmp / "profile-big", args.count)
        small, small_acks = seed(sandbox, tmp / "profile-small", args.anchor_count)
        print(f"seeded {args.count:,} + {args.anchor_count:,} referrals (sandbox and two stores) in "
              f"{time.perf_counter() - started:.0f} s; load average {os.getloadavg()[0]:.1f}")
        stores = {args.count: big, args.anchor_count: small}
        workers = {n: OutboxWorker.from_policy(store, policy, pool_size=1) for n, store in stores.items()}
        try:
            for worker in workers.values():
                worker.probe()  # TLS and imports warmed up; not part of a poll

            print("\n1. catch-up after start-up (a fresh sender: every change since the oldest waiting referral)")
            for n, worker in workers.items():
                requests, cpu, wall, polls, updates = catch_up(worker)
                print(f"   {n:>6,} waiting: {polls} poll(s), {requests} feed requests, {updates:,} reports recorded,"
                      f" app CPU {cpu:.2f} s, wall {wall:.2f} s")

            print(f"\n2. steady poll: iART acknowledges {args.changed} referrals, then one poll ({args.rounds} rounds)")
            figures: dict[str, list[tuple[int, float, float]]] = {str(n): [] for n in workers}
            figures["bare GET"] = []
            with sandbox.operator_session() as operator:
                for round_ in range(args.rounds):
                    since = datetime.now(UTC) - timedelta(milliseconds=1)
                    moved = slice(round_ * args.changed, (round_ + 1) * args.changed)
                    for ack in big_acks[moved] + small_acks[moved]:  # each store hears of its own
                        operator.post(f"{sandbox.url}/v1/_sandbox/referrals/{ack.iart_reference}/acknowledge",
                                      json={}, timeout=10).raise_for_status()
                    for n, worker in workers.items():
                        requests, cpu, wall, updates = measure(worker.poll_statuses)
                        assert sum(u.changed for u in updates) == args.changed, (n, len(updates))
                        figures[str(n)].append((requests, cpu, wall))
                    cpu, wall, changes = bare_get(sandbox, since)
                    assert changes == 2 * args.changed, changes
                    figures["bare GET"].append((1, cpu, wall))
            medians = {k: tuple(statistics.median(v[i] for v in rows) for i in range(3)) for k, rows in figures.items()}
            for key, (requests, cpu, wall) in medians.items():
                label = f"{int(key):>6,} waiting" if key.isdigit() else f"{key:>14}"
                print(f"   {label}: {requests:.0f} feed request(s), app CPU {cpu * 1000:6.1f} ms, "
                      f"wall {wall * 1000:6.1f} ms")
            big_wall, small_wall, bare_wall = (medians[str(args.count)][2], medians[str(args.anchor_count)][2],
                                               medians["bare GET"][2])
            print(f"   ratio {args.count:,} / {args.anchor_count:,} waiting: {big_wall / small_wall:.2f} (wall); "
                  f"{args.count:,} waiting / bare GET: {big_wall / bare_wall:.2f}")
            print(f"   load average {os.getloadavg()[0]:.1f}")

            print(f"\n3. catch-up after a restart (iART decides {args.changed} of each while the app is closed)")
            profiles = {args.count: tmp / "profile-big", args.anchor_count: tmp / "profile-small"}
            acks = {args.count: big_acks, args.anchor_count: small_acks}
            for i, label in enumerate(("after", "before")):
                moved = slice(i * args.changed, (i + 1) * args.changed)  # acknowledged in 2.; now decided
                for n in list(workers):
                    stores[n], workers[n] = restart(workers[n], profiles[n], policy)
                    if label == "before":
                        stores[n].changes_feed.forget()  # as every restart was before the position was kept
                with sandbox.operator_session() as operator:
                    for n in workers:
                        for ack in acks[n][moved]:
                            operator.post(f"{sandbox.url}/v1/_sandbox/referrals/{ack.iart_reference}/decide",
                                          json={"outcome": "no_further_action"}, timeout=10).raise_for_status()
                for n, worker in workers.items():
                    requests, cpu, wall, polls, updates = catch_up(worker)
                    changed = sum(str(stores[n].referrals.get(str(a.referral_id)).state) == "decided"
                                  for a in acks[n][moved])
                    assert changed == args.changed, (label, n, changed)
                    what = "resumed from the saved position" if label == "after" else "saved position dropped"
                    print(f"   {label:>6} ({what}), {n:>6,} waiting: {polls} poll(s), {requests} feed requests,"
                          f" {updates:,} reports, app CPU {cpu:.2f} s, wall {wall:.2f} s")
            print(f"   load average {os.getloadavg()[0]:.1f}")
        finally:
            for worker in workers.values():
                worker.close()
            for store in stores.values():
                store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
