"""``referral-desktop reply ID --text-file F [--attach FILE]...``: queue a reply to iART about a sent
referral, optionally with documents.

For tests and scripts (the referral's page has the reply box). The text is read from a UTF-8 file
(``-``: standard input), saved as the referral's draft reply, frozen once (encrypted to iART's key when
the policy has one) and queued; ``send`` (or the running app) sends it, exactly once, and then uploads
its documents. Every ``--attach`` file is checked by the form's rules (type by content, size) before
anything is saved, so a refused file leaves nothing queued; a refusal names the file by its position
(``--attach 2``), never by its name. Prints the reply's id and state only — never the text.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from referral_desktop.commands.passphrase_input import add_passphrase_option
from referral_desktop.commands.store_unlock import CommandFailed
from referral_desktop.commands.sync_commands import _open_store, _policy, _run


def register(subparsers: argparse._SubParsersAction) -> None:
    reply = subparsers.add_parser(
        "reply",
        help="queue a reply to iART about a sent referral (text from a file)",
        description="Save the text as the referral's reply, freeze it (encrypted to iART's key when the "
        "policy has one) and queue it; `send` or the running app sends it exactly once.",
    )
    reply.add_argument("referral_id", metavar="ID", help="the referral's id (UUID)")
    reply.add_argument("--text-file", required=True, metavar="FILE", help="UTF-8 text of the reply ('-': stdin)")
    reply.add_argument("--attach", action="append", default=[], metavar="FILE", type=Path,
                       help="a document to send with the reply (repeatable; the form's types and size limit)")
    add_passphrase_option(reply)
    reply.set_defaults(handler=_reply)


def _read_text(name: str) -> str:
    try:
        if name == "-":
            return sys.stdin.read()
        return Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise CommandFailed("The text file could not be read as UTF-8 text.", 2) from None


@_run
def _reply(args: argparse.Namespace) -> int:
    from referral_desktop.store import NotEditable, ReferralNotFound
    from referral_desktop.store.errors import AttachmentRefused
    from referral_desktop.sync.payload import PayloadKeyError
    from referral_desktop.sync.replying import (
        ReplyRefused,
        attachment_rules,
        check_reply_text,
        queue_reply,
        read_checked,
    )

    text = _read_text(args.text_file).strip()
    policy = _policy(args)
    try:
        check_reply_text(text)
    except ReplyRefused as exc:
        raise CommandFailed(str(exc), 1) from None
    documents = []
    for number, path in enumerate(args.attach, start=1):
        try:
            documents.append((path.name, read_checked(path, policy)))
        except AttachmentRefused as exc:
            raise CommandFailed(f"--attach {number}: {exc}. Nothing was queued.", 1) from None
        except OSError:
            raise CommandFailed(f"--attach {number}: the file could not be read. Nothing was queued.", 2) from None
    with _open_store(args) as store:
        try:
            if documents:
                draft = store.replies.save_draft(args.referral_id, text)
                for name, data in documents:
                    store.attachments.add_to_reply(draft.id, name, data, **attachment_rules(policy))
            queued = queue_reply(store, args.referral_id, policy, text)
        except ReferralNotFound:
            raise CommandFailed(f"There is no referral {args.referral_id} in this store.", 1) from None
        except NotEditable:
            raise CommandFailed("Only a referral iART has received can be replied to.", 1) from None
        except (ReplyRefused, PayloadKeyError) as exc:
            raise CommandFailed(str(exc), 1) from None
    how = "encrypted to iART's key" if queued.encrypted else "not encrypted beyond TLS"
    sent_with = f"\t{len(documents)} document{'s' if len(documents) != 1 else ''}" if documents else ""
    print(f"{queued.reply_id}\tqueued\t({how}){sent_with}")
    return 0
