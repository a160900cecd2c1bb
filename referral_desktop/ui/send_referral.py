"""Queue a checked referral for sending: validate, freeze the payload once, put it in the outbox.

Why here: "Send referral" on the check page only asks; the freezing (canonical JSON, encrypted to iART's
key when the policy has one) and the outbox entry are store work, done on the store thread. Sending
itself is the sync worker's job and happens whenever a connection allows.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

log = logging.getLogger(__name__)


class NotReadyToSend(Exception):
    """The referral still has errors (``count`` of them); the editor shows them."""

    def __init__(self, count: int) -> None:
        super().__init__(f"{count} answers need attention")
        self.count = count


def queue_referral(store: Any, referral_id: str, policy: Any, now: datetime) -> str:
    """Store-thread work; returns the new state."""
    try:  # the sync layer's own entry point, when it offers one
        from referral_desktop.sync import queueing  # type: ignore[attr-defined]

        return str(queueing.queue_referral(store, referral_id, policy=policy, now=now))
    except ImportError:
        pass
    from referral_desktop.domain.form_catalog import load_form
    from referral_desktop.domain.validation import validate
    from referral_desktop.sync.payload import answers_document, freeze_document

    referral = store.referrals.get(referral_id)
    form = load_form(referral.form_id, referral.form_version)
    result = validate(form, referral.answers, today=now.date(),
                      test_deployment=bool(getattr(policy, "test_deployment", False)))
    if not result.is_valid:
        raise NotReadyToSend(len(result.errors))
    document = answers_document(referral.form_id, referral.form_version, referral.answers)
    frozen = freeze_document(document, getattr(policy, "iart_public_key", None))
    store.referrals.freeze(referral_id, frozen.data, frozen.content_type)
    store.outbox.enqueue(referral_id)
    log.info("referral %s queued", referral_id)
    return "queued"
