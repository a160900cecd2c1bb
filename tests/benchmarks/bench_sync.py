"""Benchmark of the sending path (not collected by pytest; run it directly):

    .venv/bin/python tests/benchmarks/bench_sync.py [--count 1000] [--pool N] [--latency-ms 50]

1. Flush N queued referrals (real encrypted store, JWE payloads) to the sandbox on loopback over HTTPS
   and print referrals/s, next to a bare ``requests.Session`` loop posting the same bytes (as new
   referrals, same size, so the server does the same work) to the same server in the same run. The
   ratio is the cost of the outbox's bookkeeping (state and audit before and after each attempt).
   Target: ratio >= 0.75. The worker uses its default pool (4) unless ``--pool`` says otherwise. With
   ``--latency-ms`` the sandbox waits that long before handling each submission (as a distant server
   would): the bare loop sends one at a time, the pool overlaps the waits. Target with 50 ms: >= 2.5.
2. Peak memory of sending a referral with a 25 MB attachment, measured in a fresh process (RSS
   before, peak RSS during, with the peak mark reset first): the upload must be streamed. Target: rise < 30 MB.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[0] / "sync"))

from sync_testing.e2e import PASSPHRASE, PDF, draft, valid_answers, write_policy  # noqa: E402

from referral_desktop.policy import load_policy  # noqa: E402
from referral_desktop.sandbox.launcher import running_sandbox  # noqa: E402
from referral_desktop.store import create_store, open_store  # noqa: E402
from referral_desktop.sync.outbox_worker import OutboxWorker  # noqa: E402
from referral_desktop.sync.queueing import queue_referral  # noqa: E402
from referral_desktop.sync.request_bodies import submission_body  # noqa: E402

MEMORY_CHILD = """
import resource, sys
from referral_desktop.policy import load_policy
from referral_desktop.store import open_store
from referral_desktop.sync.outbox_worker import OutboxWorker
store = open_store(sys.argv[1], sys.stdin.readline().rstrip("\\n"))
worker = OutboxWorker.from_policy(store, load_policy(sys.argv[2]))
worker.probe()  # warm up: TLS, imports
def status(name):
    for line in open("/proc/self/status"):
        if line.startswith(name):
            return int(line.split()[1])
try:  # reset the peak-RSS mark (Linux), so the peak below is the upload's own
    open("/proc/self/clear_refs", "w").write("5")
except OSError:
    pass
before = status("VmRSS:")
[result] = worker.send_due()
[upload] = worker.upload_due()  # uploads are their own job since the acknowledgement records them
after = status("VmHWM:")
assert result.state == "received", result
assert upload.state == "uploaded", upload
print(before, after)
"""


def bench_flush(tmp: Path, count: int, pool: int | None, latency_ms: int = 0) -> None:
    with running_sandbox(tmp / "iart", extra_args=["--log-level", "WARNING"]) as sandbox:
        if latency_ms:
            sandbox.set_faults([{"endpoint": "submit", "kind": "latency", "latency_ms": latency_ms,
                                 "probability": 1.0}])
        policy_file = write_policy(tmp / "policy", sandbox)
        policy = load_policy(policy_file)
        store = create_store(tmp / "profile", PASSPHRASE)
        started = time.perf_counter()
        ids = [draft(store) for _ in range(count)]
        for rid in ids:
            queue_referral(store, rid, policy, date.today())
        print(f"prepared {count} referrals (validate + freeze + enqueue) in {time.perf_counter() - started:.1f} s")

        bodies = []
        for rid in ids:
            r = store.referrals.get(rid)
            bodies.append(
                submission_body(
                    form_id=r.form_id, form_version=r.form_version,
                    payload=r.frozen_payload, content_type=r.payload_content_type,
                )
            )

        session = sandbox.session()
        headers = {"Content-Type": "application/json"}
        for body in bodies[:20]:  # warm up the server and the connection
            session.post(f"{sandbox.url}/v1/referrals", data=body,
                         headers={**headers, "Idempotency-Key": str(uuid.uuid4())}, timeout=30)
        worker = OutboxWorker.from_policy(store, policy, **({"pool_size": pool} if pool else {}))
        pool = worker.pool_size
        worker.probe()
        # Interleaved blocks, so that both loops meet a server holding as many referrals (its inserts
        # slow down a little as it fills up) and the same machine load.
        bare_seconds = outbox_seconds = 0.0
        results = []
        block = 100
        for start in range(0, count, block):
            chunk = bodies[start : start + block]
            started = time.perf_counter()
            for body in chunk:
                response = session.post(
                    f"{sandbox.url}/v1/referrals", data=body,
                    headers={**headers, "Idempotency-Key": str(uuid.uuid4())}, timeout=30,
                )
                assert response.status_code == 201, response.status_code
            bare_seconds += time.perf_counter() - started
            started = time.perf_counter()
            results += worker.send_due(limit=len(chunk))
            outbox_seconds += time.perf_counter() - started
        session.close()
        worker.close()
        bare = count / bare_seconds
        outbox = count / outbox_seconds
        assert len(results) == count and all(r.state == "received" for r in results)
        store.close()
        print(f"bare requests.Session loop: {bare:7.1f} referrals/s")
        print(f"outbox worker (pool {pool}):   {outbox:7.1f} referrals/s")
        target = ">= 2.5" if latency_ms >= 50 else ">= 0.75"
        latency = f", {latency_ms} ms server latency" if latency_ms else ""
        print(f"ratio: {outbox / bare:.2f} (target {target}{latency})")


def bench_upload_memory(tmp: Path, megabytes: int = 25) -> None:
    with running_sandbox(tmp / "iart-mem", extra_args=["--log-level", "WARNING"]) as sandbox:
        policy_file = write_policy(tmp / "policy-mem", sandbox)
        policy = load_policy(policy_file)
        store = create_store(tmp / "profile-mem", PASSPHRASE)
        rid = draft(store)
        data = PDF + b"\0" * (megabytes * 1024 * 1024 - len(PDF))
        att = store.attachments.add(rid, "report.pdf", data, allowed_types=("application/pdf",), max_bytes=(megabytes + 5) * 2**20)
        del data
        answers = valid_answers()
        answers["attachments"] = [att.id]
        store.referrals.save_answers(rid, answers)
        queue_referral(store, rid, policy, date.today())
        store.close()
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-c", MEMORY_CHILD, str(tmp / "profile-mem"), str(policy_file)],
            input=PASSPHRASE + "\n", capture_output=True, text=True, timeout=300,
        )
        assert result.returncode == 0, result.stderr
        before, after = (int(x) for x in result.stdout.split())
        elapsed = time.perf_counter() - started
        held = sandbox.referrals()[0]
        assert held["attachments_complete"] == 1, held
        print(f"{megabytes} MB attachment sent in {elapsed:.1f} s; peak RSS {before / 1024:.0f} MB -> {after / 1024:.0f} MB, "
              f"rise {(after - before) / 1024:.1f} MB (target < 30 MB)")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--pool", type=int, default=None, help="sending pool (default: the worker's)")
    parser.add_argument("--latency-ms", type=int, default=0, help="server latency per submission")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--attachment-mb", type=int, default=25)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-sync-") as folder:
        tmp = Path(folder)
        bench_flush(tmp, args.count, args.pool, args.latency_ms)
        if not args.skip_memory:
            bench_upload_memory(tmp, args.attachment_mb)
    _ = resource  # (used in the child)
    _ = open_store
    return 0


if __name__ == "__main__":
    sys.exit(main())
