"""The app finds its own data through one module, whatever the working directory."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from referral_desktop import bundled_data


def test_forms_and_resources_are_found():
    assert bundled_data.forms_dir().is_dir()
    assert bundled_data.resources_dir().is_dir()


def test_missing_resource_is_a_clear_error():
    with pytest.raises(bundled_data.BundledDataMissing, match="reinstall"):
        bundled_data.resource_path("no-such-file.json")


def test_found_from_another_working_directory(tmp_path):
    code = "from referral_desktop import bundled_data; print(bundled_data.forms_dir())"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=os.environ
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("forms")
