"""Cold start of the headless commands (not collected by pytest; run it directly):

    .venv/bin/python tests/benchmarks/bench_cli.py [--runs 9]

``referral-desktop --help`` and ``referral-desktop --policy P validate FILE`` (the installed console
script, the real entry point; a policy without a form signing key), each against ``python -c pass`` in
the same run, interleaved, medians. ``validate`` is timed on a referral of each bundled form version
the examples cover: 1.0.0 (drafts started before 1.1.0) and 1.1.0 (the current form, larger, whose
text names contacts that are filled in from the contact directory). Bytecode is compiled once
beforehand, as in every installation. Targets: --help <= 120 ms, validate <= 250 ms (``python -c
pass``: ~20 ms on the development machine).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).parent / "referral-desktop"


def timed(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{command}: {result.stderr[-2000:]}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    from referral_desktop.bundled_data import forms_dir

    document = forms_dir() / "examples" / "valid-route-a.json"
    current = forms_dir() / "examples" / "1.1.0" / "valid-route-a.json"
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as folder:
        root = Path(folder)
        policy = root / "policy.toml"
        policy.write_text('api_base_url = "https://iart.example.org/v1"\n', encoding="utf-8")
        env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
        env.update({"PYTHONPYCACHEPREFIX": str(root / "pycache"), "XDG_DATA_HOME": str(root / "data"),
                    "XDG_CONFIG_HOME": str(root / "config"), "XDG_STATE_HOME": str(root / "state"),
                    "REFERRAL_DESKTOP_LOG_DIR": str(root / "logs")})
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "referral-desktop --help": [str(SCRIPT), "--help"],
            "referral-desktop validate FILE": [str(SCRIPT), "--policy", str(policy), "validate", str(document)],
            "validate FILE, a form 1.1.0 one": [str(SCRIPT), "--policy", str(policy), "validate", str(current)],
        }
        for command in commands.values():  # compile the bytecode, warm the file cache
            timed(command, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                times[name].append(timed(command, env))
        anchor = statistics.median(times["python -c pass"])
        targets = {"referral-desktop --help": "<= 120 ms", "referral-desktop validate FILE": "<= 250 ms",
                   "validate FILE, a form 1.1.0 one": "<= 250 ms"}
        for name, values in times.items():
            median = statistics.median(values)
            extra = f"; ratio to python -c pass {median / anchor:5.1f} (target {targets[name]})" if name in targets else ""
            print(f"{name:32s} {median * 1000:6.0f} ms (median of {args.runs}){extra}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
