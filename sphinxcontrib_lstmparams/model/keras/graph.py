"""Keras' graph of a functional model, as the code reader builds it (standard library only).

The shapes are Keras' own (keras/src/ops/node.py, keras/src/backend/common/keras_tensor.py):
every call of an operation (a layer, a merge, a tensor operator, an ``InputLayer``, a model
used as a layer) on Keras tensors is a :class:`Node` of that operation; the node remembers the
tensors it was called on and the tensors it made, and each tensor remembers its node. A layer
called twice has two nodes and one set of weights, so a shared layer is one row with both
calls in its "Connected to" cell, and is counted once, without a rule of its own.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...spec import Shape
from ..code.values import FrameworkObject, Unknown

if TYPE_CHECKING:
    from ..code.reader import Reader
    from ..summary import Row


class Operation:
    """Something a functional model calls, and lists as a row: ``name`` and ``cls`` as Keras
    prints them (``lstm (LSTM)``), the line it was made on, and its calls (``nodes``)."""

    name: str
    cls: str
    line: int
    # an operation Keras makes of a function (a tensor operator, the NotEqual of a mask): it
    # has no weights to build, and is not among model.layers
    is_layer: bool = True
    frozen: bool = False  # trainable=False

    def __init__(self, name: str, cls: str, line: int) -> None:
        self.name = name
        self.cls = cls
        self.line = line
        self.nodes: list[Node] = []

    def replay(self, node: Node, shapes: list[Shape | None]) -> list[Shape | None] | None:
        """The shapes the call ``node`` gives when its inputs have ``shapes`` instead (a
        nested model called on other shapes than it was built for); None: the node's own."""
        return None

    def row(self) -> Row:
        """Its row, before the graph adds its output shapes and connections: its count (of
        its first call, which builds it), or why it has none."""
        from ..summary import Row

        return Row(self.line, self.cls, self.name, self.cls)


@dataclass(eq=False)
class Node:
    """One call of an operation: the Keras tensors it was given (in Keras' order: the
    positional arguments, then the keywords by name), the line of the call, and what it
    made. ``problem``: why the framework refuses the call (the model would not build)."""

    operation: Operation
    inputs: tuple[KerasTensor, ...]
    line: int
    outputs: list[KerasTensor] = field(default_factory=list)
    problem: str | None = None  # the framework refuses the call, and says so here
    refused: bool = False  # the framework refuses the call (its row's problem says why)

    @property
    def index(self) -> int:
        """Which call of its operation it is (the first ``[0]`` of ``lstm[0][1]``)."""
        return next(i for i, node in enumerate(self.operation.nodes) if node is self)

    @property
    def parents(self) -> list[Node]:
        return [tensor.node for tensor in self.inputs]

    def add_outputs(self, shapes: list[Shape | None], dtype: str) -> list[KerasTensor]:
        self.outputs = [
            KerasTensor(self, index, shape, dtype) for index, shape in enumerate(shapes)
        ]
        return self.outputs


def call_node(
    operation: Operation, inputs: list[KerasTensor], line: int, problem: str | None = None
) -> Node:
    """A new call of ``operation`` (its next node index)."""
    node = Node(operation, tuple(inputs), line, problem=problem)
    operation.nodes.append(node)
    return node


class KerasTensor(FrameworkObject):
    """A symbolic tensor: what ``keras.Input`` or a layer's call returns. Its shape has the
    batch axis (None where any size will do); None as a whole when the reader cannot know
    it (the call it comes from could not be followed). ``mask``: the mask Keras attaches to
    it (an ``Embedding(mask_zero=True)``'s ``NotEqual``), which the next layers that take a
    mask are called with."""

    def __init__(self, node: Node, index: int, shape: Shape | None, dtype: str) -> None:
        self.node = node
        self.index = index
        self.shape = shape
        self.dtype = dtype
        self.line = node.line
        self.mask: KerasTensor | None = None
        # when the shape is not known: what is (None where a size is not), for the widths of
        # the layers it feeds
        self.partial: Shape | None = None
        # the tensor comes from a call the framework refuses (at that line): what is made of
        # it is not built either
        self.refused_at: int | None = node.line if node.problem or node.refused else None
        for parent in node.inputs:
            if parent.refused_at is not None and self.refused_at is None:
                self.refused_at = parent.refused_at

    def shown(self) -> str:
        return f"the Keras tensor {self.history}"

    @property
    def history(self) -> str:
        """How Keras names where it comes from: ``lstm[0][1]``."""
        return f"{self.node.operation.name}[{self.node.index}][{self.index}]"

    def attribute(self, reader: Reader, name: str, node: ast.expr) -> object:
        if name == "shape" and self.shape is not None:
            return self.shape
        if name == "dtype":
            return self.dtype
        if name == "ndim" and self.shape is not None:
            return len(self.shape)
        return super().attribute(reader, name, node)

    def method(
        self,
        reader: Reader,
        name: str,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> object:
        from .operators import apply_operator

        if name == "__getitem__":  # x[:, -1]
            return apply_operator(reader, "GetItem", self, args, False, node)
        return super().method(reader, name, args, kwargs, node)

    def operate(
        self,
        reader: Reader,
        op: ast.operator | ast.unaryop,
        other: object,
        reflected: bool,
        node: ast.AST,
    ) -> object:
        """``x + y``, ``2 * x``, ``-x``: Keras makes an operation of each."""
        from .operators import OPERATORS, apply_operator

        cls = OPERATORS.get(type(op))
        if cls is None:
            return super().operate(reader, op, other, reflected, node)
        operands = [] if isinstance(op, ast.unaryop) else [other]
        return apply_operator(reader, cls, self, operands, reflected, node)


def keras_tensors(value: object) -> Iterator[KerasTensor]:
    """The Keras tensors in a call's argument, in Keras' order (``tree.flatten``: lists and
    tuples in order, a dict's values by key)."""
    if isinstance(value, KerasTensor):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from keras_tensors(item)
    elif isinstance(value, dict):
        for key in sorted(value, key=str):
            yield from keras_tensors(value[key])


def call_tensors(args: list[object], kwargs: dict[str, object]) -> list[KerasTensor]:
    """The Keras tensors a call is given, as its node lists them."""
    return [*keras_tensors(list(args)), *keras_tensors(kwargs)]


def first_unknown(value: object) -> Unknown | None:
    """The first value in an argument the reader could not work out, if any."""
    if isinstance(value, Unknown):
        return value
    if isinstance(value, list | tuple):
        for item in value:
            found = first_unknown(item)
            if found is not None:
                return found
    if isinstance(value, dict):
        for item in value.values():
            found = first_unknown(item)
            if found is not None:
                return found
    return None


def shape_text(shape: Shape | None) -> str:
    """A shape as Keras writes it in its messages: ``(None, 10, 8)``."""
    if shape is None:
        return "(?)"
    return "(" + ", ".join(str(size) for size in shape) + ("," if len(shape) == 1 else "") + ")"


__all__ = [
    "KerasTensor",
    "Node",
    "Operation",
    "call_node",
    "call_tensors",
    "first_unknown",
    "keras_tensors",
    "shape_text",
]
