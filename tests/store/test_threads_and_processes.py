"""A Store used from a worker thread (and from two threads at once); a second process on the same profile."""

from __future__ import annotations

import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from referral_desktop.store import open_store

from .conftest import PASSPHRASE


def test_store_created_on_one_thread_is_used_on_a_worker(store):
    with ThreadPoolExecutor(max_workers=1) as worker:
        referral = worker.submit(store.referrals.create_draft, "cwac-marf", "1.0.0", {"route": "a"}).result()
        worker.submit(store.referrals.save_answers, referral.id, {"route": "b"}).result()
    assert store.referrals.get(referral.id).answers == {"route": "b"}


def test_two_threads_at_once_are_serialised(store):
    ids = [store.referrals.create_draft("cwac-marf", "1.0.0", {"n": 0}).id for _ in range(2)]
    errors: list[BaseException] = []

    def autosave(referral_id: str) -> None:
        try:
            for n in range(1, 101):
                store.referrals.save_answers(referral_id, {"n": n})
                store.referrals.list_summaries()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=autosave, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert [store.referrals.get(i).answers["n"] for i in ids] == [100, 100]


SECOND_PROCESS = r"""
import sys
from referral_desktop.store import open_store
store = open_store(sys.argv[1], sys.argv[2])
for n in range(50):
    r = store.referrals.create_draft("cwac-marf", "1.0.0", {"from": "child", "n": n})
print(len(store.referrals.list_summaries()))
store.close()
"""


def test_second_process_on_the_same_profile(store, profile):
    mine = store.referrals.create_draft("cwac-marf", "1.0.0", {"from": "parent"})
    child = subprocess.Popen(
        [sys.executable, "-c", SECOND_PROCESS, str(profile), PASSPHRASE],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    # Keep writing while the other process writes too.
    for n in range(50):
        store.referrals.save_answers(mine.id, {"from": "parent", "n": n})
    out, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    assert int(out.strip()) >= 51
    assert len(store.referrals.list_summaries()) == 51
    assert store.check().ok
    other = open_store(profile, PASSPHRASE)
    assert other.referrals.get(mine.id).answers["n"] == 49
    other.close()
