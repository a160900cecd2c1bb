"""The sender on a real profile that a test can restart (worker stopped, store closed and unlocked again),
and the requests it makes, counted at the client's one plumbing method. Used by the tests of what status
polling keeps across restarts (the feed position, when each referral was last heard of)."""

from __future__ import annotations

from typing import Any

from referral_desktop.store import open_store
from referral_desktop.sync import api_client
from referral_desktop.sync.outbox_worker import OutboxWorker
from sync_testing.e2e import PASSPHRASE


class App:
    """The sender on a real profile that the test can restart (store closed, opened again)."""

    def __init__(self, tmp_path: Any, store: Any, policy: Any, worker: Any, clock: Any) -> None:
        self.profile = tmp_path / "profile"
        self.store, self.policy, self.worker, self.clock = store, policy, worker, clock

    def stop(self) -> None:
        self.worker.close()
        self.store.close()

    def start(self) -> None:
        self.store = open_store(self.profile, PASSPHRASE, clock=self.clock)
        self.worker = OutboxWorker.from_policy(self.store, self.policy, clock=self.clock)

    def restart(self) -> None:
        self.stop()
        self.start()

    def state(self, rid: str) -> str:
        return str(self.store.referrals.get(rid).state)


def running_app(tmp_path: Any, rig: Any) -> Any:
    """The body of an ``app`` fixture over the ``rig`` fixture: yields the App, stops it if restarted."""
    store, policy, worker, clock = rig
    running = App(tmp_path, store, policy, worker, clock)
    yield running
    if running.store is not store:  # restarted: the rig closes only its own
        running.stop()


def count_requests(monkeypatch: Any) -> list[tuple[str, dict]]:
    """Every request the app makes from now on, as (path, params), in order."""
    made: list[tuple[str, dict]] = []
    real = api_client.ApiClient._call

    def counting(self, method, path, **kwargs):  # noqa: ANN001, ANN202 - the method's own signature
        made.append((path, dict(kwargs.get("params") or {})))
        return real(self, method, path, **kwargs)

    monkeypatch.setattr(api_client.ApiClient, "_call", counting)
    return made


def feed_requests(made: list[tuple[str, dict]]) -> list[dict]:
    return [params for path, params in made if path == "/referrals/changes"]


def status_requests(made: list[tuple[str, dict]]) -> list[str]:
    return [path for path, _ in made if path.endswith("/status")]


def sandbox_acts(sandbox: Any, reference: str, action: str, **body: Any) -> None:
    """iART moves a referral (``acknowledge``, ``decide`` with an ``outcome``...), through the sandbox's
    operator routes."""
    with sandbox.operator_session() as operator:
        operator.post(f"{sandbox.url}/v1/_sandbox/referrals/{reference}/{action}", json=body,
                      timeout=10).raise_for_status()


def poll_until_caught_up(worker: Any) -> int:
    """Polls until the feed has no more pages; the number of polls."""
    polls = 0
    while True:
        worker.poll_statuses()
        polls += 1
        if worker.poller.next_due(worker.context.clock()) > worker.context.clock():
            return polls
