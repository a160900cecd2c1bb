"""Benchmark: bytes re-sent per stall against the upload chunk size (not collected by pytest):

    .venv/bin/python tests/benchmarks/bench_uploads.py [--size-mb 6] [--stalls 4]

Why: a resumable upload loses the chunk that is in flight when a request stalls longer than the client's
timeout (the server has not taken it; the client re-reads the offset and sends it again). Big chunks
make each stall expensive; small chunks cost a request (and the server's fsync) each. Both are measured
through the real client (``ApiClient.upload_attachment``, as the sender calls it) against the real
sandbox over TLS on loopback, for each chunk size in the same run:

1. **clean**: seconds to upload the file with no fault (median of 3), as a ratio to the anchor;
2. **stalled**: the same upload with ``--stalls`` stalls, each armed on a PUT picked at random (seeded):
   the sandbox's ``latency`` fault holds that request past the client's read timeout. Bytes the client
   put into PUTs beyond the file's size, per stall, and as a ratio to the anchor.

The anchor is 4 MiB, the chunk size the client used before this benchmark. A stall here loses the whole
chunk (the server has read none of it), so this is the worst case per stall; a stall later in a
request loses less.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[0] / "sandbox"))

from sandbox_testing.sample_referral import answers_document, manifest_entry, submission, valid_answers  # noqa: E402

from referral_desktop.sandbox.launcher import running_sandbox  # noqa: E402
from referral_desktop.sync.api_client import ApiClient  # noqa: E402
from referral_desktop.sync.errors import TransportError  # noqa: E402
from referral_desktop.sync.transport_settings import TransportSettings  # noqa: E402

ANCHOR = 4 * 1024 * 1024
CHUNK_SIZES = (64 * 1024, 128 * 1024, 256 * 1024, 512 * 1024, 1024 * 1024, ANCHOR)
READ_TIMEOUT = 0.5
STALL_MS = 1500


class CountingClient(ApiClient):
    """The real client, counting the bytes it commits to each PUT and arming a stall on chosen PUTs."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.put_bytes = 0
        self.puts = 0
        self.stall_on: set[int] = set()
        self.arm = lambda: None

    def _upload_put(self, path, content_range, pieces, length):  # noqa: ANN001, ANN202
        self.puts += 1
        if self.puts in self.stall_on:
            self.arm()
        self.put_bytes += length
        return super()._upload_put(path, content_range, pieces, length)


def _new_referral(sandbox, data: bytes) -> tuple[uuid.UUID, str]:
    entry = manifest_entry(data)
    answers = valid_answers() | {"attachments": [entry["id"]]}
    key = uuid.uuid4()
    response = sandbox.session().post(
        f"{sandbox.url}/v1/referrals", json=submission(answers_document(answers), attachments=[entry]),
        headers={"Idempotency-Key": str(key)}, timeout=30,
    )
    response.raise_for_status()
    return key, entry["id"]


def _upload_until_complete(client: CountingClient, rid, aid, data: bytes, chunk_size: int) -> int:
    """Upload as the sender does: on a transport error, ask again (offset first). Returns the errors."""
    errors = 0

    def open_chunks():
        return (data[i:i + 256 * 1024] for i in range(0, len(data), 256 * 1024))

    while True:
        try:
            status = client.upload_attachment(rid, aid, len(data), open_chunks, chunk_size=chunk_size)
        except TransportError:
            errors += 1
            if errors > 50:
                raise
            continue
        assert status.complete
        return errors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=float, default=6.0)
    parser.add_argument("--stalls", type=int, default=4)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    size = int(args.size_mb * 1024 * 1024)
    data = os.urandom(size)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp, running_sandbox(Path(tmp) / "iart") as sandbox:
        settings = TransportSettings(
            base_url=sandbox.url, ca_bundle=sandbox.ca_file, bearer_token=sandbox.client_token,
            read_timeout=READ_TIMEOUT,
        )
        stall_rule = [{"endpoint": "upload", "kind": "latency", "latency_ms": STALL_MS, "times": 1}]
        rows = []
        for chunk_size in CHUNK_SIZES:
            clean = []
            for _ in range(3):
                client = CountingClient.from_settings(settings)
                rid, aid = _new_referral(sandbox, data)
                started = time.perf_counter()
                _upload_until_complete(client, rid, aid, data, chunk_size)
                clean.append(time.perf_counter() - started)
                client.close()
            client = CountingClient.from_settings(settings)
            client.arm = lambda: sandbox.set_faults(stall_rule)
            puts = -(-size // chunk_size)
            resent = 0
            stalls = 0
            for _ in range(args.stalls):
                rid, aid = _new_referral(sandbox, data)
                client.puts = 0
                client.put_bytes = 0
                client.stall_on = {rng.randint(1, puts)}
                stalls += min(1, _upload_until_complete(client, rid, aid, data, chunk_size))
                resent += client.put_bytes - size
                sandbox.clear_faults()
                time.sleep(STALL_MS / 1000)  # let the stalled request finish before the next round
            client.close()
            rows.append((chunk_size, statistics.median(clean), resent / max(1, stalls), stalls))
        anchor = next(r for r in rows if r[0] == ANCHOR)
        print(f"file {size / 2**20:.1f} MiB; client read timeout {READ_TIMEOUT} s; stall {STALL_MS} ms; "
              f"anchor chunk {ANCHOR // 1024} KiB")
        print(f"{'chunk':>9} {'clean s':>8} {'x anchor':>8} {'re-sent/stall':>14} {'x anchor':>8} {'stalls':>6}")
        for chunk_size, seconds, per_stall, stalls in rows:
            print(
                f"{chunk_size // 1024:>6} KiB {seconds:8.3f} {seconds / anchor[1]:8.2f} "
                f"{per_stall / 1024:11.0f} KiB {per_stall / max(1, anchor[2]):8.3f} {stalls:6d}"
            )


if __name__ == "__main__":
    main()
