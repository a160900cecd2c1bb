"""Form definition updates against the real sandbox over TLS (and, for what a real server never sends —
a tampered definition, a stripped or forged signature — the sandbox's own answer altered and replayed
by a small HTTPS server): only a definition signed with the policy's key is kept, a known version is
never replaced, a cache file changed after saving is ignored, and drafts keep their version."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import stat
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from joserfc.jwk import ECKey
from sync_testing.e2e import PASSPHRASE, valid_answers, write_policy
from sync_testing.memory_store import MemoryStore
from sync_testing.servers import Reply, server_tls_context

from referral_desktop.bundled_data import forms_dir
from referral_desktop.domain import form_catalog
from referral_desktop.domain.form_catalog import FormCatalog, UnknownForm
from referral_desktop.policy import load_policy
from referral_desktop.sandbox.launcher import start_sandbox
from referral_desktop.store import create_store
from referral_desktop.sync.api_client import ApiClient
from referral_desktop.sync.errors import NetworkError
from referral_desktop.sync.form_signing import load_signing_keys
from referral_desktop.sync.form_updates import (
    FormUpdateStatus,
    fetch_form_update,
    forms_cache_dir,
    use_verified_cache,
)
from referral_desktop.sync.outbox_worker import OutboxWorker
from referral_desktop.sync.queueing import queue_referral
from referral_desktop.sync.transport_settings import TransportSettings
from referral_desktop.sync.verified_form_cache import VerifiedFormCache

BUNDLED = forms_dir() / "cwac-marf" / "1.0.0.json"


def definition_text(version: str, title: str | None = None) -> str:
    data = json.loads(BUNDLED.read_text(encoding="utf-8"))
    data["version"] = version
    if title:
        data["title"] = title
    return json.dumps(data, indent=2) + "\n"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """The file the sandbox publishes (re-read per request): tests write the definition they need."""
    path = tmp_path_factory.mktemp("published") / "form.json"
    path.write_text(definition_text("1.9.0"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory, published):
    sb = start_sandbox(tmp_path_factory.mktemp("iart") / "data", extra_args=["--form-file", str(published)])
    yield sb
    sb.stop()


@pytest.fixture(autouse=True)
def _no_registered_sources():
    previous = form_catalog.set_extra_form_sources(())
    yield
    form_catalog.set_extra_form_sources(previous)


@pytest.fixture
def policy(sandbox, tmp_path):
    path = write_policy(
        tmp_path / "policy", sandbox, encrypt=False, form_signing_key=sandbox.facts["form_signing_public_jwk_file"]
    )
    return load_policy(path)


@pytest.fixture
def client(policy):
    api = ApiClient.from_policy(policy)
    yield api
    api.close()


def cache_files(profile: Path) -> list[str]:
    root = forms_cache_dir(profile)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.is_dir() else []


# ------------------------------------------------------------------------------ accepted and known


def test_signed_new_version_is_accepted_stored_privately_and_served_for_new_referrals(
    sandbox, published, policy, client, tmp_path
):
    published.write_text(definition_text("1.9.0", "Updated MARF"), encoding="utf-8")
    profile = tmp_path / "profile"
    result = fetch_form_update(client, policy, forms_cache_dir(profile))
    assert result.status is FormUpdateStatus.ACCEPTED and result.accepted
    assert (result.form_id, result.version) == ("cwac-marf", "1.9.0")
    assert cache_files(profile) == ["cwac-marf/1.9.0.json", "cwac-marf/1.9.0.json.jws"]
    # The exact bytes, owner-only files and folders.
    assert result.path.read_bytes() == published.read_bytes()
    for path in (result.path, result.path.with_name("1.9.0.json.jws")):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for folder in (forms_cache_dir(profile), forms_cache_dir(profile) / "cwac-marf"):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert not [p for p in forms_cache_dir(profile).rglob("*") if p.name.startswith(".")]  # no partial file left

    catalog = FormCatalog([VerifiedFormCache(forms_cache_dir(profile), load_signing_keys(policy.form_signing_key))])
    newest = catalog.latest_form("cwac-marf")
    assert (newest.version, newest.title) == ("1.9.0", "Updated MARF")
    assert catalog.load_form("cwac-marf", "1.0.0").version == "1.0.0"

    again = fetch_form_update(client, policy, forms_cache_dir(profile))
    assert again.status is FormUpdateStatus.ALREADY_KNOWN
    assert result.path.read_bytes() == published.read_bytes()


def test_the_bundled_version_as_published_is_already_known(sandbox, published, policy, client, tmp_path):
    published.write_bytes(BUNDLED.read_bytes())
    result = fetch_form_update(client, policy, forms_cache_dir(tmp_path / "profile"))
    assert result.status is FormUpdateStatus.ALREADY_KNOWN
    assert (result.form_id, result.version) == ("cwac-marf", "1.0.0")
    assert cache_files(tmp_path / "profile") == []


def test_an_older_unknown_version_is_kept_but_new_referrals_stay_on_the_newest(
    sandbox, published, policy, client, tmp_path
):
    published.write_text(definition_text("0.9.0"), encoding="utf-8")
    result = fetch_form_update(client, policy, forms_cache_dir(tmp_path / "profile"))
    assert result.accepted and "older than 1.1.0" in result.reason
    use_verified_cache(tmp_path / "profile", policy)
    assert form_catalog.latest_form("cwac-marf").version == "1.1.0"
    assert form_catalog.load_form("cwac-marf", "0.9.0").version == "0.9.0"


# ----------------------------------------------------------------------------------------- refused


def test_a_known_version_with_different_bytes_is_refused_and_the_cache_is_unchanged(
    sandbox, published, policy, client, tmp_path, caplog
):
    profile = tmp_path / "profile"
    published.write_text(definition_text("1.9.0", "First"), encoding="utf-8")
    assert fetch_form_update(client, policy, forms_cache_dir(profile)).accepted
    kept = (forms_cache_dir(profile) / "cwac-marf" / "1.9.0.json").read_bytes()

    published.write_text(definition_text("1.9.0", "Second"), encoding="utf-8")
    caplog.set_level("INFO", logger="referral_desktop")
    result = fetch_form_update(client, policy, forms_cache_dir(profile))
    assert result.refused and "already known with different content" in result.reason
    assert (forms_cache_dir(profile) / "cwac-marf" / "1.9.0.json").read_bytes() == kept
    assert "1.9.0 refused (conflict)" in caplog.text and "Second" not in caplog.text

    # The bundled version is never replaced either.
    published.write_text(definition_text("1.0.0", "Not the bundled one"), encoding="utf-8")
    bundled = fetch_form_update(client, policy, forms_cache_dir(profile))
    assert bundled.refused and bundled.version == "1.0.0" and "never replaced" in bundled.reason
    assert cache_files(profile) == ["cwac-marf/1.9.0.json", "cwac-marf/1.9.0.json.jws"]


def test_wrong_key_in_policy_is_refused(sandbox, published, tmp_path):
    published.write_text(definition_text("1.2.0"), encoding="utf-8")
    other = tmp_path / "other.jwk.json"
    other.write_text(json.dumps(ECKey.generate_key("P-256", private=False).as_dict()), encoding="utf-8")
    policy = load_policy(write_policy(tmp_path / "policy", sandbox, encrypt=False, form_signing_key=str(other)))
    api = ApiClient.from_policy(policy)
    try:
        result = fetch_form_update(api, policy, forms_cache_dir(tmp_path / "profile"))
    finally:
        api.close()
    assert result.refused and "signature is not valid" in result.reason
    assert cache_files(tmp_path / "profile") == []


def test_no_key_in_policy_refuses_without_asking_the_server(tmp_path):
    class NeverCalled:
        def current_form(self):
            raise AssertionError("the server was asked")

    result = fetch_form_update(NeverCalled(), SimpleNamespace(form_signing_key=None), tmp_path / "forms")
    assert result.refused and "no form_signing_key" in result.reason
    assert not (tmp_path / "forms").exists()

    unreadable = tmp_path / "key.txt"
    unreadable.write_text("not a key", encoding="utf-8")
    bad = fetch_form_update(NeverCalled(), SimpleNamespace(form_signing_key=unreadable), tmp_path / "forms")
    assert bad.refused and "form_signing_key" in bad.reason


def test_a_broken_definition_signed_by_the_server_is_refused_naming_the_place(
    sandbox, published, policy, client, tmp_path
):
    data = json.loads(definition_text("1.3.0"))
    data["sections"][1]["title"] = ""
    published.write_text(json.dumps(data), encoding="utf-8")
    result = fetch_form_update(client, policy, forms_cache_dir(tmp_path / "profile"))
    assert result.refused
    assert "cwac-marf/1.3.0.json: sections[1].title" in result.reason
    published.write_text("{not json", encoding="utf-8")
    garbled = fetch_form_update(client, policy, forms_cache_dir(tmp_path / "profile"))
    assert garbled.refused and "is not valid JSON (line 1" in garbled.reason
    assert cache_files(tmp_path / "profile") == []


# ------------------------------------------- what only a man in the middle sends: the real answer, altered


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


UNENCODED = _b64(b'{"alg":"ES256","b64":false,"crit":["b64"]}')


@pytest.fixture
def relay(sandbox, published, client, ca, ca_bundle, start_server, policy):
    """``relay(alter)``: fetch the sandbox's real signed answer, pass it through ``alter(dict)``, and
    serve the result over TLS; returns what fetch_form_update made of it."""

    def run(alter, tmp: Path):
        published.write_text(definition_text("1.4.0"), encoding="utf-8")
        real = client.current_form().model_dump(mode="json")
        body = json.dumps(alter(dict(real))).encode("utf-8")
        server = start_server(
            lambda r: Reply(200, body, {"Content-Type": "application/json"}),
            server_tls_context(ca.issue_cert("127.0.0.1")),
        )
        api = ApiClient.from_settings(TransportSettings(server.url, ca_bundle=ca_bundle))
        try:
            result = fetch_form_update(api, policy, forms_cache_dir(tmp / "profile"))
        finally:
            api.close()
        assert server.recorded[0].path == "/v1/forms/current"
        if result.refused:
            assert cache_files(tmp / "profile") == []  # nothing kept from a refused answer
        return result

    return run


def test_unaltered_relay_is_accepted(relay, tmp_path):
    # The control: the relay itself changes nothing that matters.
    assert relay(lambda answer: answer, tmp_path).accepted


def test_tampered_definition_is_refused(relay, tmp_path):
    def tamper(answer):
        answer["definition"] = answer["definition"].replace('"title"', '"title" ', 1)
        return answer

    result = relay(tamper, tmp_path)
    assert result.refused and "does not match" in result.reason


@pytest.mark.parametrize(
    ("alter", "reason"),
    [
        (lambda a: {**a, "signature": ""}, "not signed"),
        (lambda a: {**a, "signature": a["signature"].rsplit(".", 1)[0] + "."}, "signature part is missing"),
        (lambda a: {**a, "signature": _b64(b'{"alg":"none"}') + ".."}, "signed with none"),
        (lambda a: {**a, "algorithm": "none"}, "only algorithm accepted"),
        (
            lambda a: {**a, "signature": UNENCODED + ".." + a["signature"].rsplit(".", 1)[1]},
            "settings this app does not accept",
        ),
    ],
    ids=["empty", "stripped", "alg-none", "envelope-none", "unencoded-payload"],
)
def test_stripped_or_none_signature_is_refused(relay, tmp_path, alter, reason):
    result = relay(alter, tmp_path)
    assert result.refused and reason in result.reason


def test_hmac_signature_made_with_the_public_key_is_refused(relay, sandbox, tmp_path):
    """The classic confusion: HS256 keyed with the public key's bytes, which anyone can get."""

    def forge(answer):
        header = _b64(b'{"alg":"HS256"}')
        secret = json.dumps(sandbox.form_signing_public_jwk).encode()
        signing_input = f"{header}.{_b64(answer['definition'].encode())}".encode()
        mac = hmac.new(secret, signing_input, hashlib.sha256).digest()
        return {**answer, "signature": f"{header}..{_b64(mac)}", "algorithm": "ES256"}

    result = relay(forge, tmp_path)
    assert result.refused and "signed with HS256" in result.reason


def test_envelope_that_disagrees_with_the_signed_definition_is_refused(relay, tmp_path):
    result = relay(lambda a: {**a, "version": "9.9.9"}, tmp_path)
    assert result.refused and "but the signed definition is cwac-marf 1.4.0" in result.reason


# ------------------------------------------------------------------------------- the cache at load


def test_cache_file_tampered_after_saving_is_ignored_at_load(sandbox, published, policy, client, tmp_path):
    profile = tmp_path / "profile"
    published.write_text(definition_text("1.5.0", "Genuine"), encoding="utf-8")
    assert fetch_form_update(client, policy, forms_cache_dir(profile)).accepted
    stored = forms_cache_dir(profile) / "cwac-marf" / "1.5.0.json"
    stored.write_text(stored.read_text(encoding="utf-8").replace("Genuine", "Tampered"), encoding="utf-8")

    use_verified_cache(profile, policy)
    assert form_catalog.latest_form("cwac-marf").version == "1.1.0"
    with pytest.raises(UnknownForm):
        form_catalog.load_form("cwac-marf", "1.5.0")

    # A missing signature is the same as a bad one.
    stored.write_text(published.read_text(encoding="utf-8"), encoding="utf-8")
    stored.with_name("1.5.0.json.jws").unlink()
    use_verified_cache(profile, policy)
    with pytest.raises(UnknownForm):
        form_catalog.load_form("cwac-marf", "1.5.0")
    # Fetching the same bytes again mends the signature.
    assert fetch_form_update(client, policy, forms_cache_dir(profile)).status is FormUpdateStatus.ALREADY_KNOWN
    use_verified_cache(profile, policy)
    assert form_catalog.load_form("cwac-marf", "1.5.0").title == "Genuine"

    # Without a key in the policy nothing in the cache is trusted.
    assert use_verified_cache(profile, SimpleNamespace(form_signing_key=None)) is None
    assert form_catalog.latest_form("cwac-marf").version == "1.1.0"


# ------------------------------------------------------------------- drafts keep their version


def test_new_referrals_get_the_update_while_an_old_draft_keeps_its_version(
    sandbox, published, policy, client, tmp_path
):
    profile = tmp_path / "profile"
    store = create_store(profile, PASSPHRASE)
    try:
        old = store.referrals.create_draft("cwac-marf", "1.0.0", valid_answers())
        published.write_text(definition_text("1.6.0", "Newer MARF"), encoding="utf-8")
        worker = OutboxWorker.from_policy(store, policy)  # registers the profile's verified cache
        try:
            result = worker.check_form_update_if_due()
        finally:
            worker.close()
        assert result is not None and result.accepted and result.version == "1.6.0"

        assert form_catalog.latest_form("cwac-marf").version == "1.6.0"
        new = store.referrals.create_draft("cwac-marf", form_catalog.latest_form("cwac-marf").version, valid_answers())
        reopened = store.referrals.get(old.id)
        assert reopened.form_version == "1.0.0"
        assert form_catalog.load_form(reopened.form_id, reopened.form_version).title != "Newer MARF"
        assert form_catalog.load_form(new.form_id, new.form_version).title == "Newer MARF"

        # Both versions queue and send: the sandbox accepts the version it publishes.
        for referral in (old, new):
            queue_referral(store, str(referral.id), policy, date.today())
        sent = OutboxWorker.from_policy(store, policy).run_once(poll=False).sent
        assert sorted(r.state for r in sent) == ["received", "received"]
    finally:
        store.close()


# --------------------------------------------------------------------------------- the worker's cycle


class Clock:
    def __init__(self):
        self.now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def __call__(self):
        return self.now


def test_worker_checks_after_start_up_then_at_most_once_a_day():
    calls, heard = [], []
    clock = Clock()

    def check(client):
        calls.append(clock.now)
        if len(calls) == 2:
            raise NetworkError("offline")
        return SimpleNamespace(accepted=False)

    worker = OutboxWorker(MemoryStore(), lambda: SimpleNamespace(close=lambda: None), clock=clock, form_update=check)
    worker.on_form_update(heard.append)
    assert worker.check_form_update_if_due() is not None  # straight after start-up
    clock.now += timedelta(hours=23)
    assert worker.check_form_update_if_due() is None and len(calls) == 1
    clock.now += timedelta(hours=1)
    assert worker.check_form_update_if_due() is None and len(calls) == 2  # failed: tried again in an hour
    clock.now += timedelta(minutes=59)
    assert worker.check_form_update_if_due() is None and len(calls) == 2
    clock.now += timedelta(minutes=1)
    assert worker.check_form_update_if_due() is not None and len(calls) == 3
    assert len(heard) == 2
    assert OutboxWorker(MemoryStore(), lambda: None).check_form_update_if_due() is None  # not configured


def test_worker_without_a_signing_key_does_not_check(tmp_path):
    store = SimpleNamespace(files=SimpleNamespace(profile_dir=tmp_path))
    policy = SimpleNamespace(api_base_url="https://127.0.0.1:1", form_signing_key=None)
    worker = OutboxWorker.from_policy(store, policy)
    assert worker.check_form_update_if_due() is None


# --------------------------------------------------------------------------------------------- CLI


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "referral_desktop", *args],
        capture_output=True, text=True, timeout=60, env={**os.environ, "REFERRAL_DESKTOP_PROFILE": ""},
        stdin=subprocess.DEVNULL,
    )


def test_cli_forms_update(sandbox, published, policy, tmp_path):
    profile = tmp_path / "profile"
    published.write_text(definition_text("1.7.0"), encoding="utf-8")
    base = ["--policy", str(policy.source), "--profile", str(profile), "forms", "update"]
    first = run_cli(*base)
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("cwac-marf 1.7.0: accepted.")
    again = run_cli(*base)
    assert again.returncode == 0 and again.stdout.startswith("cwac-marf 1.7.0: already known.")
    published.write_text(definition_text("1.7.0", "Changed"), encoding="utf-8")
    conflict = run_cli(*base)
    assert conflict.returncode == 1 and conflict.stdout.startswith("cwac-marf 1.7.0: refused.")
    assert "Changed" not in conflict.stdout + conflict.stderr

    no_key = write_policy(tmp_path / "nokey", sandbox, encrypt=False)
    refused = run_cli("--policy", str(no_key), "--profile", str(profile), "forms", "update")
    assert refused.returncode == 1
    assert refused.stdout.strip() == (
        "Form update refused. The policy has no form_signing_key, so form updates from the server are not accepted."
    )
    assert cache_files(profile) == ["cwac-marf/1.7.0.json", "cwac-marf/1.7.0.json.jws"]


def test_cli_queue_accepts_a_draft_on_a_verified_form_update(sandbox, published, policy, client, tmp_path):
    profile = tmp_path / "profile"
    published.write_text(definition_text("1.8.0"), encoding="utf-8")
    assert fetch_form_update(client, policy, forms_cache_dir(profile)).accepted
    store = create_store(profile, PASSPHRASE)
    try:
        referral_id = str(store.referrals.create_draft("cwac-marf", "1.8.0", valid_answers()).id)
    finally:
        store.close()
    queued = subprocess.run(
        [sys.executable, "-m", "referral_desktop", "--policy", str(policy.source), "--profile", str(profile),
         "queue", referral_id, "--passphrase-stdin"],
        input=PASSPHRASE + "\n", capture_output=True, text=True, timeout=60,
    )
    assert queued.returncode == 0, queued.stderr
    assert queued.stdout.startswith(f"{referral_id}\tqueued")


def test_run_forever_checks_for_a_form_update_once_the_api_answers(sandbox, published, policy, tmp_path):
    import threading

    published.write_text(definition_text("1.9.0"), encoding="utf-8")
    stop, results = threading.Event(), []

    def check(api):
        results.append(fetch_form_update(api, policy, forms_cache_dir(tmp_path / "profile")))
        stop.set()
        worker.nudge()  # the loop sleeps on its one wake event

    worker = OutboxWorker(MemoryStore(), lambda: ApiClient.from_policy(policy), form_update=check)
    thread = threading.Thread(target=worker.run_forever, args=(stop,), daemon=True)
    thread.start()
    thread.join(30)
    assert not thread.is_alive() and worker.online is True
    assert [(r.status, r.version) for r in results] == [(FormUpdateStatus.ACCEPTED, "1.9.0")]


def test_the_desktop_app_offers_verified_updates_before_anything_is_unlocked(
    sandbox, published, policy, client, tmp_path
):
    """The desktop app's start-up step (run on its task runner after the first paint, before any unlock)
    registers the profile's verified cache, so the first new referral is on the accepted update."""
    from referral_desktop.ui.app import _policy_loader

    published.write_text(definition_text("1.9.0", "Updated MARF"), encoding="utf-8")
    profile = tmp_path / "profile"
    assert fetch_form_update(client, policy, forms_cache_dir(profile)).status is FormUpdateStatus.ACCEPTED
    assert form_catalog.latest_form("cwac-marf").version == "1.1.0"  # nothing registered yet
    policy_file = tmp_path / "policy" / "policy.toml"
    loaded = _policy_loader(str(policy_file), "INFO", profile)()
    assert loaded.form_signing_key == policy.form_signing_key
    assert form_catalog.latest_form("cwac-marf").version == "1.9.0"


def test_validate_and_import_know_the_profiles_verified_updates(
    sandbox, published, policy, client, tmp_path, monkeypatch, capsys
):
    """A referral document on an accepted form update is validated and imported, as the app would open it;
    with no signing key in the policy the cache is not trusted and the version stays unknown."""
    import io

    from referral_desktop.cli import main

    published.write_text(definition_text("1.9.0", "Updated MARF"), encoding="utf-8")
    profile = tmp_path / "profile"
    assert fetch_form_update(client, policy, forms_cache_dir(profile)).status is FormUpdateStatus.ACCEPTED
    document = tmp_path / "referral.json"
    document.write_text(json.dumps({"form_id": "cwac-marf", "form_version": "1.9.0",
                                    "answers": valid_answers()}), encoding="utf-8")
    policy_file = str(tmp_path / "policy" / "policy.toml")
    common = ["--profile", str(profile), "--policy", policy_file]

    assert main([*common, "validate", str(document), "--today", "2026-11-24"]) == 0
    assert "cwac-marf 1.9.0" in capsys.readouterr().out

    create_store(profile, PASSPHRASE).close()
    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSPHRASE + "\n"))
    assert main([*common, "import", str(document), "--passphrase-stdin"]) == 0
    referral_id = capsys.readouterr().out.strip()
    from referral_desktop.store import open_store

    store = open_store(profile, PASSPHRASE)
    try:
        assert store.referrals.get(referral_id).form_version == "1.9.0"
    finally:
        store.close()

    form_catalog.set_extra_form_sources(())
    unsigned = write_policy(tmp_path / "unsigned", sandbox, encrypt=False)
    assert main(["--profile", str(profile), "--policy", str(unsigned), "validate", str(document)]) == 2
    assert "Unknown form cwac-marf@1.9.0" in capsys.readouterr().err
