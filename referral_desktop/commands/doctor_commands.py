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
    doctor.add_argument("--json-schema", action="store_true",
                        help="print the JSON Schema of the --json output, and run no checks")
    doctor.add_argument(
        "--timeout", type=float, default=10.0, metavar="SECONDS", help="network timeout per request (default 10)"
    )
    doctor.set_defaults(handler=_doctor)

    write = subparsers.add_parser(
        "write-policy",
        help="write a machine-wide policy file from settings (used by the installers)",
        description="Write a policy file from the given settings, after checking them exactly as the app "
        "will when it reads the file. The MSI runs this with its silent-install properties (API_URL, "
        "TOKEN_FILE, ...); IT can run it by hand. An empty value means the setting is not given. Default "
        "output: this platform's machine-wide location.",
    )
    write.add_argument("--output", metavar="FILE", help="where to write (default: the machine-wide policy path)")
    replace = write.add_mutually_exclusive_group()
    replace.add_argument("--force", action="store_true", help="replace an existing policy file")
    replace.add_argument(
        "--update", action="store_true",
        help="keep an existing file unless a given setting differs from it; then change only those settings "
        "and keep the previous file beside it as policy.toml.previous (what installer upgrades run)",
    )
    from referral_desktop.policy.writing import WRITABLE_SETTINGS

    for setting, kind in WRITABLE_SETTINGS.items():
        option = "--" + setting.replace("_", "-")
        if kind == "list":
            write.add_argument(option, action="append", metavar="VALUE", help=f"policy setting {setting} (repeatable)")
        else:
            write.add_argument(option, metavar=kind.upper(), help=f"policy setting {setting}")
    write.set_defaults(handler=_write_policy)

    remove = subparsers.add_parser(
        "remove-user-data",
        help="delete a user's encrypted store and logs (or every user's, for uninstalling)",
        description="Delete the app's per-user folders: the encrypted store (with any unsent work) and "
        "the logs. Without --all-users, the current user's; with it (as an administrator), every user's "
        "on this machine, as the MSI does with REMOVE_USER_DATA=1. Prints folders and counts only.",
    )
    remove.add_argument("--all-users", action="store_true", help="every user's folders (administrators)")
    remove.add_argument("--yes", action="store_true", help="really delete (otherwise only list what would go)")
    remove.set_defaults(handler=_remove_user_data)


def _write_policy(args: argparse.Namespace) -> int:
    from referral_desktop.policy import PolicyError, machine_policy_path
    from referral_desktop.policy.writing import (
        WRITABLE_SETTINGS,
        settings_from_arguments,
        write_policy_file,
    )

    output = Path(args.output) if args.output else machine_policy_path()
    try:
        settings = settings_from_arguments({name: getattr(args, name, None) for name in WRITABLE_SETTINGS})
        result = write_policy_file(settings, output, replace=args.force, update=args.update)
    except PolicyError as exc:  # a wrong setting, or the file exists (PolicyExists)
        print(str(exc), file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{output} could not be written ({exc.strerror or type(exc).__name__}).", file=sys.stderr)
        return 2
    if result.action == "unchanged":
        print(f"{output} already has these settings; left as it is.")
    elif result.action == "updated":
        print(f"Updated {', '.join(result.settings)} in {output}; the previous file is {result.previous}.")
    else:
        print(f"Wrote {output} ({len(result.settings)} setting(s)).")
    return 0


def _remove_user_data(args: argparse.Namespace) -> int:
    import shutil

    from referral_desktop.diagnostics.user_data_locations import all_users_data, current_user_data
    from referral_desktop.store import store_exists, unsent_summary

    users = all_users_data() if args.all_users else [current_user_data()]
    users = [u for u in users if u.folders]
    if not users:
        print("No Referral Desktop data found.")
        return 0
    failed = 0
    for user in users:
        for folder in user.folders:
            unsent = ""
            try:
                if store_exists(folder):
                    summary = unsent_summary(folder)
                    unsent = f" (encrypted store: {summary.drafts} draft(s), {summary.waiting_to_send} waiting to send)"
            except Exception:  # no counts file: the folder is still listed
                unsent = ""
            if not args.yes:
                print(f"would remove {folder}{unsent}")
                continue
            try:
                shutil.rmtree(folder)
                print(f"removed {folder}{unsent}")
            except OSError as exc:
                failed += 1
                print(f"could not remove {folder} ({exc.strerror or type(exc).__name__})", file=sys.stderr)
    if not args.yes:
        print("Nothing removed: add --yes to delete these folders (unsent work cannot be recovered).")
    return 1 if failed else 0


def _doctor(args: argparse.Namespace) -> int:
    from referral_desktop.diagnostics.doctor_checks import run_checks
    from referral_desktop.diagnostics.doctor_environment import DoctorEnvironment
    from referral_desktop.diagnostics.doctor_report import REPORT_SCHEMA, report
    from referral_desktop.diagnostics.doctor_results import exit_code
    from referral_desktop.logging_setup import default_log_dir
    from referral_desktop.profile_location import resolve_profile_dir

    if args.json_schema:
        print(json.dumps(REPORT_SCHEMA, indent=2))
        return 0
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
        print(json.dumps(report(results, code), indent=2))
    else:
        for result in results:
            print(result.line())
        worst = max(r.status for r in results)
        print(f"doctor: {worst.label} ({sum(r.status.label == 'ok' for r in results)} of {len(results)} checks ok)")
    sys.stdout.flush()
    return code
