"""The unlock window rebuilt with plain PySide6 and none of the app's code: a second anchor for
``bench_ui.py`` (run as a program; prints "ready" once painted and idle, as the bare window does).

Why: the bare window says how long PySide6 takes to show *a* window; this says how long it takes to show
*this* screen: the same widgets (menu bar with the app's entries, a scroll page with a heading, the intro,
a labelled passphrase field, the Unlock and Forgotten passphrase buttons, the status line), in Fusion, the
GOV.UK palette, 12 pt text and the app's own style sheet (``resources/govuk.qss``, read as a file). What
lies between this and the app is what the app's own code costs: its modules, its widget classes, the
accessibility factory and the runner. It follows ``ui/screens/unlock.py``'s layout by
hand, so a change there should be mirrored here.

``--before-qt A,B --after-qt C,D`` (``bench_ui.py --ceiling``): import those modules of the app first,
the first list before PySide6 and the second after it (with PySide's source check spared for what was
loaded before it, as ``ui/app.py`` does), and then build the same plain window. Their module bodies run
(classes defined, Qt classes and enums bound), none of their functions do: how close to a bare window the
app could come with these modules loaded before its first paint, whatever its code did with them.
"""

import sys
from pathlib import Path


def _import_app_modules_first() -> None:
    arguments = sys.argv[1:]

    def named(option: str) -> list[str]:
        return arguments[arguments.index(option) + 1].split(",") if option in arguments else []

    before, after = named("--before-qt"), named("--after-qt")
    for name in before:
        __import__(name)  # (through builtins.__import__, which PySide6 hooks once loaded, as an import is)
    if after:
        import PySide6.QtWidgets  # noqa: F401 - loaded where the app loads it: before its Qt modules

        from referral_desktop.ui.pyside_source_checks import skip_source_checks_of_loaded_modules

        skip_source_checks_of_loaded_modules()
    for name in after:
        __import__(name)


_import_app_modules_first()

from PySide6.QtCore import QLocale, QTimer  # noqa: E402 - after the app's modules (see above)
from PySide6.QtGui import QAction, QColor, QPalette  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

SHEET = (Path(__file__).resolve().parents[2] / "resources" / "govuk.qss").read_text(encoding="utf-8")
MENUS = (("&File", ("&New referral", "&Lock now", "&Quit")),
         ("&View", ("&Referrals", "&Contacts and hours", "&Privacy notice")), ("&Tools", ("&Settings",)))


class Window(QMainWindow):
    painted = False

    def paintEvent(self, event):  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if not self.painted:  # "shown": painted once; "idle": nothing left queued after that
            self.painted = True
            QTimer.singleShot(0, lambda: (print("ready", flush=True), app.quit()))


def unlock_page() -> tuple[QScrollArea, QLineEdit]:
    page = QScrollArea()
    page.setWidgetResizable(True)
    page.setFrameShape(QFrame.Shape.NoFrame)
    holder, body = QWidget(), QWidget()
    outer, row = QVBoxLayout(holder), QHBoxLayout()
    body.setMaximumWidth(560)
    column = QVBoxLayout(body)
    row.addStretch(1)
    row.addWidget(body, 100)
    row.addStretch(1)
    outer.addLayout(row)
    outer.addStretch(1)
    page.setWidget(holder)
    title = QLabel("Unlock Referral Desktop")
    font = title.font()
    font.setPointSizeF(21.0)
    font.setBold(True)
    title.setFont(font)
    title.setWordWrap(True)
    column.addWidget(title)
    intro = QLabel("Enter your passphrase to open your referrals.")
    intro.setWordWrap(True)
    column.addWidget(intro)
    field = QWidget()
    field_row, field_column = QHBoxLayout(field), QVBoxLayout()
    error_bar, label, hint, error = QFrame(), QLabel("Passphrase"), QLabel(), QLabel()
    error_bar.hide()
    hint.hide()
    error.hide()
    field_row.addWidget(error_bar)
    field_row.addLayout(field_column, 1)
    passphrase = QLineEdit(echoMode=QLineEdit.EchoMode.Password)
    label.setBuddy(passphrase)
    for widget in (label, hint, error, passphrase):
        field_column.addWidget(widget)
    column.addWidget(field)
    buttons = QWidget()
    button_row = QHBoxLayout(buttons)
    unlock, forgotten = QPushButton("Unlock"), QPushButton("Forgotten passphrase")
    unlock.setProperty("primary", True)
    unlock.setDefault(True)
    forgotten.setFlat(True)
    button_row.addWidget(unlock)
    button_row.addWidget(forgotten)
    column.addWidget(buttons)
    restore, status = QPushButton(), QLabel()
    restore.hide()
    status.setWordWrap(True)
    column.addWidget(restore)
    column.addWidget(status)
    return page, passphrase


app = QApplication([*sys.argv[:1], "-style", "Fusion"])
QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
palette = app.palette()
for role, colour in ((QPalette.ColorRole.Window, "#ffffff"), (QPalette.ColorRole.Base, "#ffffff"),
                     (QPalette.ColorRole.WindowText, "#0b0c0c"), (QPalette.ColorRole.Text, "#0b0c0c"),
                     (QPalette.ColorRole.Button, "#f3f2f1"), (QPalette.ColorRole.Highlight, "#ffdd00")):
    palette.setColor(QPalette.ColorGroup.All, role, QColor(colour))
app.setPalette(palette)
body_font = app.font()
body_font.setPointSizeF(12.0)
app.setFont(body_font)
ICONS = Path(__file__).resolve().parents[2] / "resources" / "icons"
app.setStyleSheet(SHEET % {"error": "#d4351c", "hint": "#505a5f", "chosen_fill": "palette(base)", "inset_bar": "#909294",
                           **{f"arrow_{way}": (ICONS / f"arrow-{way}-black.svg").as_posix() for way in ("up", "down")},
                           **{mark: (ICONS / f"indicator-{mark}.svg").as_posix() for mark in ("check", "dot")}})
window = Window()
for title, entries in MENUS:
    menu = window.menuBar().addMenu(title)
    for text in entries:
        menu.addAction(QAction(text, window))
stack = QStackedWidget(window)
window.setCentralWidget(stack)
page, passphrase = unlock_page()
stack.addWidget(page)
available = app.primaryScreen().availableGeometry()  # sized as ui/window_fit.py sizes the app's
window.resize(min(1240, available.width() - 16), min(760, available.height() - 40))
window.show()
passphrase.setFocus()
app.exec()
