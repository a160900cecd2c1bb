"""Child process for the kill tests: opens the store and sends until the outbox is empty, no reply is on
its way and no document is waiting to upload, printing one line per result. The parent kills it with SIGKILL at random moments and starts it again."""

from __future__ import annotations

import sys
from pathlib import Path

from referral_desktop.policy import load_policy
from referral_desktop.store import open_store
from referral_desktop.sync.backoff import Backoff
from referral_desktop.sync.outbox_worker import OutboxWorker


def main() -> int:
    profile, policy_file = Path(sys.argv[1]), Path(sys.argv[2])
    passphrase = sys.stdin.readline().rstrip("\n")
    store = open_store(profile, passphrase)
    worker = OutboxWorker.from_policy(store, load_policy(policy_file), backoff=Backoff(base_seconds=0.05, max_seconds=0.2))
    print(f"ready pool={worker.pool_size}", flush=True)  # the default pool: the kill tests use it
    while True:
        worker.recover_interrupted()
        results = worker.send_due()
        for r in results:
            print(r.referral_id, r.state, r.iart_reference, flush=True)
        for reply in worker.send_due_replies():
            print("reply", reply.reply_id, reply.state, flush=True)
        for upload in worker.upload_due():  # a reply's documents (and any a kill interrupted)
            print("upload", upload.attachment_id, upload.state, flush=True)
        if not store.outbox.list() and not store.replies.outgoing() and not store.uploads.waiting_count():
            break
    store.close()
    print("done", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
