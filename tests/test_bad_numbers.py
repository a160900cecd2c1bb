"""Numbers JSON cannot carry (NaN, Infinity, an overflowing float, a 5,000-digit integer) are refused with
a sentence and the input exit code by validate and import, and never reach queue."""

from __future__ import annotations

import io
import sys

import pytest

from referral_desktop.cli import main

PASSPHRASE = "marble otter kettle"
BAD = {"NaN": "NaN", "Infinity": "-Infinity", "overflow": "1e999", "huge integer": "9" * 5000}


def _run(monkeypatch, capsys, *argv, stdin=PASSPHRASE + "\n"):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("number", BAD.values(), ids=BAD.keys())
@pytest.mark.parametrize("command", ["validate", "import"])
def test_validate_and_import_refuse_numbers_json_cannot_carry(number, command, tmp_path, monkeypatch, capsys):
    profile = tmp_path / "profile"
    _run(monkeypatch, capsys, "--profile", str(profile), "store", "create", "--passphrase-stdin")
    document = tmp_path / "answers.json"
    document.write_text('{"form_id": "cwac-marf", "form_version": "1.0.0", "answers": '
                        '{"immediate_danger": "no", "children": [{"age_years": ' + number + '}]}}')
    argv = ["--profile", str(profile), command, str(document)]
    if command == "import":
        argv.append("--passphrase-stdin")
    code, out, err = _run(monkeypatch, capsys, *argv)
    assert code == 2, (code, err)
    assert err.strip() == ("The file cannot be used: it holds a number that cannot be used (NaN, Infinity, "
                           "or one too large to keep exactly).")
    assert "Traceback" not in err and "9999999999" not in err
    if command == "import":
        code, out, _ = _run(monkeypatch, capsys, "--profile", str(profile), "list", "--json", "--passphrase-stdin")
        assert out.strip() == "[]"


def test_the_store_refuses_to_save_a_number_json_cannot_carry(tmp_path):
    from referral_desktop.store import StoreError, create_store

    store = create_store(tmp_path / "profile", PASSPHRASE)
    try:
        draft = store.referrals.create_draft("cwac-marf", "1.0.0", {})
        with pytest.raises(StoreError, match="not a number"):
            store.referrals.save_answers(draft.id, {"age": float("nan")})
        with pytest.raises(StoreError, match="not a number"):
            store.referrals.create_draft("cwac-marf", "1.0.0", {"age": float("inf")})
        assert store.referrals.get(draft.id).answers == {}
    finally:
        store.close()


def test_queue_refuses_a_number_saved_before_they_were_refused(tmp_path, monkeypatch, capsys):
    import json

    from referral_desktop.bundled_data import forms_dir
    from referral_desktop.store import create_store

    store = create_store(tmp_path / "profile", PASSPHRASE)
    document = json.loads((forms_dir() / "examples" / "valid-route-a.json").read_text(encoding="utf-8"))
    draft = store.referrals.create_draft(document["form_id"], document["form_version"], document["answers"])
    with store.write() as conn:  # as an older version could have saved it
        conn.execute("UPDATE referral_documents SET answers = ? WHERE referral_id = ?",
                     (json.dumps({**document["answers"], "extra_number": float("nan")}), draft.id))
    store.close()
    token = tmp_path / "token"
    token.write_text("t\n")
    policy = tmp_path / "policy.toml"
    policy.write_text(f'api_base_url = "https://127.0.0.1:9/"\nbearer_token_file = "{token}"\n')
    code, _out, err = _run(monkeypatch, capsys, "--profile", str(tmp_path / "profile"), "--policy", str(policy),
                           "queue", draft.id, "--passphrase-stdin")
    assert code == 1, err
    assert "not a number that can be sent" in err and "Traceback" not in err
