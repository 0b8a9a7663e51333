"""The storage map: which slice of which stored tensor holds each gate, for one layer as a
framework stores it (standard library only).

The frameworks pack a layer's gates into a few tensors (Keras ``kernel`` (i, 4h), PyTorch
``weight_ih_l0`` (4h, i), ONNX ``W`` [directions, 4h, i] ...). Each framework's record in
:mod:`~sphinxcontrib_lstmparams.frameworks` says how (``store``); this module fills in the
sizes of every layer of a spec and cuts each stored tensor into its regions: one gate, one kind
of parameter, one direction. The regions multiply out to exactly the tensors of the
:class:`~sphinxcontrib_lstmparams.counting.Breakdown`, which the tests check for every framework;
the gate orders, names and shapes are checked against layers built in the real frameworks
(``tests/data/gate_orders.json``).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .counting import Breakdown
from .diagram import cell_width
from .frameworks import FRAMEWORKS, CellLayout, Framework, Stored
from .kinds.recurrent import direction_label, gate_biases, gate_label, layer_input_dims
from .spec import DIRECTIONS, Direction, Gate, Gettext, LayerSpec, TensorKind
from .table import Column, Row, Table

# One axis of a region: None is the whole axis, an int one index, a pair a range (end excluded).
Index = int | tuple[int, int] | None


@dataclass(frozen=True)
class Placed:
    """A stored tensor of one layer, and the directions it holds."""

    layer: int  # 1-based
    directions: tuple[Direction, ...]
    tensor: Stored


@dataclass(frozen=True)
class Region:
    """The part of a stored tensor that holds one kind of parameter of one gate, in one
    direction: ``index`` has one entry per axis of the tensor."""

    layer: int
    direction: Direction
    gate: Gate
    kind: TensorKind
    index: tuple[Index, ...]
    shape: tuple[int, ...]

    @property
    def count(self) -> int:
        return math.prod(self.shape)

    @property
    def whole(self) -> bool:
        return all(axis is None for axis in self.index)


def layouts(spec: LayerSpec) -> Iterator[CellLayout]:
    """What the framework needs to store each layer: one layout per layer and direction, or
    per layer when it keeps both directions in one tensor."""
    record = FRAMEWORKS[spec.framework]
    directions = DIRECTIONS[: spec.directions]
    groups = [directions] if record.packs_directions else [(d,) for d in directions]
    biases = dict(gate_biases(spec, record))
    for layer, inputs in enumerate(layer_input_dims(spec), start=1):
        for group in groups:
            yield CellLayout(
                cell=spec.cell,
                layer=layer,
                directions=group,
                inputs=inputs,
                units=spec.units,
                recurrent=spec.proj_size or spec.units,
                projection=spec.proj_size,
                gates=record.gate_order[spec.cell],
                biases=biases,
                peepholes=spec.peepholes,
            )


def stored_tensors(spec: LayerSpec) -> tuple[Placed, ...]:
    """Every tensor the framework stores for ``spec``, layer by layer, in its own order."""
    record = FRAMEWORKS[spec.framework]
    return tuple(
        Placed(layout.layer, layout.directions, tensor)
        for layout in layouts(spec)
        for tensor in record.store(layout)
    )


def regions(placed: Placed) -> tuple[Region, ...]:
    """``placed`` cut into gates, kinds and directions, in storage order."""
    tensor = placed.tensor
    rank = len(tensor.shape)
    found = []
    for number, direction in enumerate(placed.directions):
        for block, gate in enumerate(tensor.gates):
            start = 0
            for kind, extent in tensor.kinds:
                index: list[Index] = [None] * rank
                shape = list(tensor.shape)
                if tensor.direction_axis is not None:
                    index[tensor.direction_axis] = number
                    shape[tensor.direction_axis] = 1
                if tensor.kind_axis is not None:
                    index[tensor.kind_axis] = (start, start + extent)
                    shape[tensor.kind_axis] = extent
                    start += extent
                if tensor.gate_axis is not None:
                    width = tensor.shape[tensor.gate_axis] // len(tensor.gates)
                    span = (block * width, (block + 1) * width)
                    if tensor.kind_axis == tensor.gate_axis:  # ONNX B: [Wb | Rb] on one axis
                        kind_span = index[tensor.kind_axis]
                        assert isinstance(kind_span, tuple)
                        if not (kind_span[0] <= span[0] and span[1] <= kind_span[1]):
                            continue
                    index[tensor.gate_axis] = span
                    shape[tensor.gate_axis] = width
                found.append(
                    Region(placed.layer, direction, gate, kind, tuple(index), tuple(shape))
                )
    return tuple(found)


def slice_text(region: Region) -> str:
    """NumPy's notation for the region: ``[:, 0:256]``; a single axis ``[0:256]``."""
    axes = []
    for axis in region.index:
        if axis is None:
            axes.append(":")
        elif isinstance(axis, int):
            axes.append(str(axis))
        else:
            axes.append(f"{axis[0]}:{axis[1]}")
    return f"[{', '.join(axes)}]"


def kind_label(kind: TensorKind, _: Gettext) -> str:
    labels: dict[TensorKind, str] = {
        "input_weights": _("Input weights W"),
        "recurrent_weights": _("Recurrent weights U"),
        "bias": _("Bias"),
        "input_bias": _("Input bias"),
        "recurrent_bias": _("Recurrent bias"),
        "peephole": _("Peepholes"),
        "projection": _("Projection"),
    }
    return labels[kind]


def gate_heading(record: Framework, spec: LayerSpec, gate: Gate, _: Gettext) -> str:
    """'input gate (i)': our word and the framework's own letter."""
    order = record.gate_order[spec.cell]
    if gate not in order:
        return gate_label(gate, _)
    return f"{gate_label(gate, _)} ({record.gate_letters[spec.cell][order.index(gate)]})"


def shape_text(shape: tuple[int, ...]) -> str:
    """As Python prints a shape: ``(4096, 1024)``, ``(1024,)``."""
    return f"({shape[0]},)" if len(shape) == 1 else f"({', '.join(map(str, shape))})"


@dataclass(frozen=True)
class MapRow:
    """One row of the storage map: a stored tensor's part that holds one kind of parameter
    for one direction, and each gate's slice of it."""

    layer: int
    direction: Direction
    tensor: Stored
    kind: TensorKind
    regions: tuple[Region, ...]


def map_rows(spec: LayerSpec) -> list[MapRow]:
    """The storage map's rows, in the framework's order."""
    rows = []
    for placed in stored_tensors(spec):
        grouped: dict[tuple[Direction, TensorKind], list[Region]] = {}
        for region in regions(placed):
            grouped.setdefault((region.direction, region.kind), []).append(region)
        for (direction, kind), parts in grouped.items():
            rows.append(MapRow(placed.layer, direction, placed.tensor, kind, tuple(parts)))
    return rows


def storage_table(breakdown: Breakdown[Any], _: Gettext) -> Table:
    """Per row: [layer and direction,] the tensor (its name, its shape, what it holds) and
    each gate's slice of it, a line per gate in the framework's order. Slices are indices,
    so their numbers are never grouped."""
    spec: LayerSpec = breakdown.spec
    record = FRAMEWORKS[spec.framework]
    several = spec.layers > 1 or spec.bidirectional
    columns = [Column(_("Layer"), numeric=False)] if several else []
    columns += [Column(_("Tensor"), numeric=False), Column(_("Gates, in storage order"), False)]
    rows = []
    for row in map_rows(spec):
        cells: list[str | None] = []
        if several:
            where = str(row.layer)
            if spec.bidirectional:
                where = f"{where} {direction_label(row.direction, _)}"
            cells.append(where)
        tensor = "\n".join((row.tensor.name, shape_text(row.tensor.shape), kind_label(row.kind, _)))
        slices = "\n".join(
            f"{gate_heading(record, spec, part.gate, _)}: "
            + (_("whole tensor") if part.whole else slice_text(part))
            for part in row.regions
        )
        rows.append(Row((*cells, tensor, slices)))
    return Table(tuple(columns), tuple(rows))


def storage_listing(breakdown: Breakdown[Any], _: Gettext) -> str:
    """The storage map as plain text, for the builders without tables that can hold lines
    (text, man, texinfo): each tensor, then a line per gate with its slice."""
    spec: LayerSpec = breakdown.spec
    record = FRAMEWORKS[spec.framework]
    rows = map_rows(spec)
    several = spec.layers > 1 or spec.bidirectional
    indent = "    " if several else ""
    lines: list[str] = []
    heading = None
    for row in rows:
        if several:
            where = _("Layer {layer}").format(layer=row.layer)
            if spec.bidirectional:
                where = _("Layer {layer}, {direction}").format(
                    layer=row.layer, direction=direction_label(row.direction, _)
                )
            if where != heading:
                lines.append(f"{where}:")
                heading = where
        lines.append(
            f"{indent}{row.tensor.name} {shape_text(row.tensor.shape)}, {kind_label(row.kind, _)}"
        )
        headings = [gate_heading(record, spec, part.gate, _) for part in row.regions]
        room = max(cell_width(text) for text in headings) + 3
        for text, part in zip(headings, row.regions, strict=True):
            where = _("whole tensor") if part.whole else slice_text(part)
            lines.append(f"{indent}    {text}{' ' * (room - cell_width(text))}{where}")
    return "\n".join(lines) + "\n"


def storage_notes(breakdown: Breakdown[Any], _: Gettext) -> list[str]:
    """How to read the map: the names as printed, the notation, the direction axis."""
    spec: LayerSpec = breakdown.spec
    record = FRAMEWORKS[spec.framework]
    placed = stored_tensors(spec)
    first = placed[0].tensor.name
    notes = []
    printed = record.printed_name(spec.cell, first, "forward", spec.bidirectional)
    if printed != first:
        notes.append(
            _(
                "{framework} prints each name after the path of its layer: in a layer built on "
                "its own, with default names, {name} is {printed}."
            ).format(framework=record.title, name=first, printed=printed)
        )
    example = next(
        (r for p in placed for r in regions(p) if not r.whole and r.kind != "projection"), None
    )
    if example is not None:
        name = next(p.tensor.name for p in placed if example in regions(p))
        notes.append(
            _(
                "Slices are in NumPy notation, the end excluded: {name}{slice} is the "
                "{gate}'s part of {name}."
            ).format(name=name, slice=slice_text(example), gate=gate_label(example.gate, _))
        )
    axes = {p.tensor.direction_axis for p in placed if p.tensor.direction_axis is not None}
    if axes:
        notes.append(
            _(
                "{framework} keeps every direction of a layer in one tensor: axis {axis} is "
                "the direction, {forward} first."
            ).format(framework=record.title, axis=min(axes), forward=direction_label("forward", _))
        )
    return notes
