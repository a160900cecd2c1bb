"""The profile's verified form updates, for the commands that read an answers document.

Why: a referral started on a form update the app accepted (signed with the policy's
``form_signing_key`` and kept in the profile's form cache) names a version the bundled forms do not
have. ``validate`` and ``import`` must know that version as the desktop app does, or they would call a
good document "a form this app does not have". Without a signing key in the policy nothing in the
cache is trusted, and only the bundled forms are known.
"""

from __future__ import annotations

import argparse
import logging
from typing import Any

log = logging.getLogger(__name__)


def offer_profile_forms(args: argparse.Namespace, policy: Any = None) -> None:
    """Register the verified cache of the profile named by ``args`` (``--profile`` or the default) with
    the form catalog. ``policy`` is read from ``args`` when not given; a policy that cannot be read
    leaves only the bundled forms known (the commands that need the policy report its problems)."""
    from referral_desktop.policy import PolicyError, load_policy

    if policy is None:
        try:
            policy = load_policy(getattr(args, "policy", None))
        except PolicyError:
            log.info("form updates not offered: the policy cannot be read")
            return
    if not getattr(policy, "form_signing_key", None):
        # Nothing in the cache is trusted: only the bundled forms, and the form-update machinery (JOSE,
        # the API client) is not even imported.
        from referral_desktop.domain.form_catalog import set_extra_form_sources

        set_extra_form_sources(())
        return
    from referral_desktop.profile_location import resolve_profile_dir
    from referral_desktop.sync.form_updates import use_verified_cache

    use_verified_cache(resolve_profile_dir(getattr(args, "profile", None)), policy)
