"""Run an installed app's self-test and doctor against a sandbox started from the source tree.

    python build/ci_self_test.py "C:\\Program Files\\Referral Desktop\\referral-desktop.exe"
    python build/ci_self_test.py /usr/local/bin/referral-desktop

Used by .github/workflows/installers.yml after installing the MSI or the .pkg (the Linux package is
exercised the same way by tests/packaging/test_deb_package.py). Needs the project installed with its
``sandbox`` extra in the Python that runs this. The sandbox acknowledges each referral after a second,
so the self-test sees the whole journey. Exit code: the self-test's, or the doctor's if that fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from referral_desktop.sandbox.launcher import running_sandbox


def main() -> int:
    app = sys.argv[1]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryDirectory() as work:
        with running_sandbox(Path(work) / "iart", extra_args=["--test-deployment", "--auto-acknowledge", "1"]) as sandbox:
            self_test = subprocess.run(
                [app, "self-test", "--sandbox-url", sandbox.url, "--ca", str(sandbox.ca_file),
                 "--token-file", str(sandbox.client_token_file)],
                env=env, timeout=300,
            )
            policy = Path(work) / "policy.toml"
            # TOML literal strings ('...'): Windows paths need no escaping
            policy.write_text(
                f"api_base_url = '{sandbox.url}'\nca_bundle = '{sandbox.ca_file}'\n"
                f"bearer_token_file = '{sandbox.client_token_file}'\ntest_deployment = true\n",
                encoding="utf-8",
            )
            doctor = subprocess.run([app, "--policy", str(policy), "--profile", str(Path(work) / "profile"), "doctor"],
                                    env=env, timeout=120)
    print(f"self-test exit code {self_test.returncode}, doctor exit code {doctor.returncode}")
    return self_test.returncode or doctor.returncode


if __name__ == "__main__":
    sys.exit(main())
