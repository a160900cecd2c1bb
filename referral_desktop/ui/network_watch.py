"""Wakes the background sender when the operating system says the network is back.

Why: PRODUCT.md §4 — sending starts by itself as soon as the API is reachable again: the sender's own
health probe (with backoff) finds that out eventually; the operating system's network-change signal,
where Qt offers one (``QNetworkInformation``: NetworkManager on Linux, the Network List Manager on
Windows, SystemConfiguration on macOS), finds it out at once. Only the move *to* Online matters: it
calls ``nudge()``, and the sender probes the API straight away (the network being up does not mean iART
answers). Where no backend loads (offscreen test runs, minimal containers), the probe alone does the job.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QNetworkInformation

log = logging.getLogger(__name__)

Reachability = QNetworkInformation.Reachability


def load_system_source() -> Any | None:
    """The platform's ``QNetworkInformation`` instance, or None where none is available."""
    try:
        instance = QNetworkInformation.instance()
        if instance is None:
            loaded = QNetworkInformation.loadBackendByFeatures(QNetworkInformation.Feature.Reachability)
            if not loaded:
                loaded = QNetworkInformation.loadDefaultBackend()
            instance = QNetworkInformation.instance() if loaded else None
    except Exception as exc:  # a backend that fails to start must not stop the app
        log.info("network information unavailable (%s)", type(exc).__name__)
        return None
    if instance is None:
        log.info("no network-change signal on this system; the health probe alone will notice")
        return None
    log.info("network-change signal from the %s backend", instance.backendName())
    return instance


class NetworkWatch(QObject):
    """Calls ``wake()`` when reachability becomes Online (from anything less).

    ``source`` is anything with a ``reachabilityChanged(Reachability)`` signal and a ``reachability()``
    method (QNetworkInformation in the app, a stand-in in tests); None loads the system's.
    """

    def __init__(self, wake: Callable[[], None], source: Any | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._wake = wake
        self.source = source if source is not None else load_system_source()
        self.last: Any = None
        self.wakes = 0
        if self.source is not None:
            try:
                self.last = self.source.reachability()
            except Exception:
                self.last = None
            self.source.reachabilityChanged.connect(self._reachability_changed)

    @property
    def available(self) -> bool:
        return self.source is not None

    def _reachability_changed(self, reachability: Any) -> None:
        before, self.last = self.last, reachability
        log.info("network reachability now %s", getattr(reachability, "name", reachability))
        if reachability == Reachability.Online and before != Reachability.Online:
            self.wakes += 1
            try:
                self._wake()
            except Exception:  # the sender may be stopping; the probe will notice anyway
                log.exception("could not wake the sender")


def nudge_worker_of(context: Any) -> Callable[[], None]:
    """A ``wake`` for :class:`NetworkWatch` that nudges whichever sender is running (none before unlock)."""

    def wake() -> None:
        worker = getattr(context, "sync_worker", None)
        if worker is not None and callable(getattr(worker, "nudge", None)):
            worker.nudge()

    return wake
