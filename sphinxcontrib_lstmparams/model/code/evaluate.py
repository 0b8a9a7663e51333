"""Expressions of a pasted cell, worked out without running them (standard library only).

One method per kind of ``ast`` node (as pyflakes reads code); a node kind the reader does not
know gives an :class:`~.values.Unknown` that says so. Names are looked up in the cell's
scopes, then among the author's defines, then among the frameworks' conventional module names
(``nn``, ``layers``, ``keras``, ``torch``). Calls of a framework's names go to its library
(:mod:`.libraries`), calls of the cell's own functions are read (bounded), and every
operation on values is bounded (:mod:`~sphinxcontrib_lstmparams.literals`).
"""

from __future__ import annotations

import ast
import contextlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from typing import Any

from ...literals import MAX_ITEMS, LiteralError, binary, compare, unary
from .defines import Defines
from .pure import PURE, Refused, pure_call
from .values import (
    Dotted,
    FrameworkObject,
    Function,
    Instance,
    Super,
    Unknown,
    UserClass,
    shown,
)

# Names that stand for a framework's module when a cell uses them without importing them (a
# paste of a few lines): what each means.
CONVENTIONAL_MODULES = {
    "keras": "keras",
    "layers": "keras.layers",
    "models": "keras.models",
    "tf": "tensorflow",
    "tensorflow": "tensorflow",
    "torch": "torch",
    "nn": "torch.nn",
    "F": "torch.nn.functional",
    "math": "math",
    "np": "numpy",
    "numpy": "numpy",
}
# The most items a comprehension may make, and values it may look at.
MAX_COMPREHENSION = MAX_ITEMS


class Stop(Exception):
    """The read stops: a bound was reached (``why`` says which, ``node`` where)."""

    def __init__(self, why: str, node: ast.AST) -> None:
        super().__init__(why)
        self.why = why
        self.node = node


class Scope:
    """Names bound in the module, a function call or a class body; ``parent`` is the scope
    the code was written in (a function's closure)."""

    def __init__(self, parent: Scope | None = None, kind: str = "module") -> None:
        self.parent = parent
        self.kind = kind
        self.names: dict[str, object] = {}
        # in a method's call: its class and the object it is called on (what super() means)
        self.method: tuple[UserClass, object] | None = None

    def chain(self) -> Iterator[Scope]:
        scope: Scope | None = self
        while scope is not None:
            yield scope
            scope = scope.parent


class Evaluator(ABC):
    """What reading an expression needs; :class:`~.reader.Reader` adds the statements."""

    defines: Defines
    module: Scope
    steps: int
    max_steps: int

    # -- what the reader provides -------------------------------------------------------------

    @abstractmethod
    def call_function(
        self, function: Function, args: list[object], kwargs: dict[str, object], node: ast.AST
    ) -> object:
        """Read a function of the cell's body with these arguments; its return value."""

    @abstractmethod
    def call_path(
        self, path: str, written: str, args: list[object], kwargs: dict[str, object], node: ast.Call
    ) -> object:
        """A call of a module's name (``keras.layers.LSTM``), as written (``LSTM``)."""

    @abstractmethod
    def instantiate(
        self, cls: UserClass, args: list[object], kwargs: dict[str, object], node: ast.Call
    ) -> object:
        """A class of the cell called: a new object of it."""

    # -- values ---------------------------------------------------------------------------------

    def unknown(
        self, node: ast.AST, why: str, expression: str | None = None, definable: bool = True
    ) -> Unknown:
        """An :class:`Unknown` for ``node`` (its text, or ``expression``)."""
        text = expression if expression is not None else _text(node)
        return Unknown(text, getattr(node, "lineno", 1) - 1, why, definable)

    def refused(self, node: ast.AST, error: Exception) -> Unknown:
        """What the reader will not work out (too large, or not a valid operation): no value
        the author could give would change that."""
        return self.unknown(node, f"cannot be worked out ({error})", definable=False)

    def step(self, node: ast.AST) -> None:
        self.steps += 1
        if self.steps > self.max_steps:
            raise Stop(
                f"reading the cell takes more than {self.max_steps:,} steps (a loop or a "
                "recursion too long?); the model is read up to here",
                node,
            )

    def value(self, node: ast.expr, scope: Scope) -> object:
        """What ``node`` evaluates to, or an :class:`Unknown`."""
        self.step(node)
        if self.defines.expressions and isinstance(
            node, ast.Call | ast.Attribute | ast.Subscript | ast.BinOp
        ):
            text = ast.unparse(node)
            if text in self.defines.expressions:
                return self.defines.expressions[text]
        handler = _HANDLERS.get(type(node))
        if handler is None:
            return self.unknown(node, f"is a {type(node).__name__} expression the reader skips")
        return handler(self, node, scope)

    def lookup(self, name: str, scope: Scope, node: ast.expr) -> object:
        """A name: the cell's scopes (a module-level name the author defined wins over the
        cell's own value), then the author's defines, then the conventional module names and
        the built-in functions."""
        for level in scope.chain():
            if level.kind == "module" and name in self.defines.names:
                return self.defines.names[name]
            if name in level.names:
                return level.names[name]
        if name in self.defines.names:
            return self.defines.names[name]
        if name in ("True", "False", "None"):
            return {"True": True, "False": False, "None": None}[name]
        if name in CONVENTIONAL_MODULES:
            return Dotted(CONVENTIONAL_MODULES[name])
        if name in PURE or name in (
            "print", "type", "isinstance", "getattr", "setattr", "hasattr", "super",
        ):  # fmt: skip
            return Dotted(name)
        if name[:1].isupper():  # a class written bare, as the framework's docs do: LSTM(64)
            return Dotted(name)
        return self.unknown(node, "is not defined in the cell")

    # -- node kinds -------------------------------------------------------------------------------

    def _Constant(self, node: ast.Constant, scope: Scope) -> object:
        if isinstance(node.value, bytes | complex):
            return self.unknown(node, "is not a value a model takes")
        if isinstance(node.value, str) and len(node.value) > MAX_ITEMS:
            return self.unknown(node, "is a string too long to hold", "a long string", False)
        if isinstance(node.value, int) and node.value.bit_length() > 200:
            return self.unknown(node, "is a number too large to be a size", "a huge number", False)
        return node.value

    def _Name(self, node: ast.Name, scope: Scope) -> object:
        return self.lookup(node.id, scope, node)

    def _JoinedStr(self, node: ast.JoinedStr, scope: Scope) -> object:
        parts: list[str] = []
        for part in node.values:
            if isinstance(part, ast.Constant):
                parts.append(str(part.value))
                continue
            assert isinstance(part, ast.FormattedValue)
            value = self.value(part.value, scope)
            if isinstance(value, Unknown) or not isinstance(value, int | float | str | bool):
                return value if isinstance(value, Unknown) else self.unknown(node, "is not known")
            if part.format_spec is not None or part.conversion != -1:
                return self.unknown(node, "is a formatted string the reader does not format")
            parts.append(str(value))
            if sum(map(len, parts)) > MAX_ITEMS:
                return self.unknown(node, "is a string too long to hold")
        return "".join(parts)

    def _Tuple(self, node: ast.Tuple, scope: Scope) -> object:
        return tuple(self._items(node.elts, scope))

    def _List(self, node: ast.List, scope: Scope) -> object:
        return self._items(node.elts, scope)

    def _Set(self, node: ast.Set, scope: Scope) -> object:
        items = self._items(node.elts, scope)
        try:
            return set(items)
        except TypeError:
            return self.unknown(node, "is a set of values the reader does not hold")

    def _items(self, nodes: list[ast.expr], scope: Scope) -> list[object]:
        items: list[object] = []
        for item in nodes:
            if isinstance(item, ast.Starred):
                spread = self.value(item.value, scope)
                if isinstance(spread, tuple | list | range):
                    items.extend(spread)
                else:
                    items.append(self.unknown(item, "spreads what the reader does not know"))
            else:
                items.append(self.value(item, scope))
            if len(items) > MAX_ITEMS:
                raise Stop(f"a list of more than {MAX_ITEMS:,} items", item)
        return items

    def _Dict(self, node: ast.Dict, scope: Scope) -> object:
        made: dict[object, object] = {}
        for key, item in zip(node.keys, node.values, strict=True):
            if key is None:
                spread = self.value(item, scope)
                if not isinstance(spread, dict):
                    return self.unknown(node, "spreads what the reader does not know")
                made.update(spread)
                continue
            key_value = self.value(key, scope)
            try:
                made[key_value] = self.value(item, scope)
            except TypeError:
                return self.unknown(node, "has a key that cannot be one", definable=False)
        return made

    def _UnaryOp(self, node: ast.UnaryOp, scope: Scope) -> object:
        operand = self.value(node.operand, scope)
        if isinstance(operand, Unknown):
            return operand
        if isinstance(operand, FrameworkObject):
            return operand.operate(self, node.op, None, False, node)  # type: ignore[arg-type]
        try:
            return unary(node.op, operand)
        except LiteralError as error:
            return self.refused(node, error)

    def _BinOp(self, node: ast.BinOp, scope: Scope) -> object:
        return self.combine(
            node, node.op, self.value(node.left, scope), self.value(node.right, scope)
        )

    def combine(self, node: ast.AST, op: ast.operator, left: object, right: object) -> object:
        """``left op right``, bounded; what is not known stays so."""
        for side in (left, right):
            if isinstance(side, Unknown):
                return side
        if isinstance(left, FrameworkObject):
            return left.operate(self, op, right, False, node)  # type: ignore[arg-type]
        if isinstance(right, FrameworkObject):
            return right.operate(self, op, left, True, node)  # type: ignore[arg-type]
        try:
            return binary(op, left, right)
        except LiteralError as error:
            return self.refused(node, error)

    def _BoolOp(self, node: ast.BoolOp, scope: Scope) -> object:
        result: object = None
        for item in node.values:
            result = self.value(item, scope)
            truth = self.truth(result)
            if truth is None:
                return result if isinstance(result, Unknown) else self.unknown(item, "is not known")
            if truth is isinstance(node.op, ast.Or):
                return result
        return result

    def _Compare(self, node: ast.Compare, scope: Scope) -> object:
        left = self.value(node.left, scope)
        for op, right_node in zip(node.ops, node.comparators, strict=True):
            right = self.value(right_node, scope)
            for side in (left, right):
                if isinstance(side, Unknown):
                    return side
            if isinstance(op, ast.Is | ast.IsNot) and (left is None or right is None):
                same = left is right
                result = same if isinstance(op, ast.Is) else not same
            else:
                try:
                    result = compare(op, left, right)
                except LiteralError:
                    return self.unknown(node, "compares values the reader does not hold")
            if not result:
                return False
            left = right
        return True

    def _IfExp(self, node: ast.IfExp, scope: Scope) -> object:
        test = self.value(node.test, scope)
        truth = self.truth(test)
        if truth is None:
            # one branch or the other: what they share, when the reader can tell
            body, orelse = self.value(node.body, scope), self.value(node.orelse, scope)
            if isinstance(body, FrameworkObject):
                joined = body.joined(orelse)
                if joined is not None:
                    return joined
            elif _plain_equal(body, orelse):
                return body
            return test if isinstance(test, Unknown) else self.unknown(node.test, "is not known")
        return self.value(node.body if truth else node.orelse, scope)

    def _Attribute(self, node: ast.Attribute, scope: Scope) -> object:
        return self._attribute_of(self.value(node.value, scope), node)

    def _attribute_of(self, owner: object, node: ast.Attribute) -> object:
        if isinstance(owner, Unknown):
            return owner
        if isinstance(owner, Dotted):
            return Dotted(f"{owner.name}.{node.attr}")
        if isinstance(owner, FrameworkObject):
            return owner.attribute(self, node.attr, node)  # type: ignore[arg-type]
        if isinstance(owner, Instance):
            if node.attr in owner.attributes:
                return owner.attributes[node.attr]
            found = owner.cls.lookup(node.attr)
            if isinstance(found, Function):
                return _Bound(owner, found)
            if found is not None:
                return found
            return self.unknown(node, f"is not set on {shown(owner)}")
        if isinstance(owner, Super):
            return _SuperMethod(owner, node.attr)
        if isinstance(owner, UserClass) and owner.lookup(node.attr) is not None:
            return owner.lookup(node.attr)
        if isinstance(owner, dict | list | tuple | str) and not node.attr.startswith("_"):
            return _Method(owner, node.attr)
        return self.unknown(node, "is an attribute the reader does not know")

    def _Subscript(self, node: ast.Subscript, scope: Scope) -> object:
        owner = self.value(node.value, scope)
        if isinstance(owner, Unknown):
            return owner
        index = self.value(node.slice, scope)
        if isinstance(index, Unknown):
            return index
        if isinstance(owner, FrameworkObject):
            return owner.method(self, "__getitem__", [index], {}, node)  # type: ignore[arg-type]
        if not isinstance(owner, tuple | list | str | dict | range):
            return self.unknown(node, "indexes what the reader does not hold")
        try:
            return owner[index]  # type: ignore[index, call-overload]
        except (IndexError, KeyError, TypeError, ValueError) as error:
            return self.unknown(node, f"cannot be worked out ({type(error).__name__})")

    def _Slice(self, node: ast.Slice, scope: Scope) -> object:
        parts = [None if part is None else self.value(part, scope) for part in
                 (node.lower, node.upper, node.step)]  # fmt: skip
        for part in parts:
            if isinstance(part, Unknown):
                return part
        if not all(part is None or isinstance(part, int) for part in parts):
            return self.unknown(node, "is a slice of values that are not whole numbers")
        return slice(*parts)

    def _Starred(self, node: ast.Starred, scope: Scope) -> object:
        return self.unknown(node, "spreads values where one is expected")

    def _Lambda(self, node: ast.Lambda, scope: Scope) -> object:
        return Function("<lambda>", node, scope)

    def _NamedExpr(self, node: ast.NamedExpr, scope: Scope) -> object:
        result = self.value(node.value, scope)
        scope.names[node.target.id] = result
        return result

    def _ListComp(self, node: ast.ListComp, scope: Scope) -> object:
        return self._comprehension(node, scope, list)

    def _GeneratorExp(self, node: ast.GeneratorExp, scope: Scope) -> object:
        return self._comprehension(node, scope, list)

    def _SetComp(self, node: ast.SetComp, scope: Scope) -> object:
        made = self._comprehension(node, scope, list)
        if isinstance(made, list):
            try:
                return set(made)
            except TypeError:
                return self.unknown(node, "is a set of values the reader does not hold")
        return made

    def _DictComp(self, node: ast.DictComp, scope: Scope) -> object:
        pairs = self._comprehension(node, scope, list)
        if isinstance(pairs, list):
            try:
                return dict(pairs)
            except TypeError:
                return self.unknown(node, "is a dict of values the reader does not hold")
        return pairs

    def _comprehension(
        self,
        node: ast.ListComp | ast.GeneratorExp | ast.SetComp | ast.DictComp,
        scope: Scope,
        make: Callable[[list[object]], object],
    ) -> object:
        inner = Scope(scope, "comprehension")
        made: list[object] = []

        def produce(level: int) -> Unknown | None:
            if level == len(node.generators):
                if isinstance(node, ast.DictComp):
                    made.append((self.value(node.key, inner), self.value(node.value, inner)))
                else:
                    made.append(self.value(node.elt, inner))
                if len(made) > MAX_COMPREHENSION:
                    raise Stop(f"a comprehension of more than {MAX_ITEMS:,} items", node)
                return None
            generator = node.generators[level]
            items = self.iterable(self.value(generator.iter, inner if level else scope))
            if isinstance(items, Unknown):
                return items
            for item in items:
                self.step(generator)
                self.bind(generator.target, item, inner)
                tests = [self.truth(self.value(test, inner)) for test in generator.ifs]
                if None in tests:
                    return self.unknown(generator, "has a condition the reader cannot tell")
                if all(tests):
                    stopped = produce(level + 1)
                    if stopped is not None:
                        return stopped
            return None

        stopped = produce(0)
        return stopped if stopped is not None else make(made)

    def _Call(self, node: ast.Call, scope: Scope) -> object:
        if isinstance(node.func, ast.Name) and node.func.id == "super":
            return self._super(node, scope)
        owner: object = None
        if isinstance(node.func, ast.Attribute):  # a method: its owner decides what it does
            owner = self.value(node.func.value, scope)
            if isinstance(owner, Unknown):
                return owner
        if isinstance(owner, FrameworkObject) and isinstance(node.func, ast.Attribute):
            callee: object = _FrameworkMethod(owner, node.func.attr)
        elif owner is not None and isinstance(node.func, ast.Attribute):
            callee = self._attribute_of(owner, node.func)
        else:
            callee = self.value(node.func, scope)
        args: list[object] = []
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                spread = self.value(arg.value, scope)
                if isinstance(spread, tuple | list | range):
                    args.extend(spread)
                    continue
                return self.unknown(node, f"spreads {_text(arg.value)}, which is not known")
            args.append(self.value(arg, scope))
        kwargs: dict[str, object] = {}
        for keyword in node.keywords:
            if keyword.arg is None:
                spread = self.value(keyword.value, scope)
                if isinstance(spread, dict) and all(isinstance(k, str) for k in spread):
                    kwargs.update(spread)
                    continue
                return self.unknown(node, f"spreads {_text(keyword.value)}, which is not known")
            kwargs[keyword.arg] = self.value(keyword.value, scope)
        return self.call(callee, args, kwargs, node)

    def _super(self, node: ast.Call, scope: Scope) -> object:
        """``super()`` in a method (its class and object), or ``super(Cls, self)``."""
        if node.args:
            if len(node.args) != 2:
                return self.unknown(node, "is a super() call the reader does not follow")
            cls, obj = self.value(node.args[0], scope), self.value(node.args[1], scope)
            if isinstance(cls, UserClass):
                return Super(cls, obj)
            return self.unknown(node, "is super() of a class that is not the cell's")
        for level in scope.chain():
            if level.method is not None:
                return Super(*level.method)
        return self.unknown(node, "is super() outside a method of a class of the cell")

    def super_method(
        self, method: _SuperMethod, args: list[object], kwargs: dict[str, object], node: ast.Call
    ) -> object:
        """``super().name(...)``: the next class of the cell that defines it, else the
        framework's base class, asked through the object."""
        start, obj = method.owner.cls, method.owner.obj
        order = obj.cls.mro() if isinstance(obj, Instance) else None
        if order is None:
            own = getattr(obj, "user_class", None)
            order = own.mro() if isinstance(own, UserClass) else start.mro()
        after = order[order.index(start) + 1 :] if start in order else []
        for cls in after:
            found = cls.names.get(method.name)
            if isinstance(found, Function):
                return self.call_function(found, [obj, *args], kwargs, node)
        if isinstance(obj, FrameworkObject):
            return obj.base_method(self, method.name, args, kwargs, node)  # type: ignore[arg-type]
        if method.name == "__init__":
            return None  # object.__init__, or a base the reader does not hold: nothing to do
        return self.unknown(node, f"calls super().{method.name}(), which the reader cannot find")

    def call(
        self, callee: object, args: list[object], kwargs: dict[str, object], node: ast.Call
    ) -> object:
        """``callee(*args, **kwargs)`` as the reader understands it."""
        if isinstance(callee, Unknown):
            return callee
        if isinstance(callee, _SuperMethod):
            return self.super_method(callee, args, kwargs, node)
        if isinstance(callee, Function):
            return self.call_function(callee, args, kwargs, node)
        if isinstance(callee, _Bound):
            return self.call_function(callee.function, [callee.owner, *args], kwargs, node)
        if isinstance(callee, UserClass):
            return self.instantiate(callee, args, kwargs, node)
        if isinstance(callee, _Method):
            return self.plain_method(callee, args, kwargs, node)
        if isinstance(callee, _FrameworkMethod):
            return callee.owner.method(self, callee.name, args, kwargs, node)  # type: ignore[arg-type]
        if isinstance(callee, FrameworkObject):
            return callee.called(self, args, kwargs, node)  # type: ignore[arg-type]
        if isinstance(callee, Dotted):
            return self.call_path(callee.name, _text(node.func), args, kwargs, node)
        return self.unknown(node, f"calls {shown(callee)}, which is not something to call")

    def plain_method(
        self, method: _Method, args: list[object], kwargs: dict[str, object], node: ast.Call
    ) -> object:
        """A method of a list, dict or string the cell made (``sizes.append(64)``)."""
        owner, name = method.owner, method.name
        if any(isinstance(value, Unknown) for value in (*args, *kwargs.values())):
            if isinstance(owner, list) and name in ("append", "extend", "insert"):
                owner.append(next(v for v in (*args, *kwargs.values()) if isinstance(v, Unknown)))
                return None
            return next(v for v in (*args, *kwargs.values()) if isinstance(v, Unknown))
        if name not in _PLAIN_METHODS.get(type(owner), set()):
            return self.unknown(node, f"calls .{name}(), which the reader does not run")
        try:
            result = getattr(owner, name)(*args, **kwargs)
        except (TypeError, ValueError, KeyError, IndexError, AttributeError) as error:
            return self.unknown(node, f"cannot be worked out ({type(error).__name__})")
        if isinstance(owner, list) and len(owner) > MAX_ITEMS:
            raise Stop(f"a list of more than {MAX_ITEMS:,} items", node)
        if isinstance(result, str) and len(result) > MAX_ITEMS:
            return self.unknown(node, "is a string too long to hold")
        if type(result).__name__ in ("dict_keys", "dict_values", "dict_items"):
            return list(result)
        return result

    def pure(
        self, name: str, args: list[object], kwargs: dict[str, object], node: ast.Call
    ) -> object:
        """A built-in or ``math`` function on known values."""
        if name == "len" and len(args) == 1 and isinstance(args[0], FrameworkObject):
            return args[0].method(self, "__len__", [], {}, node)  # type: ignore[arg-type]
        if name in _OVER_ITEMS:  # a framework's container looped over: its items
            args = [self.iterable(a) if isinstance(a, FrameworkObject) else a for a in args]
        for value in (*args, *kwargs.values()):
            if isinstance(value, Unknown):
                return value
        if name == "print":
            return None
        try:
            return pure_call(name, args, kwargs)
        except Refused as error:
            return self.refused(node, error)

    # -- helpers for the statements -------------------------------------------------------------

    def truth(self, value: object) -> bool | None:
        """Whether a value counts as true, or None when the reader cannot tell."""
        if isinstance(value, Unknown | Dotted):
            return None
        if isinstance(value, FrameworkObject | Function | UserClass | Instance):
            return True
        try:
            return bool(value)
        except (TypeError, ValueError):
            return None

    def iterable(self, value: object) -> list[object] | Unknown:
        """The items a ``for`` goes over, or why not known."""
        if isinstance(value, Unknown):
            return value
        if isinstance(value, tuple | list | range | str | set):
            return list(value)
        if isinstance(value, dict):
            return list(value)
        if isinstance(value, FrameworkObject):
            items = value.attribute(self, "__iter__", ast.Name(id="_"))  # type: ignore[arg-type]
            if isinstance(items, list):
                return items
            return Unknown(value.shown(), value.line, "is not something to loop over")
        return Unknown(shown(value), 0, "is not something to loop over")

    def bind(self, target: ast.expr, value: object, scope: Scope) -> None:
        """``target = value`` (names, tuples to unpack, attributes and items)."""
        if isinstance(target, ast.Name):
            scope.names[target.id] = value
        elif isinstance(target, ast.Tuple | ast.List):
            items = _unpacked(value, target)
            for part, item in zip(target.elts, items, strict=True):
                self.bind(part.value if isinstance(part, ast.Starred) else part, item, scope)
        elif isinstance(target, ast.Attribute):
            owner = self.value(target.value, scope)
            if isinstance(owner, Instance):
                owner.attributes[target.attr] = value
            elif isinstance(owner, FrameworkObject):
                owner.method(self, "__setattr__", [target.attr, value], {}, target)  # type: ignore[arg-type]
        elif isinstance(target, ast.Subscript):
            owner = self.value(target.value, scope)
            index = self.value(target.slice, scope)
            if isinstance(owner, dict) and not isinstance(index, Unknown):
                with contextlib.suppress(TypeError):  # a key Python cannot hash: not set
                    owner[index] = value
            elif isinstance(owner, list) and isinstance(index, int):
                if -len(owner) <= index < len(owner):
                    owner[index] = value
            elif isinstance(owner, FrameworkObject):
                owner.method(self, "__setitem__", [index, value], {}, target)  # type: ignore[arg-type]


class _Bound:
    """A method of an object of the cell's class, bound to it."""

    def __init__(self, owner: Instance, function: Function) -> None:
        self.owner = owner
        self.function = function


# built-in functions that go over the items of what they are given
_OVER_ITEMS = frozenset({"enumerate", "zip", "list", "tuple", "reversed", "sorted", "set"})

# The methods of plain values the reader runs: none can grow a value beyond the bounds
# unchecked (lists are checked after each call).
_PLAIN_METHODS: dict[type, set[str]] = {
    list: {"append", "extend", "insert", "pop", "index", "count", "copy", "reverse"},
    tuple: {"index", "count"},
    dict: {"get", "keys", "values", "items", "copy", "update", "pop", "setdefault"},
    str: {"lower", "upper", "strip", "split", "join", "replace", "startswith", "endswith",
          "title", "capitalize"},
}  # fmt: skip


# one method per node kind, looked up once
_HANDLERS: dict[type, Callable[[Evaluator, Any, Scope], object]] = {
    getattr(ast, name[1:]): method
    for name, method in vars(Evaluator).items()
    if name.startswith("_") and name[1:2].isupper() and hasattr(ast, name[1:])
}


class _SuperMethod:
    """A method looked up through ``super()``, to be called."""

    def __init__(self, owner: Super, name: str) -> None:
        self.owner = owner
        self.name = name


class _FrameworkMethod:
    """A method of a framework's object (``model.add``), to be called."""

    def __init__(self, owner: FrameworkObject, name: str) -> None:
        self.owner = owner
        self.name = name


class _Method:
    """A method of a plain value (``sizes.append``), to be called."""

    def __init__(self, owner: object, name: str) -> None:
        self.owner = owner
        self.name = name


def _plain_equal(first: object, second: object) -> bool:
    """Whether two plain values are the same (what either branch of an ``if`` gives)."""
    plain = (int, float, str, bool, tuple, type(None))
    return isinstance(first, plain) and type(first) is type(second) and first == second


def _unpacked(value: object, target: ast.Tuple | ast.List) -> list[object]:
    """The items ``a, b = value`` gives each name (unknown ones where the reader cannot tell)."""
    count = len(target.elts)
    starred = [i for i, part in enumerate(target.elts) if isinstance(part, ast.Starred)]
    if isinstance(value, tuple | list) and not starred and len(value) == count:
        return list(value)
    if isinstance(value, tuple | list) and starred and len(value) >= count - 1:
        at = starred[0]
        tail = count - at - 1
        rest = list(value[at : len(value) - tail])
        return [*value[:at], rest, *value[len(value) - tail :]]
    if isinstance(value, Unknown):
        return [value] * count
    line = getattr(target, "lineno", 1) - 1
    unknown = Unknown(_text(target), line, f"unpacks {shown(value)}, which the reader cannot")
    return [unknown] * count


def _text(node: ast.AST) -> str:
    """An expression as written (shortened for messages)."""
    try:
        text = ast.unparse(node)
    except (ValueError, RecursionError):
        return "(an expression)"
    return text if len(text) <= 80 else text[:77] + "..."
