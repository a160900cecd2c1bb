"""Headless commands of the store area, for IT, tests and integrators.

``store create`` (a new store; the passphrase from a prompt or ``--passphrase-stdin``), ``store check``
(integrity, cipher integrity, schema version), ``store restore`` (the newest snapshot in place of a
damaged store), ``import FILE`` (answers document → new draft; prints the
new id) and ``list`` (id, state, created, updated). Nothing here prints personal data: ids, states,
times, counts and check results only. A wrong passphrase makes the command wait out the progressive
delay (the GUI shows a countdown instead).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from referral_desktop.commands.passphrase_input import add_passphrase_option, read_passphrase
from referral_desktop.commands.store_unlock import CommandFailed, open_store_for_command, store_problem
from referral_desktop.profile_location import resolve_profile_dir
from referral_desktop.store import (
    StoreDamaged,
    StoreError,
    StoreExists,
    WeakPassphrase,
    WrongPassphrase,
    create_store,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Adds ``store create``, ``store check``, ``import`` and ``list``."""
    store_parser = subparsers.add_parser("store", help="create or check the encrypted store")
    store_sub = store_parser.add_subparsers(dest="store_command", metavar="ACTION", required=True)

    create_parser = store_sub.add_parser(
        "create", help="create an empty store in the profile (asks for a new passphrase)"
    )
    add_passphrase_option(create_parser)
    create_parser.set_defaults(handler=run_create)

    check_parser = store_sub.add_parser(
        "check", help="check integrity, cipher integrity (every page's HMAC) and schema version"
    )
    add_passphrase_option(check_parser)
    check_parser.add_argument("--json", action="store_true", help="print the report as JSON")
    check_parser.set_defaults(handler=run_check)

    restore_parser = store_sub.add_parser(
        "restore",
        help="put the newest snapshot (an encrypted copy) in place of a damaged store; the damaged file is kept",
    )
    restore_parser.add_argument("--list", action="store_true", help="list the snapshots and change nothing")
    add_passphrase_option(restore_parser)
    restore_parser.set_defaults(handler=run_restore)

    import_parser = subparsers.add_parser(
        "import", help="import an answers document as a new draft (prints the new referral's id)"
    )
    import_parser.add_argument("file", metavar="FILE", help="answers document (JSON: form_id, form_version, answers)")
    add_passphrase_option(import_parser)
    import_parser.set_defaults(handler=run_import)

    list_parser = subparsers.add_parser("list", help="list referrals: id, state, created, updated, documents sent")
    add_passphrase_option(list_parser)
    list_parser.add_argument("--json", action="store_true", help="print the list as JSON")
    list_parser.set_defaults(handler=run_list)


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def _profile(args: argparse.Namespace) -> Path:
    return resolve_profile_dir(getattr(args, "profile", None))


def _unlock(args: argparse.Namespace):  # noqa: ANN202 - returns a Store or an exit code
    try:
        return open_store_for_command(args)
    except CommandFailed as failed:
        _say(failed.message)
        return failed.code


def run_create(args: argparse.Namespace) -> int:
    profile = _profile(args)
    passphrase = read_passphrase(args, "New passphrase: ")
    if not getattr(args, "passphrase_stdin", False):
        if read_passphrase(args, "Repeat the passphrase: ") != passphrase:
            _say("The passphrases do not match.")
            return 1
    try:
        store = create_store(profile, passphrase)
    except WeakPassphrase as exc:
        for reason in exc.reasons:
            _say(reason)
        return 1
    except StoreExists:
        _say(f"A store already exists in {profile}.")
        return 1
    store.close()
    print(f"Created the store in {profile}")
    from referral_desktop.store.snapshots import EARLIER_DIR

    earlier = sorted((profile / EARLIER_DIR).glob("*")) if (profile / EARLIER_DIR).is_dir() else []
    if earlier:
        print(f"Copies of an earlier store were kept, not deleted: {profile / EARLIER_DIR}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    store = _unlock(args)
    if isinstance(store, int):
        return store
    try:
        report = store.check()
    finally:
        store.close()
    if args.json:
        print(json.dumps({
            "ok": report.ok,
            "schema_version": report.schema_version,
            "latest_schema_version": report.latest_schema_version,
            "integrity_problems": report.integrity_problems,
            "cipher_integrity_problems": report.cipher_integrity_problems,
        }, indent=2))
    else:
        print(f"integrity: {'ok' if not report.integrity_problems else f'{len(report.integrity_problems)} problems'}")
        for problem in report.integrity_problems:
            print(f"  {problem}")
        cipher = report.cipher_integrity_problems
        print(f"cipher integrity: {'ok' if not cipher else f'{len(cipher)} problems'}")
        for problem in cipher:
            print(f"  {problem}")
        print(f"schema version: {report.schema_version} (latest {report.latest_schema_version})")
    if report.integrity_problems or report.cipher_integrity_problems:
        _say(store_problem(StoreDamaged()))
        return 2
    return 0 if report.ok else 1


def _read_document(path: str) -> dict[str, Any] | str:
    """The answers document, if it is one for a form this app knows; else a sentence saying why not."""
    from referral_desktop.commands.answers_document import read_answers_document
    from referral_desktop.domain.form_catalog import FormDefinitionError, load_form

    document = read_answers_document(path)
    if isinstance(document, str):
        return document
    try:
        load_form(document["form_id"], document["form_version"])
    except FormDefinitionError:
        return "The file is for a form this app does not have."
    return document


def run_import(args: argparse.Namespace) -> int:
    if args.file == "-" and getattr(args, "passphrase_stdin", False):
        _say("Give the answers document as a file when the passphrase comes from standard input.")
        return 2
    from referral_desktop.commands.profile_forms import offer_profile_forms

    offer_profile_forms(args)  # the document may be on a verified form update
    document = _read_document(args.file)
    if isinstance(document, str):
        _say(document)
        return 2
    store = _unlock(args)
    if isinstance(store, int):
        return store
    try:
        referral = store.referrals.create_draft(document["form_id"], document["form_version"], document["answers"])
    finally:
        store.close()
    print(referral.id)
    return 0


def run_list(args: argparse.Namespace) -> int:
    store = _unlock(args)
    if isinstance(store, int):
        return store
    try:
        summaries = store.referrals.list_summaries()
        progress = store.uploads.progress()
    finally:
        store.close()
    rows = []
    for s in summaries:
        counts = progress.get(s.id) if s.state.value != "purged" else None
        rows.append({
            "id": s.id, "state": s.state.value, "created": s.created_at.isoformat(timespec="seconds"),
            "updated": s.updated_at.isoformat(timespec="seconds"),
            "documents": None if counts is None else {
                "sent": counts.uploaded, "total": counts.total, "could_not_be_sent": counts.failed,
            },
        })
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(f"{'id':36}  {'state':14}  {'created':25}  {'updated':25}  documents")
    for row, s in zip(rows, summaries, strict=True):
        counts = progress.get(s.id) if row["documents"] is not None else None
        documents = counts.sentence() if counts is not None else "-"
        print(f"{row['id']:36}  {row['state']:14}  {row['created']:25}  {row['updated']:25}  {documents}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from referral_desktop.store.snapshots import list_snapshots, restore_snapshot

    profile = _profile(args)
    snapshots = list_snapshots(profile)
    if args.list:
        for snapshot in snapshots:
            print(f"{snapshot_time(snapshot.taken_at)}\t{snapshot.path.name}")
        if not snapshots:
            _say("There is no copy of the store to restore.")
        return 0
    if not snapshots:
        _say("There is no copy of the store to restore.")
        return 2
    passphrase = read_passphrase(args)
    had_store = (profile / "store.db").exists()
    try:
        restored = restore_snapshot(profile, passphrase)
    except WrongPassphrase:
        _say("The passphrase does not open the copy. Nothing was changed.")
        return 1
    except StoreError as exc:
        _say(f"{exc}. Nothing was changed.")
        return 2
    replaced = (f" The store it replaced is kept in {profile / 'damaged'}." if had_store
                else " There was no store file to replace.")
    print(f"Restored the copy from {snapshot_time(restored.taken_at)}.{replaced} Work saved after that time is "
          "not in the copy.")
    return 0


def snapshot_time(taken_at) -> str:  # noqa: ANN001
    """'27 Nov 10:42' in UK time, as the unlock screen says it."""
    from referral_desktop.store.snapshots import copy_time

    return copy_time(taken_at)
