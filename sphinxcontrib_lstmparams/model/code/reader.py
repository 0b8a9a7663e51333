"""A pasted cell's statements, read in order without running anything (standard library only).

The reader keeps the cell's names in scopes, as Python would, and follows what the cell does
with them: imports say which framework a bare name belongs to, assignments hold values,
``def`` and ``class`` are read when called, ``for`` loops over what is known, ``if`` takes the
branch its test gives. Calls of a framework's names are answered by its library (a layer, a
``Sequential`` and its ``add``); what the libraries make is what the summary is built from.

What the reader skips on purpose (``compile``, ``fit``, plotting) it skips quietly; what it
cannot follow is a :class:`Message` at its line: a note when it cannot change the model, a
warning when it can. Reading is bounded (:data:`MAX_STEPS`, :data:`MAX_CALL_DEPTH`), so a cell
made to hang or exhaust memory is one warning, fast.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from ...spec import FrameworkName
from .defines import NO_DEFINES, Defines
from .evaluate import Evaluator, Scope, Stop, _text
from .libraries import LIBRARIES
from .library import Library, owner_of
from .pure import PURE
from .values import Dotted, FrameworkObject, Function, Instance, Unknown, UserClass, shown

MAX_STEPS = 50_000  # expressions and statements read in one cell (a 200-line cell: ~2,000)
MAX_CALL_DEPTH = 40  # calls of the cell's own functions inside each other
# levels of one statement's tree: deeper, Python 3.11 cannot parse some code that 3.10 and 3.13
# can, and the reader (which walks the tree by recursion) could not read it on any
MAX_NESTING = 400
DEFINE_HINT = ":define: {key}=..."

Level = Literal["warning", "note"]


@dataclass(frozen=True)
class Message:
    """What the reader tells the author, at a line of the cell (0-based)."""

    line: int
    text: str
    level: Level = "warning"


class _Return(Exception):
    def __init__(self, value: object) -> None:
        self.value = value


class _Break(Exception):
    pass


class _TooDeep(Exception):
    """Calls of the cell's functions nest deeper than :data:`MAX_CALL_DEPTH`."""


class _Continue(Exception):
    pass


# Methods and functions whose calls change nothing a summary shows.
QUIET_CALLS = frozenset(
    {
        "print", "compile", "fit", "fit_generator", "evaluate", "predict", "save",
        "save_weights", "load_weights", "plot_model", "show", "figure", "plot", "to",
        "cuda", "cpu", "train", "eval", "zero_grad", "backward", "step", "manual_seed",
        "seed", "set_seed", "summary", "display", "savefig", "legend", "xlabel", "ylabel",
        "title", "subplot", "imshow", "hist", "append", "close", "write", "info", "warning",
    }
)  # fmt: skip
# Methods that change the value they are called on (a list, a set, a dict).
_MUTATING = frozenset(
    {"append", "add", "extend", "update", "insert", "setdefault", "pop", "remove", "clear",
     "discard", "sort", "reverse"}
)  # fmt: skip
# Modules whose imports bring nothing of a model (data, plotting, utilities).
_MODULE_OF_FRAMEWORK: dict[str, FrameworkName] = {
    "keras": "keras",
    "tensorflow": "keras",
    "tf_keras": "keras",
    "torch": "pytorch",
    "torchinfo": "pytorch",
}


class Reader(Evaluator):
    """Reads one cell (or, for a paste of one layer per line, one line after the other in the
    same session)."""

    def __init__(
        self,
        defines: Defines = NO_DEFINES,
        framework: FrameworkName | None = None,
        define_hint: str = DEFINE_HINT,
        line_offset: int = 0,
    ) -> None:
        self.defines = defines
        self.framework = framework  # the page's, or what the imports say
        self.define_hint = define_hint
        self.line_offset = line_offset  # where the text being read starts in the cell
        self._source = ""  # the text being read, for the calls as written
        self._lines: list[bytes] = []  # its lines, encoded: ast's columns count UTF-8 bytes
        self.module = Scope()
        self.steps = 0
        self.max_steps = MAX_STEPS
        self.depth = 0
        self.messages: list[Message] = []
        self.imported: set[FrameworkName] = set()
        self.session: dict[str, Any] = {}  # each library's state (Keras' layer names)
        self.made: list[FrameworkObject] = []  # every model a library made, in order
        self.summarized: list[tuple[FrameworkObject, int]] = []  # model.summary() calls
        self.loose: list[tuple[int, object]] = []  # values of bare expression lines
        self.stopped = False
        self.stop: Message | None = None  # the bound that stopped the read, if one did
        self.libraries: tuple[Library, ...] = LIBRARIES

    @property
    def source(self) -> str:
        return self._source

    @source.setter
    def source(self, text: str) -> None:
        self._source = text
        self._lines = [line.encode("utf-8") for line in text.splitlines()]

    def segment(self, node: ast.AST) -> str | None:
        """The text of ``node`` as written, on one line (what ``ast.get_source_segment``
        gives, without splitting the whole text again for every node)."""
        start, end = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
        first, last = getattr(node, "col_offset", None), getattr(node, "end_col_offset", None)
        if None in (start, end, first, last) or end > len(self._lines):  # type: ignore[operator]
            return None
        assert start is not None and end is not None and first is not None and last is not None
        if start == end:
            parts = [self._lines[start - 1][first:last]]
        else:
            parts = [self._lines[start - 1][first:], *self._lines[start : end - 1]]
            parts.append(self._lines[end - 1][:last])
        return " ".join(b" ".join(parts).decode("utf-8", "replace").split())

    # -- messages ---------------------------------------------------------------------------

    def line_of(self, node: ast.AST) -> int:
        return getattr(node, "lineno", 1) - 1 + self.line_offset

    def unknown(
        self, node: ast.AST, why: str, expression: str | None = None, definable: bool = True
    ) -> Unknown:
        text = expression if expression is not None else _text(node)
        return Unknown(text, self.line_of(node), why, definable)

    def warn(self, node: ast.AST | int, text: str) -> None:
        line = node if isinstance(node, int) else self.line_of(node)
        self.messages.append(Message(line, text, "warning"))

    def note(self, node: ast.AST | int, text: str) -> None:
        line = node if isinstance(node, int) else self.line_of(node)
        self.messages.append(Message(line, text, "note"))

    def explain(self, unknown: Unknown) -> str:
        """What to tell the author about a value the reader could not know."""
        return unknown.message(self.define_hint)

    # -- reading ------------------------------------------------------------------------------

    def run(self, tree: ast.Module) -> None:
        """Read a parsed cell (or line), statement by statement; a bound reached stops the read
        with one warning, and what was read so far stands."""
        if self.stopped:
            return
        try:
            self.block(tree.body, self.module)
        except Stop as stop:
            self.stopped = True
            self.warn(stop.node, stop.why)
            self.stop = self.messages[-1]
        except (_Return, _Break, _Continue):
            pass  # `return` outside a function: Python refuses to compile it; nothing to do

    def block(self, body: Sequence[ast.stmt], scope: Scope) -> None:
        for statement in body:
            self.statement(statement, scope)

    def statement(self, node: ast.stmt, scope: Scope) -> None:
        self.step(node)
        handler = _STATEMENTS.get(type(node))
        try:
            if handler is None:
                self.note(node, f"skipped: a {_kind(node)} statement is not read")
            else:
                handler(self, node, scope)
        except RecursionError:
            self.warn(node, "skipped: this statement nests too deep to read")

    # -- statements -----------------------------------------------------------------------------

    def _stmt_Expr(self, node: ast.Expr, scope: Scope) -> None:
        if scope is self.module and _is_step(node.value, scope):
            self.loose.append((self.line_of(node), StepText(ast.unparse(node.value))))
            return
        value = self.value(node.value, scope)
        if scope is not self.module:
            return
        # a paste of one layer per line: each line's layer, or the call that could not be one
        if isinstance(value, Unknown) and isinstance(node.value, ast.Call):
            func = _text(node.value.func)
            cls = func.rpartition(".")[2]
            text = self.segment(node.value) or _text(node.value)
            value = UnknownCall(text, cls if cls.isidentifier() else "?", value)
        self.loose.append((self.line_of(node), value))

    def _stmt_Assign(self, node: ast.Assign, scope: Scope) -> None:
        value = self.value(node.value, scope)
        for target in node.targets:
            self.assign(target, value, node, scope)

    def _stmt_AnnAssign(self, node: ast.AnnAssign, scope: Scope) -> None:
        if node.value is not None:
            self.assign(node.target, self.value(node.value, scope), node, scope)

    def _stmt_AugAssign(self, node: ast.AugAssign, scope: Scope) -> None:
        current = self.value(_loaded(node.target), scope)
        change = self.value(node.value, scope)
        self.assign(node.target, self.combine(node, node.op, current, change), node, scope)

    def assign(self, target: ast.expr, value: object, node: ast.stmt, scope: Scope) -> None:
        if isinstance(target, ast.Name) and scope.kind == "module":
            if target.id in self.defines.names:
                given = self.defines.names[target.id]
                if not isinstance(value, Unknown) and _plain(value) and value != given:
                    self.note(
                        node,
                        f"{target.id} = {shown(value)} in the cell; the defined "
                        f"{shown(given)} is used",
                    )
                return
            if isinstance(value, Unknown) and value.definable and value.expression != target.id:
                # what to define is the name the cell gives it; say where it comes from
                source = getattr(node, "value", None)
                origin = _text(source) if isinstance(source, ast.expr) else value.expression
                value = Unknown(
                    target.id,
                    self.line_of(node),
                    f"is set from `{origin}`, which the reader cannot work out "
                    f"(`{value.expression}` {value.why})",
                )
        self.bind(target, value, scope)

    def _stmt_Import(self, node: ast.Import, scope: Scope) -> None:
        for alias in node.names:
            self._imported(alias.name)
            if alias.asname:
                scope.names[alias.asname] = Dotted(alias.name)
            else:
                top = alias.name.split(".")[0]
                scope.names[top] = Dotted(top)

    def _stmt_ImportFrom(self, node: ast.ImportFrom, scope: Scope) -> None:
        module = node.module or ""
        self._imported(module)
        for alias in node.names:
            if alias.name == "*":
                continue  # the framework's names are known by their own names anyway
            scope.names[alias.asname or alias.name] = Dotted(f"{module}.{alias.name}")

    def _imported(self, module: str) -> None:
        framework = _MODULE_OF_FRAMEWORK.get(module.split(".")[0])
        if framework is not None:
            self.imported.add(framework)

    def _stmt_FunctionDef(self, node: ast.FunctionDef, scope: Scope) -> None:
        scope.names[node.name] = Function(node.name, node, scope)

    def _stmt_AsyncFunctionDef(self, node: ast.AsyncFunctionDef, scope: Scope) -> None:
        scope.names[node.name] = Function(node.name, node, scope)

    def _stmt_ClassDef(self, node: ast.ClassDef, scope: Scope) -> None:
        bases = tuple(self.value(base, scope) for base in node.bases)
        cls = UserClass(node.name, node, bases)
        body = Scope(scope, "class")
        self.block(node.body, body)
        for name, value in body.names.items():
            if isinstance(value, Function) and value.scope is body:
                value.owner = cls  # a method: super() in it means this class
            cls.names[name] = value
        scope.names[node.name] = cls

    def _stmt_Return(self, node: ast.Return, scope: Scope) -> None:
        raise _Return(None if node.value is None else self.value(node.value, scope))

    def _stmt_Pass(self, node: ast.Pass, scope: Scope) -> None:
        return

    def _stmt_Break(self, node: ast.Break, scope: Scope) -> None:
        raise _Break

    def _stmt_Continue(self, node: ast.Continue, scope: Scope) -> None:
        raise _Continue

    def _stmt_Global(self, node: ast.Global, scope: Scope) -> None:
        return

    def _stmt_Nonlocal(self, node: ast.Nonlocal, scope: Scope) -> None:
        return

    def _stmt_Assert(self, node: ast.Assert, scope: Scope) -> None:
        return

    def _stmt_Delete(self, node: ast.Delete, scope: Scope) -> None:
        for target in node.targets:
            if isinstance(target, ast.Name):
                scope.names.pop(target.id, None)

    def _stmt_Raise(self, node: ast.Raise, scope: Scope) -> None:
        self.note(node, "skipped: raise (the reader goes on after it)")

    def _stmt_If(self, node: ast.If, scope: Scope) -> None:
        test = self.value(node.test, scope)
        truth = self.truth(test)
        if truth is None and _is_main(node.test):
            truth = True
        if truth is not None:
            self.block(node.body if truth else node.orelse, scope)
            return
        why = self.explain(test) if isinstance(test, Unknown) else f"`{_text(node.test)}`"
        if _builds(node, scope, self):
            self.warn(
                node,
                f"cannot tell which branch this if takes ({why}); the model is read with "
                "the first branch",
            )
        else:
            self.note(node, f"cannot tell which branch this if takes ({why}); read the first")
        self.block(node.body, scope)

    def _stmt_For(self, node: ast.For, scope: Scope) -> None:
        items = self.iterable(self.value(node.iter, scope))
        if isinstance(items, Unknown):
            text = f"skipped: the for loop over {_text(node.iter)} ({self.explain(items)})"
            if _builds(node, scope, self):
                self.warn(node, text)
            else:
                self.note(node, text)
            self.unsettle(node, scope, f"is changed by the for loop over `{_text(node.iter)}`")
            return
        for item in items:
            self.step(node)
            self.bind(node.target, item, scope)
            try:
                self.block(node.body, scope)
            except _Break:
                return
            except _Continue:
                continue
        self.block(node.orelse, scope)

    def _stmt_While(self, node: ast.While, scope: Scope) -> None:
        while True:
            self.step(node)
            truth = self.truth(self.value(node.test, scope))
            if truth is None:
                self.note(node, "skipped: a while loop whose test the reader cannot tell")
                self.unsettle(node, scope, "is changed by a while loop the reader skips")
                return
            if not truth:
                break
            try:
                self.block(node.body, scope)
            except _Break:
                return
            except _Continue:
                continue
        self.block(node.orelse, scope)

    def unsettle(self, node: ast.For | ast.While, scope: Scope, why: str) -> None:
        """A loop the reader skips may change the values it assigns or grows (``chars =
        set()`` then ``chars.add(c)`` in the loop): they are not known after it, rather than
        silently what they were before. What holds a model is kept (the loop's warning says
        it may build part of it)."""
        changed: set[str] = set()
        for child in ast.walk(node):
            if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
                changed.add(child.id)
            elif (
                isinstance(child, ast.Call)
                and isinstance(child.func, ast.Attribute)
                and isinstance(child.func.value, ast.Name)
                and child.func.attr in _MUTATING
            ):
                changed.add(child.func.value.id)
        for name in sorted(changed):
            for level in scope.chain():
                if name in level.names:
                    if not isinstance(level.names[name], FrameworkObject):
                        level.names[name] = Unknown(name, self.line_of(node), why)
                    break

    def _stmt_With(self, node: ast.With, scope: Scope) -> None:
        for item in node.items:  # `with strategy.scope():` and the like: the body is read
            context = self.value(item.context_expr, scope)
            if item.optional_vars is not None:
                entered = context if isinstance(context, Unknown) else self.unknown(
                    item.context_expr, "is what a with statement enters, which is not run"
                )  # fmt: skip
                self.bind(item.optional_vars, entered, scope)
        self.block(node.body, scope)

    def _stmt_Try(self, node: ast.Try, scope: Scope) -> None:
        self.block(node.body, scope)  # what would raise is not run; the handlers are not read
        self.block(node.orelse, scope)
        self.block(node.finalbody, scope)

    _stmt_TryStar = _stmt_Try

    # -- calls ----------------------------------------------------------------------------------

    def call_function(
        self, function: Function, args: list[object], kwargs: dict[str, object], node: ast.AST
    ) -> object:
        if self.depth >= MAX_CALL_DEPTH:
            raise _TooDeep
        if self.depth == 0:  # the outermost call says it, once, and goes on without its value
            try:
                return self._call(function, args, kwargs, node)
            except _TooDeep:
                self.warn(
                    node,
                    f"{function.name}(): calls nest more than {MAX_CALL_DEPTH} deep (a function "
                    "that calls itself?); its value is not known",
                )
                return self.unknown(node, "nests calls too deep to read", definable=False)
        return self._call(function, args, kwargs, node)

    def _call(
        self, function: Function, args: list[object], kwargs: dict[str, object], node: ast.AST
    ) -> object:
        local = Scope(function.scope, "function")
        definition = function.node
        try:
            self.bind_arguments(definition.args, args, kwargs, local, function.scope, node)
        except TypeError as error:
            return self.unknown(node, f"calls {function.name}() with {error}")
        if function.owner is not None and args:
            local.method = (function.owner, args[0])
        self.depth += 1
        try:
            if isinstance(definition, ast.Lambda):
                return self.value(definition.body, local)
            self.block(definition.body, local)
        except _Return as returned:
            return returned.value
        finally:
            self.depth -= 1
        return None

    def bind_arguments(
        self,
        spec: ast.arguments,
        args: list[object],
        kwargs: dict[str, object],
        local: Scope,
        defining: Scope,
        node: ast.AST,
    ) -> None:
        """Python's binding of arguments to parameters (defaults read where defined);
        TypeError, in Python's words, when they do not fit."""
        positional = [*spec.posonlyargs, *spec.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(spec.defaults))
        defaults += list(spec.defaults)
        given = list(args)
        for index, param in enumerate(positional):
            if given:
                local.names[param.arg] = given.pop(0)
            elif param.arg in kwargs:
                local.names[param.arg] = kwargs.pop(param.arg)
            elif defaults[index] is not None:
                local.names[param.arg] = self.value(defaults[index], defining)  # type: ignore[arg-type]
            elif param.arg in self.defines.names:  # a builder's argument the author gave
                local.names[param.arg] = self.defines.names[param.arg]
            else:
                local.names[param.arg] = Unknown(
                    param.arg, self.line_of(node), "is an argument the call does not give"
                )
        if spec.vararg is not None:
            local.names[spec.vararg.arg] = tuple(given)
        elif given:
            raise TypeError(f"{len(args)} positional arguments, more than it takes")
        for param, default in zip(spec.kwonlyargs, spec.kw_defaults, strict=True):
            if param.arg in kwargs:
                local.names[param.arg] = kwargs.pop(param.arg)
            elif default is not None:
                local.names[param.arg] = self.value(default, defining)
            else:
                local.names[param.arg] = Unknown(
                    param.arg, self.line_of(node), "is an argument the call does not give"
                )
        if spec.kwarg is not None:
            local.names[spec.kwarg.arg] = dict(kwargs)
        elif kwargs:
            raise TypeError(f"the unexpected keyword {next(iter(kwargs))!r}")

    def instantiate(
        self, cls: UserClass, args: list[object], kwargs: dict[str, object], node: ast.Call
    ) -> object:
        for library in self.libraries:
            made = library.instantiate(self, cls, args, kwargs, node)
            if made is not None:
                return made
        instance = Instance(cls)
        init = cls.lookup("__init__")
        if isinstance(init, Function):
            self.call_function(init, [instance, *args], kwargs, node)
        return instance

    def call_path(
        self, path: str, written: str, args: list[object], kwargs: dict[str, object], node: ast.Call
    ) -> object:
        name = path.rpartition(".")[2]
        for library in self.libraries:
            made = library.call(self, path, written, args, kwargs, node)
            if made is not None:
                return made
        if path in ("setattr", "getattr") and len(args) >= 2 and isinstance(args[1], str):
            return self.attribute_call(path, args, node)
        if path in PURE or path == "print":
            return self.pure(path, args, kwargs, node)
        if name in QUIET_CALLS:
            return None
        owner = owner_of(path)
        if "." not in path:
            return self.unknown(node, "is not defined in the cell", f"{written}(...)")
        where = f" from {owner}" if owner else ""
        return self.unknown(node, f"is a call{where} the reader does not run", f"{written}(...)")

    def attribute_call(self, path: str, args: list[object], node: ast.Call) -> object:
        """``setattr(obj, "name", value)`` and ``getattr(obj, "name"[, default])``, as
        ``obj.name = value`` and ``obj.name`` are read."""
        owner, name = args[0], str(args[1])
        if not name.isidentifier():
            return self.unknown(node, f"names an attribute {name!r} the reader does not follow")
        target = ast.copy_location(
            ast.Attribute(value=ast.Name(id="_", ctx=ast.Load()), attr=name, ctx=ast.Load()), node
        )
        if path == "getattr":
            found = self._attribute_of(owner, target)
            if isinstance(found, Unknown) and len(args) > 2:
                return args[2]
            return found
        if isinstance(owner, Instance):
            owner.attributes[name] = args[2] if len(args) > 2 else None
        elif isinstance(owner, FrameworkObject) and len(args) > 2:
            owner.method(self, "__setattr__", [name, args[2]], {}, node)
        return None

    # -- the result -----------------------------------------------------------------------------

    def framework_of_cell(self) -> FrameworkName | None:
        """The framework the page or the imports name, if only one."""
        if self.framework is not None:
            return self.framework
        if len(self.imported) == 1:
            return next(iter(self.imported))
        return None

    def models_by_name(self) -> dict[str, FrameworkObject]:
        """The cell's module-level names that hold a model, in the order they were made."""
        return {
            name: value
            for name, value in self.module.names.items()
            if isinstance(value, FrameworkObject) and value in self.made
        }


# one method per statement kind, looked up once
_STATEMENTS: dict[type, Any] = {
    getattr(ast, name[len("_stmt_") :]): method
    for name, method in vars(Reader).items()
    if name.startswith("_stmt_") and hasattr(ast, name[len("_stmt_") :])
}


@dataclass(frozen=True)
class UnknownCall:
    """A bare call the reader could not make anything of (in a paste of one layer per line,
    a row that says why)."""

    text: str
    cls: str
    unknown: Unknown


@dataclass(frozen=True)
class StepText:
    """A line of a PyTorch ``forward`` on ``x`` (``x[:, -1, :]``), pasted among modules."""

    text: str


def _plain(value: object) -> bool:
    return isinstance(value, int | float | str | bool | tuple | list | dict | type(None))


def _kind(node: ast.stmt) -> str:
    return type(node).__name__.lower()


def _loaded(target: ast.expr) -> ast.expr:
    """An assignment target read as a value (``x += 1`` reads x); made once per target."""
    loaded = getattr(target, "_loaded", None)
    if loaded is None:
        loaded = ast.copy_location(ast.parse(ast.unparse(target), mode="eval").body, target)
        target._loaded = loaded  # type: ignore[attr-defined]
    assert isinstance(loaded, ast.expr)
    return loaded


def _is_main(test: ast.expr) -> bool:
    """``if __name__ == "__main__":``: a notebook or script runs its body."""
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
    )


def _is_step(node: ast.expr, scope: Scope) -> bool:
    """A PyTorch step on ``x`` pasted among modules, ``x`` being no name of the cell's."""
    from ..torch.steps import is_forward_step

    if "x" in scope.names:
        return False
    try:
        return is_forward_step(ast.unparse(node))
    except (ValueError, RecursionError):
        return False


def _builds(node: ast.stmt, scope: Scope, reader: Reader) -> bool:
    """Whether a statement's body may build part of a model: it calls a framework's name, a
    method that adds layers, or a function of the cell."""
    for child in ast.walk(node):
        if not isinstance(child, ast.Call):
            continue
        func = child.func
        if isinstance(func, ast.Attribute) and func.attr in ("add", "append", "add_module"):
            # model.add(...) builds; chars.add(c) on a set of the cell's does not
            owner = func.value.id if isinstance(func.value, ast.Name) else None
            held = scope.names.get(owner, reader.module.names.get(owner)) if owner else None
            if not isinstance(held, set | list | dict):
                return True
        if isinstance(func, ast.Name):
            found = scope.names.get(func.id, reader.module.names.get(func.id))
            if isinstance(found, Function | UserClass) or func.id[:1].isupper():
                return True
        if isinstance(func, ast.Attribute):
            root = func
            while isinstance(root, ast.Attribute):
                root = root.value  # type: ignore[assignment]
            if isinstance(root, ast.Name) and root.id in ("layers", "nn", "keras", "tf", "torch"):
                return True
    return False


__all__ = [
    "DEFINE_HINT",
    "MAX_NESTING",
    "MAX_STEPS",
    "Message",
    "Reader",
    "StepText",
    "UnknownCall",
]
