"""What the doctor checks look at (:class:`DoctorEnvironment`) and what one check hands to the next
(:class:`SharedFindings`).

The surroundings are a value rather than globals so that tests can point each check at a folder, a clock,
a disk-usage function or a threshold that makes it fail against the real sandbox.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from referral_desktop.diagnostics.doctor_results import CheckResult

MB = 1024 * 1024


@dataclass
class DoctorEnvironment:
    """What the checks look at. ``passphrase`` None: the store is not opened."""

    policy_path: Path | None
    profile_dir: Path
    log_dir: Path
    passphrase: str | None = None
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC))
    disk_usage: Callable[[Path], Any] = shutil.disk_usage
    fail_below_free_bytes: int = 200 * MB
    warn_below_free_bytes: int = 1024 * MB
    warn_clock_skew: timedelta = timedelta(minutes=1)
    fail_clock_skew: timedelta = timedelta(minutes=5)
    warn_certificate_days: int = 30
    timeout_seconds: float = 10.0
    # Where the machine policy is read from (None: this machine's file and management tools' settings).
    machine_policy_path: Path | None = None
    managed_policy_sources: Sequence[Any] | None = None


@dataclass
class SharedFindings:
    """What one check learns that a later one needs."""

    policy: Any = None
    policy_problem: str | None = None
    health: Any = None
    network_problem: str | None = None
    tls_failure: CheckResult | None = None
    client: Any = None
