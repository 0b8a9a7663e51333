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


@dataclass(eq=False)
class UserClass:
    """A ``class`` of the cell: its bases as the reader found them, its methods and values."""

    name: str
    node: ast.ClassDef
    bases: tuple[object, ...]
    names: dict[str, object] = field(default_factory=dict)


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
