"""A layer of the cell called on Keras tensors (standard library only): a node of the graph,
its output tensors with their shapes, and, on its first call, its count (Keras builds a
layer when it is first called, for the input it is given).

A layer is counted as a chain counts it (:func:`~..chain.layer_call`: its kind, fed the
shape of the tensor it is called on). What a chain cannot pass on is followed here: the
several tensors a layer returns (``return_state=True``, ``Bidirectional(...,
merge_mode=None)``), the call's other tensors (``initial_state=[h, c]``, ``mask=``), the mask
Keras passes along, and a later call of the same layer, which Keras refuses when the input
is not the width the layer was built for.
"""

from __future__ import annotations

import ast
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ...constructors import Layer
from ...counting import count, parse_spec
from ...kinds import KINDS, LayerKind
from ...spec import OptionError, Shape
from ..chain import LayerItem, layer_call
from ..code.layers import LayerObject, keras_name
from ..code.values import Unknown, shown
from ..summary import Row
from .graph import (
    KerasTensor,
    Node,
    Operation,
    call_node,
    call_tensors,
    first_unknown,
    shape_text,
)
from .idioms import keras3_notes
from .masks import CONVERTS_MASK, PASSES_MASK, TAKES_MASK, output_masks
from .sequential import layer_item

if TYPE_CHECKING:
    from ..code.reader import Reader

# the recurrent cells whose states return_state gives, and how many each has
STATES = {"lstm": 2, "gru": 1, "rnn": 1}
# the layers whose input spec, once built, holds the width of their input's last axis, which
# Keras checks on every later call (keras/src/layers: core/dense.py, convolutional/base_conv.py,
# normalization/batch_normalization.py, group_normalization.py, activations/prelu.py build);
# a recurrent layer checks only the rank, so it takes another width without a word
WIDTH_CHECKED = frozenset(
    {
        "Dense", "Conv1D", "Conv2D", "Conv3D", "Conv1DTranspose", "Conv2DTranspose",
        "Conv3DTranspose", "SeparableConv1D", "SeparableConv2D", "DepthwiseConv1D",
        "DepthwiseConv2D", "BatchNormalization", "GroupNormalization", "PReLU",
    }
)  # fmt: skip
# the layers called on several tensors by name, in their call's order (keras/src/layers/
# attention/multi_head_attention.py call); the others that read several take a list
CALL_ARGUMENTS = {"MultiHeadAttention": ("query", "value", "key")}
# the keyword of a layer's main input, where the call names it
_MAIN_KEYWORDS = ("inputs", "sequences", "x")


class LayerOperation(Operation):
    """A layer the cell made (a :class:`~..code.layers.LayerObject`), as the graph holds it:
    built by its first call, whose row (its count, or why it has none) it keeps."""

    def __init__(self, obj: LayerObject, item: LayerItem) -> None:
        super().__init__(item.name, item.cls, obj.line)
        self.obj = obj
        self.item = item
        self.built: Row | None = None
        self.fed: Shape | None = None  # the input it was built for
        self.partial: Shape | None = None  # what is known of its last output, if not all

    def replay(self, node: Node, shapes: list[Shape | None]) -> list[Shape | None] | None:
        return replayed(self, shapes[:1])

    def row(self) -> Row:
        if self.built is not None:
            return self.built
        return Row(self.line, self.cls, self.name, self.item.source, problem=self.item.problem)


def _operations(reader: Reader) -> dict[int, LayerOperation]:
    found = reader.session.setdefault("keras graph layers", {})
    assert isinstance(found, dict)
    return found


def layer_operation(reader: Reader, obj: LayerObject) -> LayerOperation:
    """The graph's operation for a layer of the cell: one per layer, however often called."""
    operations = _operations(reader)
    if id(obj) not in operations:
        item = layer_item(obj, reader, "keras")
        operations[id(obj)] = LayerOperation(obj, item)
        if item.layer is not None:  # read as Keras 2 read it, as in a Sequential
            for text in keras3_notes(item.layer, obj.keywords, called=True):
                reader.note(obj.line, text)
    return operations[id(obj)]


def _main_input(args: list[object], kwargs: dict[str, object]) -> object:
    if args:
        return args[0]
    return next((kwargs[k] for k in _MAIN_KEYWORDS if k in kwargs), None)


def call_layer(
    reader: Reader, obj: LayerObject, args: list[object], kwargs: dict[str, object], node: ast.Call
) -> object | None:
    """``layer(x, ...)`` where ``x`` is a Keras tensor: the tensor (or list of tensors) it
    returns; None when no Keras tensor is given (not a call the graph follows)."""
    unknown = first_unknown([args, kwargs])
    tensors = call_tensors(args, kwargs)
    if unknown is not None:
        return unknown
    if not tensors:
        return not_a_tensor_call(reader, node, args[0] if args else None)
    operation = layer_operation(reader, obj)
    main = _main_input(args, kwargs)
    line = reader.line_of(node)
    several = _several_inputs(operation, args, kwargs)
    if several is not None:
        return _call_several(reader, operation, several, tensors, kwargs, line)
    if not isinstance(main, KerasTensor):
        return not_a_tensor_call(reader, node, main)
    tensor_arguments = sum(1 for value in [*args, *kwargs.values()] if call_tensors([value], {}))
    mask = main.mask
    inputs = list(tensors)
    if (
        operation.cls in TAKES_MASK
        and "mask" not in kwargs
        and mask is not None
        and tensor_arguments == 1
    ):
        inputs = call_tensors(args, {**kwargs, "mask": mask})
    elif "mask" in kwargs and kwargs["mask"] is not None:
        mask = None  # an explicit mask is the call's; the output's comes from the layer
    row, outputs, refused = _called(operation, main, line)
    problem = None
    if operation.built is None:
        operation.built, operation.fed = row, main.shape
    else:
        problem = _refit(operation, main)
        refused = refused and problem is None  # a refusal said by the row, on its first call
        if refused and row.problem:  # a later call Keras refuses: said at its line
            problem = row.problem
    made = call_node(operation, inputs, line, problem)
    made.refused = refused
    made_outputs = made.add_outputs(outputs, "float32")
    if len(made_outputs) == 1 and made_outputs[0].shape is None:
        made_outputs[0].partial = operation.partial
    layer = operation.item.layer or operation.item.stand_in
    sequences = layer is not None and bool(layer.call.get("return_sequences"))
    apart = layer is not None and _apart(layer)
    carried = output_masks(operation.cls, sequences, len(made_outputs), apart)
    for tensor, carries in zip(made_outputs, carried, strict=True):
        tensor.mask = main.mask if carries else None
    if row.breakdown is not None and row.breakdown.spec.cell == "embedding":
        _embedding_mask(reader, operation, main, made_outputs[0], line)
    if len(made_outputs) == 1 and not _several(layer):
        return made_outputs[0]
    return list(made_outputs)


def _several_inputs(
    operation: LayerOperation, args: list[object], kwargs: dict[str, object]
) -> list[KerasTensor] | None:
    """The tensors a layer that reads several is called on, in its call's order
    (MultiHeadAttention(query, value, key); Attention([query, value, key])); None for a
    layer called on one tensor."""
    names = CALL_ARGUMENTS.get(operation.item.layer.cls if operation.item.layer else "")
    if names is not None:
        given = dict(zip(names, args, strict=False)) | {k: kwargs[k] for k in names if k in kwargs}
        found = [given[name] for name in names if given.get(name) is not None]
    else:
        main = _main_input(args, kwargs)
        if not isinstance(main, list | tuple):
            return None
        found = list(main)
    tensors = [t for t in found if isinstance(t, KerasTensor)]
    return tensors if tensors and len(tensors) == len(found) else None


def _call_several(
    reader: Reader,
    operation: LayerOperation,
    inputs: list[KerasTensor],
    tensors: list[KerasTensor],
    kwargs: dict[str, object],
    line: int,
) -> object:
    """A layer called on several tensors: counted by its kind from all their shapes (the
    kind's options_from_inputs and output_from_inputs); its attention scores too, when the
    call asks for them."""
    scores = kwargs.get("return_attention_scores") is True
    row = operation.row()
    outputs: list[Shape | None] = [None, None] if scores else [None]
    layer = operation.item.layer
    if layer is not None and all(t.shape is not None for t in inputs):
        shapes = [t.shape for t in inputs if t.shape is not None]
        row, outputs = _several_rows(operation, layer, shapes, scores)
    elif any(t.refused_at is not None for t in inputs):
        row = replace(row, after_refusal=True)
    elif layer is not None:
        row = replace(row, problem=f"{layer.source}: the shapes of its inputs are not known")
    if operation.built is None:
        operation.built = row
    made = call_node(operation, tensors, line)
    made_outputs = made.add_outputs(outputs, "float32")
    query = inputs[0]
    if query.mask is not None and layer is not None and layer.cls in CONVERTS_MASK:
        converted = _mask_operation(reader, "ConvertToTensor", query.mask, line)
        made_outputs[0].mask = converted
    elif layer is not None and layer.cls in PASSES_MASK:
        made_outputs[0].mask = query.mask
    return list(made_outputs) if scores else made_outputs[0]


def _several_rows(
    operation: LayerOperation, layer: Layer, shapes: list[Shape], scores: bool
) -> tuple[Row, list[Shape | None]]:
    item = operation.item
    row = Row(item.line, item.cls, item.name, item.source)
    cell = str(layer.options.get("cell"))
    kind: LayerKind[Any] = KINDS[cell]
    names = CALL_ARGUMENTS.get(layer.cls)
    if names is not None and len(shapes) < 2:  # Keras: call() missing its value
        return replace(
            row,
            problem=f"{layer.source} is called on a query alone; it takes {names[0]} and "
            f"{names[1]} (and {names[2]})",
        ), [None] * (1 + scores)
    if layer.cls in CONVERTS_MASK and not 2 <= len(shapes) <= 3:  # attention.py
        problem = (
            f"{layer.source} is called on a list of {len(shapes)}; {layer.cls} takes [query, "
            "value] or [query, value, key]"
        )
        return replace(row, problem=problem), [None] * (1 + scores)
    try:
        options = {**layer.options, "framework": layer.framework}
        options.update(kind.options_from_inputs(cell, shapes, layer.call, layer.framework))
        breakdown = count(parse_spec(options))
        out = kind.output_from_inputs(breakdown.spec, shapes, layer.call)
    except OptionError as error:
        return replace(row, problem=f"{layer.source}: {error}"), [None] * (1 + scores)
    frozen = layer.call.get("trainable") is False
    row = replace(row, breakdown=breakdown, frozen=frozen)
    if not scores:
        return row, [out]
    query, value = shapes[0], shapes[1]
    heads = getattr(breakdown.spec, "heads", 1)
    grid = (query[0], *query[1:-1], *value[1:-1])
    weights = (grid[0], heads, *grid[1:]) if cell == "multi_head_attention" else grid
    return row, [out, weights]


def _mask_operation(reader: Reader, cls: str, fed: KerasTensor, line: int) -> KerasTensor:
    """An operation Keras makes of a mask (the NotEqual of Embedding(mask_zero=True), the
    ConvertToTensor of an attention layer's query mask): a row of the graph, fed ``fed``."""
    from .operators import TensorOperation

    made = TensorOperation(keras_name(reader, cls, None), cls, line)
    node = call_node(made, [fed], line)
    (mask,) = node.add_outputs([fed.shape], "bool")
    return mask


def _called(
    operation: LayerOperation, main: KerasTensor, line: int
) -> tuple[Row, list[Shape | None], bool]:
    """The layer's row for a call on ``main``, the shapes of what it returns, and whether
    Keras refuses the call."""
    item = operation.item
    layer = item.layer or item.stand_in
    count = _output_count(layer)
    if main.shape is None and main.refused_at is not None:  # Keras stopped before it
        row = Row(operation.line, item.cls, item.name, item.source, problem=item.problem)
        return replace(row, after_refusal=True), [None] * count, False
    called = layer_call(_one_output(item), "keras", main.shape, main.dtype, main.partial)
    row = called.row
    if called.refused:
        return row, [None] * count, True
    if row.output_shape is None or layer is None:
        operation.partial = called.partial
        return row, [row.output_shape] + [None] * (count - 1), False
    return row, _output_shapes(layer, row.output_shape), False


def replayed(operation: LayerOperation, shapes: list[Shape | None]) -> list[Shape | None] | None:
    """What the layer gives for other input shapes (a nested model called on them), or None
    when it cannot say."""
    layer = operation.item.layer or operation.item.stand_in
    if layer is None or len(shapes) != 1 or shapes[0] is None:
        return None
    row = layer_call(_one_output(operation.item), "keras", shapes[0], "float32").row
    if row.output_shape is None:
        return None
    return _output_shapes(layer, row.output_shape)


def _several(layer: Layer | None) -> bool:
    return layer is not None and (layer.call.get("return_state") is True or _apart(layer))


def _apart(layer: Layer) -> bool:
    """Bidirectional(..., merge_mode=None): each direction's output apart."""
    return "merge_mode" in layer.call and layer.call["merge_mode"] is None


def _states(layer: Layer) -> int:
    if layer.call.get("return_state") is not True:
        return 0
    per_direction = STATES.get(str(layer.options.get("cell")), 1)
    return per_direction * (2 if layer.options.get("bidirectional") else 1)


def _output_count(layer: Layer | None) -> int:
    if layer is None:
        return 1
    return (2 if _apart(layer) else 1) + _states(layer)


def _one_output(item: LayerItem) -> LayerItem:
    """The layer as it would be with one output (what a chain counts and shapes)."""

    def single(layer: Layer | None) -> Layer | None:
        if layer is None:
            return None
        call = {k: v for k, v in layer.call.items() if k not in ("return_state", "merge_mode")}
        return replace(layer, call=call)

    return replace(item, layer=single(item.layer), stand_in=single(item.stand_in))


def _output_shapes(layer: Layer, merged: Shape) -> list[Shape | None]:
    """Every tensor the layer returns: its output (each direction's apart, with
    merge_mode=None), then its states, each (batch, units)."""
    units = layer.options.get("proj_size") or layer.options.get("units")
    outputs: list[Shape | None] = [merged]
    if _apart(layer):
        half = merged[-1] // 2 if isinstance(merged[-1], int) else None
        outputs = [(*merged[:-1], half), (*merged[:-1], half)]
    states = _states(layer)
    if states:
        state: Shape | None = (merged[0], units) if isinstance(units, int) else None
        if str(layer.options.get("cell")) == "lstm" and layer.options.get("proj_size"):
            state = None  # a projected LSTM's h and c differ; Keras has none
        outputs += [state] * states
    return outputs


def _refit(operation: LayerOperation, main: KerasTensor) -> str | None:
    """Keras' check when a built layer is called again: the input's last axis must be the
    width it was built for (keras/src/layers/input_spec.py assert_input_compatibility)."""
    fed, shape = operation.fed, main.shape
    layer = operation.item.layer
    if fed is None or shape is None or not fed or not shape or layer is None:
        return None
    if layer.wrappers or layer.cls not in WIDTH_CHECKED:
        return None
    if fed[-1] is not None and shape[-1] != fed[-1]:
        return (
            f"Input 0 with name 'None' of layer '{operation.name}' is incompatible with the "
            f"layer: expected axis -1 of input shape to have value {fed[-1]}, but received "
            f"input with shape {shape_text(shape)}"
        )
    return None


def _embedding_mask(
    reader: Reader, operation: LayerOperation, main: KerasTensor, output: KerasTensor, line: int
) -> None:
    """Embedding(mask_zero=True): Keras computes the mask as ``not_equal(inputs, 0)``, an
    operation of the graph fed the embedding's input (embedding.py compute_mask)."""
    if operation.obj.keywords.get("mask_zero") is not True:
        return
    output.mask = _mask_operation(reader, "NotEqual", main, line)


def not_a_tensor_call(reader: Reader, node: ast.Call, given: object) -> Unknown:
    return reader.unknown(
        node,
        f"calls a layer on {shown(given)}, which is not a Keras tensor (keras.Input(...) or "
        "what a layer returned)",
        definable=False,
    )


__all__ = ["LayerOperation", "call_layer", "layer_operation", "not_a_tensor_call"]
