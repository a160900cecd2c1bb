"""The desktop application's entry point: ``referral-desktop`` with no sub-command.

Wires the pieces once: policy, profile folder, Qt application (UK locale, system palette, error hook),
the store task runner, the sync worker's Qt adapter and the main window. ``--demo`` uses a throwaway
profile and starts the sandbox as a separate process (the app never imports the sandbox).
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

ORGANISATION = "ReferralDesktop"
BENCH_READY_ENV = "REFERRAL_DESKTOP_BENCH_READY"
APPLICATION = "ReferralDesktop"  # the settings' folder; never shown or heard
#: What a screen reader calls the application (switching to it, listing applications) and how it describes it.
DISPLAY_NAME = "Referral Desktop"
DESCRIPTION = "Write Cheshire West and Chester's Multi-Agency Referral Form and send it to iART"


def _load_policy(path: str | None) -> Any:
    from referral_desktop.policy import load_policy

    return load_policy(Path(path) if path else None)


def make_settings(path: Path | None = None) -> Any:
    """Window geometry and the auto-lock choice; never personal data."""
    from PySide6.QtCore import QSettings

    if path is not None:
        return QSettings(str(path), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)


def build_application(argv: list[str] | None = None) -> Any:
    """The themed QApplication (built once; later calls return it).

    Nothing is installed on the application that Python would be called for at every event: the wheel
    guard and Enter-on-buttons live on the controls and windows that need them (see ``wheel_guard`` and
    ``enter_on_buttons`` for why).
    """
    from PySide6.QtWidgets import QApplication

    from referral_desktop.ui.pyside_source_checks import skip_source_checks_of_loaded_modules

    skip_source_checks_of_loaded_modules()  # before the app's Qt modules are imported (see its docstring)
    from referral_desktop import __version__
    from referral_desktop.ui.accessibility import describe_application, install_accessibility_factory
    from referral_desktop.ui.gui_application import running_application
    from referral_desktop.ui.gui_thread_collector import install_gui_thread_collector
    from referral_desktop.ui.theme import apply_theme, style_arguments

    existing = running_application()
    if existing is not None and existing.property("referralDesktopThemed"):
        return existing  # run_gui built it already (to show --demo's first window)
    arguments = argv if argv is not None else sys.argv[:1]
    app = existing or QApplication([*arguments, *style_arguments()])
    install_gui_thread_collector(app)  # before any other thread runs Python (see gui_thread_collector)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(DISPLAY_NAME)
    app.setApplicationVersion(__version__)
    apply_theme(app, style_set=existing is None)
    install_accessibility_factory()
    describe_application(DISPLAY_NAME, DESCRIPTION)  # not "ReferralDesktop" and the interpreter's path
    app.setProperty("referralDesktopThemed", True)
    return app


def run_gui(args: argparse.Namespace) -> int:
    """The app's window, or a message and exit code 2 when there is no display to show it on.

    ``--demo`` first shows a window saying the practice server is starting, then runs on a throwaway
    profile; the sandbox child and the demo folder are removed however the app ends (see
    ``demo_sandbox``): normally, after an error, or when asked to end by a signal."""
    from referral_desktop.profile_location import ensure_private_dir, resolve_profile_dir
    from referral_desktop.ui.display_check import display_problem

    problem = display_problem()
    if problem:
        print(problem, file=sys.stderr, flush=True)
        return 2
    demo = bool(getattr(args, "demo", False))
    demo_dir: Path | None = None
    sandbox = None
    policy_path = getattr(args, "policy", None)
    instance = None
    if not demo:
        profile_dir = ensure_private_dir(resolve_profile_dir(getattr(args, "profile", None)))
    app = build_application()
    if not demo:  # (a demo's profile is a new throwaway folder every time)
        from referral_desktop.ui.single_instance import ProfileInstance, second_start

        instance = ProfileInstance(profile_dir)
        if not instance.claim():
            return second_start(profile_dir)
    # The termination watch: at once for --demo (its sandbox starts before the main window); otherwise the
    # first step after the first paint (_run_window), before the store's worker can start. Until then a
    # signal ends the process as Python's default does, and there is nothing yet it could leave half done:
    # no store open, no sender, nothing written; the profile's claim goes with the process
    # (tests/ui/test_startup.py).
    watches = [watch_termination(app)] if demo else []
    try:
        if demo:
            from referral_desktop.ui.demo_sandbox import make_demo_folder, sandbox_unavailable_reason

            demo_dir = make_demo_folder()
            profile_dir = ensure_private_dir(demo_dir / "profile")
            reason = sandbox_unavailable_reason()
            if reason:
                print(reason, file=sys.stderr)
            else:
                from referral_desktop.ui.demo_launch import start_with_window

                sandbox, demo_policy, go_on = start_with_window(demo_dir, watches[0])
                if not go_on:
                    return 0
                policy_path = policy_path or demo_policy
        loader = _policy_loader(policy_path, getattr(args, "app_log_level", None), profile_dir)
        return _run_window(profile_dir, loader, settings_path=(demo_dir / "settings.ini") if demo_dir else None,
                           instance=instance, watches=watches)
    finally:
        for watch in watches:
            watch.uninstall()
        if instance is not None:
            instance.release()
        if sandbox is not None:
            sandbox.stop()
        if demo_dir is not None:
            shutil.rmtree(demo_dir, ignore_errors=True)


def _policy_loader(path: str | None, log_level: str | None, profile_dir: Path) -> Any:
    """What the main window runs on the runner's thread after its first paint: start the private log
    file (``--log-level``, else the policy's level), read the policy (its errors name the setting and the
    file) and offer the profile's verified form updates. They wait until then because importing them
    costs more than drawing the window; the runner finishes them before anything can be unlocked."""

    def load() -> Any:
        from referral_desktop.logging_setup import start_log_file

        try:
            policy = _load_policy(path)
        except Exception:
            start_log_file(log_level or "INFO", at_once=True)  # so that the refusal itself is logged
            raise
        # Opened here, on the runner's thread: the first line logged may come from the GUI thread.
        start_log_file(log_level or policy.log_level, at_once=True)
        _offer_verified_forms(profile_dir, policy)
        return policy

    return load


def _offer_verified_forms(profile_dir: Path, policy: Any) -> None:
    """Register the profile's verified form updates, so the first referral after unlock is on the newest
    accepted version (the background sender registers them again when it starts). A cache that cannot
    be used leaves the bundled form in use; it never stops the app."""
    from referral_desktop.sync.form_updates import use_verified_cache

    try:
        use_verified_cache(profile_dir, policy)
    except Exception as exc:  # noqa: BLE001 - a damaged cache must not keep the app from starting
        log.warning("verified form updates not offered: %s", type(exc).__name__)


def _notifier_starter(context: Any, window: Any) -> Any:
    """iART's news in the notification area, set up at the first unlock (the tray classes are not
    imported before the unlock screen's first paint, and there is nothing to tell before the store is
    open) and told where things stand after every unlock."""
    started: list[Any] = []

    def unlocked() -> None:
        if not started:
            from referral_desktop.ui.notifications import IartNotifier

            notifier = IartNotifier(context, parent=window)
            notifier.open_requested.connect(window.open_when_unlocked)
            notifier.list_requested.connect(window.show_list_when_unlocked)
            started.append(notifier)
        started[0].prime()

    return unlocked


def watch_termination(app: Any) -> Any:
    """SIGTERM, SIGHUP and SIGINT quit the application's event loop, so that ``run_gui``'s clean-up runs."""
    from referral_desktop.ui.termination import TerminationWatch

    watch = TerminationWatch().install()
    watch.on_request(app.quit)
    return watch


def _listen_behind_first_screen(instance: Any, window: Any) -> None:
    """Listen for a second start on this profile in a start-up step on idle: on the GUI thread, where its
    QtNetwork is imported, like every Qt module (``start_up_warming``). A second start keeps trying to
    connect for 5 s (``single_instance``), so listening a moment after the first paint loses it nothing.

    The server made on the GUI thread while the runner imported the screens behind the lock (Qt classes
    bound on both threads at once) crashed the app with a segfault in about one start in four on a busy
    machine (8 of 25, 28 November); the screens are no longer imported on the runner at all."""
    window.idle_steps.add(lambda: instance.listen(window))


def _settle_once_the_steps_ran(window: Any, app: Any) -> None:
    """For the start-up benchmark: "settled" once the runner's start-up work is done and the steps on
    idle have run too (they import the screens behind the lock), then the app ends."""
    steps = window.idle_steps

    def settle() -> None:
        print("settled", flush=True)
        app.quit()

    def drained() -> None:
        steps.drained.disconnect(drained)
        settle()

    if steps.pending:
        steps.drained.connect(drained)
    else:
        settle()


def _report_idle_steps(window: Any) -> None:
    """For the start-up benchmark: once the steps after the first paint have run, how long the longest
    kept the GUI thread."""
    steps = window.idle_steps

    def drained() -> None:
        steps.drained.disconnect(drained)
        print(f"steps {steps.longest_step_s * 1000:.1f}", flush=True)

    steps.drained.connect(drained)


def _run_window(profile_dir: Path, policy_loader: Any, settings_path: Path | None = None,
                instance: Any = None, watches: list[Any] | None = None) -> int:
    """Show the window at once; the policy is read behind it (see ``MainWindow._after_first_paint``).
    Returns 1 when the policy cannot be used, after the professional has read why and quit.

    With no termination watch in ``watches`` yet, one is added there (the caller uninstalls it) as the
    first step after the first paint, before the runner's start."""
    app = build_application()
    from PySide6.QtCore import QTimer

    from referral_desktop.ui.app_context import AppContext
    from referral_desktop.ui.excepthook import ErrorReporter
    from referral_desktop.ui.main_window import MainWindow
    from referral_desktop.ui.sync_startup import start_sync
    from referral_desktop.ui.task_runner import StoreTaskRunner

    reporter = ErrorReporter(app).install()
    runner = StoreTaskRunner()
    context = AppContext(profile_dir=profile_dir, runner=runner, settings=make_settings(settings_path),
                         policy_loader=policy_loader)
    window = MainWindow(context)
    window.policy_refused.connect(
        lambda message: print(f"The deployment policy cannot be used: {message}", file=sys.stderr, flush=True)
    )
    sync = start_sync(context)
    window.session_unlocked.connect(_notifier_starter(context, window))
    if watches is not None and not watches:
        window.first_painted.connect(lambda: window.idle_steps.add(lambda: watches.append(watch_termination(app))))
    if instance is not None:  # a second start on this profile brings this window forward
        window.start_up_queued.connect(lambda: _listen_behind_first_screen(instance, window))
    window.show()
    if os.environ.get(BENCH_READY_ENV):
        # tests/benchmarks/bench_ui.py: "ready" once the first screen is painted and the GUI thread has
        # nothing queued but the steps left for when it is idle (window_idle_steps.py); "steps" once those
        # have run too (with the longest step's time); "settled" once the start-up work behind the window
        # (policy, store check) is done as well.
        window.first_painted.connect(lambda: QTimer.singleShot(0, lambda: print("ready", flush=True)))
        window.first_painted.connect(lambda: _report_idle_steps(window))
        window.start_up_queued.connect(lambda: runner.run(lambda: None).success(
            lambda _r: _settle_once_the_steps_ran(window, app)))
    try:
        code = int(app.exec())
        return 1 if window.refusal is not None else code
    finally:
        if sync is not None:
            sync.stop()
        runner.shutdown()
        reporter.uninstall()
