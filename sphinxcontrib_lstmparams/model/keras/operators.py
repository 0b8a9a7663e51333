"""Python's operators on Keras tensors: Keras 3 makes each an operation of the graph, a row of
its own with no weights (``x + y`` is ``add (Add)``, ``x[:, -1]`` is ``get_item (GetItem)``;
keras/src/backend/common/keras_tensor.py). Standard library only.

Their output shapes follow NumPy's rules, as Keras' ``compute_output_spec`` does: broadcasting
for the elementwise operators, the matrix product's for ``@``, basic indexing for ``[]``.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from ...spec import Shape
from ..code.layers import keras_name
from ..code.values import Unknown, shown
from .graph import KerasTensor, Operation, call_node, shape_text

if TYPE_CHECKING:
    from ..code.reader import Reader

# Python's operators -> the operation Keras makes of them on a Keras tensor
OPERATORS: dict[type, str] = {
    ast.Add: "Add", ast.Sub: "Subtract", ast.Mult: "Multiply", ast.Div: "TrueDivide",
    ast.FloorDiv: "FloorDivide", ast.Mod: "Mod", ast.Pow: "Power", ast.MatMult: "Matmul",
    ast.USub: "Negative",
}  # fmt: skip


class TensorOperation(Operation):
    """An operation Keras makes of a function on tensors: no weights, not a layer."""

    is_layer = False


class OperatorError(ValueError):
    """The shapes do not meet (Keras would raise)."""


def apply_operator(
    reader: Reader,
    cls: str,
    tensor: KerasTensor,
    args: list[object],
    reflected: bool,
    node: ast.AST,
) -> object:
    """``tensor <op> other`` (``other <op> tensor`` when ``reflected``; ``tensor[key]``,
    ``-tensor``): a new operation of the graph and its output tensor, or an Unknown when the
    other operand cannot be known."""
    other = args[0] if args else None
    if isinstance(other, Unknown):
        return other
    tensor_like = isinstance(other, KerasTensor | int | float) or isinstance(
        getattr(other, "shape", None), tuple
    )
    if cls != "GetItem" and args and not tensor_like:
        return reader.unknown(
            node, f"applies {cls} to {shown(other)}, which is not a tensor", definable=False
        )
    operands: list[object] = [tensor] if not args or cls == "GetItem" else [tensor, other]
    if reflected:
        operands.reverse()
    inputs = [value for value in operands if isinstance(value, KerasTensor)]
    line = reader.line_of(node)
    operation = TensorOperation(keras_name(reader, cls, None), cls, line)
    problem = None
    shape: Shape | None = None
    if all(value.shape is not None for value in inputs):
        try:
            shape = _output_shape(cls, operands, other if cls == "GetItem" else None)
        except OperatorError as error:
            problem = str(error)
    made = call_node(operation, inputs, line, problem)
    (output,) = made.add_outputs([shape], tensor.dtype)
    return output


def _shape_of(value: object) -> Shape:
    if isinstance(value, KerasTensor):
        assert value.shape is not None
        return value.shape
    shape = getattr(value, "shape", ())  # a custom layer's own weight, or a Python number
    return shape if isinstance(shape, tuple) else ()


def _output_shape(cls: str, operands: list[object], key: object) -> Shape:
    if cls == "GetItem":
        return indexed(_shape_of(operands[0]), key)
    if cls == "Negative":
        return _shape_of(operands[0])
    shapes = [_shape_of(value) for value in operands]
    if cls == "Matmul":
        return matmul_shape(shapes[0], shapes[1])
    return broadcast(shapes[0], shapes[1])


def broadcast(one: Shape, two: Shape) -> Shape:
    """NumPy's broadcasting, None being any size (keras/src/ops/operation_utils.py
    broadcast_shapes, whose words a mismatch gives)."""
    left = [1] * (len(two) - len(one)) + list(one)
    right = [1] * (len(one) - len(two)) + list(two)
    out: list[int | None] = []
    for a, b in zip(left, right, strict=True):
        if a == 1:
            out.append(b)
        elif a is None:
            out.append(None if b == 1 else b)
        elif b in (1, None, a):
            out.append(a)
        else:
            raise OperatorError(
                f"Cannot broadcast shape, the failure dim has value {a}, which cannot be "
                f"broadcasted to {b}. Input shapes are: {list(one)} and {list(two)}."
            )
    return tuple(out)


def matmul_shape(one: Shape, two: Shape) -> Shape:
    """``a @ b``: the last axis of ``a`` meets the one before the last of ``b``."""
    if not one or not two:
        raise OperatorError("matmul takes tensors of at least one axis")
    left = (1, *one) if len(one) == 1 else tuple(one)
    right = (*two, 1) if len(two) == 1 else tuple(two)
    inner_a, inner_b = left[-1], right[-2]
    if inner_a is not None and inner_b is not None and inner_a != inner_b:
        raise OperatorError(
            f"Inner dimensions (`x1.shape[-1]` and `x2.shape[-2]`) must be equal, but received "
            f"`x1.shape={shape_text(one)}` and `x2.shape={shape_text(two)}`."
        )
    batch = broadcast(left[:-2], right[:-2])
    out = (*batch, left[-2], right[-1])
    if len(one) == 1:
        out = out[:-2] + out[-1:]
    if len(two) == 1:
        out = out[:-1]
    return out


def indexed(shape: Shape, key: object) -> Shape:
    """The shape ``x[key]`` has: integers drop an axis, slices cut one, None adds one, ``...``
    stands for the axes not written."""
    keys = list(key) if isinstance(key, tuple) else [key]
    if sum(k is Ellipsis for k in keys) > 1:
        raise OperatorError("an index can only have a single ellipsis ('...')")
    written = sum(k is not None and k is not Ellipsis for k in keys)
    if written > len(shape):
        raise OperatorError(
            f"too many indices for a tensor of shape {shape_text(shape)}: {written} given"
        )
    if Ellipsis in keys:
        at = keys.index(Ellipsis)
        keys[at : at + 1] = [slice(None)] * (len(shape) - written)
    keys += [slice(None)] * (len(shape) - sum(k is not None for k in keys))
    out: list[int | None] = []
    axes = iter(shape)
    for item in keys:
        if item is None:
            out.append(1)
            continue
        size = next(axes)
        if isinstance(item, bool) or not isinstance(item, int | slice):
            raise OperatorError(f"{item!r} is not an index the reader follows")
        if isinstance(item, int):
            if size is not None and not -size <= item < size:
                raise OperatorError(f"index {item} is out of bounds for an axis of size {size}")
            continue
        if size is None:
            out.append(None)
        else:
            out.append(len(range(size)[item]))
    return tuple(out)


__all__ = ["OPERATORS", "TensorOperation", "apply_operator", "broadcast", "indexed"]
