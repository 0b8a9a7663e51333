"""What the code reader holds while it reads a cell (standard library only).

Python's own values (numbers, strings, tuples, lists, dicts) stand for themselves. Besides
them: :class:`Unknown` for what the cell computes from something the reader cannot know (data
it loads, a name it never defines), which says what and where; :class:`Function` and
:class:`UserClass` for what the cell defines; :class:`FrameworkObject` for what a framework's
call made (a layer, a model, a tensor: each library says what its objects do); and
:class:`~sphinxcontrib_lstmparams.signatures.Dotted` for a name from an imported module that
is not called (``torch.float16``, ``tf.nn.relu``).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ...signatures import Dotted

if TYPE_CHECKING:
    from .reader import Reader

__all__ = [
    "Dotted",
    "FrameworkObject",
    "Function",
    "Instance",
    "Super",
    "Unknown",
    "UserClass",
    "shown",
]


@dataclass(frozen=True)
class Unknown:
    """A value the reader cannot know: ``expression`` as written (what to give with
    ``:define:``), the line it comes from (0-based, in the cell), and why it is not known."""

    expression: str
    line: int
    why: str
    definable: bool = True  # False: the code is refused (a number too large), not unknown

    def message(self, define: str) -> str:
        """What to tell the author; ``define`` is how the front end takes a value
        (``:define: {key}=...``)."""
        if not self.definable:
            return f"`{self.expression}` {self.why}"
        return f"`{self.expression}` {self.why}: give it with {define.format(key=self.expression)}"


@dataclass(eq=False)
class Function:
    """A ``def`` or ``lambda`` of the cell: called by reading its body with its arguments."""

    name: str
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda
    scope: Any  # the Scope it was defined in (its closure)
    owner: UserClass | None = None  # the class whose body defines it (a method), for super()


@dataclass(eq=False)
class UserClass:
    """A ``class`` of the cell: its bases as the reader found them, its methods and values."""

    name: str
    node: ast.ClassDef
    bases: tuple[object, ...]
    names: dict[str, object] = field(default_factory=dict)

    def mro(self) -> list[UserClass]:
        """The classes of the cell a name is looked up in, this one first (depth first, left
        to right, each once: Python's order for the single and simple multiple inheritance
        models use)."""
        order: list[UserClass] = []
        stack: list[UserClass] = [self]
        while stack and len(order) < 100:
            cls = stack.pop(0)
            if cls not in order:
                order.append(cls)
                stack = [b for b in cls.bases if isinstance(b, UserClass)] + stack
        return order

    def lookup(self, name: str) -> object | None:
        """What the class (or a class of the cell it derives from) defines as ``name``."""
        for cls in self.mro():
            if name in cls.names:
                return cls.names[name]
        return None

    def framework_bases(self) -> list[object]:
        """The bases not of the cell (``nn.Module``, ``keras.Model``), in the class order."""
        return [b for cls in self.mro() for b in cls.bases if not isinstance(b, UserClass)]


@dataclass(eq=False)
class Super:
    """What ``super()`` gives in a method of ``cls`` called on ``obj``: the methods of the
    classes after ``cls`` in the order of ``obj``'s class."""

    cls: UserClass
    obj: object


@dataclass(eq=False)
class Instance:
    """An object of a class of the cell: its attributes, set as its methods run."""

    cls: UserClass
    attributes: dict[str, object] = field(default_factory=dict)


class FrameworkObject:
    """Something a framework's call made (a layer, a model, an input tensor). A library's
    objects answer attribute reads and method calls; what they do not answer is not known."""

    line: int = 0

    def attribute(self, reader: Reader, name: str, node: ast.expr) -> object:
        return reader.unknown(node, f"is an attribute of {self.shown()} the reader does not know")

    def method(
        self,
        reader: Reader,
        name: str,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> object:
        return reader.unknown(node, f"calls {self.shown()}.{name}(), which the reader does not run")

    def called(
        self, reader: Reader, args: list[object], kwargs: dict[str, object], node: ast.Call
    ) -> object:
        """What calling the object gives (a Keras layer called on a tensor)."""
        return reader.unknown(node, f"calls {self.shown()}, which the reader does not follow")

    def base_method(
        self,
        reader: Reader,
        name: str,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> object:
        """A method of the framework's base class called through ``super()`` (or as
        ``nn.Module.__init__(self)``) on an object of a class of the cell."""
        return reader.unknown(
            node, f"calls the framework's {name}(), which the reader does not run"
        )

    def operate(
        self,
        reader: Reader,
        op: ast.operator | ast.unaryop,
        other: object,
        reflected: bool,
        node: ast.AST,
    ) -> object:
        """``self op other`` (``other op self`` when ``reflected``; ``op self`` for a unary
        operator, ``other`` None): a tensor's arithmetic."""
        return reader.unknown(
            node, f"is arithmetic on {self.shown()}, which the reader does not do"
        )

    def joined(self, other: object) -> object | None:
        """What this object and ``other`` have in common, for a value that is one or the other
        (``a if test else b`` with a test the reader cannot tell), or None."""
        return None

    def shown(self) -> str:
        return type(self).__name__


def shown(value: object) -> str:
    """A value as a message names it."""
    if isinstance(value, Unknown):
        return f"`{value.expression}`"
    if isinstance(value, Dotted):
        return value.name
    if isinstance(value, Function | UserClass):
        return value.name
    if isinstance(value, Instance):
        return f"a {value.cls.name}"
    if isinstance(value, FrameworkObject):
        return value.shown()
    if isinstance(value, list | tuple) and any(isinstance(v, FrameworkObject) for v in value):
        inner = ", ".join(shown(item) for item in value)  # a list of tensors, by their names
        text = f"[{inner}]" if isinstance(value, list) else f"({inner})"
        return text if len(text) <= 60 else text[:57] + "..."
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
