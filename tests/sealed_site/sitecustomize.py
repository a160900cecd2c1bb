"""Seals every Python process the tests start from this machine's own policy file.

The tests put this folder on ``PYTHONPATH`` (``tests/conftest.py``), so a command run as a subprocess
(``referral-desktop --policy FILE ...``) reads ``$REFERRAL_DESKTOP_TEST_MACHINE_POLICY`` where it would
read ``/etc/referral-desktop/policy.toml``: a machine with the .deb and a policy installed (say with
``allow_user_policy = false``) must not change what the tests see. Only the tests set that variable and
this path; the app itself never reads either.

The path is swapped when ``referral_desktop.policy.sources`` is first imported, not here: importing it
now would load the policy package (and pydantic) into every process, which the start-up tests forbid.
"""

from __future__ import annotations

import importlib.abc
import os
import sys
from pathlib import Path

_MODULE = "referral_desktop.policy.sources"


class _SealOnImport(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):  # noqa: ANN001, ANN201
        if name != _MODULE:
            return None
        sys.meta_path.remove(self)
        try:
            from importlib.util import find_spec

            spec = find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None:
            return spec
        real_exec = spec.loader.exec_module

        def exec_module(module):  # noqa: ANN001, ANN202
            real_exec(module)
            module.LINUX_POLICY_PATH_AS_WRITTEN = module.LINUX_POLICY_PATH  # for the test of the real path
            module.LINUX_POLICY_PATH = Path(os.environ["REFERRAL_DESKTOP_TEST_MACHINE_POLICY"])

        spec.loader.exec_module = exec_module
        return spec


if os.environ.get("REFERRAL_DESKTOP_TEST_MACHINE_POLICY"):
    sys.meta_path.insert(0, _SealOnImport())
