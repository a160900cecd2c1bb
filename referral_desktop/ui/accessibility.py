"""The one place that talks to QAccessible: announcements, errors, required questions, status text, headings.

Why one place: what a screen reader hears is a contract of its own (GOV.UK's patterns, UX.md), and Qt's
accessibility API has sharp edges that every caller would otherwise rediscover. Screens and the editor
call these functions; nothing else in the app imports ``QAccessible``.

The stable API (keep these signatures; other modules depend on them):

``announce(widget, text, assertive=False)``
    Ask assistive technology to speak ``text`` now, on behalf of ``widget`` (which must be alive and
    ideally visible). Polite by default (waits for the current speech); ``assertive=True`` interrupts,
    for errors the user must hear at once. Uses ``QAccessibleAnnouncementEvent`` (Qt 6.8+, sent on
    AT-SPI as ``object:announcement``); on an older Qt, an alert: a zero-size node with the alert
    role, named ``text``, that emits ``Alert`` (``window:alert`` / ``object:...`` on the bus).
    Never pass personal data: the bus is readable by every program of the user's session.

``set_invalid(widget, message_or_None)``
    Mark ``widget`` (the focusable input of a question) as having the error ``message``, or clear it
    with ``None``. The accessible description becomes ``"Error: <message>. <hint>"`` (GOV.UK's
    visually hidden "Error:" prefix, read when the input takes focus) and Qt emits
    ``DescriptionChanged``; the hint set with ``set_description`` is kept after the error.
    ``is_invalid(widget)`` reads it back. See *Limits* for the invalid-entry state.

``set_required(widget, required)``
    Record whether the question is required and keep "(optional)" in the accessible name of an
    optional one (and out of a required one's), as GOV.UK labels do. Call it after setting the name;
    ``is_required(widget)`` reads it back.

``set_description(widget, text)``
    The input's hint (the description without any error). Use it instead of
    ``setAccessibleDescription`` on inputs that may get errors, so an error never erases the hint.

``StatusLabel(text="", parent=None)`` and ``expose_status_text(label)``
    A label whose text *is* its accessible name: assistive technology hears "You can try again in 4
    seconds", not a fixed "Unlock status". ``StatusLabel.setText`` updates the name (Qt emits
    ``NameChanged``) and, when the visible text changes, announces it politely (``announce_changes``).
    ``expose_status_text(label)`` does the same for an existing ``QLabel`` (clears a fixed name).

``mark_heading(label, level)``
    Give a label the *heading* role (named by its text), as ``theme.heading`` does for every heading.

``protect_password(line_edit)``
    Make a passphrase field expose no text on the bus: the *password text* role, its name and
    description, and no text interface, so Qt sends no ``text-changed`` events with the characters
    typed (Qt's password echo mode alone does not stop those; its bridge drops text events only for
    an object without a text interface). Every ``QLineEdit`` not in normal echo mode gets this anyway
    through the factory; call it on a field whose interface may already exist.

``describe_application(name, description)``
    What assistive technology calls the application itself (the root of its tree: what Orca says on
    switching to it, and what a screen reader's list of applications shows). Qt's own application object
    answers ``applicationName()`` ("ReferralDesktop", the settings folder's name) and, for its description,
    ``applicationFilePath()``: the Python interpreter's path from the source, the executable's in the frozen
    build. Call it once the QApplication exists.

``install_accessibility_factory()``
    Installs (once) the factory that gives labels marked as headings (``label.setProperty("role",
    "heading")``, as ``theme.heading`` does) the *heading* role, named by their text, and the alert
    node its *alert* role. The application calls it at start; calling it again is harmless.

Limits (Qt 6.11, checked against its AT-SPI bridge, ``qspi_constant_mappings.cpp``): Qt's
``QAccessible::State`` has no "required" or "invalid entry" flag and the Linux bridge maps none to
AT-SPI's ``REQUIRED`` / ``INVALID_ENTRY`` states, so no Qt application can set those states there. What
this module does instead is what a screen reader reads out anyway: the error in the description
("Error: ..."), an announcement when errors appear, and "(optional)" in the names. ``is_invalid`` /
``is_required`` keep the facts on the widget (dynamic properties) so the app's own tests can assert
them, and so a future Qt that maps the states needs a change here only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtGui
from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAccessible, QAccessibleEvent, QAccessibleInterface, QAccessibleObject, QGuiApplication
from PySide6.QtWidgets import QAccessibleWidget, QLabel, QLineEdit, QWidget

if TYPE_CHECKING:  # (binding Qt's window class builds four enums, ~0.5 ms before the first paint; issue 13)
    from PySide6.QtGui import QWindow

#: Qt 6.8+; None on an older Qt (tests force the fallback).
QAccessibleAnnouncementEvent: type[QtGui.QAccessibleAnnouncementEvent] | None = getattr(
    QtGui, "QAccessibleAnnouncementEvent", None)

#: Dynamic properties that keep the accessible facts on the widget (read by ``is_invalid``/``is_required``).
_ERROR = "a11yError"
_HINT = "a11yHint"
_REQUIRED = "a11yRequired"
_OPTIONAL_SUFFIX = " (optional)"
#: Marks the zero-size node that carries fallback alerts.
_ALERT_NODE = "a11yAlertNode"

_factory_installed = False


# ------------------------------------------------------------------------------------------- announcing


def announce(widget: QWidget, text: str, assertive: bool = False) -> None:
    """Have assistive technology speak ``text`` (polite, or ``assertive`` to interrupt)."""
    if not text or widget is None:
        return
    if QAccessibleAnnouncementEvent is not None:
        event = QAccessibleAnnouncementEvent(widget, text)
        event.setPoliteness(
            QAccessible.AnnouncementPoliteness.Assertive if assertive else QAccessible.AnnouncementPoliteness.Polite
        )
        QAccessible.updateAccessibility(event)
        return
    _alert(widget, text)


def _alert(widget: QWidget, text: str) -> None:
    """Fallback for a Qt without announcements: a zero-size alert node in the widget's window, named
    ``text``, emitting ``Alert`` (screen readers speak alerts as they arrive)."""
    install_accessibility_factory()
    window = widget.window()
    node = window.findChild(QLabel, _ALERT_NODE)
    if node is None:
        node = QLabel(window)
        node.setObjectName(_ALERT_NODE)
        node.setProperty(_ALERT_NODE, True)
        node.setFixedSize(0, 0)
        node.show()
    node.setText(text)
    node.setAccessibleName(text)
    QAccessible.updateAccessibility(QAccessibleEvent(node, QAccessible.Event.Alert))


# ------------------------------------------------------------------------------- errors and descriptions


def set_description(widget: QWidget, text: str) -> None:
    """Set the input's hint; an error set by ``set_invalid`` stays in front of it."""
    widget.setProperty(_HINT, text or "")
    _refresh_description(widget)


def set_invalid(widget: QWidget, message: str | None) -> None:
    """Put the error ``message`` into the input's description ("Error: ..."), or clear it with None."""
    if widget.property(_HINT) is None:
        # First use on this widget: what its description says now is its hint.
        widget.setProperty(_HINT, widget.accessibleDescription() if widget.property(_ERROR) is None else "")
    widget.setProperty(_ERROR, message or "")
    _refresh_description(widget)


def is_invalid(widget: QWidget) -> bool:
    return bool(widget.property(_ERROR))


def error_of(widget: QWidget) -> str:
    """The error message set on the widget, or ""."""
    return widget.property(_ERROR) or ""


def _refresh_description(widget: QWidget) -> None:
    hint = widget.property(_HINT) or ""
    error = widget.property(_ERROR) or ""
    parts = []
    if error:
        parts.append(f"Error: {error.rstrip('.')}.")
    if hint:
        parts.append(hint)
    description = " ".join(parts)
    if widget.accessibleDescription() != description:
        widget.setAccessibleDescription(description)  # Qt emits DescriptionChanged


# ------------------------------------------------------------------------------------------------ required


def set_required(widget: QWidget, required: bool) -> None:
    """Record whether the question is required; keep "(optional)" in an optional question's name."""
    widget.setProperty(_REQUIRED, bool(required))
    name = widget.accessibleName()
    base = name.removesuffix(_OPTIONAL_SUFFIX)
    wanted = base if required else f"{base}{_OPTIONAL_SUFFIX}"
    if not required and "(optional)" in base:
        wanted = base  # already says so ("Other names (optional): Yes")
    if base and wanted != name:
        widget.setAccessibleName(wanted)


def is_required(widget: QWidget) -> bool:
    return bool(widget.property(_REQUIRED))


# --------------------------------------------------------------------------------------------- status text


def expose_status_text(label: QLabel) -> QLabel:
    """Let the label's visible text be its accessible name (drop any fixed name)."""
    label.setAccessibleName("")
    return label


class StatusLabel(QLabel):
    """A status line ("Saved 4:24pm", "You can try again in 4 seconds") read out as it is shown.

    Its accessible name is its visible text (Qt's label interface names a label by its text when no
    fixed name is set, and emits ``NameChanged`` on ``setText``); a change of text is also announced
    politely, since a screen reader does not read a label that changes while focus is elsewhere."""

    def __init__(self, text: str = "", parent: QWidget | None = None, announce_changes: bool = True, **kwargs) -> None:
        super().__init__(text, parent, **kwargs)
        self.announce_changes = announce_changes

    def setText(self, text: str) -> None:
        changed = text != self.text()
        super().setText(text)
        if changed and text and self.announce_changes and self.isVisible():
            announce(self, text)

    def setAccessibleName(self, name: str) -> None:
        """A status label is named by its text; a fixed name would hide what the screen says."""
        super().setAccessibleName("")


# ------------------------------------------------------------------------------------- headings (factory)


class _HeadingInterface(QAccessibleWidget):
    """A label drawn as a heading: the heading role, named by its visible text."""

    def __init__(self, label: QLabel) -> None:
        super().__init__(label, QAccessible.Role.Heading)

    def text(self, kind: QAccessible.Text) -> str:
        label = self.widget()
        if kind == QAccessible.Text.Name and isinstance(label, QLabel):
            return label.accessibleName() or label.text()
        return super().text(kind)


class _AlertInterface(QAccessibleWidget):
    def __init__(self, label: QLabel) -> None:
        super().__init__(label, QAccessible.Role.AlertMessage)

    def text(self, kind: QAccessible.Text) -> str:
        label = self.widget()
        if kind == QAccessible.Text.Name and isinstance(label, QLabel):
            return label.text()
        return super().text(kind)


class _PasswordInterface(QAccessibleWidget):
    """A passphrase field: editable, focusable, named; no text interface, so no text on the bus."""

    def __init__(self, edit: QLineEdit) -> None:
        super().__init__(edit, QAccessible.Role.EditableText)

    def state(self) -> QAccessible.State:
        state = super().state()
        state.editable = True
        state.passwordEdit = True  # Qt's bridge reports "password text" for this
        state.focusable = True
        return state


class _ApplicationInterface(QAccessibleObject):
    """The application, as Qt's own (``QAccessibleApplication``, which cannot be subclassed from Python)
    exposes it, named and described in words instead of by the settings folder's name and the interpreter's
    path. Its children are the top-level windows, popups aside, as Qt's."""

    def __init__(self, app: QObject) -> None:
        super().__init__(app)

    def _windows(self) -> list[QObject]:
        # Here, not at the top: the module is imported before the first paint, and touching the Qt
        # namespace there costs the unlock screen ~30 ms (tests/ui/test_startup.py).
        from PySide6.QtCore import Qt

        found = []
        for window in QGuiApplication.topLevelWindows():
            if window.type() in (Qt.WindowType.Popup, Qt.WindowType.Desktop):
                continue
            root = window.accessibleRoot()
            if root is not None and root.object() is not None:
                found.append(root.object())
        return found

    # PySide's stubs say these never return None; Qt's C++ returns nullptr for "none", as here.
    def window(self) -> QWindow | None:  # type: ignore[override]  # several windows: none (Qt's answer too)
        return None

    def parent(self) -> QAccessibleInterface | None:  # type: ignore[override]
        return None

    def childCount(self) -> int:  # noqa: N802 (Qt name)
        return len(self._windows())

    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]
        windows = self._windows()
        return QAccessible.queryAccessibleInterface(windows[index]) if 0 <= index < len(windows) else None

    def indexOfChild(self, child: QAccessibleInterface) -> int:  # noqa: N802 (Qt name)
        windows = self._windows()
        return windows.index(child.object()) if child is not None and child.object() in windows else -1

    def focusChild(self) -> QAccessibleInterface | None:  # type: ignore[override]  # noqa: N802
        window = QGuiApplication.focusWindow()
        return window.accessibleRoot() if window is not None else None

    def text(self, kind: QAccessible.Text) -> str:
        if kind == QAccessible.Text.Name:
            return _application_words[0]
        if kind == QAccessible.Text.Description:
            return _application_words[1]
        return ""

    def role(self) -> QAccessible.Role:
        return QAccessible.Role.Application

    def state(self) -> QAccessible.State:
        return QAccessible.State()


#: (name, description) given by ``describe_application``; empty until then (Qt's own interface answers).
_application_words: list[str] = []


def describe_application(name: str, description: str) -> None:
    """Name and describe the application to assistive technology (see the module's docstring)."""
    install_accessibility_factory()
    _application_words[:] = [name, description]
    app = QCoreApplication.instance()
    if app is None:
        return
    interface = QAccessible.queryAccessibleInterface(app)
    if interface is not None and not isinstance(interface, _ApplicationInterface):
        # Qt's, made before the factory could answer (by the AT-SPI bridge): the next query makes ours.
        QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(interface))


def _reset_interface(widget: QWidget) -> None:
    """Drop Qt's cached interface for ``widget`` so the next query goes through the factory."""
    interface = QAccessible.queryAccessibleInterface(widget)
    if interface is not None and not isinstance(interface, (_HeadingInterface, _PasswordInterface)):
        QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(interface))


def mark_heading(label: QLabel, level: int = 1) -> None:
    """Give ``label`` the heading role (its cached interface, if any, is replaced)."""
    install_accessibility_factory()
    label.setProperty("role", "heading")
    label.setProperty("headingLevel", level)
    _reset_interface(label)


def protect_password(edit: QLineEdit) -> QLineEdit:
    """Password echo, and no text of the field on the accessibility bus."""
    install_accessibility_factory()
    if edit.echoMode() == QLineEdit.EchoMode.Normal:
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    _reset_interface(edit)
    return edit


def _factory(_class_name: str, obj: QObject) -> QAccessibleInterface | None:
    if isinstance(obj, QCoreApplication):
        return _ApplicationInterface(obj) if _application_words else None
    if isinstance(obj, QLineEdit) and obj.echoMode() != QLineEdit.EchoMode.Normal:
        return _PasswordInterface(obj)
    if isinstance(obj, QLabel):
        if obj.property("role") == "heading":
            return _HeadingInterface(obj)
        if obj.property(_ALERT_NODE):
            return _AlertInterface(obj)
    return None


def install_accessibility_factory() -> None:
    """Install the factory for heading and alert roles and the application's words (once per process)."""
    global _factory_installed
    if not _factory_installed:
        QAccessible.installFactory(_factory)
        _factory_installed = True
