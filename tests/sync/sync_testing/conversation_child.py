"""Child process for the kill-before-sending test: the app's encrypted store and background sender as the
app runs them, in a process of its own that the test can SIGKILL.

``conversation_child.py PROFILE POLICY listen`` (passphrase on the first line of stdin) opens the store,
hears the sender's changes as the tray notifier does (the notification text comes from
``ui.notifications.news``, the function the notifier uses), and obeys lines on stdin:
``poll`` (one status poll through the sender's job) and ``reply REFERRAL_ID TEXT_FILE`` (the reply box's
path: ``queue_reply`` saves the draft and freezes it into the outbox, fsynced). It never sends: the test
kills it with the reply queued and unsent.

``conversation_child.py PROFILE POLICY resume`` is the app started again: the sender's background loop
(``run_forever`` on its own thread, after ``recover_interrupted``, as ``ui/sync_startup`` runs it) until
no reply is on its way, then it stops the loop, closes the store and prints ``done``.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from referral_desktop.policy import load_policy
from referral_desktop.store import open_store
from referral_desktop.sync.outbox_worker import OutboxWorker
from referral_desktop.sync.replying import queue_reply
from referral_desktop.ui import notifications


def listen(store, policy, worker) -> None:
    known = notifications.read_all(store)

    def changed(referral_id: str, _state: str) -> None:
        after = notifications.read_one(store, referral_id)
        text = notifications.news(known.get(referral_id), after)
        if after is not None:
            known[referral_id] = after
        if text:
            print("notify", text, flush=True)

    worker.on_change(changed)
    print("ready", flush=True)
    for line in sys.stdin:
        words = line.split()
        if words[:1] == ["poll"]:
            worker.poll_statuses()
            print("polled", flush=True)
        elif words[:1] == ["reply"]:
            text = Path(words[2]).read_text(encoding="utf-8")
            queued = queue_reply(store, words[1], policy, text)
            print("queued", queued.reply_id, flush=True)  # and then nothing: the test kills us here


def resume(store, worker) -> None:
    stop = threading.Event()
    worker.recover_interrupted()
    loop = threading.Thread(target=worker.run_forever, args=(stop,), name="sync", daemon=True)
    loop.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with worker.context.store_lock:
            if not store.replies.outgoing():
                break
        time.sleep(0.05)
    stop.set()
    worker.nudge()
    loop.join(10)
    worker.close()
    store.close()
    print("done", flush=True)


def main() -> int:
    profile, policy_file, mode = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    store = open_store(profile, sys.stdin.readline().rstrip("\n"))
    policy = load_policy(policy_file)
    worker = OutboxWorker.from_policy(store, policy)
    if mode == "listen":
        listen(store, policy, worker)
    else:
        resume(store, worker)
    return 0


if __name__ == "__main__":
    sys.exit(main())
