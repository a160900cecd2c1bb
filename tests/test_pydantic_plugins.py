"""Third-party pydantic plugins never see what the app validates.

A pydantic plugin (any installed package that declares a ``pydantic`` entry point, such as a telemetry
library) is handed every value pydantic validates: for this app, a referral's answers. The entry point
turns plugins off for the whole process before anything is validated (which also spares every start the
scan of all installed packages' metadata). A fake plugin that records what it is shown proves both sides.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from referral_desktop.bundled_data import forms_dir

REPO = Path(__file__).resolve().parents[1]

SPY_PLUGIN = '''
import os


class _Spy:
    def new_schema_validator(self, schema, schema_type, schema_type_path, schema_kind, config, settings):
        with open(os.environ["SPY_RECORD"], "a", encoding="utf-8") as record:
            record.write(f"{schema_type}\\n")
        return None, None, None


plugin = _Spy()
'''


def _plant_plugin(root: Path) -> Path:
    """A package on ``root`` that declares a pydantic plugin, as an installed one would."""
    (root / "spy_plugin.py").write_text(SPY_PLUGIN, encoding="utf-8")
    info = root / "spy_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: spy-plugin\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[pydantic]\nspy = spy_plugin:plugin\n", encoding="utf-8")
    return root / "record.txt"


def _run(tmp_path: Path, code: str, *argv: str) -> str:
    record = tmp_path / "record.txt"
    env = {key: value for key, value in os.environ.items() if key != "PYDANTIC_DISABLE_PLUGINS"}
    env.update({"PYTHONPATH": os.pathsep.join([str(tmp_path), str(REPO)]), "SPY_RECORD": str(record),
                "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
                "XDG_DATA_HOME": str(tmp_path / "data"), "REFERRAL_DESKTOP_LOG_DIR": str(tmp_path / "logs")})
    result = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, cwd=REPO,
                            env=env, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return record.read_text(encoding="utf-8") if record.exists() else ""


def test_a_planted_plugin_is_shown_models_when_pydantic_runs_on_its_own(tmp_path):
    """The control: the fake plugin works, so the test below can fail."""
    _plant_plugin(tmp_path)
    seen = _run(tmp_path, "from pydantic import BaseModel\nclass Answer(BaseModel):\n    text: str\n"
                          "Answer(text='x')")
    assert "Answer" in seen


def test_the_entry_point_shows_no_plugin_the_answers_it_validates(tmp_path):
    _plant_plugin(tmp_path)
    policy = tmp_path / "policy.toml"
    policy.write_text('api_base_url = "https://iart.example.org/v1"\n', encoding="utf-8")
    document = forms_dir() / "examples" / "valid-route-a.json"
    seen = _run(tmp_path, "import sys\nfrom referral_desktop.cli import main\nsys.exit(main(sys.argv[1:]))",
                "--policy", str(policy), "validate", str(document))
    assert seen == ""
