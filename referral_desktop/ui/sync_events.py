"""Re-emits the sync worker's plain-callback events as Qt signals, delivered on the GUI thread.

Why: the sync layer knows nothing of Qt (it is tested without a display, as Electrum keeps its wallet
core free of Qt); it calls plain callbacks from its own thread. Emitting a signal from that thread makes
Qt queue the call onto the GUI thread, where screens may safely update widgets.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


class SyncEvents(QObject):
    """``state_changed(referral_id, state)``, ``connection_changed(online)`` and ``clock_compared(seconds)``
    (this computer's clock less iART's, after each health answer) as signals."""

    state_changed = Signal(str, str)
    connection_changed = Signal(bool)
    clock_compared = Signal(float)

    def attach(self, worker: Any) -> None:
        """Subscribe to whatever hooks the worker offers (``on_change``, ``on_connection``)."""
        on_change = getattr(worker, "on_change", None)
        if callable(on_change):
            on_change(self.emit_state)
        on_connection = getattr(worker, "on_connection", None) or getattr(worker, "on_connectivity", None)
        if callable(on_connection):
            on_connection(self.emit_connection)
        on_clock = getattr(worker, "on_clock", None)
        if callable(on_clock):
            on_clock(self.emit_clock)

    def emit_state(self, referral_id: Any, state: Any) -> None:
        """Callable from any thread."""
        self.state_changed.emit(str(referral_id), str(getattr(state, "value", state)))

    def emit_connection(self, online: Any) -> None:
        """Callable from any thread."""
        self.connection_changed.emit(bool(online))

    def emit_clock(self, skew_seconds: Any) -> None:
        """Callable from any thread."""
        self.clock_compared.emit(float(skew_seconds))
