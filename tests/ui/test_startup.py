"""Start-up: the first screen is drawn before the slow parts load, and what loads behind it is in force
before anything is unlocked. An unusable deployment policy is explained on screen and opens nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from referral_desktop.policy import Policy, PolicyError
from referral_desktop.ui.main_window import MainWindow
from referral_desktop.ui.profile_gateway import ProfileGateway
from referral_desktop.ui.screens.home import HomeScreen
from referral_desktop.ui.screens.policy_problem import PolicyProblemScreen
from referral_desktop.ui.screens.unlock import UnlockScreen
from referral_desktop.ui.single_instance import LOCK_FILE
from tests.ui.conftest import PASSPHRASE, create_locked_store, create_store_now

pytestmark = pytest.mark.gui

REPO = Path(__file__).resolve().parents[2]

#: Runs the real entry point and records, at the first paint, which slow modules were already loaded.
FIRST_PAINT_PROBE = """
import json, sys
from referral_desktop.ui import main_window

original = main_window.MainWindow._after_first_paint

def after_first_paint(self):
    import PySide6.QtCore
    loaded = {name: name in sys.modules for name in (
        "pydantic", "referral_desktop.policy", "referral_desktop.store", "referral_desktop.logging_setup",
        "referral_desktop.domain.validation", "referral_desktop.sync", "holidays",
        # ctypes only for an X11 start from source (ui/display_check.py); time zones only for the dates
        # of a damaged store's copy (ui/screens/unlock.py)
        "ctypes", "zoneinfo",
        # the window's context is a plain class (a dataclass brought dataclasses, inspect and copy), and
        # the time is first asked for behind the first screen
        "dataclasses", "datetime",
        # the profile's claim needs no hash before the first paint (ui/single_instance.py: OpenSSL, ~3.5 ms)
        "hashlib",
        # the auto-lock's watcher is made at the first unlock (ui/main_window.py: MainWindow.idle)
        "referral_desktop.ui.idle_lock")}
    loaded["Qt namespace"] = "Qt" in PySide6.QtCore.__dict__
    # Qt's window class (four enums) is bound by nothing the unlock screen needs (ui/accessibility.py)
    import PySide6.QtGui
    loaded["QWindow"] = "QWindow" in PySide6.QtGui.__dict__
    # Widget classes the screen does not use stay unbound: the first viewport() PySide wraps binds every
    # QWidget subclass it knows, QWizard among them (~12 ms; ui/widgets/focus_in_view.py)
    import PySide6.QtWidgets
    loaded["every widget class"] = "QWizard" in PySide6.QtWidgets.__dict__
    print(json.dumps({"screen": type(self.current).__name__, "loaded": loaded}), flush=True)
    # The runner waits until the GUI thread's own share of the start-up work has been checked.
    import threading
    gate = threading.Event()
    self.context.runner.run(gate.wait)
    original(self)
    from PySide6.QtWidgets import QApplication
    filters = sorted(type(child).__name__ for child in QApplication.instance().children()
                     if type(child).__module__.startswith("referral_desktop") and "eventFilter" in vars(type(child)))
    gui_thread = {"Qt namespace": "Qt" in PySide6.QtCore.__dict__,
                  "who-to-call widget": "referral_desktop.ui.screens.who_to_call" in sys.modules,
                  # the second-start listener's QtNetwork is imported on the runner (ui/app.py)
                  "QtNetwork": "PySide6.QtNetwork" in sys.modules}
    gate.set()
    print(json.dumps({"input filters after the first paint": filters, "queuing loaded": gui_thread}), flush=True)

main_window.MainWindow._after_first_paint = after_first_paint
from referral_desktop.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture
def locked_store(context) -> None:
    """A store in the profile, closed: the app starts at the unlock screen."""
    create_locked_store(context)


def test_the_unlock_screen_is_drawn_before_the_slow_modules_load(tmp_path, context, locked_store):
    policy = REPO / "resources" / "policy-examples" / "pilot-sandbox.toml"
    result = subprocess.run(
        [sys.executable, "-c", FIRST_PAINT_PROBE, "--profile", str(context.profile_dir), "--policy", str(policy)],
        capture_output=True, text=True, timeout=120, cwd=REPO,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "REFERRAL_DESKTOP_BENCH_READY": "1",
             "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    first = after = _probed(result.stdout)
    assert first["screen"] == "UnlockScreen"
    assert not any(first["loaded"].values()), first["loaded"]
    assert "settled" in result.stdout  # and the work behind it finished
    # No filter of the app's sees every event of the application (tests/ui/test_no_python_for_every_event.py).
    assert after["input filters after the first paint"] == []
    # Queuing the work behind the first paint costs the GUI thread no widget module and no Qt namespace
    # (importing the who-to-call widget there kept the window busy ~50 ms after its first paint).
    assert not any(after["queuing loaded"].values()), after["queuing loaded"]


def test_the_policy_is_read_off_the_gui_thread_and_in_force_at_unlock(qtbot, context, store_api, locked_store):
    threads: list[threading.Thread] = []

    def loader() -> Policy:
        threads.append(threading.current_thread())
        return Policy(auto_lock_minutes=2)

    context.policy_loader = loader
    window = MainWindow(context)
    qtbot.addWidget(window)
    assert context.policy is None  # nothing read before the window is drawn
    window.show()
    qtbot.waitUntil(lambda: context.policy is not None, timeout=10_000)
    assert threads and threads[0] is not threading.main_thread()
    screen = window.current
    assert isinstance(screen, UnlockScreen)
    screen.passphrase.setText(PASSPHRASE)
    screen.unlock_button.click()
    qtbot.waitUntil(lambda: isinstance(window.current, HomeScreen), timeout=10_000)
    assert window.idle.interval_ms == 2 * 60_000
    window.close()


def test_an_unusable_policy_is_explained_and_nothing_is_unlocked(qtbot, context, store_api, locked_store):
    message = "/etc/referral-desktop/policy.toml: retention_days: must be at least 1"

    def loader() -> Policy:
        raise PolicyError(message)

    context.policy_loader = loader
    window = MainWindow(context)
    qtbot.addWidget(window)
    refused: list[str] = []
    window.policy_refused.connect(refused.append)
    unlock = window.current
    assert isinstance(unlock, UnlockScreen)
    unlock.passphrase.setText(PASSPHRASE)
    window.show()
    unlock.unlock_button.click()  # a quick typist: the unlock is queued behind the policy
    qtbot.waitUntil(lambda: isinstance(window.current, PolicyProblemScreen), timeout=10_000)
    context.runner.wait_idle()
    QApplication.processEvents()
    screen = window.current
    assert isinstance(screen, PolicyProblemScreen)  # the unlock that finished later opened nothing
    assert refused == [message] and window.refusal == message
    assert "retention_days" in screen.details.text()
    assert "999" in screen.who_to_call.services.text()  # who to call stays on screen
    assert not window.unlocked and not window.new_action.isEnabled()
    assert not window.findChildren(HomeScreen)
    screen.quit_button.click()
    assert not window.isVisible()


def test_start_up_work_begins_even_if_no_paint_comes(qtbot, context, store_api, locked_store):
    """A window started minimised (or a platform that paints only the children) still reads its policy."""
    from PySide6.QtWidgets import QMainWindow

    class NeverPainted(MainWindow):
        def paintEvent(self, event) -> None:  # noqa: N802
            QMainWindow.paintEvent(self, event)  # drawn, but the first-paint hook never hears of it

    context.policy_loader = lambda: Policy(auto_lock_minutes=3)
    window = NeverPainted(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: context.policy is not None, timeout=5_000)
    assert context.policy.auto_lock_minutes == 3


def test_bank_holidays_and_who_to_call_are_computed_off_the_gui_thread(qtbot, context, store_api, locked_store,
                                                                        monkeypatch):
    """Computing the bank-holiday calendar on the GUI thread froze the home screen for 75–100 ms."""
    import holidays

    from referral_desktop.domain import working_days

    threads: list[threading.Thread] = []
    real = holidays.country_holidays

    def counting(*args, **kwargs):
        threads.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(holidays, "country_holidays", counting)
    working_days._bank_holidays.cache_clear()
    context.policy_loader = Policy
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: context.contacts is not None, timeout=10_000)
    context.runner.wait_idle()
    assert len(threads) >= 2 and threading.main_thread() not in threads  # this year and next
    screen = window.current
    screen.passphrase.setText(PASSPHRASE)
    screen.unlock_button.click()
    qtbot.waitUntil(lambda: isinstance(window.current, HomeScreen), timeout=10_000)
    assert "999" in window.current.who_to_call.services.text()
    assert threading.main_thread() not in threads  # the home screen found it all computed
    window.close()


def test_the_application_is_themed_once_however_often_it_is_asked_for(qapp, monkeypatch):
    """``run_gui`` builds the application before ``--demo``'s first window and asks for it again for the
    main window: the second call must not apply the theme a second time (that connected a second
    colour-scheme handler and redid the palette work before the first paint)."""
    from referral_desktop.ui import app as app_module
    from referral_desktop.ui import theme

    assert app_module.build_application() is qapp
    themed: list[object] = []
    monkeypatch.setattr(theme, "apply_theme", themed.append)
    assert app_module.build_application() is qapp
    assert themed == []


def test_the_application_is_built_in_the_app_s_style_whatever_the_environment_asks_for():
    """The style is chosen by the new application's arguments (ui/theme.py ``style_arguments``), not by
    ``setStyle``; it must still win over another style named in the environment."""
    code = ("from referral_desktop.ui.app import build_application\n"
            "app = build_application()\n"
            "app.setStyleSheet('')  # the style sheet's own style wraps the chosen one\n"
            "print(app.style().metaObject().className())")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=REPO,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_STYLE_OVERRIDE": "Windows"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["QFusionStyle"]


def test_the_identifier_libraries_are_warmed_behind_the_unlock_screen():
    """The identifier checks import their libraries on first use (``validate`` pays only for the answers
    it holds); the app warms them on the runner's thread, so the editor's first check does not."""
    probe = ("import sys\nfrom referral_desktop.ui.start_up_warming import warm_imports\n"
             "before = [m for m in ('email_validator', 'phonenumbers', 'stdnum.gb.upn') if m in sys.modules]\n"
             "warm_imports()\n"
             "print(before, [m for m in ('email_validator', 'phonenumbers', 'stdnum.gb.upn') if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, cwd=REPO,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == ["[]", "['email_validator',", "'phonenumbers',", "'stdnum.gb.upn']"]


def test_the_app_opens_its_log_file_behind_the_first_screen_not_at_the_first_line(tmp_path, monkeypatch,
                                                                                 app_log_file_removed):
    """The policy step (run on the runner's thread) opens the log file, importing its handler; the first
    line logged may come from the GUI thread (the network watch at unlock), which then pays nothing.
    Opening it at the first line instead put ~20 ms of imports on the GUI thread at unlock (issue 13)."""
    from referral_desktop.ui.app import _policy_loader

    policy = tmp_path / "policy.toml"
    policy.write_text('api_base_url = "https://iart.example.org/v1"\n', encoding="utf-8")
    monkeypatch.setenv("REFERRAL_DESKTOP_LOG_DIR", str(tmp_path / "logs"))
    _policy_loader(str(policy), None, tmp_path / "profile")()
    assert (tmp_path / "logs" / "referral-desktop.log").exists()  # before any line was logged


def test_the_start_up_benchmark_s_plain_unlock_window_still_draws():
    """``tests/benchmarks/plain_unlock_window.py`` (the start-up benchmark's second anchor) fills in the
    app's own style sheet by hand: a placeholder added to the sheet stopped it before it drew anything."""
    program = REPO / "tests" / "benchmarks" / "plain_unlock_window.py"
    result = subprocess.run([sys.executable, str(program)], capture_output=True, text=True, timeout=120, cwd=REPO,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0 and result.stdout.strip() == "ready", result.stderr[-2000:]


#: The real entry point; at the start-up benchmark's "ready" (the first screen painted and the first
#: paint's own queue handled) it records what has been set up, then again once the start-up steps have
#: run (ui/window_idle_steps.py). ``SIGTERM_AT_READY`` sends the process SIGTERM at "ready" instead.
AT_READY_PROBE = """
import builtins, json, os, signal, sys, threading
def set_up():
    return {"threads": threading.active_count(),
            "concurrent.futures": "concurrent.futures" in sys.modules,
            "SIGTERM handled": "signal" in sys.modules and signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL}

plain_print = builtins.print

def probing_print(*args, **kwargs):
    if args and args[0] == "ready":
        if os.environ.get("SIGTERM_AT_READY"):
            plain_print("terminating", flush=True)
            os.kill(os.getpid(), signal.SIGTERM)
        plain_print(json.dumps({"at ready": set_up()}), flush=True)
    elif args and str(args[0]).startswith("steps "):
        plain_print(json.dumps({"after the steps": set_up()}), flush=True)
    return plain_print(*args, **kwargs)

builtins.print = probing_print
from referral_desktop.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _run_probe(context, tmp_path, **extra_env: str) -> subprocess.CompletedProcess:
    policy = REPO / "resources" / "policy-examples" / "pilot-sandbox.toml"
    return subprocess.run(
        [sys.executable, "-c", AT_READY_PROBE, "--profile", str(context.profile_dir), "--policy", str(policy)],
        capture_output=True, text=True, timeout=120, cwd=REPO,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "REFERRAL_DESKTOP_BENCH_READY": "1",
             "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"), **extra_env},
    )


def _probed(output: str) -> dict:
    found: dict = {}
    for line in output.splitlines():
        if line.startswith("{"):
            found.update(json.loads(line))
    return found


def test_the_first_screen_is_idle_before_the_runner_and_the_termination_watch_are_set_up(
        tmp_path, context, locked_store):
    """Starting the runner's thread (with concurrent.futures), installing the input filters (since
    removed: tests/ui/test_no_python_for_every_event.py) and the termination watch were done in the first paint's own pass of the event loop, ~5 ms before the window
    was idle (issue 13). They are steps run on idle after it, and all in place a moment later."""
    result = _run_probe(context, tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    probed = _probed(result.stdout)
    assert probed["at ready"] == {"threads": 1, "concurrent.futures": False, "SIGTERM handled": False}
    after = probed["after the steps"]
    assert after["SIGTERM handled"]
    assert after["threads"] >= 2 and after["concurrent.futures"]  # the runner has started
    assert "settled" in result.stdout  # and the policy was read behind the window


def test_a_sigterm_before_the_termination_watch_loses_nothing(tmp_path, context):
    """Until its first start-up step the app has opened nothing a termination could leave half done (the
    store is opened by the runner, which starts in a later step): a SIGTERM then ends it as Python's default
    does, and the next start claims the profile (the lock file of an ended process is taken over) and finds
    the store as it was, its referral in it."""
    store = create_store_now(context)
    referral_id = store.referrals.create_draft("cwac-marf", "1", {}).id
    store.close()
    context.runner.store = None
    terminated = _run_probe(context, tmp_path, SIGTERM_AT_READY="1")
    assert "terminating" in terminated.stdout
    assert terminated.returncode == -signal.SIGTERM
    assert (context.profile_dir / LOCK_FILE).exists()  # left behind by the process that ended ...
    again = _run_probe(context, tmp_path)  # ... and taken over by the next start
    assert again.returncode == 0, again.stderr[-2000:]
    assert "settled" in again.stdout
    reopened = ProfileGateway(context.profile_dir, context.clock).open(PASSPHRASE)
    try:
        assert [summary.id for summary in reopened.referrals.list_summaries()] == [referral_id]
    finally:
        reopened.close()


#: Added to the probe: sends SIGTERM as soon as the termination watch is in place (the first step after
#: the first paint; the screens' imports are steps still to come), and says when the watch hears it.
WATCH_HEARD = """
from referral_desktop.ui import app as app_module, termination
watching = app_module.watch_termination
def watch_termination(app):
    watch = watching(app)
    os.kill(os.getpid(), signal.SIGTERM)
    return watch
app_module.watch_termination = watch_termination
heard = termination.TerminationWatch._woken
def _woken(self):
    plain_print("signal heard", flush=True)
    heard(self)
termination.TerminationWatch._woken = _woken
"""


def test_a_sigterm_once_the_termination_watch_is_in_place_closes_the_app_cleanly(tmp_path, context, locked_store):
    """Once the first step has put the termination watch in place, SIGTERM quits the event loop and the
    clean-up runs (exit status 0, the profile released), with the screens' imports still to come."""
    code = AT_READY_PROBE.replace("builtins.print = probing_print", "builtins.print = probing_print\n" + WATCH_HEARD)
    policy = REPO / "resources" / "policy-examples" / "pilot-sandbox.toml"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "REFERRAL_DESKTOP_BENCH_READY": "1"}
    result = subprocess.run([sys.executable, "-c", code, "--profile", str(context.profile_dir), "--policy",
                             str(policy)], capture_output=True, text=True, timeout=120, cwd=REPO, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "signal heard" in result.stdout and "settled" not in result.stdout  # ended by the signal


#: What PySide6 has read of other modules' source by the first paint: the real entry point, and a bare
#: PySide6 program showing a window. Prints the files in ``linecache`` (where PySide's check keeps what
#: it read) that are not the app's own, and the modules PySide's table says to ignore whose source does
#: mention PySide6 (its own rule for -1, which must hold for every module entered in the table).
SOURCE_READ_PROBE = """
import builtins, json, linecache, os, sys

def report():
    table = sys.modules["PySide6.support.feature"].pyside_feature_dict
    wrong = []
    for name, value in table.items():
        module = sys.modules.get(name)
        path = getattr(module, "__file__", None) or ""
        if value != -1 or not path.endswith(".py") or not os.path.isfile(path):
            continue  # (PySide's own embedded modules have no file)
        with open(path, encoding="utf-8") as source:
            if "PySide6" in source.read():
                wrong.append(name)
    read = sorted(path for path in linecache.cache if "referral_desktop" not in path)
    return {"read": read, "ignored yet mentioning PySide6": wrong}

plain_print = builtins.print

def probing_print(*args, **kwargs):
    if args and args[0] == "ready":
        plain_print(json.dumps(report()), flush=True)
    return plain_print(*args, **kwargs)

builtins.print = probing_print
if sys.argv[1:] == ["bare"]:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.show()
    QTimer.singleShot(0, lambda: (print("ready"), app.quit()))
    app.exec()
else:
    from referral_desktop.cli import main
    sys.exit(main(sys.argv[1:]))
"""


def test_pyside_reads_no_module_loaded_before_it_by_the_first_paint(tmp_path, context, locked_store):
    """PySide6 read the whole source of every module imported after it to look for the word "PySide6"
    (its ``__feature__`` check), and the app's modules import typing, logging, os, pathlib and more that
    were loaded before it: fourteen standard-library files read before the unlock screen was drawn, ~5 ms
    (issue 13; ui/pyside_source_checks.py). PySide now reads what it reads for a bare window, and the
    app's own modules, and the answers entered for it are the ones its own rule gives."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "REFERRAL_DESKTOP_BENCH_READY": "1",
           "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    policy = REPO / "resources" / "policy-examples" / "pilot-sandbox.toml"
    runs = {}
    for name, arguments in (("bare", ["bare"]),
                            ("app", ["--profile", str(context.profile_dir), "--policy", str(policy)])):
        result = subprocess.run([sys.executable, "-c", SOURCE_READ_PROBE, *arguments], capture_output=True,
                                text=True, timeout=120, cwd=REPO, env=env)
        assert result.returncode == 0, result.stderr[-2000:]
        runs[name] = _probed(result.stdout)
    assert set(runs["app"]["read"]) - set(runs["bare"]["read"]) == set()
    assert runs["app"]["ignored yet mentioning PySide6"] == []


#: The real entry point, recording which thread imports each Qt module (PySide6's and the app's ``ui``):
#: once the second-start listener is made, the runner's warm-up done and the screens imported, it prints them
#: and ends the app.
QT_IMPORTS_PROBE = """
import json, sys, threading
imported_on = {}

class Recorder:
    def find_spec(self, name, path=None, target=None):
        if (name.startswith("PySide6") or name.startswith("referral_desktop.ui")) and name not in sys.modules:
            imported_on.setdefault(name, threading.current_thread().name)
        return None

sys.meta_path.insert(0, Recorder())
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from referral_desktop.ui import single_instance, window_session
from referral_desktop.ui.start_up_warming import SCREEN_MODULES

warmed = threading.Event()
original_warm = window_session.warm_imports

def warm_imports():
    original_warm()
    warmed.set()

window_session.warm_imports = warm_imports
original_listen = single_instance.ProfileInstance.listen

def listen(self, window):
    original_listen(self, window)

    def when_warmed():  # the runner's warm-up done, and the screens imported after it
        if not warmed.is_set() or not all(name in sys.modules for name in SCREEN_MODULES):
            QTimer.singleShot(20, when_warmed)
            return
        off_gui = sorted(name for name, thread in imported_on.items() if thread != "MainThread")
        print(json.dumps({"Qt modules imported off the GUI thread":
                          off_gui, "recorded": len(imported_on)}), flush=True)
        QApplication.instance().quit()

    when_warmed()

single_instance.ProfileInstance.listen = listen
from referral_desktop.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_no_qt_module_is_imported_off_the_gui_thread_at_start_up(tmp_path, context, locked_store):
    """The screens behind the lock were imported on the runner's thread while the GUI thread went on: Qt
    classes bound on two threads at once. With the second-start listener made meanwhile, a start crashed
    with a segfault in about one in four on a busy machine (a key press or a screen shown risks the same).
    Every Qt module is now imported on the GUI thread (``ui/start_up_warming.py``)."""
    policy = REPO / "resources" / "policy-examples" / "pilot-sandbox.toml"
    result = subprocess.run(
        [sys.executable, "-c", QT_IMPORTS_PROBE, "--profile", str(context.profile_dir), "--policy", str(policy)],
        capture_output=True, text=True, timeout=120, cwd=REPO,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path),
             "XDG_CONFIG_HOME": str(tmp_path / "config")})
    assert result.returncode == 0, result.stderr[-2000:]
    probed = _probed(result.stdout)
    assert probed["Qt modules imported off the GUI thread"] == []
    assert probed["recorded"] > 50  # the recorder saw the start-up's imports
