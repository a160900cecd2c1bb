"""A mypy plugin for one gap in the stubs PySide6 ships: keyword arguments its constructors accept.

A PySide6 constructor takes any Qt property of the class *and of its bases*, and any of their signals
(connected to the callable given), as a keyword argument: ``QPushButton("OK", objectName="ok")``,
``QShortcut(keys, parent, activated=handler)``. The shipped ``.pyi`` files list only the properties the
class declares itself, so mypy refuses ``objectName=`` on every widget and ``activated=`` on QShortcut.
This plugin adds, to each constructor signature of a PySide6 class, the keyword-only arguments that its
bases' constructors declare (with their declared types) and one per signal of the class and its bases
(any callable). Everything else in the stubs is left as it is, so a misspelt keyword or a wrong type is
still an error.
"""

from __future__ import annotations

from collections.abc import Callable

from mypy.nodes import ARG_NAMED_OPT, ARG_STAR, ARG_STAR2, FuncBase, OverloadedFuncDef, TypeInfo, Var
from mypy.plugin import FunctionSigContext, Plugin
from mypy.types import AnyType, CallableType, Instance, Type, TypeOfAny, get_proper_type

_SIGNAL = "PySide6.QtCore.Signal"


class PySide6Keywords(Plugin):
    def get_function_signature_hook(self, fullname: str) -> Callable[[FunctionSigContext], CallableType] | None:
        if not fullname.startswith("PySide6."):
            return None
        symbol = self.lookup_fully_qualified(fullname)
        if symbol is None or not isinstance(symbol.node, TypeInfo):
            return None
        info = symbol.node
        return lambda ctx: _with_keywords(ctx, info)


def _with_keywords(ctx: FunctionSigContext, info: TypeInfo) -> CallableType:
    signature = ctx.default_signature
    present = set(signature.arg_names)
    extra = [(name, typ) for name, typ in _keywords(ctx, info).items() if name not in present]
    if not extra:
        return signature
    kinds, names, types = list(signature.arg_kinds), list(signature.arg_names), list(signature.arg_types)
    at = kinds.index(ARG_STAR2) if ARG_STAR2 in kinds else len(kinds)
    kinds[at:at] = [ARG_NAMED_OPT] * len(extra)
    names[at:at] = [name for name, _ in extra]
    types[at:at] = [typ for _, typ in extra]
    return signature.copy_modified(arg_kinds=kinds, arg_names=names, arg_types=types)


def _keywords(ctx: FunctionSigContext, info: TypeInfo) -> dict[str, Type]:
    """Keyword-only arguments of the bases' constructors, and the signals of the class and its bases."""
    found: dict[str, Type] = {}
    for base in info.mro:
        if not base.fullname.startswith("PySide6."):
            continue
        for name, symbol in base.names.items():
            if isinstance(symbol.node, Var) and _is_signal(symbol.node.type):
                found.setdefault(name, _any_callable(ctx))
        if base is not info:
            for name, typ in _keyword_only(base).items():
                found.setdefault(name, typ)
    return found


def _keyword_only(base: TypeInfo) -> dict[str, Type]:
    init = base.names.get("__init__")
    node = init.node if init is not None else None
    if not isinstance(node, FuncBase) or node.type is None:
        return {}
    items = node.items if isinstance(node, OverloadedFuncDef) else [node]
    found: dict[str, Type] = {}
    for item in items:
        typ = get_proper_type(item.type) if item.type is not None else None
        if not isinstance(typ, CallableType):
            continue
        for kind, name, arg_type in zip(typ.arg_kinds, typ.arg_names, typ.arg_types, strict=True):
            if kind == ARG_NAMED_OPT and name is not None:
                found.setdefault(name, arg_type)
    return found


def _is_signal(typ: Type | None) -> bool:
    typ = get_proper_type(typ) if typ is not None else None
    if isinstance(typ, Instance) and typ.type.fullname == "typing.ClassVar" and typ.args:
        typ = get_proper_type(typ.args[0])
    return isinstance(typ, Instance) and typ.type.fullname == _SIGNAL


def _any_callable(ctx: FunctionSigContext) -> CallableType:
    anything = AnyType(TypeOfAny.explicit)
    return CallableType(
        [anything, anything], [ARG_STAR, ARG_STAR2], [None, None], anything,
        ctx.api.named_generic_type("builtins.function", []), is_ellipsis_args=True,
    )


def plugin(version: str) -> type[Plugin]:
    return PySide6Keywords
