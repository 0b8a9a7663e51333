"""A Keras ``Sequential`` the code reader built -> the chain of layers its summary lists
(standard library only)."""

from __future__ import annotations

from dataclasses import replace

from ...spec import OptionError, Refused, Shape
from ..chain import Chain, ChainItem, InputItem, LayerItem, NestedItem, summarize_chain
from ..code.layers import LayerObject
from ..code.reader import Reader
from ..code.values import Unknown, shown
from ..summary import Row
from .functional import FunctionalModel
from .idioms import keras3_notes
from .library import BadInput, KerasInput, SequentialObject


def layer_item(obj: LayerObject, reader: Reader, framework: str | None) -> LayerItem:
    """A layer the cell made, as a row of a chain: read, or why not."""
    try:
        layer = obj.layer(framework)  # type: ignore[arg-type]
    except OptionError as error:
        found = obj.stand_in(framework)  # type: ignore[arg-type]
        stand_in, exact = found if found is not None else (None, True)
        shown_cls = stand_in.wrappers[0] if stand_in is not None and stand_in.wrappers else obj.cls
        name = obj.name or shown_cls
        if stand_in is not None and stand_in.framework != "keras":
            name = shown_cls
        return LayerItem(obj.line, obj.source, shown_cls, name, problem=str(error),
                         refused=isinstance(error, Refused),
                         stand_in=stand_in, stand_in_exact=exact)  # fmt: skip
    shown_cls = layer.wrappers[0] if layer.wrappers else layer.cls
    name = obj.name if layer.framework == "keras" and obj.name else shown_cls
    return LayerItem(obj.line, obj.source, shown_cls, name, layer)


def not_a_layer(line: int, value: object, reader: Reader, where: str) -> LayerItem:
    """A row for something added to a model that is not a layer the reader made."""
    if isinstance(value, Unknown):
        return LayerItem(line, value.expression, "?", "?", problem=reader.explain(value))
    problem = f"{where}: {shown(value)} is not a layer"
    return LayerItem(line, shown(value), "?", "?", problem=problem)


def keras2_notes(items: list[ChainItem], objects: list[LayerObject]) -> list[tuple[int, str]]:
    """Where Keras 3 would not read a Keras 2 idiom as the cell means it, at each layer."""
    notes = []
    for item, obj in zip(items, objects, strict=True):
        if isinstance(item, LayerItem) and item.layer is not None:
            notes += [(obj.line, text) for text in keras3_notes(item.layer, obj.keywords)]
    return notes


def nested_item(line: int, model: SequentialObject | FunctionalModel, reader: Reader) -> NestedItem:
    """A model added to a Sequential: one row, with its own summary; its output shape is
    what it gives for the input it is fed (a Sequential without an input is built for it)."""

    def row_for(shape: Shape | None) -> Row:
        if isinstance(model, FunctionalModel):
            out = model.outputs[0][1].shape if model.outputs else None
            return replace(model.row(), line=line, output_shape=out)
        chain = sequential_chain(model, reader)
        if not model.has_input() and chain.input_shape is None and shape is not None:
            chain = replace(chain, input_shape=shape)
        summary = summarize_chain(chain)
        return Row(line, "Sequential", model.name, model.cls, summary.output_shape,
                   nested=summary, frozen=model.frozen)  # fmt: skip

    own: Shape | None = None
    if isinstance(model, FunctionalModel) and model.inputs:
        own = model.inputs[0].shape
    elif isinstance(model, SequentialObject):
        own = sequential_chain(model, reader).input_shape or next(
            (v.shape for _l, v in model.items[:1] if isinstance(v, KerasInput)), None
        )
    return NestedItem(line, row_for, own)


def sequential_chain(model: SequentialObject, reader: Reader) -> Chain:
    """The layers of ``model`` in order, with what feeds it."""
    items: list[ChainItem] = []
    problems = list(model.problems)
    made: list[tuple[ChainItem, LayerObject]] = []
    for line, value in model.items:
        if isinstance(value, BadInput):
            problems.append((line, value.problem))
            items.append(InputItem(line, value.partial, exact=False))
        elif isinstance(value, KerasInput):
            items.append(InputItem(line, value.shape, value.dtype))
        elif isinstance(value, LayerObject):
            items.append(layer_item(value, reader, "keras"))
            made.append((items[-1], value))
        elif isinstance(value, SequentialObject | FunctionalModel):
            items.append(nested_item(line, value, reader))
        else:
            items.append(not_a_layer(line, value, reader, "model.add"))
    notes = keras2_notes([item for item, _ in made], [obj for _, obj in made])
    return Chain(
        "keras",
        tuple(items),
        model.name,
        model.build_shape,
        model.call,
        tuple(problems),
        tuple(notes),
    )
