"""Pydantic's plugins are refused (they would see every answer validated) without paying for
pydantic's plugin loader, which imports ``importlib.metadata`` (issue 13: ~13 ms of ``validate``)."""

from __future__ import annotations

import os
import subprocess
import sys

from referral_desktop.bundled_data import forms_dir


def run_python(code: str, **env: str) -> str:
    environment = {key: value for key, value in os.environ.items() if key != "PYDANTIC_DISABLE_PLUGINS"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            env={**environment, **env})
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_pydantics_own_loader_answers_no_plugins_under_the_switch_as_the_stand_in_does():
    # The stand-in answers () exactly when pydantic's own loader would: held to the installed pydantic.
    out = run_python(
        "from pydantic.plugin._loader import get_plugins\n"
        "print(tuple(get_plugins()))\n",
        PYDANTIC_DISABLE_PLUGINS="__all__",
    )
    assert out.strip() == "()"


def test_validate_builds_its_models_without_importing_importlib_metadata(tmp_path):
    example = forms_dir() / "examples" / "valid-route-a.json"
    policy = tmp_path / "policy.toml"
    policy.write_text('api_base_url = "https://iart.example.org/v1"\n', encoding="utf-8")
    out = run_python(
        "import os, sys\n"
        "from referral_desktop.cli import main\n"
        f"code = main(['--policy', {str(policy)!r}, 'validate', {str(example)!r}])\n"
        "print(code, 'importlib.metadata' in sys.modules, os.environ['PYDANTIC_DISABLE_PLUGINS'])\n",
        REFERRAL_DESKTOP_LOG_DIR=str(tmp_path / "logs"), XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    assert out.splitlines()[-1] == "0 False __all__"


def test_anything_else_asked_of_the_loader_comes_from_pydantics_real_one():
    out = run_python(
        "import sys\n"
        "from referral_desktop.pydantic_plugins_refused import LOADER, refuse_pydantic_plugins\n"
        "refuse_pydantic_plugins()\n"
        "import pydantic\n"
        "class M(pydantic.BaseModel):\n"
        "    x: int\n"
        "print(M(x=1).x, type(sys.modules[LOADER]).__name__)\n"
        "from pydantic.plugin._loader import PYDANTIC_ENTRY_POINT_GROUP\n"  # a name the stand-in lacks
        "print(PYDANTIC_ENTRY_POINT_GROUP, type(sys.modules[LOADER]).__name__)\n"
    )
    assert out.splitlines() == ["1 _RefusingLoader", "pydantic module"]


def test_with_the_switch_turned_off_again_the_real_loader_is_asked():
    out = run_python(
        "import os, sys\n"
        "from referral_desktop.pydantic_plugins_refused import LOADER, refuse_pydantic_plugins\n"
        "refuse_pydantic_plugins()\n"
        "os.environ['PYDANTIC_DISABLE_PLUGINS'] = ''\n"
        "print(tuple(sys.modules[LOADER].get_plugins()), type(sys.modules[LOADER]).__name__)\n"
    )
    assert out.strip() == "() module"
