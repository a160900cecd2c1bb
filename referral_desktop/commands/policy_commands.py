"""``referral-desktop policy check [FILE]`` and ``referral-desktop policy schema``: for IT.

``check`` validates a policy file (every setting, then the files it names) and explains any mistake by
setting name, one line per problem: exit 0 valid, 1 invalid, 2 unreadable. With no FILE it checks the
policy the app would use (``--policy``, ``REFERRAL_DESKTOP_POLICY``, then the machine-wide file).
``schema`` prints the JSON Schema of the policy file for configuration tools. Neither prints a value
from the policy (it may hold a bearer token).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from referral_desktop.policy import (
    DEFAULT_API_BASE_URL,
    POLICY_ENV,
    PolicyError,
    PolicyUnreadable,
    check_referenced_files,
    load_policy,
    machine_policy_path,
    machine_policy_problems,
    policy_schema,
    read_policy_file,
    referenced_file_warnings,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Adds ``policy check`` and ``policy schema``."""
    policy = subparsers.add_parser("policy", help="check the deployment policy, or print its schema")
    actions = policy.add_subparsers(dest="policy_command", metavar="ACTION")

    check = actions.add_parser(
        "check",
        help="validate a policy file (exit 0 valid, 1 invalid, 2 unreadable)",
        description="Validate a deployment policy file and the files it names. With no FILE, the policy "
        "this machine would use.",
    )
    check.add_argument("file", nargs="?", metavar="FILE", help="policy file (default: the one in force)")
    check.add_argument(
        "--settings-only",
        action="store_true",
        help="check the settings only, not the files they name (for a policy prepared on another machine)",
    )
    check.set_defaults(handler=_check)

    schema = actions.add_parser("schema", help="print the policy file's JSON Schema")
    schema.set_defaults(handler=_schema)

    policy.set_defaults(handler=lambda args: _usage(policy))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _check(args: argparse.Namespace) -> int:
    try:
        if args.file:
            policy = read_policy_file(Path(args.file))
        else:
            named = getattr(args, "policy", None) or os.environ.get(POLICY_ENV)
            policy = load_policy(named or None)
            if policy.source is None and not policy.origins():
                print(
                    f"No policy file at {machine_policy_path()}, no settings from Group Policy or a "
                    f"configuration profile (and {POLICY_ENV} is not set): the built-in defaults apply, "
                    f"pointing at a local sandbox ({DEFAULT_API_BASE_URL})."
                )
                return 0
    except PolicyUnreadable as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except PolicyError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    problems = [] if args.settings_only else check_referenced_files(policy)
    problems += machine_policy_problems(policy, machine_policy_path())
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    for warning in [] if args.settings_only else referenced_file_warnings(policy):
        print(f"Warning: {warning}", file=sys.stderr)
    what = "settings are" if args.settings_only else "settings and the files it names are"
    where = " + ".join(dict.fromkeys(label for _kind, label in policy.origins().values())) or str(policy.source)
    print(f"{where}: valid ({what} correct).")
    return 0


def _schema(args: argparse.Namespace) -> int:
    print(json.dumps(policy_schema(), indent=2))
    return 0
