"""A Keras ``Sequential`` the code reader built -> the chain of layers its summary lists
(standard library only)."""

from __future__ import annotations

from ...spec import OptionError, Refused
from ..chain import Chain, ChainItem, InputItem, LayerItem
from ..code.layers import LayerObject
from ..code.reader import Reader
from ..code.values import Unknown, shown
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


def sequential_chain(model: SequentialObject, reader: Reader) -> Chain:
    """The layers of ``model`` in order, with what feeds it."""
    items: list[ChainItem] = []
    problems = list(model.problems)
    made: list[tuple[ChainItem, LayerObject]] = []
    for line, value in model.items:
        if isinstance(value, KerasInput):
            items.append(InputItem(line, value.shape, value.dtype))
        elif isinstance(value, BadInput):
            problems.append((line, value.problem))
            items.append(InputItem(line, value.partial, exact=False))
        elif isinstance(value, LayerObject):
            items.append(layer_item(value, reader, "keras"))
            made.append((items[-1], value))
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
