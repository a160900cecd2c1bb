"""``referral-desktop doctor``: is this machine ready to send referrals? One check per line, for IT.

Why these checks: they are what stops a referral leaving a school or surgery laptop in practice — a
policy typo, a profile folder another user can read or the app cannot write, a store that will not
open, a proxy or TLS-inspection box in the way, a pinned key that changed, a clock far enough off
to break certificate checks, a full disk. Each check says ok / warn / fail and one plain sentence
naming the setting, file, host or number involved; never an answer, a token or a passphrase.

Checks depend on each other only through the policy: without a valid policy the network checks are
reported as not checked (warn), so the worst result is still the policy's own failure.

The checks take their surroundings from :class:`DoctorEnvironment` (paths, clock, disk usage
function, thresholds) so that tests can make each one fail against the real sandbox.

This module runs them in order; each family lives in its own module: :mod:`.doctor_policy_check`,
:mod:`.doctor_local_checks` (folders, store, disk) and :mod:`.doctor_network_checks` (API, TLS,
credentials, clock), on the vocabulary of :mod:`.doctor_results` and :mod:`.doctor_environment`.
"""

from __future__ import annotations

from referral_desktop.diagnostics.doctor_environment import DoctorEnvironment, SharedFindings
from referral_desktop.diagnostics.doctor_local_checks import (
    check_data_folder,
    check_disk,
    check_log_folder,
    check_store,
)
from referral_desktop.diagnostics.doctor_network_checks import check_api, check_clock, check_credentials, check_tls
from referral_desktop.diagnostics.doctor_policy_check import check_policy
from referral_desktop.diagnostics.doctor_results import CheckResult


def run_checks(env: DoctorEnvironment) -> list[CheckResult]:
    """Every check, in the order IT reads them; the API client the network checks share is closed at the end."""
    shared = SharedFindings()
    results = [
        check_policy(env, shared),
        check_data_folder(env),
        check_store(env),
        check_log_folder(env),
    ]
    try:
        results += [
            check_api(env, shared),
            check_tls(env, shared),
            check_credentials(env, shared),
            check_clock(env, shared),
        ]
    finally:
        if shared.client is not None:
            shared.client.close()
    results.append(check_disk(env))
    return results
