"""The doctor's policy check: does the policy load, can the files it names be used, and which source set
each setting.

First because everything that talks to the API depends on it: a policy that fails here leaves the network
checks "not checked" (see :class:`~.doctor_environment.SharedFindings`).
"""

from __future__ import annotations

from typing import Any

from referral_desktop.diagnostics.doctor_environment import DoctorEnvironment, SharedFindings
from referral_desktop.diagnostics.doctor_results import CheckResult, Status


def check_policy(env: DoctorEnvironment, shared: SharedFindings) -> CheckResult:
    from referral_desktop.policy import (
        PolicyError,
        check_referenced_files,
        load_policy,
        machine_policy_path,
        machine_policy_problems,
        referenced_file_warnings,
    )

    try:
        policy = load_policy(env.policy_path, machine_path=env.machine_policy_path,
                             managed_sources=env.managed_policy_sources)
    except PolicyError as exc:
        shared.policy_problem = "the policy is not valid"
        first = exc.problems[0] if exc.problems else "not valid"
        more = f" (and {len(exc.problems) - 1} more; run 'referral-desktop policy check')" if len(exc.problems) > 1 else ""
        return CheckResult("policy", Status.FAIL, first + more)
    problems = check_referenced_files(policy)
    problems += machine_policy_problems(policy, env.machine_policy_path or machine_policy_path())
    if not problems:
        try:
            policy.read_bearer_token()
        except PolicyError as exc:
            problems = list(exc.problems)
    if problems:
        shared.policy_problem = "a file the policy names cannot be used"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        return CheckResult("policy", Status.FAIL, problems[0] + more)
    shared.policy = policy
    if policy.source is None and not policy.origins():
        return CheckResult(
            "policy", Status.WARN,
            f"no policy file at {env.machine_policy_path or machine_policy_path()}; using the built-in defaults "
            f"(a sandbox at {policy.api_base_url})",
        )
    extras = []
    if policy.test_deployment:
        extras.append("test deployment")
    if not policy.allow_user_policy:
        extras.append("cannot be replaced by users")
    suffix = f" ({', '.join(extras)})" if extras else ""
    warnings = referenced_file_warnings(policy)
    if warnings:
        return CheckResult("policy", Status.WARN, "; ".join(warnings) + f" — {_policy_sources(policy)}{suffix}")
    return CheckResult("policy", Status.OK, f"{_policy_sources(policy)}{suffix}")


def _policy_sources(policy: Any) -> str:
    """Which source set each setting: "<file> is valid; from the file <path>: a, b; from the registry
    <key>: c; every other setting has its default"."""
    by_source: dict[tuple[str, str], list[str]] = {}
    for name, source in policy.origins().items():
        by_source.setdefault(source, []).append(name)
    labels = " + ".join(label for _kind, label in by_source)
    parts = [f"from the {kind} {label}: {', '.join(names)}" for (kind, label), names in by_source.items()]
    return f"{labels} is valid; " + "; ".join(parts) + "; every other setting has its default"
