"""The outbox worker's jobs, one module each; the scheduler (``sync/scheduler.py``) runs them.

``JOBS`` is the registration: the order here is the order of each round. To add a job, write its module
here (a :class:`~referral_desktop.sync.scheduler.Job` subclass taking the WorkerContext) and add its
class to ``JOBS``; see the scheduler's docstring.
"""

from __future__ import annotations

from referral_desktop.sync.jobs.form_update_checks import FormUpdateChecks
from referral_desktop.sync.jobs.purging import Purging
from referral_desktop.sync.jobs.reply_sending import ReplySending
from referral_desktop.sync.jobs.sending import Sending
from referral_desktop.sync.jobs.status_polling import StatusPolling
from referral_desktop.sync.jobs.uploads import AttachmentUploads

JOBS = (
    FormUpdateChecks,
    Sending,
    AttachmentUploads,
    ReplySending,
    StatusPolling,
    Purging,
)
