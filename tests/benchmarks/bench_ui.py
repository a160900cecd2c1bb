"""UI benchmarks (not collected by pytest): ``python tests/benchmarks/bench_ui.py``.

1. Process start to the unlock screen shown and idle, beside a bare PySide6 program that only shows an
   empty main window (the ratio is the figure; target at most 1.25, issue 13). "Shown" means painted once (a zero
   timer set before ``exec`` fires before the first paint); "idle" means the GUI thread has nothing
   left queued but the app's start-up steps kept for when it is idle (``ui/window_idle_steps.py``: the
   termination watch, starting the runner), which run one per pass of the event loop
   after that; when they are done, and the longest one, are printed too. The app is timed through its
   real entry point with a deployment policy, which it reads after the first paint on its task runner's
   thread; that time is printed too. A second anchor,
   the same unlock window built with plain PySide6 and the app's style sheet but none of its code
   (``plain_unlock_window.py``), splits the gap: drawing this screen at all, and the app's own code.
2. Unlock to the home window shown and idle with 1,000 referrals in the store (target under 0.6 s, of
   which the key derivation is about 0.2 s).
3. With ``--frozen``: the same start-up as installed, the PyInstaller bundle the installers ship (built
   here with ``build/build_installer.py --bundle-only --test-build``, about a minute) beside the same bare
   window frozen by PyInstaller with its defaults (about 10 s). This is the start a professional sees;
   frozen, modules load from the bundle's archive and PyInstaller's start-up hooks run first.
4. With ``--ceiling`` (instead of the rest): how close to the bare window the app could come at all. The
   plain-PySide6 unlock window is timed again after importing the app's own modules first (those the real
   entry point has loaded at its "ready", in the same order): the ones loaded before Qt, then also those the
   application needs before any window (accessibility, theme, the profile's lock), then all of them. Their
   module bodies run, none of their functions (``plain_unlock_window.py --before-qt/--after-qt``).

Medians of several runs, offscreen.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
REPO = Path(__file__).resolve().parents[2]
PASSPHRASE = "lantern orbit meadow 42"
RUNS = 7
#: (process start to the app's idle steps done, the longest step) of each app start timed, in order.
STEPS: list[tuple[float, float]] = []

BARE = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    class Window(QMainWindow):
        painted = False

        def paintEvent(self, event):
            super().paintEvent(event)
            if not self.painted:  # "shown": painted once; "idle": nothing left queued after that
                self.painted = True
                QTimer.singleShot(0, lambda: (print("ready", flush=True), app.quit()))

    app = QApplication(sys.argv[:1])
    window = Window()
    window.show()
    app.exec()
""")

#: The real entry point, as a desktop icon starts it (no arguments), with a pilot deployment's policy.
CLI = "import sys; from referral_desktop.cli import main; sys.exit(main(sys.argv[1:]))"
POLICY = REPO / "resources" / "policy-examples" / "pilot-sandbox.toml"
#: The same unlock window in plain PySide6 (see its docstring): the second anchor.
PLAIN_UNLOCK_WINDOW = Path(__file__).with_name("plain_unlock_window.py")
#: For ``--ceiling``: the real entry point, which prints at its "ready" the app's modules then loaded (and
#: platformdirs'), in the order they were loaded, split where PySide6 was loaded among them, and ends.
MODULES_AT_READY = """
import builtins, json, os, sys

def ready(*args, **kwargs):
    if args and args[0] == "ready":
        names = list(sys.modules)
        qt = names.index("PySide6")
        ours = [(i, n) for i, n in enumerate(names) if n.split(".")[0] in ("referral_desktop", "platformdirs")]
        sys.stdout.write(json.dumps({"before": [n for i, n in ours if i < qt], "after": [n for i, n in ours if i > qt]}))
        sys.stdout.write("\\n")
        sys.stdout.flush()
        os._exit(0)
    return print_(*args, **kwargs)

print_ = builtins.print
builtins.print = ready
from referral_desktop.cli import main
sys.exit(main(sys.argv[1:]))
"""
#: What the application needs before any window, whatever the first screen: the accessibility factory (a
#: screen reader must never meet the passphrase field's text or an unnamed heading), the theme, the
#: profile's lock, and PySide's source-check table (``ui/app.py``: ``build_application``, ``run_gui``).
APPLICATION_MODULES = ("referral_desktop.ui.pyside_source_checks", "referral_desktop.ui.accessibility",
                       "referral_desktop.ui.gui_application", "referral_desktop.ui.gui_thread_collector",
                       "referral_desktop.ui.theme", "referral_desktop.ui.single_instance")


def isolate(root: Path) -> None:
    """Everything the app writes (profile, settings, logs) under ``root``, as it finds it when started
    from a desktop icon: the default folders (XDG on Linux) and the policy named by the environment."""
    os.environ.update({"XDG_DATA_HOME": str(root / "data"), "XDG_CONFIG_HOME": str(root / "config"),
                       "XDG_STATE_HOME": str(root / "state"), "XDG_CACHE_HOME": str(root / "cache"),
                       "REFERRAL_DESKTOP_LOG_DIR": str(root / "logs"), "REFERRAL_DESKTOP_POLICY": str(POLICY)})
    os.environ.pop("REFERRAL_DESKTOP_PROFILE", None)


def child_environment(pycache: Path) -> dict[str, str]:
    """Offscreen, and with compiled bytecode as every installation has (pip compiles site-packages;
    PyInstaller bundles .pyc): the project's own modules are compiled once, by the warm-up run, into a
    private cache, even where PYTHONDONTWRITEBYTECODE is set (it is on the development machines here,
    which otherwise times compiling the app's source at every start)."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env.update({"QT_QPA_PLATFORM": "offscreen", "REFERRAL_DESKTOP_BENCH_READY": "1",
                "PYTHONPYCACHEPREFIX": str(pycache)})
    return env


def time_process(code: str, *args: str, env: dict[str, str],
                 cpu: list[float] | None = None) -> tuple[float, float | None]:
    """From process start to its "ready" line (first screen painted and the GUI thread idle) and to its
    "settled" line, if it prints one (the start-up work behind the first screen done as well)."""
    return time_command([sys.executable, "-c", code, *args], env=env, settles=code is CLI, cpu=cpu)


def main_thread_cpu(pid: int) -> float | None:
    """CPU seconds the process's main thread has run (Linux: /proc/PID/schedstat, in nanoseconds)."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        return None


def time_command(command: list[str], *, env: dict[str, str], settles: bool,
                 cpu: list[float] | None = None) -> tuple[float, float | None]:
    """:func:`time_process` for any program that prints "ready" (and "settled" when ``settles``). With
    ``cpu``, the main thread's CPU time when "ready" is read is appended to it: on a machine other programs
    share, wall times swing with their load (a bare window 92-200 ms within an hour here), CPU time far
    less, so the two ratios are printed side by side."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
                               env=env)
    assert process.stdout is not None
    line = process.stdout.readline()
    ready = time.perf_counter() - started
    used = main_thread_cpu(process.pid)
    if cpu is not None and used is not None:
        cpu.append(used)
    settled = None
    if "ready" in line and settles:
        for later in process.stdout:  # "steps MS" (the app's idle steps done), then "settled"
            if later.startswith("steps "):
                STEPS.append((time.perf_counter() - started, float(later.split()[1]) / 1000))
            elif "settled" in later:
                settled = time.perf_counter() - started
                break
    _out, err = process.communicate(timeout=60)
    if process.returncode < 0:  # killed by a signal: the intermittent segfault the lead is chasing
        raise Crashed(f"ended by signal {-process.returncode}: {err[-2000:]}")
    if "ready" not in line or (settles and settled is None):
        raise RuntimeError(err[-2000:])
    return ready, settled


class Crashed(RuntimeError):
    """A timed start ended by a signal (a segfault; /work/wt/crashes)."""


#: Starts of the app that crashed and were started again (printed with the results, never hidden).
CRASHES: list[str] = []


def time_app(*args: str, env: dict[str, str], cpu: list[float] | None = None) -> tuple[float, float | None]:
    """:func:`time_process` of the app; a start that crashed is counted and timed again (up to five times)."""
    for attempt in range(6):
        try:
            return time_process(CLI, *args, env=env, cpu=cpu)
        except Crashed as crash:
            CRASHES.append(str(crash).splitlines()[0])
            if attempt == 5:
                raise
    raise AssertionError("unreachable")


def frozen_programs(root: Path) -> tuple[Path, Path]:
    """The app's bundle as the installers ship it, and the bare window frozen with PyInstaller's defaults."""
    build = subprocess.run([sys.executable, str(REPO / "build" / "build_installer.py"), "--bundle-only",
                            "--test-build", "--out", str(root / "app")], capture_output=True, text=True)
    if build.returncode != 0:
        raise RuntimeError(build.stdout[-2000:] + build.stderr[-2000:])
    (root / "bare_window.py").write_text(BARE, encoding="utf-8")
    bare = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--onedir", "--log-level", "WARN",
                           "--distpath", str(root / "bare" / "dist"), "--workpath", str(root / "bare" / "work"),
                           "--specpath", str(root / "bare"), str(root / "bare_window.py")],
                          capture_output=True, text=True)
    if bare.returncode != 0:
        raise RuntimeError(bare.stderr[-2000:])
    app = root / "app" / "dist" / "referral-desktop" / ("referral-desktop.exe" if os.name == "nt" else "referral-desktop")
    frozen_bare = root / "bare" / "dist" / "bare_window" / ("bare_window.exe" if os.name == "nt" else "bare_window")
    return app, frozen_bare


def frozen_start_up(root: Path, env: dict[str, str]) -> None:
    app, bare = frozen_programs(root)
    for command in ([str(bare)], [str(app)]):  # warm the file cache
        time_command(command, env=env, settles=command[0] == str(app))
    bare_times, app_times = [], []
    cpu: dict[str, list[float]] = {"bare": [], "app": []}
    for _ in range(RUNS):
        bare_times.append(time_command([str(bare)], env=env, settles=False, cpu=cpu["bare"])[0])
        app_times.append(time_frozen_app(app, env, cpu["app"]))
    bare_median, app_median = statistics.median(bare_times), statistics.median(app_times)
    print(f"frozen: bare PySide6 window painted and idle:         {bare_median * 1000:6.0f} ms (median of {RUNS})")
    print(f"frozen: the app's unlock screen painted and idle:     {app_median * 1000:6.0f} ms (median of {RUNS})")
    print(f"frozen ratio (as installed):                           {app_median / bare_median:6.2f} (target <= 1.25)")
    if all(cpu.values()):
        cpu_bare, cpu_app = statistics.median(cpu["bare"]), statistics.median(cpu["app"])
        print(f"frozen: main-thread CPU time at \"ready\", bare / app:    {cpu_bare * 1000:.0f} / {cpu_app * 1000:.0f} ms, "
              f"ratio {cpu_app / cpu_bare:.2f}")


def time_frozen_app(app: Path, env: dict[str, str], cpu: list[float]) -> float:
    """The bundle's start to "ready"; a start that crashed is counted and timed again (up to five times)."""
    for attempt in range(6):
        try:
            return time_command([str(app)], env=env, settles=True, cpu=cpu)[0]
        except Crashed as crash:
            CRASHES.append(str(crash).splitlines()[0])
            if attempt == 5:
                raise
    raise AssertionError("unreachable")


def make_profile(root: Path, referrals: int) -> Path:
    """A store with ``referrals`` drafts in the default profile folder under ``root`` (see main)."""
    from referral_desktop.profile_location import default_profile_dir, ensure_private_dir
    from referral_desktop.store import create_store
    from referral_desktop.ui.editor.demo_answers import demo_document

    profile = default_profile_dir()
    assert root in profile.parents, "the profile must be a throwaway one"
    ensure_private_dir(profile)
    store = create_store(profile, PASSPHRASE)
    document = demo_document()
    for _ in range(referrals):
        store.referrals.create_draft(document["form_id"], document["form_version"], document["answers"])
    store.close()
    return profile


def unlock_to_home(profile: Path) -> float:
    from PySide6.QtCore import QCoreApplication

    from referral_desktop.ui.app import build_application, make_settings
    from referral_desktop.ui.app_context import AppContext
    from referral_desktop.ui.main_window import MainWindow
    from referral_desktop.ui.screens.home import HomeScreen
    from referral_desktop.ui.task_runner import StoreTaskRunner

    build_application([sys.argv[0]])
    runner = StoreTaskRunner()
    context = AppContext(profile_dir=profile, runner=runner, settings=make_settings(profile.parent / "s.ini"))
    window = MainWindow(context)
    window.show()
    QCoreApplication.processEvents()
    unlock = window.current
    unlock.passphrase.setText(PASSPHRASE)
    loaded: list[float] = []
    started = time.perf_counter()
    unlock.attempt()
    while True:
        QCoreApplication.processEvents()
        home = window.current
        if isinstance(home, HomeScreen) and not runner.busy and home.model.rowCount() > 0:
            break
        time.sleep(0.001)
    QCoreApplication.processEvents()  # paint the first rows: "shown and idle"
    loaded.append(time.perf_counter() - started)
    rows = home.model.rowCount()
    window.close()
    runner.shutdown()
    window.deleteLater()
    QCoreApplication.processEvents()
    assert rows == 1000, rows
    return loaded[0]


def ceiling(env: dict[str, str]) -> None:
    """``--ceiling`` (see the module's docstring): CPU-time ratios to the bare window, interleaved."""
    probe = subprocess.run([sys.executable, "-c", MODULES_AT_READY], capture_output=True, text=True, cwd=REPO,
                           env=env, timeout=120)
    loaded = json.loads(probe.stdout.strip().splitlines()[-1])
    before, after = loaded["before"], loaded["after"]
    application = [name for name in after if name in APPLICATION_MODULES]
    plain = [sys.executable, str(PLAIN_UNLOCK_WINDOW)]
    levels = {
        "the plain-PySide6 unlock window": plain,
        f"... after the app's {len(before)} modules loaded before Qt": [*plain, "--before-qt", ",".join(before)],
        f"... and the {len(application)} the application needs first": [
            *plain, "--before-qt", ",".join(before), "--after-qt", ",".join(application)],
        f"... and all {len(before) + len(after)} loaded at the first paint": [
            *plain, "--before-qt", ",".join(before), "--after-qt", ",".join(after)],
    }
    for command in levels.values():  # warm the file cache
        time_command(command, env=env, settles=False)
    cpu: dict[str, list[float]] = {"bare": [], "app": [], **{name: [] for name in levels}}
    for _ in range(RUNS * 2 - 1):  # interleaved, so a busy spell on the machine hits them alike
        time_process(BARE, env=env, cpu=cpu["bare"])
        for name, command in levels.items():
            time_command(command, env=env, settles=False, cpu=cpu[name])
        time_app(env=env, cpu=cpu["app"])
    bare = statistics.median(cpu["bare"])
    print(f"main-thread CPU time at \"ready\" against the bare window ({bare * 1000:.0f} ms), "
          f"medians of {RUNS * 2 - 1}, load average {os.getloadavg()[0]:.1f}:")
    for name in [*levels, "app"]:
        label = "the app" if name == "app" else name
        print(f"  {label:<58} {statistics.median(cpu[name]) / bare:5.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frozen", action="store_true", help="also time the PyInstaller bundle (needs [build])")
    parser.add_argument("--ceiling", action="store_true",
                        help="instead: the plain window after importing the app's modules (how close the app could come)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        isolate(root)
        profile = make_profile(root, 1000)
        app_args: tuple[str, ...] = ()  # as a desktop icon starts it
        env = child_environment(root / "pycache")
        if options.ceiling:
            time_app(env=env)  # compile the app's modules into the private cache first
            ceiling(env)
            return 0
        plain = [sys.executable, str(PLAIN_UNLOCK_WINDOW)]
        time_process(BARE, env=env)  # warm the file cache for all three, and compile the app's modules
        time_command(plain, env=env, settles=False)
        time_app(*app_args, env=env)
        bare, same_screen, app, settled = [], [], [], []
        cpu: dict[str, list[float]] = {"bare": [], "plain": [], "app": []}
        for _ in range(RUNS):  # interleaved, so a busy spell on the machine hits them alike
            bare.append(time_process(BARE, env=env, cpu=cpu["bare"])[0])
            same_screen.append(time_command(plain, env=env, settles=False, cpu=cpu["plain"])[0])
            ready, done = time_app(*app_args, env=env, cpu=cpu["app"])
            app.append(ready)
            settled.append(done)
        bare_median, app_median = statistics.median(bare), statistics.median(app)
        plain_median = statistics.median(same_screen)
        print(f"start to window painted and idle, bare PySide6:       {bare_median * 1000:6.0f} ms (median of {RUNS})")
        print(f"... the unlock window in plain PySide6 (no app code):  {plain_median * 1000:6.0f} ms "
              f"(ratio {plain_median / bare_median:.2f}: drawing this screen at all)")
        print(f"start to unlock screen painted and idle (the command): {app_median * 1000:6.0f} ms (median of {RUNS})")
        print(f"ratio:                                                 {app_median / bare_median:6.2f} (target <= 1.25)")
        print(f"the app's own code (the command - the plain window):   {(app_median - plain_median) * 1000:6.0f} ms")
        if all(cpu.values()):
            cpu_bare, cpu_plain, cpu_app = (statistics.median(cpu[k]) for k in ("bare", "plain", "app"))
            print(f"main-thread CPU time at \"ready\", bare / plain / app:   {cpu_bare * 1000:.0f} / {cpu_plain * 1000:.0f} / "
                  f"{cpu_app * 1000:.0f} ms, ratio {cpu_app / cpu_bare:.2f} (plain window {cpu_plain / cpu_bare:.2f}; "
                  f"load average {os.getloadavg()[0]:.1f})")
        steps = STEPS[-RUNS:]
        print(f"... then the start-up steps run on idle, done at:     {statistics.median(s[0] for s in steps) * 1000:6.0f} ms "
              f"(longest step {statistics.median(s[1] for s in steps) * 1000:.1f} ms, median; "
              f"worst {max(s[1] for s in steps) * 1000:.1f} ms)")
        print(f"start to policy read and store checked (behind it):    {statistics.median(settled) * 1000:6.0f} ms "
              "(on the runner's thread; the window stays responsive)")
        if CRASHES:
            print(f"app starts that crashed and were started again:       {len(CRASHES)} ({CRASHES[0]})")
        unlocks = [unlock_to_home(profile) for _ in range(5)]
        print(f"unlock to home idle, 1,000 referrals:                  {statistics.median(unlocks) * 1000:6.0f} ms "
              f"(median of 5; target < 600 ms)")
        if options.frozen:
            frozen_start_up(root / "frozen", env)
    return 0


if __name__ == "__main__":
    sys.exit(main())
