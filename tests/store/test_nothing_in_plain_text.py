"""No personal data reaches the disk in plain text: not the store files, the temp dir or the logs.

Distinct random sentinels go into every kind of field (answers: text, repeat group, list, nested;
the referrer profile; an attachment's name and content; iART's reference, outcome and rejection
reasons; the frozen payload), then the .db, -wal and -shm files (while open and after closing), every
file in the profile, every file written to the temp directory during the test, and the captured logs
and output are searched for them as bytes.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
import uuid
from pathlib import Path

from referral_desktop.store import create_store, open_store

from .conftest import PASSPHRASE


def _sentinel(kind: str) -> str:
    return f"SENTINEL{kind}{uuid.uuid4().hex}"


def _files_to_search(profile: Path, since: float) -> list[Path]:
    found = [p for p in profile.rglob("*") if p.is_file()]
    # os.walk, not Path.rglob: the temp folder is shared with the other test process (and anything else on
    # the machine), whose folders come and go during the walk; rglob raised FileNotFoundError for one
    # removed under it, and os.walk passes over it.
    for folder, _dirs, names in os.walk(tempfile.gettempdir()):
        for p in (Path(folder) / name for name in names):
            try:
                if p.is_file() and not p.is_symlink() and p.stat().st_mtime >= since and p.stat().st_size < 50_000_000:
                    found.append(p)
            except OSError:
                continue
    return found


def _assert_absent(sentinels: dict[str, str], paths: list[Path], extra_text: str = "") -> None:
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        for kind, value in sentinels.items():
            for encoded in (value.encode("utf-8"), value.encode("utf-16-le")):
                assert encoded not in data, f"{kind} found in plain text in {path}"
    for kind, value in sentinels.items():
        assert value not in extra_text, f"{kind} found in logs/output"


def test_sentinels_never_reach_the_disk_in_plain_text(tmp_path, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    started = time.time() - 1
    profile = tmp_path / "profile"
    s = {k: _sentinel(k) for k in (
        "TEXT", "CHILDNAME", "CHILDFAMILY", "CHOICE", "LONGTEXT", "PROFILE", "ATTNAME", "ATTCONTENT",
        "REFERENCE", "OUTCOME", "REASON", "PAYLOAD", "EDITED", "MESSAGE", "REPLY", "REPLYDRAFT",
        "REPLYATTNAME", "REPLYATTCONTENT",
    )}
    store = create_store(profile, PASSPHRASE)
    answers = {
        "referrer_name": s["TEXT"],
        "children": [{"given_names": s["CHILDNAME"], "family_name": s["CHILDFAMILY"], "nhs_number": "9434765919"}],
        "concerns": [s["CHOICE"]],
        "concern_details": s["LONGTEXT"] + " more words " * 500,
    }
    a = store.referrals.create_draft("cwac-marf", "1.0.0", answers)
    store.referrals.save_answers(a.id, {**answers, "referrer_role": s["EDITED"]})
    store.profile.set({"referrer_name": s["PROFILE"], "referrer_email": "x@example.org"})
    pdf = b"%PDF-1.4\n" + s["ATTCONTENT"].encode() + b"\n%%EOF\n"
    store.attachments.add(a.id, s["ATTNAME"] + ".pdf", pdf)
    b = store.referrals.create_draft("cwac-marf", "1.0.0", answers)
    store.referrals.freeze(b.id, s["PAYLOAD"].encode(), "application/json")
    store.outbox.enqueue(b.id)
    store.referrals.set_state(b.id, "sending")
    store.referrals.set_state(b.id, "received", iart_reference=s["REFERENCE"])
    store.referrals.set_state(b.id, "info_requested", message=s["MESSAGE"])
    reply = store.replies.save_draft(b.id, s["REPLY"])
    store.attachments.add_to_reply(reply.id, s["REPLYATTNAME"] + ".pdf",
                                   b"%PDF-1.4\n" + s["REPLYATTCONTENT"].encode() + b"\n%%EOF\n")
    store.replies.freeze(reply.id, s["REPLY"].encode(), "application/json")
    store.replies.mark_sending(reply.id)
    store.replies.save_draft(b.id, s["REPLYDRAFT"])
    store.referrals.set_state(b.id, "decided", outcome=s["OUTCOME"])
    c = store.referrals.create_draft("cwac-marf", "1.0.0", answers)
    store.referrals.freeze(c.id, b"p", "application/json")
    store.outbox.enqueue(c.id)
    store.referrals.set_state(c.id, "sending")
    store.referrals.reject(c.id, [("route", s["REASON"])])
    store.audit.record("validated", a.id, ["children[0].nhs_number"])
    store.check()

    # While open: the WAL holds the recent pages.
    assert (profile / "store.db-wal").exists()
    _assert_absent(s, _files_to_search(profile, started))

    store.change_passphrase(PASSPHRASE, "new otter kettle drum")
    store.close()
    reopened = open_store(profile, "new otter kettle drum")
    assert reopened.referrals.get(a.id).answers["referrer_role"] == s["EDITED"]  # the data really is there
    assert reopened.attachments.read(reopened.attachments.list(a.id)[0].id) == pdf
    reopened.purge_expired(reopened.clock(), 30)
    reopened.close()

    out = capfd.readouterr()
    _assert_absent(s, _files_to_search(profile, started), caplog.text + out.out + out.err)


def test_the_search_would_find_plain_text(tmp_path):
    """The search itself works: a sentinel written by plain sqlite3 into the temp dir is found."""
    import sqlite3

    import pytest

    started = time.time() - 1
    profile = tmp_path / "profile"
    profile.mkdir()
    value = _sentinel("PLAIN")
    conn = sqlite3.connect(Path(tempfile.mkdtemp()) / "plain.db")
    conn.execute("CREATE TABLE t (x)")
    conn.execute("INSERT INTO t VALUES (?)", (value,))
    conn.commit()
    conn.close()
    with pytest.raises(AssertionError, match="PLAIN found"):
        _assert_absent({"PLAIN": value}, _files_to_search(profile, started))
