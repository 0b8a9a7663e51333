"""The sentences around the numbers, the same in every output (standard library only).

Each function takes the gettext callable of its caller: Sphinx's catalog in a build, the
identity on the command line.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .counting import Breakdown
from .kinds import kind_of
from .numbers import NumberStyle
from .spec import DTYPE_BYTES, Gettext


def description(breakdown: Breakdown[Any], _: Gettext, numbers: NumberStyle) -> str:
    """'Keras LSTM, 256 units, 4,096 input features' (and layers, directions ...)."""
    kind = kind_of(breakdown.spec)
    phrases = [kind.title(breakdown.spec, _), *kind.describe(breakdown.spec, _, numbers)]
    return _(", ").join(phrases)


def answer(breakdown: Breakdown[Any], _: Gettext, numbers: NumberStyle) -> tuple[str, str, str]:
    """The one-line answer as (text before the total, the total, text after it)."""
    layer = description(breakdown, _, numbers)
    trainable = breakdown.trainable_total
    if trainable == breakdown.total:
        sentence = _("{layer} has {total} trainable parameters.").format(layer=layer, total="\0")
    else:  # statistics a framework stores with the weights (BatchNormalization's)
        sentence = _("{layer} has {total} parameters, {trainable} of them trainable.").format(
            layer=layer, total="\0", trainable=numbers.count(trainable)
        )
    before, _sep, after = sentence.partition("\0")
    return before, numbers.count(breakdown.total), after


def caption(breakdown: Breakdown[Any], _: Gettext, numbers: NumberStyle) -> str:
    return _("Parameters of a {layer}").format(layer=description(breakdown, _, numbers))


def diagram_caption(breakdown: Breakdown[Any], _: Gettext, numbers: NumberStyle) -> str:
    return _("Cell diagram: {layer}").format(layer=description(breakdown, _, numbers))


def storage_caption(breakdown: Breakdown[Any], _: Gettext, numbers: NumberStyle) -> str:
    return _("Storage map: {layer}").format(layer=description(breakdown, _, numbers))


@dataclass(frozen=True)
class Letter:
    """A formula's letter inside a sentence: set as math where the output can."""

    name: str


def where(breakdown: Breakdown[Any], _: Gettext, numbers: NumberStyle) -> list[str | Letter]:
    """What the formula's letters stand for, as text and letters: 'where i = 4,096 input
    features, h = 256 units.'"""
    symbols = kind_of(breakdown.spec).symbols(breakdown.spec, _)
    if not symbols:
        return []  # a formula without letters (a layer without weights)
    pieces: list[str | Letter] = []
    before, _sep, after = _("where {symbols}.").partition("{symbols}")
    pieces.append(before)
    for index, symbol in enumerate(symbols):
        if index:
            pieces.append(_(", "))
        head, _sep, tail = symbol.label.partition("{symbol}")
        pieces += [head, Letter(symbol.name), tail.format(value=numbers.count(symbol.value))]
    pieces.append(after)
    return [piece for piece in pieces if piece]


def plain(pieces: list[str | Letter]) -> str:
    """Text and letters as one plain string."""
    return "".join(piece.name if isinstance(piece, Letter) else piece for piece in pieces)


def notes(breakdown: Breakdown[Any], _: Gettext, numbers: NumberStyle) -> list[str]:
    """Timesteps, memory and multiply-accumulates, then the layer kind's own catches."""
    spec = breakdown.spec
    items = []
    if spec.timesteps is not None:
        items.append(
            _(
                "Timesteps ({steps}) do not change the count: the same weights are used at "
                "every step."
            ).format(steps=numbers.count(spec.timesteps))
        )
    items.append(
        _("Memory: {size} at {dtype} ({bytes} bytes per parameter).").format(
            size=numbers.bytes(breakdown.bytes, _), dtype=spec.dtype, bytes=DTYPE_BYTES[spec.dtype]
        )
    )
    step, sequence = breakdown.macs_per_step, breakdown.macs_per_sequence
    if step is not None and sequence is None:
        items.append(
            _("Multiply-accumulates: {step} per timestep.").format(step=numbers.count(step))
        )
    elif step is not None and sequence is not None:
        items.append(
            _(
                "Multiply-accumulates: {step} per timestep; {seq} per sequence of {steps} steps."
            ).format(
                step=numbers.count(step),
                seq=numbers.count(sequence),
                steps=numbers.count(spec.timesteps or 0),
            )
        )
    kind = kind_of(spec)
    return items + kind.notes(spec, breakdown.tensors, _, numbers)
