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

    write = subparsers.add_parser(
        "write-policy",
        help="write a machine-wide policy file from settings (used by the installers)",
        description="Write a policy file from the given settings, after checking them exactly as the app "
        "will when it reads the file. The MSI runs this with its silent-install properties (API_URL, "
        "TOKEN_FILE, ...); IT can run it by hand. Default output: this platform's machine-wide location.",
    )
    write.add_argument("--output", metavar="FILE", help="where to write (default: the machine-wide policy path)")
    write.add_argument("--force", action="store_true", help="replace an existing policy file")
    for setting, kind in _WRITABLE_SETTINGS.items():
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


# The settings an installer can fix; the rest keep their defaults (IT edits the file for more).
_WRITABLE_SETTINGS = {
    "api_base_url": "url",
    "proxy_url": "url",
    "ca_bundle": "file",
    "certificate_pins": "list",
    "client_cert": "file",
    "client_key": "file",
    "bearer_token_file": "file",
    "iart_public_key": "file",
    "form_signing_key": "file",
    "retention_days": "int",
    "auto_lock_minutes": "int",
    "test_deployment": "bool",
    "log_level": "level",
}


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(str(value))  # a JSON string is a valid TOML basic string


def _write_policy(args: argparse.Namespace) -> int:
    import os

    from referral_desktop.policy import PolicyError, machine_policy_path, policy_from_mapping

    settings: dict[str, object] = {}
    for setting, kind in _WRITABLE_SETTINGS.items():
        value = getattr(args, setting, None)
        if value in (None, "", []):
            continue  # an MSI passes empty properties for settings IT did not give
        if kind == "int":
            try:
                value = int(value)
            except ValueError:
                print(f"{setting}: must be a whole number", file=sys.stderr)
                return 1
        elif kind == "bool":
            text = str(value).strip().lower()
            if text not in ("1", "0", "true", "false", "yes", "no"):
                print(f"{setting}: must be true or false", file=sys.stderr)
                return 1
            value = text in ("1", "true", "yes")
        elif kind == "file":
            value = str(Path(value).expanduser().resolve())
        settings[setting] = value
    output = Path(args.output) if args.output else machine_policy_path()
    try:
        policy_from_mapping(settings, path=output)
    except PolicyError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if output.exists() and not args.force:
        print(f"{output} exists; use --force to replace it.", file=sys.stderr)
        return 1
    lines = ["# Referral Desktop deployment policy, written by 'referral-desktop write-policy'.",
             "# Reference: the README's 'Deployment policy' section; check with 'referral-desktop policy check'."]
    lines += [f"{key} = {_toml_value(value)}" for key, value in settings.items()]
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        temporary = output.with_name(output.name + ".new")
        temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
        if os.name == "posix":
            os.chmod(temporary, 0o644)  # every user's app reads it; only administrators write it
        os.replace(temporary, output)
    except OSError as exc:
        print(f"{output} could not be written ({exc.strerror or type(exc).__name__}).", file=sys.stderr)
        return 2
    print(f"Wrote {output} ({len(settings)} setting(s)).")
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
