"""Core benchmark: the encrypted store and validation, on a store of 10,000 referrals (~8 KB answers each).

Run: ``.venv/bin/python tests/benchmarks/bench_core.py [--referrals N] [--runs R]``. Not a test (pytest
does not collect it) and not timed in CI: it prints medians over several runs so that figures can be
compared between machines and changes. Targets on a 2-core machine: unlock < 0.5 s, autosave p99 < 5 ms,
encrypted/plain autosave ratio <= 3.0, listing 10,000 summaries < 100 ms, validation p99 < 5 ms.

The plain-sqlite3 figure runs the *same* Store code (same SQL, same JSON, same audit entry, same
WAL + synchronous=FULL settings) on an unencrypted sqlite3 connection, so the ratio is the cost of
encryption alone.
"""

from __future__ import annotations

import argparse
import copy
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from referral_desktop.store import (  # noqa: E402
    create_store,
    migrations,  # noqa: E402
    open_store,
)
from referral_desktop.store.connection import configure  # noqa: E402
from referral_desktop.store.encrypted_store import Store  # noqa: E402
from referral_desktop.store.layout import StoreFiles  # noqa: E402
from referral_desktop.store.timestamps import utc_now  # noqa: E402

PASSPHRASE = "benchmark otter kettle drum"
TARGET_BYTES = 8 * 1024


def example_document() -> dict:
    from referral_desktop.ui.editor.demo_answers import demo_document

    return demo_document()  # the invented demo family, on the form version new referrals use


def realistic_answers(base: dict, n: int) -> dict:
    """The example's answers, made distinct and padded with free text to about 8 KB of JSON."""
    answers = copy.deepcopy(base)
    answers["concern_details"] = f"Referral {n}. " + answers.get("concern_details", "")
    size = len(json.dumps(answers))
    if size < TARGET_BYTES:
        answers["concern_details"] += " the family told us about worries at school" * ((TARGET_BYTES - size) // 43)
    return answers


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def fill(store: Store, document: dict, count: int) -> list[str]:
    ids = []
    with store.write(counts_changed=True):  # one transaction for the set-up, not part of any figure
        for n in range(count):
            ids.append(store.referrals.create_draft(
                document["form_id"], document["form_version"], realistic_answers(document["answers"], n)).id)
    return ids


def autosave_times(store: Store, referral_id: str, saves: int) -> list[float]:
    answers = store.referrals.get(referral_id).answers
    times = []
    for n in range(saves):
        answers = {**answers, "referrer_role": f"Role {n}"}  # one changed answer per keystroke-save
        t = time.perf_counter()
        store.referrals.save_answers(referral_id, answers)
        times.append(time.perf_counter() - t)
    return times


def plain_store(folder: Path) -> Store:
    folder.mkdir()
    conn = sqlite3.connect(str(folder / "store.db"), isolation_level=None, check_same_thread=False)
    configure(conn)
    migrations.migrate(conn, utc_now)
    return Store(conn, StoreFiles(folder), clock=utc_now)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--referrals", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--saves", type=int, default=400, help="autosaves per run")
    args = parser.parse_args()
    document = example_document()
    doc_size = len(json.dumps(realistic_answers(document["answers"], 0)))
    rows: list[tuple[str, str, str]] = []

    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "encrypted"
        t = time.perf_counter()
        store = create_store(profile, PASSPHRASE)
        ids = fill(store, document, args.referrals)
        store.close()
        print(f"set-up: {args.referrals} referrals of ~{doc_size} bytes of answers in "
              f"{time.perf_counter() - t:.1f} s", file=sys.stderr)

        unlocks, p50s, p99s, loads, lists = [], [], [], [], []
        for _ in range(args.runs):
            t = time.perf_counter()
            store = open_store(profile, PASSPHRASE)
            unlocks.append(time.perf_counter() - t)
            saves = autosave_times(store, ids[len(ids) // 2], args.saves)
            p50s.append(statistics.median(saves))
            p99s.append(percentile(saves, 99))
            one = []
            for rid in ids[:: max(1, len(ids) // 50)]:
                t = time.perf_counter()
                store.referrals.get(rid)
                one.append(time.perf_counter() - t)
            loads.append(statistics.median(one))
            t = time.perf_counter()
            summaries = store.referrals.list_summaries()
            lists.append(time.perf_counter() - t)
            assert len(summaries) == len(ids)
            store.close()

        plain = plain_store(Path(tmp) / "plain")
        plain_ids = fill(plain, document, args.referrals)
        plain_p50s, plain_p99s, plain_lists = [], [], []
        for _ in range(args.runs):
            saves = autosave_times(plain, plain_ids[len(plain_ids) // 2], args.saves)
            plain_p50s.append(statistics.median(saves))
            plain_p99s.append(percentile(saves, 99))
            t = time.perf_counter()
            plain.referrals.list_summaries()
            plain_lists.append(time.perf_counter() - t)
        plain.close()

    ms = lambda seconds: f"{seconds * 1000:.2f} ms"  # noqa: E731
    med = statistics.median
    rows.append(("unlock (PBKDF2-SHA512, 256k iterations)", ms(med(unlocks)), "< 500 ms"))
    rows.append(("autosave p50 (encrypted)", ms(med(p50s)), ""))
    rows.append(("autosave p99 (encrypted)", ms(med(p99s)), "< 5 ms"))
    rows.append(("autosave p50 (plain sqlite3, same code)", ms(med(plain_p50s)), ""))
    rows.append(("autosave p99 (plain sqlite3, same code)", ms(med(plain_p99s)), ""))
    rows.append(("autosave ratio encrypted/plain (p50)", f"{med(p50s) / med(plain_p50s):.2f}", "<= 3.0"))
    rows.append(("autosave ratio encrypted/plain (p99)", f"{med(p99s) / med(plain_p99s):.2f}", ""))
    rows.append(("load one referral (p50)", ms(med(loads)), ""))
    rows.append((f"list {args.referrals} summaries (encrypted)", ms(med(lists)), "< 100 ms"))
    rows.append((f"list {args.referrals} summaries (plain)", ms(med(plain_lists)), ""))

    try:
        from referral_desktop.domain.form_catalog import load_form
        from referral_desktop.domain.validation import validate
    except ImportError as exc:
        rows.append(("validate one full referral", f"skipped ({exc.name} missing)", "< 5 ms"))
    else:
        form = load_form(document["form_id"], document["form_version"])
        today = date.today()
        validate(form, document["answers"], today=today)  # warm caches
        v50, v99 = [], []
        for _ in range(args.runs):
            times = []
            for _ in range(200):
                t = time.perf_counter()
                result = validate(form, document["answers"], today=today)
                times.append(time.perf_counter() - t)
            v50.append(med(times))
            v99.append(percentile(times, 99))
        rows.append(("validate one full referral p50", ms(med(v50)), ""))
        rows.append(("validate one full referral p99", ms(med(v99)), "< 5 ms"))
        if not result.is_valid:
            rows.append(("(note: the example did not validate cleanly)", str(len(result.errors)), ""))

    width = max(len(r[0]) for r in rows)
    print(f"\n{'figure'.ljust(width)} | {'median of ' + str(args.runs) + ' runs':>18} | target")
    print(f"{'-' * width}-|-{'-' * 18}-|-------")
    for name, value, target in rows:
        print(f"{name.ljust(width)} | {value:>18} | {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
