"""Spare PySide6 reading the source of modules that were loaded before it (~5 ms of every start).

Why: once PySide6 is imported it replaces Python's ``__import__``, and the first time any module name is
imported after that it decides whether that module may use PySide's optional ``from __feature__ import
snake_case`` by reading the module's whole source file and looking for the word "PySide6"
(``shibokensupport.feature``: ``pyside_feature_dict[name] = 0 if _mod_uses_pyside(module) else -1``).
The app's modules import ``typing``, ``logging``, ``os``, ``pathlib``, ``threading`` and more, all loaded
long before, so before the unlock screen was drawn PySide read and kept fourteen standard-library files
(``typing.py`` alone is 3,500 lines): ~5 ms of CPU time out of the app's ~35 over a bare window (issue 13;
none in the frozen bundle, whose modules carry no source).

What: right after PySide6 is imported, every module already loaded, other than the app's and PySide's own, is entered
in that table with the answer PySide would have written for it, -1 ("ignore this module": none of them
mentions PySide6, since PySide was not loaded when they were; ``tests/ui/test_startup.py`` checks the
answer against each one's source). The app's own modules are still read, as PySide does, when first
imported. Nothing in the app uses ``__feature__``. If a PySide release moves or renames the table, this
does nothing and start-up is as slow as before, no slower.
"""

import sys  # (no ``from __future__`` here: PySide would read ``__future__.py`` before this could spare it)

#: Where PySide6 keeps the table (the first name is the one it registers in ``sys.modules``).
FEATURE_MODULES = ("PySide6.support.feature", "shibokensupport.feature")
#: PySide's own answer for a module that does not mention PySide6.
IGNORED = -1
#: Left to PySide's own check: the app's modules, and PySide's and shiboken's (some mention PySide6).
LEFT_TO_PYSIDE = ("referral_desktop", "PySide6", "shiboken6", "shibokensupport")


def feature_table() -> dict[str, object] | None:
    """PySide's per-module ``__feature__`` table, or None where it cannot be found."""
    for name in FEATURE_MODULES:
        table = getattr(sys.modules.get(name), "pyside_feature_dict", None)
        if isinstance(table, dict):
            return table
    return None


def skip_source_checks_of_loaded_modules() -> list[str]:
    """Enter every module loaded so far (but the app's and PySide's own) as PySide would; returns the names
    entered.
    Call right after importing PySide6, before the app's Qt modules."""
    table = feature_table()
    if table is None:
        return []
    entered = []
    for name in list(sys.modules):
        if name in table or name.split(".", 1)[0] in LEFT_TO_PYSIDE:
            continue
        table[name] = IGNORED
        entered.append(name)
    return entered
