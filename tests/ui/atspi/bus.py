"""A private X server, session D-Bus and AT-SPI registry, and a small AT-SPI client (jeepney, pure Python).

Why our own client: it reads exactly what a screen reader reads (Orca asks the same D-Bus methods of the
same objects), without the GObject stack in the test venv. Each node is addressed by (bus name, path).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field

from jeepney import (
    DBusAddress,
    DBusErrorResponse,
    MatchRule,
    Properties,
    message_bus,
    new_method_call,
)
from jeepney.io.blocking import open_dbus_connection

ACCESSIBLE = "org.a11y.atspi.Accessible"
TEXT = "org.a11y.atspi.Text"
REGISTRY = ("org.a11y.atspi.Registry", "/org/a11y/atspi/accessible/root")

#: AT-SPI state bits (atspi-constants.h, AtspiStateType).
STATES = {
    "active": 1, "checked": 4, "editable": 7, "enabled": 8, "focusable": 11, "focused": 12,
    "modal": 16, "multi_line": 17, "read_only": 43, "selected": 23, "sensitive": 24, "showing": 25,
    "visible": 30, "required": 33, "invalid_entry": 36, "checkable": 41,
}


def missing_programs() -> list[str]:
    return [p for p in ("Xvfb", "dbus-daemon") if shutil.which(p) is None] + [
        p for p in ("/usr/libexec/at-spi-bus-launcher", "/usr/libexec/at-spi2-registryd") if not os.path.exists(p)
    ]


class BusSession:
    """Xvfb, a session bus (which starts the AT-SPI bus launcher and registry on demand)."""

    def __init__(self) -> None:
        self.processes: list[subprocess.Popen] = []
        self.env: dict[str, str] = {}

    def start(self) -> None:
        # The accessibility bus puts its socket in the runtime folder: a private one, not the user's.
        self.runtime = tempfile.mkdtemp(prefix="atspi-runtime-")
        read, write = os.pipe()
        xvfb = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
            pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(write)
        self.processes.append(xvfb)
        with os.fdopen(read) as pipe:
            display = pipe.readline().strip()
        if not display:
            raise RuntimeError("Xvfb did not start")
        dbus = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1"],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
            env={**os.environ, "DISPLAY": f":{display}", "XDG_RUNTIME_DIR": self.runtime},
        )
        self.processes.append(dbus)
        address = dbus.stdout.readline().strip()
        if not address:
            raise RuntimeError("dbus-daemon did not start")
        self.env = {"DISPLAY": f":{display}", "DBUS_SESSION_BUS_ADDRESS": address, "XDG_RUNTIME_DIR": self.runtime}

    def a11y_address(self) -> str:
        with open_dbus_connection(bus=self.env["DBUS_SESSION_BUS_ADDRESS"]) as session:
            bus = DBusAddress("/org/a11y/bus", bus_name="org.a11y.Bus", interface="org.a11y.Bus")
            reply = session.send_and_get_reply(new_method_call(bus, "GetAddress"), timeout=20)
            return reply.body[0]

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
        for process in self.processes:
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(getattr(self, "runtime", ""), ignore_errors=True)


@dataclass
class Node:
    bus: str
    path: str
    role: str = ""
    name: str = ""
    description: str = ""
    states: set[str] = field(default_factory=set)
    children: list[Node] = field(default_factory=list)
    extents: tuple[int, int, int, int] = (0, 0, 0, 0)  # x, y, width, height on the screen
    interfaces: tuple[str, ...] = ()  # of focusable nodes: org.a11y.atspi.Text, Action, ...
    role_id: int = 0  # of focusable nodes: AtspiRole (Orca decides by this, e.g. 40 = password text)
    text: str | None = None  # of focusable nodes with the Text interface: the words a screen reader reads
    table: Table | None = None  # of tables: what a screen reader's table commands read


    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def find(self, predicate) -> list[Node]:
        return [node for node in self.walk() if predicate(node)]

    def __repr__(self) -> str:
        return f"<{self.role} {self.name!r}>"


@dataclass
class Table:
    """A table as a screen reader's table navigation reads it (org.a11y.atspi.Table): its size, each column's
    header, and the name of the cell at each (row, column) it can move to."""

    rows: int
    columns: int
    headers: list[str]
    cells: list[list[str]]


TABLE = "org.a11y.atspi.Table"


class AtspiClient:
    """Reads the accessibility tree and events from the AT-SPI bus."""

    def __init__(self, address: str) -> None:
        self.conn = open_dbus_connection(bus=address)
        self.events: list[tuple[str, str, str, tuple]] = []  # (member, detail, path, body)

    def close(self) -> None:
        self.conn.close()

    def call(self, bus: str, path: str, interface: str, method: str, signature: str | None = None, body=()):
        address = DBusAddress(path, bus_name=bus, interface=interface)
        return self.conn.send_and_get_reply(new_method_call(address, method, signature, body), timeout=20).body

    def prop(self, bus: str, path: str, name: str, interface: str = ACCESSIBLE):
        address = DBusAddress(path, bus_name=bus, interface=interface)
        return self.conn.send_and_get_reply(Properties(address).get(name), timeout=20).body[0][1]

    def listen(self, *events: str) -> None:
        """Register event listeners (Qt sends only events someone registered) and subscribe to them."""
        kinds = set()
        for event in events:
            self.call(REGISTRY[0], "/org/a11y/atspi/registry", "org.a11y.atspi.Registry", "RegisterEvent",
                      "sass", (event, [], ""))
            kinds.add(event.split(":")[0])
        for kind in kinds:  # object -> org.a11y.atspi.Event.Object, focus -> ...Event.Focus
            rule = MatchRule(type="signal", interface=f"org.a11y.atspi.Event.{kind.capitalize()}")
            self.conn.send_and_get_reply(message_bus.AddMatch(rule), timeout=20)

    def applications(self) -> list[tuple[str, str]]:
        return [tuple(child) for child in self.call(*REGISTRY, ACCESSIBLE, "GetChildren")[0]]

    def app_named(self, name: str, timeout: float = 30) -> tuple[str, str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for bus, path in self.applications():
                try:
                    if name in self.prop(bus, path, "Name"):
                        return bus, path
                except DBusErrorResponse:  # an application that left while we asked
                    pass
            time.sleep(0.2)
        raise TimeoutError(f"no application {name!r} on the accessibility bus")

    def node(self, bus: str, path: str, depth: int = 200) -> Node:
        role = self.call(bus, path, ACCESSIBLE, "GetRoleName")[0]
        low, high = self.call(bus, path, ACCESSIBLE, "GetState")[0]
        bits = low | (high << 32)
        states = {name for name, bit in STATES.items() if bits & (1 << bit)}
        node = Node(bus, path, role, self.prop(bus, path, "Name"), self.prop(bus, path, "Description"), states)
        if "focusable" in states:
            node.extents = tuple(self.call(bus, path, "org.a11y.atspi.Component", "GetExtents", "u", (0,))[0])
            node.interfaces = tuple(self.call(bus, path, ACCESSIBLE, "GetInterfaces")[0])
            node.role_id = self.call(bus, path, ACCESSIBLE, "GetRole")[0]
            if TEXT in node.interfaces:
                node.text = self.call(bus, path, TEXT, "GetText", "ii", (0, -1))[0]
        if role == "table":
            node.table = self.table(bus, path)
        if depth and "showing" in states or path.endswith("/root"):
            for child_bus, child_path in self.call(bus, path, ACCESSIBLE, "GetChildren")[0]:
                if child_path != "/org/a11y/atspi/null":
                    node.children.append(self.node(child_bus, child_path, depth - 1))
        return node

    def table(self, bus: str, path: str) -> Table:
        rows, columns = self.prop(bus, path, "NRows", TABLE), self.prop(bus, path, "NColumns", TABLE)

        def name(reference) -> str:
            child_bus, child_path = reference
            return "" if child_path == "/org/a11y/atspi/null" else self.prop(child_bus, child_path, "Name")

        headers = [name(self.call(bus, path, TABLE, "GetColumnHeader", "i", (c,))[0]) for c in range(columns)]
        cells = [[name(self.call(bus, path, TABLE, "GetAccessibleAt", "ii", (r, c))[0]) for c in range(columns)]
                 for r in range(rows)]
        return Table(rows, columns, headers, cells)

    def pump_until_quiet(self, quiet: float = 0.3, longest: float = 3.0) -> None:
        """Collect signals until none has arrived for ``quiet`` seconds (at most ``longest`` in all). On a
        loaded machine the bridge's signals can come later than a fixed wait: an announcement made at one
        checkpoint was then missing from it (CI, beside a whole test run) and counted at the next."""
        deadline = time.monotonic() + longest
        while True:
            before = len(self.events)
            self.pump(min(quiet, max(0.0, deadline - time.monotonic())))
            if len(self.events) == before or time.monotonic() >= deadline:
                return

    def pump(self, seconds: float = 0.3) -> None:
        """Collect the signals that arrived within ``seconds``."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = self.conn.receive(timeout=left)
            except TimeoutError:
                break
            header = message.header
            if header.message_type.name == "signal":
                self.events.append((_field(message, "member"), message.body[0] if message.body else "",
                                    _field(message, "path"), message.body))


def _field(message, name: str):
    from jeepney.low_level import HeaderFields

    return message.header.fields.get(getattr(HeaderFields, name))
