"""Keras' merge layers: ``Concatenate``, ``Add``, ``Subtract``, ``Multiply``, ``Average``,
``Maximum``, ``Minimum`` and ``Dot``, made as classes (``layers.Add()``) or through their
functions (``layers.add([x, y])``), and called on a list of tensors (standard library only).

None has weights. Their output shapes, and the words of the errors Keras raises when the
shapes do not meet, are Keras' own (keras/src/layers/merging/: base_merge.py
``_compute_elemwise_op_output_shape``, concatenate.py and dot.py ``build`` and
``compute_output_shape``, subtract.py).
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from ...spec import Shape
from ..code.layers import keras_name
from ..code.values import FrameworkObject, Unknown, shown
from .graph import KerasTensor, Node, Operation, call_node, first_unknown

if TYPE_CHECKING:
    from ..code.reader import Reader

# class -> its function in keras.layers, and the constructor's positional parameters
MERGES: dict[str, tuple[str, tuple[str, ...]]] = {
    "Concatenate": ("concatenate", ("axis",)),
    "Add": ("add", ()),
    "Subtract": ("subtract", ()),
    "Multiply": ("multiply", ()),
    "Average": ("average", ()),
    "Maximum": ("maximum", ()),
    "Minimum": ("minimum", ()),
    "Dot": ("dot", ("axes", "normalize")),
}
MERGE_FUNCTIONS = {function: cls for cls, (function, _params) in MERGES.items()}
# the keywords each takes besides Layer's own (name, dtype, trainable ...)
_OWN_KEYWORDS = {"Concatenate": {"axis"}, "Dot": {"axes", "normalize"}}
_LAYER_KEYWORDS = {"name", "dtype", "trainable", "autocast"}


class MergeError(ValueError):
    """Shapes a merge layer refuses, in Keras' words."""


class MergeLayer(FrameworkObject, Operation):
    """A merge layer the cell made: called on a list of tensors, it is a node of the graph."""

    def __init__(self, cls: str, name: str, line: int, options: dict[str, object]) -> None:
        Operation.__init__(self, name, cls, line)
        self.options = options

    def shown(self) -> str:
        return f"{self.name} ({self.cls})"

    def replay(self, node: Node, shapes: list[Shape | None]) -> list[Shape | None] | None:
        known = [shape for shape in shapes if shape is not None]
        if len(known) != len(shapes):
            return None
        try:
            return [merged_shape(self.cls, known, self.options)]
        except MergeError:
            return None

    def attribute(self, reader: Reader, name: str, node: ast.expr) -> object:
        if name == "name":
            return self.name
        return super().attribute(reader, name, node)

    def called(
        self, reader: Reader, args: list[object], kwargs: dict[str, object], node: ast.Call
    ) -> object:
        given = args[0] if args else kwargs.get("inputs")
        unknown = first_unknown(given)
        if unknown is not None:
            return unknown
        if not isinstance(given, list | tuple) or not all(
            isinstance(item, KerasTensor) for item in given
        ):
            return reader.unknown(
                node,
                f"calls {self.cls} on {shown(given)}, not on a list of Keras tensors",
                definable=False,
            )
        inputs = list(given)
        problem: str | None = None
        shape: Shape | None = None
        if all(item.shape is not None for item in inputs):
            try:
                shape = merged_shape(self.cls, [i.shape for i in inputs], self.options)
            except MergeError as error:
                problem = str(error)
        line = reader.line_of(node)
        made = call_node(self, inputs, line, problem)
        if any(item.mask is not None for item in inputs):
            reader.note(
                node,
                f"{self.name}: Keras merges the masks of its inputs with operations of its "
                "own, which the reader does not list; the mask stops here",
            )
        (output,) = made.add_outputs([shape], inputs[0].dtype if inputs else "float32")
        return output


def make_merge(
    reader: Reader, cls: str, args: list[object], kwargs: dict[str, object], node: ast.Call
) -> MergeLayer | Unknown:
    """``layers.Concatenate(axis=1, name=...)`` and the like: the layer, named as Keras names
    it when it is made."""
    params = MERGES[cls][1]
    if len(args) > len(params):
        return reader.unknown(
            node, f"gives {cls} {len(args)} positional arguments", definable=False
        )
    given = dict(zip(params, args, strict=False)) | kwargs
    for key, value in given.items():
        if isinstance(value, Unknown):
            return value
        if key not in _OWN_KEYWORDS.get(cls, set()) | _LAYER_KEYWORDS:
            return reader.unknown(
                node, f"gives {cls} the keyword {key!r}, which it does not take", definable=False
            )
    if cls == "Dot" and "axes" not in given:
        return reader.unknown(node, "is a Dot without its axes", definable=False)
    layer = MergeLayer(cls, keras_name(reader, cls, given.get("name")), reader.line_of(node), given)
    layer.frozen = given.get("trainable") is False
    return layer


def merge_function(
    reader: Reader, function: str, args: list[object], kwargs: dict[str, object], node: ast.Call
) -> object:
    """``layers.concatenate([x, y], axis=1)``: the layer made and called at once."""
    cls = MERGE_FUNCTIONS[function]
    inputs = args[0] if args else kwargs.pop("inputs", None)
    rest = {**dict(zip(MERGES[cls][1], args[1:], strict=False)), **kwargs}
    kwargs.pop("inputs", None)
    layer = make_merge(reader, cls, [], rest, node)
    if isinstance(layer, Unknown):
        return layer
    return layer.called(reader, [inputs], {}, node)


def _keras_list(shapes: list[Shape]) -> str:
    return "[" + ", ".join(repr(tuple(shape)) for shape in shapes) + "]"


def merged_shape(cls: str, shapes: list[Shape], options: dict[str, object]) -> Shape:
    """The shape a merge layer gives for its inputs' shapes; MergeError in Keras' words."""
    if cls == "Concatenate":
        return _concatenated(shapes, options.get("axis", -1))
    if cls == "Dot":
        return _dot(shapes, options["axes"])
    if cls == "Subtract" and len(shapes) != 2:
        raise MergeError(
            "A `Subtract` layer should be called on exactly 2 inputs. "
            f"Received: input_shape={_keras_list(shapes)}"
        )
    batches = {shape[0] for shape in shapes} - {None}
    if len(batches) > 1:
        raise MergeError(
            "Cannot merge tensors with different batch sizes. "
            f"Received tensors with shapes {_keras_list(shapes)}"
        )
    out = tuple(shapes[0][1:])
    for shape in shapes[1:]:
        out = _elementwise(out, tuple(shape[1:]))
    return (batches.pop() if batches else None, *out)


def _elementwise(one: Shape, two: Shape) -> Shape:
    """base_merge.py _compute_elemwise_op_output_shape."""
    if len(one) < len(two):
        return _elementwise(two, one)
    if not two:
        return one
    out = list(one[: len(one) - len(two)])
    for i, j in zip(one[len(one) - len(two) :], two, strict=True):
        if i is None or j is None:
            out.append(None)
        elif i == 1 or j == 1:
            out.append(j if i == 1 else i)
        elif i != j:
            raise MergeError(f"Inputs have incompatible shapes. Received shapes {one} and {two}")
        else:
            out.append(i)
    return tuple(out)


def _concatenated(shapes: list[Shape], axis: object) -> Shape:
    """concatenate.py: every axis but the joined one must match (Keras means to let size-1
    axes pass, but its loop looks at the shapes, not their axes, so none does)."""
    if not isinstance(axis, int) or isinstance(axis, bool):
        raise MergeError(f"axis={axis!r} is not an axis")
    error = MergeError(
        "A `Concatenate` layer requires inputs with matching shapes except for the "
        f"concatenation axis. Received: input_shape={_keras_list(shapes)}"
    )
    reduced: set[tuple[int | None, ...]] = set()
    for shape in shapes:
        sizes = list(shape)
        if not -len(sizes) <= axis < len(sizes):
            raise MergeError(f"axis {axis} is out of bounds for a tensor of rank {len(sizes)}")
        if len(sizes) > axis:
            del sizes[axis]
        reduced.add(tuple(sizes))
    if len(reduced) != 1:
        if len({len(shape) for shape in reduced}) != 1:
            raise error
        rank = len(next(iter(reduced)))
        for index in range(rank):
            if len({shape[index] for shape in reduced} - {None}) > 1:
                raise error
    out = list(shapes[0])
    for shape in shapes[1:]:
        if out[axis] is None or shape[axis] is None:
            out[axis] = None
            break
        out[axis] += shape[axis]  # type: ignore[operator]
    return tuple(out)


def _dot(shapes: list[Shape], axes: object) -> Shape:
    """dot.py: the two axes must have one size; they are summed over."""
    if len(shapes) != 2:
        raise MergeError(
            f"A `Dot` layer should be called on a list of 2 inputs. Received: "
            f"input_shape={_keras_list(shapes)}"
        )
    one, two = list(shapes[0]), list(shapes[1])
    if isinstance(axes, int) and not isinstance(axes, bool):
        pair = [axes % len(one), axes % len(two)] if axes < 0 else [axes, axes]
    elif (
        isinstance(axes, list | tuple)
        and len(axes) == 2
        and all(isinstance(a, int) and not isinstance(a, bool) for a in axes)
    ):
        pair = [int(a) for a in axes]  # as given: a negative axis counts from the end
    else:
        raise MergeError(f"axes={axes!r} is not an axis or a pair of axes")
    if not (-len(one) <= pair[0] < len(one) and -len(two) <= pair[1] < len(two)):
        raise MergeError(f"axes={axes!r} is out of bounds for {_keras_list(shapes)}")
    if one[pair[0]] != two[pair[1]]:
        raise MergeError(
            f"Incompatible input shapes: axis values {one[pair[0]]} (at axis {pair[0]}) != "
            f"{two[pair[1]]} (at axis {pair[1]}). Full input shapes: {tuple(one)}, {tuple(two)}"
        )
    one.pop(pair[0])
    two.pop(pair[1])
    two.pop(0)
    out = one + two
    return tuple([*out, 1] if len(out) == 1 else out)


__all__ = ["MERGES", "MERGE_FUNCTIONS", "MergeLayer", "make_merge", "merge_function"]
