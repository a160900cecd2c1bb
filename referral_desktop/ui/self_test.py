"""``referral-desktop self-test``: prove an installed (usually frozen) app works on this machine.

Why it exists: a frozen build breaks in ways the source tree never shows — a data file not collected,
SQLCipher's native library missing, a Qt plugin left out. IT and CI run this after installing, as an
ordinary user, without a display:

    referral-desktop self-test                       # offline: resources, encrypted store, main window
    referral-desktop self-test --sandbox-url URL --ca CA.pem --token-file TOKEN
                                                     # + send one referral and see it acknowledged

Everything happens in a fresh temporary profile (deleted afterwards) through the real window: the
first-run screen creates the encrypted store, the referrer profile is saved, the home screen appears,
a referral made of the bundled *invented* example answers is queued, the background sender delivers
it, and the status poll sees iART acknowledge it (the sandbox must acknowledge on its own, e.g.
``--auto-acknowledge 1``). The user's own profile, settings and policy are never touched. Sending is
only ever to the ``--sandbox-url`` given, with a throwaway policy marked as a test deployment.

One line per step (``ok``/``fail``, name, detail with ids, states, references and times only); exit
code 0 when every step passed, 1 otherwise. This module is imported by ``cli`` to register the
command, so Qt is imported only inside the functions.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

FORM_ID = "cwac-marf"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "self-test",
        help="check an installed app: resources, encrypted store, main window (offscreen), and "
        "optionally one referral sent to a sandbox",
        description="Run the installed app end to end in a temporary profile, offscreen: find the "
        "bundled forms and resources, create and reopen an encrypted store, render the main window; "
        "with --sandbox-url, send one referral of invented example data to that sandbox and wait "
        "until it is acknowledged. Never uses the user's profile or the real iART. Exit code 0 when "
        "every step passed.",
    )
    parser.add_argument("--sandbox-url", metavar="URL", help="the sandbox iART API to send one test referral to")
    parser.add_argument("--ca", metavar="PEM", help="the sandbox's CA certificate (added to the trust store)")
    parser.add_argument("--token-file", metavar="FILE", help="file holding the sandbox's client bearer token")
    parser.add_argument("--iart-public-key", metavar="JWK", help="the sandbox's payload public key (optional)")
    parser.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS",
                        help="longest wait for the referral to be sent and acknowledged (default 60)")
    parser.add_argument("--startup-only", action="store_true",
                        help="stop once the main window is shown (used to measure start-up time)")
    parser.add_argument("--screenshot", metavar="PNG", help="save a picture of the main window here")
    parser.add_argument("--use-display", action="store_true",
                        help="use the real display instead of Qt's offscreen platform")
    parser.set_defaults(handler=run_self_test)


class SelfTestFailed(Exception):
    pass


class _Steps:
    """Prints one line per step; stops the run at the first failure."""

    def __init__(self) -> None:
        self.failed = False
        self.started = time.monotonic()

    def run(self, name: str, body: Callable[[], str]) -> Any:
        began = time.monotonic()
        try:
            detail = body()
        except SelfTestFailed as exc:
            self._print("fail", name, str(exc), began)
            self.failed = True
            raise
        except Exception as exc:  # a broken installation: name the type, never a message with values
            self._print("fail", name, f"{type(exc).__module__}.{type(exc).__qualname__}", began)
            self.failed = True
            raise SelfTestFailed(name) from exc
        self._print("ok", name, detail, began)
        return detail

    @staticmethod
    def _print(status: str, name: str, detail: str, began: float) -> None:
        took = (time.monotonic() - began) * 1000
        print(f"{status:<5}{name:<13}{detail} ({took:.0f} ms)", flush=True)


def _wait_until(app: Any, predicate: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.processEvents()
        if predicate():
            return
        time.sleep(0.02)
    raise SelfTestFailed(f"timed out after {timeout:.0f} s waiting for {what}")


def _write_policy(args: argparse.Namespace, folder: Path) -> Path:
    def quoted(value: str) -> str:
        return json.dumps(str(Path(value).resolve()) if os.sep in value or Path(value).exists() else value)

    lines = [
        "# Written by referral-desktop self-test for one run; deleted afterwards.",
        f"api_base_url = {json.dumps(args.sandbox_url)}",
        "test_deployment = true",
    ]
    if args.ca:
        lines.append(f"ca_bundle = {quoted(args.ca)}")
    if args.token_file:
        lines.append(f"bearer_token_file = {quoted(args.token_file)}")
    if args.iart_public_key:
        lines.append(f"iart_public_key = {quoted(args.iart_public_key)}")
    path = folder / "self-test-policy.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run_self_test(args: argparse.Namespace) -> int:
    if not args.use_display:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    work = Path(tempfile.mkdtemp(prefix="referral-desktop-self-test-"))
    steps = _Steps()
    cleanup: list[Callable[[], object]] = []
    try:
        _run(args, work, steps, cleanup)
    except SelfTestFailed:
        pass
    finally:
        for action in reversed(cleanup):
            try:
                action()
            except Exception:  # noqa: BLE001 - cleaning up after a failure must not hide it
                pass
        shutil.rmtree(work, ignore_errors=True)
    total = time.monotonic() - steps.started
    print(f"self-test: {'FAILED' if steps.failed else 'passed'} in {total:.1f} s", flush=True)
    return 1 if steps.failed else 0


def _run(args: argparse.Namespace, work: Path, steps: _Steps, cleanup: list[Callable[[], object]]) -> None:
    from referral_desktop import __version__
    from referral_desktop.profile_location import ensure_private_dir

    profile_dir = ensure_private_dir(work / "profile")
    state: dict[str, Any] = {}

    def resources() -> str:
        from referral_desktop.bundled_data import resource_path
        from referral_desktop.domain.contacts import load_contacts
        from referral_desktop.domain.form_catalog import latest_form
        from referral_desktop.ui.editor.demo_answers import demo_document

        form = latest_form(FORM_ID)
        fields = sum(1 for _ in form.iter_fields())
        resource_path("contacts.json")
        contacts = load_contacts()
        document = demo_document()  # the invented demo family, on the newest form bundled with the app
        state["answers"], state["form_version"] = document["answers"], document["form_version"]
        frozen = "frozen" if getattr(sys, "frozen", False) else "not frozen"
        return (f"version {__version__} ({frozen}); form {form.form_id} {form.version} with {fields} fields; "
                f"{len(getattr(contacts, 'services', {}) or {})} contact services")

    steps.run("resources", resources)

    policy = None
    if args.sandbox_url:
        def make_policy() -> str:
            from referral_desktop.policy import check_referenced_files, load_policy

            nonlocal policy
            policy = load_policy(_write_policy(args, work))
            problems = check_referenced_files(policy)
            if problems:
                raise SelfTestFailed(problems[0])
            return f"test policy for {policy.api_base_url}"

        steps.run("policy", make_policy)

    def qt() -> str:
        from referral_desktop.ui.app import build_application

        state["app"] = build_application([sys.argv[0]])
        return f"platform {state['app'].platformName()}"

    steps.run("qt", qt)
    app = state["app"]

    def window() -> str:
        from referral_desktop.ui.app import make_settings
        from referral_desktop.ui.app_context import AppContext
        from referral_desktop.ui.excepthook import ErrorReporter
        from referral_desktop.ui.main_window import MainWindow
        from referral_desktop.ui.screens.first_run import FirstRunScreen
        from referral_desktop.ui.sync_startup import start_sync
        from referral_desktop.ui.task_runner import StoreTaskRunner

        reporter = ErrorReporter(app).install()
        cleanup.append(reporter.uninstall)
        runner = StoreTaskRunner()
        cleanup.append(runner.shutdown)
        context = AppContext(profile_dir=profile_dir, runner=runner,
                             settings=make_settings(work / "settings.ini"), policy=policy)
        state["context"] = context
        if policy is not None:
            sync = start_sync(context)
            cleanup.append(sync.stop)
        main = MainWindow(context)
        state["window"] = main
        cleanup.append(main.close)
        main.show()
        _wait_until(app, lambda: main.isVisible() and isinstance(main.current, FirstRunScreen), 10,
                    "the first-run screen")
        picture = main.grab()
        if picture.isNull() or picture.width() < 200:
            raise SelfTestFailed("the main window did not render")
        if args.screenshot:
            picture.save(args.screenshot)
        return f"main window rendered {picture.width()}x{picture.height()}, first-run screen shown"

    steps.run("window", window)
    if args.startup_only:
        return
    main = state["window"]
    context = state["context"]
    passphrase = " ".join(secrets.token_hex(4) for _ in range(4))

    def store() -> str:
        from referral_desktop.store import open_store
        from referral_desktop.store.layout import StoreFiles
        from referral_desktop.ui.screens.home import HomeScreen

        first = main.current
        first.passphrase.setText(passphrase)
        first.confirm.setText(passphrase)
        first.create_button.click()
        _wait_until(app, lambda: first.pages.currentIndex() == 1, 30, "the encrypted store to be created")
        first.profile_form.set_values({k: v for k, v in state["answers"].items() if k.startswith("referrer_")})
        first.save_profile_button.click()
        _wait_until(app, lambda: isinstance(main.current, HomeScreen), 15, "the home screen")
        db = StoreFiles(profile_dir).db
        head = db.read_bytes()[:16]
        if head.startswith(b"SQLite format 3"):
            raise SelfTestFailed("the store file is not encrypted")
        mode = ""
        if os.name == "posix":
            mode = f", mode {db.stat().st_mode & 0o777:04o}"
            if db.stat().st_mode & 0o077:
                raise SelfTestFailed(f"the store file is readable by other users{mode}")
        second = open_store(profile_dir, passphrase)  # a second connection: the key derivation works
        second.close()
        return f"new encrypted store created through the first-run screen and reopened{mode}; home screen shown"

    steps.run("store", store)

    if policy is None:
        print("skip send         no --sandbox-url given: nothing sent", flush=True)
        return

    def send() -> str:
        runner = context.runner
        referral = runner.run_sync(lambda: runner.store.referrals.create_draft(
            FORM_ID, state["form_version"], state["answers"]))
        state["referral_id"] = str(referral.id)
        _wait_until(app, lambda: context.sync_worker is not None, 15, "the background sender")
        main.send_referral(state["referral_id"])
        _wait_until(app, lambda: _store_state(context, state["referral_id"]) in ("received", "acknowledged", "decided"),
                    args.timeout, "the referral to be received")
        reference = runner.run_sync(lambda: runner.store.referrals.get(state["referral_id"]).iart_reference)
        state["reference"] = reference
        return f"referral {state['referral_id']} received by the sandbox as {reference}"

    steps.run("send", send)

    def acknowledged() -> str:
        worker = context.sync_worker
        worker.status_interval = timedelta(seconds=1)
        worker.nudge()
        _wait_until(app, lambda: _store_state(context, state["referral_id"]) in ("acknowledged", "decided"),
                    args.timeout, "iART's acknowledgement")
        home = main.home
        _wait_until(app, lambda: any(r.referral_id == state["referral_id"] and r.state in ("acknowledged", "decided")
                                     for r in home.model.rows), 10, "the home list to show the acknowledgement")
        return f"{state['reference']} acknowledged; home list shows it"

    steps.run("acknowledged", acknowledged)


def _store_state(context: Any, referral_id: str) -> str:
    runner = context.runner
    referral = runner.run_sync(lambda: runner.store.referrals.get(referral_id))
    return str(getattr(referral.state, "value", referral.state))
