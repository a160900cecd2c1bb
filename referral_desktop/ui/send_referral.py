"""Queue a checked referral for sending (validate, freeze once, outbox), through the sync layer.

Why a wrapper: "Send referral" on the check page only asks; the work is the sync layer's
``queue_referral`` (the one path the UI and the CLI share), run here on the store thread with the
clock's UK date. Sending itself is the sync worker's job, whenever a connection allows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from referral_desktop.sync.queueing import QueueRefused
from referral_desktop.sync.queueing import queue_referral as _queue
from referral_desktop.ui.display_format import uk_local

__all__ = ["QueueRefused", "queue_referral"]


def queue_referral(store: Any, referral_id: str, policy: Any, now: datetime) -> Any:
    """Store-thread work; returns the sync layer's QueueResult or raises ``QueueRefused``."""
    return _queue(store, referral_id, policy, uk_local(now).date())
