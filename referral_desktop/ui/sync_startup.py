"""Starts the background sender once the store is unlocked, and stops it when the app quits.

Why separate: the sync worker belongs to the sync layer and keeps sending while the app is locked; the
shell only starts it after the first unlock, hands it the store, and relays its events through
``SyncEvents``. Until the sync layer's worker exists, this does nothing and the home screen says so.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)


class SyncHandle:
    def __init__(self, context: Any, window: Any) -> None:
        self.context = context
        self.worker: Any = None
        # Locking does not stop the worker: only quitting does.
        window.session_unlocked.connect(self.start_once)

    def start_once(self) -> None:
        if self.worker is not None or self.context.runner.store is None:
            return
        try:
            from referral_desktop.sync import outbox_worker  # type: ignore[attr-defined]
        except ImportError:
            log.info("sync worker not available in this build")
            return
        try:
            factory = getattr(outbox_worker, "start_worker", None) or getattr(outbox_worker, "OutboxWorker")
            self.worker = factory(
                profile_dir=self.context.profile_dir, policy=self.context.policy, clock=self.context.clock,
                store=self.context.runner.store,
            )
            self.context.sync_events.attach(self.worker)
            self.context.sync_worker = self.worker
            start = getattr(self.worker, "start", None)
            if callable(start):
                start()
        except Exception as exc:
            log.warning("sync worker did not start: %s", type(exc).__name__)
            self.worker = None

    def stop(self) -> None:
        stop = getattr(self.worker, "stop", None)
        if callable(stop):
            stop()


def start_sync(context: Any, window: Any) -> SyncHandle:
    return SyncHandle(context, window)
