"""What every job of the outbox worker shares: the store and the lock that serialises it, one API client
per thread, the clock and the randomness (injected so tests are exact), the settings, and the listeners
told about each recorded change and about the API becoming reachable or unreachable.

Why a shared context rather than one big class: each job (sending, uploads, status polling, purging,
form updates) is a module a reader can take on its own; what they must agree on — never use the store
from two threads at once, tell the screens after each commit — lives here once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from referral_desktop.domain.working_days import decision_due as calendar_decision_due
from referral_desktop.sync.api_client import ApiClient
from referral_desktop.sync.backoff import Backoff

log = logging.getLogger(__name__)

ChangeListener = Callable[[str, str], None]
ConnectionListener = Callable[[bool], None]
#: Told how far this computer's clock is from the API's (seconds; positive: this computer is ahead).
ClockListener = Callable[[float], None]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class WorkerSettings:
    """The knobs of the worker (mutable: the self-test shortens ``status_interval`` on a running one)."""

    backoff: Backoff
    probe_backoff: Backoff
    retention_days: int = 30
    pool_size: int = 1
    status_interval: timedelta = timedelta(minutes=2)
    #: ``form_update(client)`` → a FormUpdateResult (see sync.form_updates); None: not configured.
    form_update: Callable[[ApiClient], Any] | None = None
    form_update_interval: timedelta = timedelta(days=1)


class WorkerContext:
    """The store (used under ``store_lock`` only), per-thread API clients, clock, randomness, listeners."""

    def __init__(
        self,
        store: Any,
        client_factory: Callable[[], ApiClient],
        settings: WorkerSettings,
        *,
        clock: Callable[[], datetime] = utc_now,
        random: Callable[[], float],
        contacts: Any = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.clock = clock
        self.random = random
        # A Store may be used from another thread, but not concurrently: every store call of every job
        # (and of the sending pool's threads) holds this lock.
        self.store_lock = threading.RLock()
        self._client_factory = client_factory
        self._local = threading.local()
        self._clients: list[ApiClient] = []
        self._clients_lock = threading.Lock()
        self._contacts = contacts  # None: the bundled directory, loaded once on first use
        self.change_listeners: list[ChangeListener] = []
        self.connection_listeners: list[ConnectionListener] = []
        self.clock_listeners: list[ClockListener] = []
        #: This computer's clock less the API's, as the last health answer showed it (None before one).
        self.clock_skew_seconds: float | None = None
        self.online: bool | None = None

    # ------------------------------------------------------------------------------------ clients

    def client(self) -> ApiClient:
        """This thread's API client (a requests session is not shared between threads)."""
        client = getattr(self._local, "client", None)
        if client is None:
            client = self._client_factory()
            self._local.client = client
            with self._clients_lock:
                self._clients.append(client)
        return client

    def close(self) -> None:
        with self._clients_lock:
            for client in self._clients:
                client.close()
            self._clients.clear()
        self._local = threading.local()

    # ------------------------------------------------------------------------------------- events

    def emit(self, referral_id: str, state: str) -> None:
        """Tell the listeners about a change already committed to the store."""
        for listener in list(self.change_listeners):
            try:
                listener(referral_id, state)
            except Exception:  # a listener's bug must not stop sending
                log.exception("change listener failed")

    def set_online(self, online: bool) -> None:
        if self.online is online:
            return
        self.online = online
        log.info("iART API %s", "reachable" if online else "unreachable")
        for listener in list(self.connection_listeners):
            try:
                listener(online)
            except Exception:
                log.exception("connection listener failed")

    def note_server_time(self, server_time: datetime | None) -> None:
        """The API said what time it is (its health answer): keep how far this computer's clock is from
        it and tell the listeners. Why: who to call now, due times and "last answer" come from this
        computer's clock, and a clock hours out says nothing of itself; only the API's time shows it."""
        if server_time is None:
            return
        self.clock_skew_seconds = (self.clock() - server_time).total_seconds()
        for listener in list(self.clock_listeners):
            try:
                listener(self.clock_skew_seconds)
            except Exception:
                log.exception("clock listener failed")

    # ------------------------------------------------------------------------------------ calendar

    def decision_due(self, received_at: datetime) -> datetime:
        """When iART's decision is due for a referral received at ``received_at`` (working days)."""
        if self._contacts is None:
            from referral_desktop.domain.contacts import load_contacts

            self._contacts = load_contacts()
        return calendar_decision_due(received_at, self._contacts)
