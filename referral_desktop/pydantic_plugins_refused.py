"""No third-party pydantic plugin in this process, and no cost for looking for one.

Why refuse them: pydantic hands a plugin every value it validates, which here is a referral's answers
(personal data). ``PYDANTIC_DISABLE_PLUGINS=__all__`` is pydantic's documented switch, and child
processes (the demo's sandbox) inherit it.

Why the stand-in module: even with that switch, every model pydantic builds imports its plugin loader
(``pydantic.plugin._loader``), whose first line imports ``importlib.metadata`` (email parsing, zip
files, CSV): ~13 ms of each ``validate`` (issue 13's target is 250 ms), only to return no plugins. So
before pydantic is imported the loader's name is taken by a small module whose ``get_plugins`` answers
exactly as pydantic's does under the switch, reading the switch itself, and which loads pydantic's real
loader for anything else: a later pydantic that asks its loader for more, or the switch turned off,
gets the real module, never an error. A test holds pydantic's own loader to the same answer.
"""

from __future__ import annotations

import importlib
import os
import sys
import types
from collections.abc import Iterable
from typing import Any

SWITCH = "PYDANTIC_DISABLE_PLUGINS"
LOADER = "pydantic.plugin._loader"
#: The values pydantic's loader reads as "no plugins at all".
_ALL_OFF = ("__all__", "1", "true")


class _RefusingLoader(types.ModuleType):
    """Stands in for ``pydantic.plugin._loader`` while the switch says no plugins at all."""

    def get_plugins(self) -> Iterable[Any]:
        if os.environ.get(SWITCH) in _ALL_OFF:
            return ()
        return _real_loader().get_plugins()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system's own questions (``__path__``...): not a loader's
            raise AttributeError(name)
        return getattr(_real_loader(), name)


def _real_loader() -> types.ModuleType:
    if isinstance(sys.modules.get(LOADER), _RefusingLoader):
        del sys.modules[LOADER]
    return importlib.import_module(LOADER)


def refuse_pydantic_plugins() -> None:
    """Turn pydantic's plugins off for this process and its children; call before anything is
    validated (``cli.main`` does, first)."""
    os.environ[SWITCH] = "__all__"
    if LOADER not in sys.modules:
        sys.modules[LOADER] = _RefusingLoader(LOADER, "pydantic's plugin loader, plugins refused (see above)")
