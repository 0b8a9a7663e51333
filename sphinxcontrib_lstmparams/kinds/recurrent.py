"""LSTM, GRU and simple RNN layers, stacked and bidirectional, as each framework builds them.

What differs between frameworks (gate order, bias vectors, what they can build) is read from
their records in :mod:`sphinxcontrib_lstmparams.frameworks`; this module holds what a recurrent
layer is: a cell per direction per layer, each gate an input matrix, a recurrent matrix and its
biases.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import ClassVar, Protocol, get_args

from ..expression import (
    Add,
    Copies,
    Expr,
    Mul,
    Num,
    Square,
    Sym,
    Symbol,
    Where,
    Width,
    labelled,
)
from ..frameworks import FRAMEWORKS, Framework, check_keras_ndim, refuse
from ..numbers import NumberStyle
from ..options import MAX_LAYERS, parse_bool, parse_int, parse_literal, required
from ..signatures import Signature
from ..spec import (
    BIAS_KINDS,
    DIRECTIONS,
    Gate,
    Gettext,
    LayerSpec,
    MergeMode,
    RecurrentCell,
    Shape,
    Tensor,
    TensorKind,
)
from ..table import Cell, Column, Counts, Product, Row, Rows, Table
from .base import LayerKind
from .common import common_help, read_dtype, read_framework, read_timesteps
from .recurrent_constructors import SIGNATURES

CELLS: tuple[RecurrentCell, ...] = get_args(RecurrentCell)
MERGE_MODES: tuple[MergeMode, ...] = get_args(MergeMode)
PEEPHOLE_GATES: tuple[Gate, ...] = ("input", "forget", "output")
CELL_NAMES: dict[RecurrentCell, str] = {"lstm": "LSTM", "gru": "GRU", "rnn": "simple RNN"}


def gate_biases(spec: LayerSpec, record: Framework) -> list[tuple[Gate, tuple[TensorKind, ...]]]:
    """Each gate, in the framework's order, with its bias vectors."""
    return [
        (gate, record.biases(spec.cell, gate, bool(spec.reset_after)) if spec.bias else ())
        for gate in record.gate_order[spec.cell]
    ]


def layer_input_dims(spec: LayerSpec) -> tuple[int, ...]:
    """Features each stacked layer sees per timestep (per direction)."""
    per_direction = spec.proj_size or spec.units
    # Concatenated directions widen the next layer's input. Keras' sum/mul/ave keep the
    # width, and a TF1 bidirectional pair of MultiRNNCells is two independent stacks.
    record = FRAMEWORKS[spec.framework]
    widens = spec.merge_mode == "concat" and not record.independent_direction_stacks
    deeper = per_direction * (spec.directions if widens else 1)
    return (spec.input_dim,) + (deeper,) * (spec.layers - 1)


def _direction(spec: LayerSpec, inputs: Expr) -> Expr:
    """One layer in one direction, grouped as people write it by hand:
    gates x ((i + b) x h + h^2), plus peepholes and the projection."""
    record = FRAMEWORKS[spec.framework]
    h = Sym("h", spec.units)
    recurrent: Expr = Mul((Sym("p", spec.proj_size), h)) if spec.proj_size else Square(h)
    weights_in = labelled(inputs, kind="input_weights")
    weights_rec = labelled(recurrent, kind="recurrent_weights")
    layout = gate_biases(spec, record)
    kinds = {biases for _gate, biases in layout}
    extras: list[Expr] = []
    if len(kinds) == 1 and (biases := kinds.pop()):  # every gate alike: (i + b) x h + h^2
        bias_vectors = Copies(tuple(Where(kind=kind) for kind in biases), Num(1))
        gate_expr: Expr = Add((Mul((Add((weights_in, bias_vectors)), h)), weights_rec))
    else:  # no bias, or biases that differ per gate (Flax GRU): i x h + h^2, biases after
        gate_expr = Add((Mul((weights_in, h)), weights_rec))
        vectors = tuple(Where(gate=gate, kind=kind) for gate, kinds_ in layout for kind in kinds_)
        if vectors:
            extras.append(Copies(vectors, h))
    gates = Copies(tuple(Where(gate=gate) for gate, _biases in layout), gate_expr)
    if spec.peepholes:
        extras.append(Copies(tuple(Where(gate=g, kind="peephole") for g in PEEPHOLE_GATES), h))
    if spec.proj_size:
        extras.append(
            labelled(Mul((h, Sym("p", spec.proj_size))), gate="projection", kind="projection")
        )
    return Add((gates, *extras)) if extras else gates


class Recurrent(LayerKind[LayerSpec]):
    name = "recurrent"
    cells: ClassVar[tuple[str, ...]] = CELLS
    signatures: ClassVar[tuple[Signature, ...]] = SIGNATURES
    options: ClassVar[tuple[str, ...]] = (
        "units",
        "input_dim",
        "framework",
        "layers",
        "bidirectional",
        "bias",
        "proj_size",
        "peepholes",
        "reset_after",
        "merge_mode",
        "timesteps",
        "dtype",
    )
    flags: ClassVar[frozenset[str]] = frozenset({"bidirectional", "peepholes"})

    def parse(self, cell: str, raw: Mapping[str, object], default_framework: str) -> LayerSpec:
        reset_after = raw.get("reset_after")
        spec = LayerSpec(
            cell=parse_literal("cell", cell, CELLS),
            units=parse_int("units", required(raw, "units"), 1),
            input_dim=parse_int("input_dim", required(raw, "input_dim"), 1),
            framework=read_framework(raw, default_framework),
            layers=parse_int("layers", raw.get("layers", 1), 1, MAX_LAYERS),
            bidirectional=parse_bool("bidirectional", raw.get("bidirectional", False), flag=True),
            bias=parse_bool("bias", raw.get("bias", True)),
            proj_size=parse_int("proj_size", raw.get("proj_size", 0), 0),
            peepholes=parse_bool("peepholes", raw.get("peepholes", False), flag=True),
            reset_after=None if reset_after is None else parse_bool("reset_after", reset_after),
            merge_mode=parse_literal("merge_mode", raw.get("merge_mode", "concat"), MERGE_MODES),
            timesteps=read_timesteps(raw),
            dtype=read_dtype(raw),
        )
        return self.check(spec)

    @staticmethod
    def check(spec: LayerSpec) -> LayerSpec:
        """Refuse what the framework cannot build; fill in its defaults."""
        record = FRAMEWORKS[spec.framework]
        name = record.title
        if spec.proj_size and spec.cell != "lstm":
            raise refuse("proj-size", f"applies to LSTM cells only, not {spec.cell}")
        if spec.peepholes and spec.cell != "lstm":
            raise refuse("peepholes", f"apply to LSTM cells only, not {spec.cell}")
        if spec.reset_after is not None and spec.cell != "gru":
            raise refuse("reset-after", f"applies to GRU cells only, not {spec.cell}")
        if spec.proj_size and not record.projection:
            having = " and ".join(f"{f.short} {f.projection}" for f in _having("projection"))
            raise refuse("proj-size", f"{name} LSTM has no output projection ({having} have one)")
        if spec.proj_size >= spec.units and record.projection_below_units:
            raise refuse(
                "proj-size",
                f"{name} requires proj_size < hidden_size; got {spec.proj_size} with units "
                f"{spec.units}",
            )
        if spec.peepholes and not record.peepholes:
            having = " and ".join(f"{f.short} {f.peepholes}" for f in _having("peepholes"))
            raise refuse("peepholes", f"{name} LSTM has no peephole weights ({having} have them)")
        if not spec.bias and not record.optional_bias:
            raise refuse("bias", f"{name} cells always have biases; 'false' is not available")
        if spec.merge_mode != "concat":
            if spec.merge_mode not in record.merge_modes:
                having = " and ".join(
                    f"{f.short}'" for f in FRAMEWORKS.values() if len(f.merge_modes) > 1
                )
                raise refuse(
                    "merge-mode",
                    f"only {having} Bidirectional has merge modes; {name} concatenates",
                )
            if not spec.bidirectional:
                raise refuse("merge-mode", "applies to bidirectional layers only")
        if spec.cell != "gru":
            return spec
        default = record.reset_after
        if spec.reset_after is None:
            return replace(spec, reset_after=default)
        if spec.reset_after != default and record.reset_after_fixed:
            where = "after" if default else "before"
            raise refuse(
                "reset-after",
                f"{name} GRU always applies the reset gate {where} the recurrent matmul "
                f"(reset_after={default})",
            )
        return spec

    def option_help(self) -> dict[str, str]:
        return {
            **common_help(),
            "units": "hidden units (PyTorch hidden_size); required",
            "input_dim": "features per timestep (PyTorch input_size); required",
            "layers": f"stacked layers, 1 to {MAX_LAYERS} (default: 1; PyTorch num_layers)",
            "bidirectional": "two directions per layer (default: off)",
            "bias": "true or false (default: true; Keras use_bias, PyTorch bias)",
            "proj_size": "LSTM output projection (PyTorch proj_size, TF1 num_proj; default: 0)",
            "peepholes": "LSTM peephole weights (TF1, ONNX; default: off)",
            "reset_after": "GRU reset gate after the recurrent product: true or false "
            "(default: the framework's)",
            "merge_mode": f"Keras Bidirectional: {', '.join(MERGE_MODES)} (default: concat)",
        }

    def input_widths(self, spec: LayerSpec) -> tuple[int, ...]:
        return layer_input_dims(spec)

    def first_input(self, spec: LayerSpec, cls: str) -> tuple[Shape, str]:
        """A cell (LSTMCell) is fed one step, (batch, i); a layer a sequence, any long."""
        one_step = cls.endswith("Cell")
        return ((None, spec.input_dim) if one_step else (None, None, spec.input_dim)), "float32"

    def output_shape(self, spec: LayerSpec, shape: Shape, call: Mapping[str, object]) -> Shape:
        """Keras returns the last step unless return_sequences; PyTorch's first output is every
        step (a cell's, or an unbatched input's, has no time axis)."""
        if spec.framework == "keras" and not str(call.get("class", "")).endswith("Cell"):
            check_keras_ndim(3, shape, "a sequence (batch, steps, features)")
        width = (spec.proj_size or spec.units) * (
            spec.directions if spec.merge_mode == "concat" else 1
        )
        every_step = bool(call.get("return_sequences")) or spec.framework != "keras"
        if len(shape) == 1:  # PyTorch's cell on one unbatched step, (i,) -> h: (h,)
            return (width,)
        if len(shape) < 3 or not every_step:
            return (shape[0], width)
        return (*shape[:-1], width)

    def expression(self, spec: LayerSpec) -> Expr:
        """Layer 1, then the deeper layers (which share one input width)."""
        directions = tuple(Where(direction=d) for d in DIRECTIONS[: spec.directions])
        first = Copies(
            (Where(layer=1),), Copies(directions, _direction(spec, Sym("i", spec.input_dim)))
        )
        if spec.layers == 1:
            return first
        out = Sym("p", spec.proj_size) if spec.proj_size else Sym("h", spec.units)
        widen = layer_input_dims(spec)[1] // out.value
        width: Expr = Width(Mul((Num(widen), out))) if widen > 1 else out
        deeper = tuple(Where(layer=layer) for layer in range(2, spec.layers + 1))
        return Add((first, Copies(deeper, Copies(directions, _direction(spec, width)))))

    def title(self, spec: LayerSpec, _: Gettext) -> str:
        return _("{framework} {cell}").format(
            framework=FRAMEWORKS[spec.framework].title, cell=CELL_NAMES[spec.cell]
        )

    def describe(self, spec: LayerSpec, _: Gettext, numbers: NumberStyle) -> list[str]:
        parts = [
            _("{units} units").format(units=numbers.count(spec.units)),
            _("{features} input features").format(features=numbers.count(spec.input_dim)),
        ]
        if spec.layers > 1:
            parts.append(_("{layers} stacked layers").format(layers=spec.layers))
        if spec.bidirectional:
            parts.append(_("bidirectional"))
        if spec.merge_mode != "concat":
            parts.append(_("directions merged by {mode}").format(mode=spec.merge_mode))
        if spec.cell == "gru" and spec.reset_after != FRAMEWORKS[spec.framework].reset_after:
            # the framework's own word: Keras' reset_after=False (as before Keras 2.3)
            parts.append(f"reset_after={spec.reset_after}")
        if spec.proj_size:
            parts.append(_("projection to {size}").format(size=numbers.count(spec.proj_size)))
        if spec.peepholes:
            parts.append(_("peepholes"))
        if not spec.bias:
            parts.append(_("no bias"))
        return parts

    def symbols(self, spec: LayerSpec, _: Gettext) -> list[Symbol]:
        symbols = [
            Symbol("i", spec.input_dim, _("{symbol} = {value} input features")),
            Symbol("h", spec.units, _("{symbol} = {value} units")),
        ]
        if spec.proj_size:
            symbols.append(Symbol("p", spec.proj_size, _("{symbol} = {value} projection size")))
        return symbols

    def table(
        self, spec: LayerSpec, tensors: Sequence[Tensor], _: Gettext, rows: Rows | None = None
    ) -> Table:
        columns = (_("Input weights W"), _("Recurrent weights U"))
        return gate_table(
            tensors, _, rows, columns, layers=spec.layers, bidirectional=spec.bidirectional
        )

    def notes(
        self, spec: LayerSpec, tensors: Sequence[Tensor], _: Gettext, numbers: NumberStyle
    ) -> list[str]:
        record = FRAMEWORKS[spec.framework]
        items = []
        if spec.bias and record.two_biases:
            items.append(
                _(
                    "{framework} keeps two bias vectors per gate (input and recurrent), where "
                    "Keras keeps one."
                ).format(framework=record.title)
            )
        if spec.bidirectional:
            items.append(_("Bidirectional: every layer is two full copies, one per direction."))
        if spec.layers > 1:
            width = numbers.count(layer_input_dims(spec)[1])
            items.append(
                (
                    _("Layer 2 sees {width} input features.")
                    if spec.layers == 2
                    else _("Layers 2 to {layers} see {width} input features each.")
                ).format(layers=spec.layers, width=width)
            )
        return items


def gate_table(
    tensors: Sequence[Tensor],
    _: Gettext,
    rows: Rows | None,
    weight_headers: tuple[str, str],
    *,
    layers: int,
    bidirectional: bool,
) -> Table:
    """One row per gate for a single layer; one per layer and direction, its gates folded,
    for a stack or a bidirectional layer (``rows`` chooses either). Columns for biases,
    peepholes and a projection appear when the layer has them."""
    several = layers > 1 or bidirectional
    per_gate = (rows or ("layers" if several else "gates")) == "gates"
    kinds = {t.kind for t in tensors}
    has_bias = bool(kinds & BIAS_KINDS)
    columns = [Column(_("Layer"), numeric=False)] if several or not per_gate else []
    columns += [Column(_("Gate"), numeric=False)] if per_gate else []
    columns += [Column(weight_headers[0]), Column(weight_headers[1])]
    columns += [Column(_("Biases"))] if has_bias else []
    columns += [Column(_("Peepholes"))] if "peephole" in kinds else []
    columns += [Column(_("Projection"))] if "projection" in kinds else []
    columns += [Column(_("Total"))]

    grouped = gate_rows(tensors)
    groups = _fold_gates(grouped) if not per_gate else [_shown(row) for row in grouped]
    body = []
    for row in groups:
        cells: list[Cell] = []
        if several or not per_gate:
            where = str(row.layer)
            if bidirectional:
                where = f"{where} {direction_label(row.direction, _)}"
            cells.append(where)
        if row.gate is not None:
            cells.append(gate_label(row.gate, _))
        cells += [row.input_weights, row.recurrent_weights]
        cells += [row.biases] if has_bias else []
        cells += [row.peepholes] if "peephole" in kinds else []
        cells += [row.projection] if "projection" in kinds else []
        cells.append(Counts((row.total,)))
        body.append(Row(tuple(cells)))
    total = sum(t.count for t in tensors)
    blanks: tuple[None, ...] = (None,) * (len(columns) - 2)
    body.append(Row((_("Total"), *blanks, Counts((total,))), is_total=True))
    return Table(tuple(columns), tuple(body))


@dataclass(frozen=True)
class TableRow:
    """What one row of the table shows: a gate, or all gates of a layer and direction."""

    layer: int
    direction: str
    gate: Gate | None  # None when the gates are folded into the row
    input_weights: Product | None
    recurrent_weights: Product | None
    biases: Counts | None
    peepholes: Counts | None
    projection: Product | None
    total: int


def _shown(row: GateRow) -> TableRow:
    def product(tensor: Tensor | None) -> Product | None:
        return None if tensor is None else Product(tensor.shape)

    return TableRow(
        row.layer,
        row.direction,
        row.gate,
        product(row.input_weights),
        product(row.recurrent_weights),
        Counts(tuple(t.count for t in row.biases)) if row.biases else None,
        Counts((row.peephole.count,)) if row.peephole else None,
        product(row.projection),
        row.total,
    )


def _fold_gates(rows: Sequence[GateRow]) -> list[TableRow]:
    """One row per layer and direction: n gates of one shape are ``n × (shape)``."""
    folded = []
    for (layer, direction), group in itertools.groupby(rows, lambda r: (r.layer, r.direction)):
        gates = list(group)
        cells = [g for g in gates if g.gate != "projection"]
        projection = next((g.projection for g in gates if g.projection), None)
        biases = [tuple(t.count for t in g.biases) for g in cells]
        peepholes = [g.peephole.count for g in cells if g.peephole]
        folded.append(
            TableRow(
                layer,
                direction,
                None,
                _folded_product([g.input_weights for g in cells]),
                _folded_product([g.recurrent_weights for g in cells]),
                _folded_counts(biases),
                _folded_counts([(n,) for n in peepholes]),
                Product(projection.shape) if projection else None,
                sum(g.total for g in gates),
            )
        )
    return folded


def _folded_product(tensors: Sequence[Tensor | None]) -> Product | None:
    shapes = {t.shape for t in tensors if t is not None}
    if not shapes:
        return None
    (shape,) = shapes  # one layer's gates share their shapes
    return Product(shape, copies=len(tensors))


def _folded_counts(vectors: Sequence[tuple[int, ...]]) -> Counts | None:
    present = [v for v in vectors if v]
    if not present:
        return None
    if len(set(present)) == 1:
        return Counts(present[0], copies=len(present))
    return Counts(tuple(n for v in present for n in v))  # biases that differ per gate


def _having(feature: str) -> list[Framework]:
    return [record for record in FRAMEWORKS.values() if getattr(record, feature)]


def direction_label(direction: str, _: Gettext) -> str:
    return _("forward") if direction == "forward" else _("backward")


def gate_label(gate: Gate, _: Gettext) -> str:
    labels: dict[Gate, str] = {
        "input": _("input gate"),
        "forget": _("forget gate"),
        "cell": _("cell candidate"),
        "output": _("output gate"),
        "update": _("update gate"),
        "reset": _("reset gate"),
        "candidate": _("candidate"),
        "hidden": _("hidden state"),
        "projection": _("projection"),
        "layer": _("layer"),
    }
    return labels[gate]


@dataclass(frozen=True)
class GateRow:
    """One row of the breakdown table: a gate (or the projection) of one layer and direction."""

    layer: int
    direction: str
    gate: Gate
    input_weights: Tensor | None
    recurrent_weights: Tensor | None
    biases: tuple[Tensor, ...]
    peephole: Tensor | None
    projection: Tensor | None

    @property
    def total(self) -> int:
        """Every parameter of this row."""
        parts = (self.input_weights, self.recurrent_weights, self.peephole, self.projection)
        return sum(t.count for t in (*parts, *self.biases) if t is not None)


class HasTensors(Protocol):
    @property
    def tensors(self) -> Sequence[Tensor]: ...


def gate_rows(source: HasTensors | Sequence[Tensor]) -> list[GateRow]:
    """Tensors (of a breakdown) grouped by (layer, direction, gate), in the framework's order."""
    tensors = source if isinstance(source, Sequence) else source.tensors
    grouped: dict[tuple[int, str, Gate], list[Tensor]] = {}
    for tensor in tensors:
        grouped.setdefault((tensor.layer, tensor.direction, tensor.gate), []).append(tensor)

    def first(group: list[Tensor], kind: TensorKind) -> Tensor | None:
        return next((t for t in group if t.kind == kind), None)

    return [
        GateRow(
            layer,
            direction,
            gate,
            first(group, "input_weights"),
            first(group, "recurrent_weights"),
            tuple(t for t in group if t.is_bias),
            first(group, "peephole"),
            first(group, "projection"),
        )
        for (layer, direction, gate), group in grouped.items()
    ]


RECURRENT = Recurrent()
