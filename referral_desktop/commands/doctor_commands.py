"""``referral-desktop doctor``: check this machine for IT, one line per check, no personal data.

Uses the global ``--policy`` and ``--profile`` options like every command. The store is opened only
when the passphrase is given on standard input (``--passphrase-stdin``); otherwise its presence is
reported. Exit code from the worst result: 0 all ok, 1 warnings only, 2 at least one failure.

The self-test of an installed app is ``referral-desktop self-test`` (see ``referral_desktop.ui.self_test``:
it needs Qt, which this package must not import).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from referral_desktop.commands.passphrase_input import add_passphrase_option, read_passphrase


def register(subparsers: argparse._SubParsersAction) -> None:
    doctor = subparsers.add_parser(
        "doctor",
        help="check this machine: policy, data folder, store, API, TLS, clock, disk (for IT)",
        description="Check that this machine can run Referral Desktop and reach iART: the policy is "
        "valid, the data folder is writable and private, the store opens (with --passphrase-stdin), the "
        "API answers through the configured or system proxy, TLS verifies (trust store, pins, client "
        "certificate), the clock agrees with the server's, and there is disk space. One line per check "
        "(ok / warn / fail); exit code 0 all ok, 1 warnings only, 2 a failure. Prints no personal data.",
    )
    add_passphrase_option(doctor)
    doctor.add_argument("--json", action="store_true", help="print the results as JSON (for IT's tools)")
    doctor.add_argument(
        "--timeout", type=float, default=10.0, metavar="SECONDS", help="network timeout per request (default 10)"
    )
    doctor.set_defaults(handler=_doctor)


def _doctor(args: argparse.Namespace) -> int:
    from referral_desktop.diagnostics.doctor_checks import DoctorEnvironment, exit_code, run_checks
    from referral_desktop.logging_setup import default_log_dir
    from referral_desktop.profile_location import resolve_profile_dir

    passphrase = read_passphrase(args) if getattr(args, "passphrase_stdin", False) else None
    env = DoctorEnvironment(
        policy_path=Path(args.policy) if getattr(args, "policy", None) else None,
        profile_dir=resolve_profile_dir(getattr(args, "profile", None)),
        log_dir=default_log_dir(),
        passphrase=passphrase,
        timeout_seconds=max(1.0, float(args.timeout)),
    )
    del passphrase
    results = run_checks(env)
    code = exit_code(results)
    if args.json:
        print(json.dumps(
            {"results": [{"check": r.name, "status": r.status.label, "detail": r.detail} for r in results],
             "exit_code": code},
            indent=2,
        ))
    else:
        for result in results:
            print(result.line())
        worst = max(r.status for r in results)
        print(f"doctor: {worst.label} ({sum(r.status.label == 'ok' for r in results)} of {len(results)} checks ok)")
    sys.stdout.flush()
    return code
