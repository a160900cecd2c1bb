"""``referral-desktop queue ID``, ``send`` and ``status``: the outbox without the window.

For IT, integrators and tests. They open the profile's store with the passphrase (prompt, or
``--passphrase-stdin``), read the deployment policy (global ``--policy``), and print ids, states,
iART references, outcomes and times only — never an answer.

Exit codes: 0 done; 1 refused (invalid referral, wrong passphrase, a referral rejected or not sent, a
document of a sent referral not sent yet or given up, bad policy); 2 the store or policy could not be
read, or the command was used wrongly. A referral counts as sent once iART holds it *and* all its
documents: ``send`` uploads the documents that are due (resuming where a kill or a fault stopped) and
``send``/``status`` print "2 of 3 documents sent" until they are all there.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from referral_desktop.commands.passphrase_input import add_passphrase_option
from referral_desktop.commands.reply_output import print_reply_attempts
from referral_desktop.commands.store_unlock import CommandFailed, open_store_for_command

Handler = Callable[[argparse.Namespace], int]


def register(subparsers: argparse._SubParsersAction) -> None:
    queue = subparsers.add_parser(
        "queue",
        help="validate, freeze and queue a draft referral for sending",
        description="Validate a draft referral, freeze its answers (encrypted to iART's key when the "
        "policy has one) and put it in the outbox. An invalid referral is refused with its messages.",
    )
    queue.add_argument("referral_id", metavar="ID", help="the referral's id (UUID)")
    add_passphrase_option(queue)
    queue.set_defaults(handler=_queue)

    send = subparsers.add_parser(
        "send",
        help="send every queued referral and reply that is due, once, and report each",
        description="Drain the outbox once: each referral that is due is sent (or re-sent after an "
        "interruption, under the same idempotency key), then each document that is due is uploaded "
        "(resuming where it stopped); one line per referral: id, state, reference, and \"1 of 3 documents "
        "sent\" while its documents are still going; then one line per reply to iART that was due: "
        "reply, id, state. Exit 1 while anything is not sent.",
    )
    add_passphrase_option(send)
    send.set_defaults(handler=_send)

    status = subparsers.add_parser(
        "status",
        help="refresh and print each sent referral's state, reference and outcome",
        description="Ask iART for the status of every referral it holds that is not decided yet, then "
        "print every referral in the outbox or sent: id, state, reference, outcome, decision due.",
    )
    status.add_argument("--offline", action="store_true", help="print what the store holds without asking iART")
    add_passphrase_option(status)
    status.set_defaults(handler=_status)


# ------------------------------------------------------------------------------------------ plumbing


def _policy(args: argparse.Namespace) -> Any:
    from referral_desktop.policy import PolicyError, PolicyUnreadable, load_policy

    try:
        return load_policy(getattr(args, "policy", None))
    except PolicyUnreadable as exc:
        raise CommandFailed(str(exc), 2) from None
    except PolicyError as exc:
        raise CommandFailed(str(exc), 1) from None


@contextmanager
def _open_store(args: argparse.Namespace) -> Iterator[Any]:
    store = open_store_for_command(args)
    try:
        yield store
    finally:
        store.close()


def _run(body: Callable[[argparse.Namespace], int]) -> Handler:
    def handler(args: argparse.Namespace) -> int:
        from referral_desktop.sync.errors import TransportError

        try:
            return body(args)
        except CommandFailed as fail:
            print(fail.message, file=sys.stderr)
            return fail.code
        except TransportError as exc:
            print(exc.message, file=sys.stderr)
            return 1

    return handler


def _now() -> datetime:
    return datetime.now(UTC)


def _time(value: datetime | None) -> str:
    if value is None:
        return "-"
    from referral_desktop.domain.working_days import uk_local

    return uk_local(value).strftime("%d/%m/%Y %H:%M")


def _worker(store: Any, policy: Any) -> Any:
    from referral_desktop.sync.outbox_worker import OutboxWorker

    return OutboxWorker.from_policy(store, policy)


# ------------------------------------------------------------------------------------------ commands


@_run
def _queue(args: argparse.Namespace) -> int:
    from referral_desktop.domain.working_days import uk_local
    from referral_desktop.store import ReferralNotFound
    from referral_desktop.sync.form_updates import use_verified_cache
    from referral_desktop.sync.payload import PayloadKeyError
    from referral_desktop.sync.queueing import QueueRefused, queue_referral

    policy = _policy(args)
    with _open_store(args) as store:
        use_verified_cache(store.files.profile_dir, policy)  # a draft may be on a verified form update
        try:
            result = queue_referral(store, args.referral_id, policy, uk_local(_now()).date())
        except ReferralNotFound:
            raise CommandFailed(f"There is no referral {args.referral_id} in this store.", 1) from None
        except PayloadKeyError as exc:
            raise CommandFailed(str(exc), 1) from None
        except QueueRefused as refused:
            print(refused.message, file=sys.stderr)
            for error in refused.errors:
                print(f"  {error.path}: {error.message}", file=sys.stderr)
            return 1
    if result.already_queued:
        print(f"{result.referral_id}\t{result.state}\t(already queued)")
    else:
        how = "encrypted to iART's key" if result.encrypted else "not encrypted beyond TLS"
        print(f"{result.referral_id}\tqueued\t({how})")
    return 0


@_run
def _send(args: argparse.Namespace) -> int:
    policy = _policy(args)
    with _open_store(args) as store:
        worker = _worker(store, policy)
        try:
            worker.recover_interrupted()
            results = worker.send_due()
            uploads = worker.upload_due()  # documents due now, including any a kill interrupted
            replies = worker.send_due_replies()
            if any(r.state == "sent" for r in replies):  # a reply's documents go in the same run
                uploads += worker.upload_due()
        finally:
            worker.close()
        documents = _documents_of(store, {u.referral_id for u in uploads})
        reply_documents, earlier_replies = _reply_documents_of(store, replies, uploads)
    if not results and not documents and not replies and not earlier_replies:
        print("Nothing to send.")
        return 0
    unfinished = 0
    for result in results:
        reference = result.iart_reference or "-"
        note = ""
        if result.state != "received":
            unfinished += 1
            if result.needs_it:
                note = f"\tneeds IT: {result.message}"
            elif result.state == "rejected":
                paths = ", ".join(p for p, _ in result.reasons if p) or "see the referral"
                note = f"\trejected by iART; back to draft (answers: {paths})"
            elif result.next_attempt_at is not None:
                note = f"\t{result.error_code}; next attempt {_time(result.next_attempt_at)}"
        elif result.referral_id in documents:
            state, _reference, text, complete = documents.pop(result.referral_id)
            unfinished += not complete
            note = f"\t{text}"
        print(f"{result.referral_id}\t{result.state}\t{reference}{note}")
    fully_sent = len(results) - unfinished
    for referral_id, (state, reference, text, complete) in documents.items():  # sent before: documents
        unfinished += not complete
        print(f"{referral_id}\t{state}\t{reference}\t{text}")
    if results:
        print(f"{fully_sent} of {len(results)} sent.")
    if unfinished:
        print("A referral counts as sent once iART has it and all its documents; "
              "run send again to go on where it stopped.")
    unfinished += print_reply_attempts(replies, reply_documents)
    for reply_id, progress in earlier_replies.items():  # sent before: its documents went (or wait) now
        unfinished += not progress.complete
        print(f"reply\t{reply_id}\tsent\t{progress.sentence()}")
    if any(result.error_code == "damaged" for result in results):
        from referral_desktop.commands.store_unlock import store_problem
        from referral_desktop.store import StoreDamaged

        print(store_problem(StoreDamaged()), file=sys.stderr)
        return 2
    return 0 if unfinished == 0 else 1


def _reply_documents_of(store: Any, replies: list[Any], uploads: list[Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Documents of the replies sent in this run, and of replies sent before whose documents were tried in
    this run: {reply id: "1 of 2 documents sent"} each."""
    tried = set()
    for upload in uploads:
        try:
            reply_id = store.attachments.info(upload.attachment_id).reply_id
        except Exception:  # noqa: BLE001 - purged meanwhile: nothing to report
            continue
        if reply_id:
            tried.add(reply_id)
    attempted = {r.reply_id for r in replies}
    referral_ids = {r.referral_id for r in replies if r.state == "sent"} | {u.referral_id for u in uploads}
    progress = {k: v for rid in referral_ids for k, v in store.uploads.reply_progress(rid).items()}
    now = {k: v for k, v in progress.items() if k in attempted}
    earlier = {k: v for k, v in progress.items() if k in tried and k not in attempted}
    return now, earlier


def _documents_of(store: Any, uploaded_now: set[str]) -> dict[str, tuple[str, str, str, bool]]:
    """Referrals iART holds whose documents are not all there, and those with a document uploaded in
    this run: (state, reference, "1 of 3 documents sent; next attempt …", all sent?)."""
    progress = store.uploads.progress()
    found: dict[str, tuple[str, str, str, bool]] = {}
    for summary in store.referrals.list_summaries():
        counts = progress.get(str(summary.id))
        state = str(getattr(summary.state, "value", summary.state))
        if counts is None or not summary.iart_reference or state == "purged":
            continue
        if counts.complete and str(summary.id) not in uploaded_now:
            continue
        text = counts.sentence()
        waiting = [
            u.next_attempt_at for u in store.uploads.for_referral(summary.id) if u.state in ("pending", "uploading")
        ]
        if waiting:
            text += f"; next attempt {_time(min(waiting))}"
        if counts.failed:
            text += " (see the referral's page)"
        found[str(summary.id)] = (state, summary.iart_reference, text, counts.complete)
    return found


@_run
def _status(args: argparse.Namespace) -> int:
    from referral_desktop.sync.errors import TransportError
    from referral_desktop.sync.outbox_worker import overdue

    policy = _policy(args)
    now = _now()
    with _open_store(args) as store:
        if not args.offline:
            worker = _worker(store, policy)
            try:
                worker.poll_statuses()
                worker.purge()
            except TransportError as exc:
                print(f"Could not refresh from iART: {exc.message} Showing what this computer knows.", file=sys.stderr)
            finally:
                worker.close()
        summaries = [
            s
            for s in store.referrals.list_summaries()
            if str(getattr(s.state, "value", s.state)) not in ("draft",)
        ]
        progress = store.uploads.progress()
        receipts = {r.referral_id: r for r in store.receipts.list()}
    if not summaries:
        print("No referrals queued or sent.")
        return 0
    print("id\tstate\treference\toutcome\tdecision due\tdocuments")
    still_sending = given_up = 0
    for s in sorted(summaries, key=lambda s: s.created_at):
        state = str(getattr(s.state, "value", s.state))
        flag = " (overdue)" if overdue(s.decision_due, state, now) else ""
        counts = progress.get(str(s.id))
        documents = counts.sentence() if counts is not None and state != "purged" else "-"
        if state == "purged" and (note := _never_reached(receipts.get(str(s.id)))):
            documents = note
        if counts is not None and s.iart_reference and state != "purged":
            still_sending += counts.waiting > 0
            given_up += counts.failed > 0
        print(f"{s.id}\t{state}\t{s.iart_reference or '-'}\t{s.outcome or '-'}\t{_time(s.decision_due)}{flag}"
              f"\t{documents}")
    return _documents_summary(still_sending, given_up)


def _never_reached(receipt: Any) -> str:
    """A purged referral's note from its receipt: what never reached iART (counts only; the documents
    include those of refused replies, never sent; a reply started and not sent, removed by the purge, is
    named as such), or "". The page says what to do; this is the professional's reminder of it."""
    if receipt is None:
        return ""
    parts = []
    if documents := receipt.documents_never_reached:
        parts.append(f"{documents} {'document' if documents == 1 else 'documents'}")
    if replies := receipt.replies_refused_by_iart:
        parts.append(f"{replies} {'reply' if replies == 1 else 'replies'}")
        if receipt.documents_of_refused_replies is None:  # counted since migration 15: unknown before
            parts[-1] += f" (and any documents attached to {'it' if replies == 1 else 'them'})"
    if drafts := receipt.draft_replies_removed:  # counted since migration 16; None before says nothing
        parts.append(f"{drafts} {'reply' if drafts == 1 else 'replies'} you had not sent (removed with the "
                     "referral's details)")
    if not parts:
        return ""
    listed = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    return f"{listed} never reached iART (phone iART with the reference)"


def _documents_summary(still_sending: int, given_up: int) -> int:
    """The closing lines of ``status`` about documents iART does not have, and its exit code (1 if any).
    A document given up on is never sent again, so it must not be promised to ``send``."""
    def referrals(count: int) -> str:
        return f"{count} sent {'referral' if count == 1 else 'referrals'}"

    if still_sending:
        print(f"{referrals(still_sending)} {'is' if still_sending == 1 else 'are'} still missing documents; "
              "send goes on sending them.")
    if given_up:
        print(f"{referrals(given_up)} {'has' if given_up == 1 else 'have'} documents that could not be sent and "
              "will not be tried again: see the referral's page in the app, and phone iART with the reference.")
    return 1 if still_sending or given_up else 0
