"""Starts the background sender after the first unlock, and stops it when the app quits.

Why its own store connection: the sync worker and the screens' task runner both use the store from
their own threads, and a Store may not be used by two threads at once; SQLCipher in WAL mode allows a
second connection, opened here with the passphrase just accepted (then dropped). The operating system's
network-change signal (``network_watch.py``) nudges it when the network comes back. Locking the window
does not stop the worker: referrals keep leaving while the screen is locked.

It is handed the key the unlock derived (a RawKey: no second derivation) and starts once the home
screen shows its rows, so that unlock -> home is not slowed by the sender's start-up.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from referral_desktop.ui.app_context import AppContext
from referral_desktop.ui.profile_gateway import ProfileGateway

log = logging.getLogger(__name__)

#: The longest the sender waits for the home screen before starting anyway.
START_WAIT_SECONDS = 3.0


class SyncHandle:
    def __init__(self, context: AppContext) -> None:
        self.context = context
        self.worker: Any = None
        self.store: Any = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.network_watch: Any = None
        context.passphrase_listeners.append(self._start_once)

    def _start_once(self, passphrase: str) -> None:
        if self._thread is not None:
            return
        try:
            self.context.policy_now()
        except Exception as exc:  # noqa: BLE001 - the window explains an unusable policy; nothing is sent
            log.error("background sending not started: the policy cannot be used (%s)", type(exc).__name__)
            return
        self._thread = threading.Thread(target=self._run, args=(passphrase,), name="sync", daemon=True)
        self._thread.start()

    def _run(self, passphrase: Any) -> None:
        # Start once the home screen shows its rows (or after START_WAIT_SECONDS, e.g. on first run,
        # which shows the profile form): the sender's imports and store connection would otherwise take
        # the interpreter from the GUI thread while it builds the home screen. Sending a moment later
        # costs nothing; the unlock felt slower.
        self.context.home_shown.wait(START_WAIT_SECONDS)
        if self._stop.is_set():
            return
        # The network watch is made on the GUI thread (where its signal is delivered), now too.
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, self.context.sync_events, self._watch_network)
        try:
            from referral_desktop.sync.outbox_worker import OutboxWorker

            self.store = ProfileGateway(self.context.profile_dir, self.context.clock).open(passphrase)
            del passphrase
            worker = OutboxWorker.from_policy(self.store, self.context.policy, clock=self.context.clock,
                                              contacts=self.context.contact_directory())
            self.context.sync_events.attach(worker)
            self.context.sync_worker = worker
            self.worker = worker
            worker.recover_interrupted()
            worker.run_forever(self._stop)
        except Exception as exc:  # the app stays usable; referrals wait in the outbox
            log.error("background sending stopped: %s", type(exc).__name__)
        finally:
            if self.store is not None:
                self.store.close()
                self.store = None

    def _watch_network(self) -> None:
        """On the GUI thread, once the home screen is shown after the first unlock (not at start-up or
        during unlock: loading the platform's network backend took 50-100 ms there): the OS's
        network-change signal nudges the sender."""
        try:
            from referral_desktop.ui.network_watch import NetworkWatch, nudge_worker_of

            self.network_watch = NetworkWatch(nudge_worker_of(self.context))
        except Exception as exc:  # the health probe still notices, only later
            log.info("network watch not started: %s", type(exc).__name__)

    def stop(self) -> None:
        self._stop.set()
        self.context.home_shown.set()  # a sender still waiting for the home screen ends at once
        if self.worker is not None:
            self.worker.nudge()
        if self._thread is not None:
            self._thread.join(timeout=10)


def start_sync(context: AppContext) -> SyncHandle:
    return SyncHandle(context)
