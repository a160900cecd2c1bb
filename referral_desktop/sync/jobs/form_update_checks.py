"""Form update checks: once the API answers after start-up, and then at most once a
``form_update_interval`` (a day), ask for the current form definition.

The check itself (verify the signature, keep a new version) is :mod:`referral_desktop.sync.form_updates`;
this job only decides when, retries sooner after a failed check (an hour, not a day), and tells the
listeners each result. Not configured (no signing key in the policy, or no profile): never due.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from referral_desktop.sync.api_client import ApiClient
from referral_desktop.sync.errors import TransportError
from referral_desktop.sync.scheduler import Job, JobOutcome
from referral_desktop.sync.worker_context import WorkerContext

log = logging.getLogger(__name__)

#: ``form_update(client)`` → a FormUpdateResult (see sync.form_updates); raises TransportError offline.
FormUpdateCheck = Callable[[ApiClient], Any]
FormUpdateListener = Callable[[Any], None]
#: After a failed form check (API unreachable, 5xx), try again this soon rather than a day later.
FORM_UPDATE_RETRY = timedelta(hours=1)


class FormUpdateChecks(Job):
    name = "form update check"

    def __init__(self, context: WorkerContext) -> None:
        self.context = context
        self.listeners: list[FormUpdateListener] = []
        self._next_check: datetime | None = None  # None: not checked since start-up

    def next_due(self, now: datetime) -> datetime | None:
        if self.context.settings.form_update is None:
            return None
        return self._next_check or now

    def run(self, now: datetime) -> JobOutcome:
        self.check_if_due()
        return JobOutcome()

    def check_if_due(self) -> Any | None:
        """Ask for a form update if none was asked since start-up or the interval has passed. Returns the
        result, or None when not due, not configured or the API could not answer (tried again sooner)."""
        context = self.context
        check = context.settings.form_update
        if check is None:
            return None
        interval = context.settings.form_update_interval
        now = context.clock()
        if self._next_check is not None and now < self._next_check:
            return None
        try:
            result = check(context.client())
        except TransportError as exc:
            self._next_check = now + min(interval, FORM_UPDATE_RETRY)
            log.info("form update check failed (%s)", exc.code)
            return None
        except Exception as exc:  # a bug here must not stop sending
            self._next_check = now + interval
            log.error("form update check failed (%s)", type(exc).__name__)
            return None
        self._next_check = now + interval
        for listener in list(self.listeners):
            try:
                listener(result)
            except Exception:
                log.exception("form update listener failed")
        return result


def profile_form_update(profile_dir: Path, policy: Any) -> FormUpdateCheck | None:
    """The daily form check for a profile, with its verified cache registered with the form catalog
    (so new referrals get an accepted update and drafts on it open). None without a signing key."""
    from referral_desktop.sync.form_updates import fetch_form_update, forms_cache_dir, use_verified_cache

    if use_verified_cache(profile_dir, policy) is None:
        return None
    cache_dir = forms_cache_dir(profile_dir)
    return lambda client: fetch_form_update(client, policy, cache_dir)
