"""Recurrent cells that differ, in one Keras layer: ``RNN([LSTMCell(16), LSTMCell(8)])`` (each
cell reads the one before: keras/src/layers/rnn/stacked_rnn_cells.py) and
``Bidirectional(LSTM(4), backward_layer=GRU(4, go_backwards=True))`` (two directions that
are not copies: keras/src/layers/rnn/bidirectional.py).

Alike cells are a stack (``layers``) or a ``bidirectional`` layer of the recurrent kind;
this kind sums cells of their own, each counted by the recurrent kind, its letters numbered
(``h_1``, ``h_2``). It is reached through a constructor: the ``cells`` option holds each
cell's options as the constructor read them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import ClassVar, get_args

from ..expression import Add, Copies, Expr, Mul, Square, Sym, Symbol, Where, Width
from ..frameworks import refuse
from ..numbers import NumberStyle
from ..options import describe, parse_int, parse_literal, required
from ..spec import DType, FrameworkName, Gettext, LayerSpec, MergeMode, Shape, Tensor
from ..table import Column, Counts, Product, Row, Rows, Table
from .common import read_dtype, read_framework, read_timesteps
from .recurrent import CELL_NAMES, RECURRENT
from .simple import SimpleKind

MERGE_MODES: tuple[MergeMode, ...] = get_args(MergeMode)


@dataclass(frozen=True)
class StackedSpec:
    cell: str
    cells: tuple[LayerSpec, ...]  # one layer, one direction each, its input width filled in
    bidirectional: bool = False  # the cells are the forward and the backward layer
    merge_mode: MergeMode = "concat"
    framework: FrameworkName = "keras"
    timesteps: int | None = None
    dtype: DType = "float32"

    @property
    def input_dim(self) -> int:
        return self.cells[0].input_dim


def _renamed(expr: Expr, names: Mapping[str, Sym], where: Where) -> Expr:
    """``expr`` with its letters renamed (``h`` -> ``h_2``) and its layer and direction set."""
    if isinstance(expr, Sym):
        return names.get(expr.name, expr)
    if isinstance(expr, Square):
        base = names.get(expr.base.name, expr.base)
        return Square(base)
    if isinstance(expr, Width):
        return Width(_renamed(expr.size, names, where))
    if isinstance(expr, Add):
        return Add(tuple(_renamed(term, names, where) for term in expr.terms))
    if isinstance(expr, Mul):
        return Mul(tuple(_renamed(factor, names, where) for factor in expr.factors))
    if isinstance(expr, Copies):
        labels = tuple(
            replace(
                label,
                layer=where.layer if label.layer is not None else None,
                direction=where.direction if label.direction is not None else None,
            )
            for label in expr.labels
        )
        return Copies(labels, _renamed(expr.body, names, where))
    return expr


def _cells(value: object) -> tuple[dict[str, object], ...]:
    """Each cell's options: as a constructor read them, or written ``lstm 16, gru 8`` (a cell
    word and its units, the framework's defaults otherwise)."""
    if isinstance(value, tuple | list) and all(isinstance(c, dict) for c in value):
        return tuple(value)
    words = [piece.split() for piece in value.split(",")] if isinstance(value, str) else []
    if len(words) < 2 or any(len(piece) != 2 for piece in words):
        raise refuse(
            "cells",
            f"{describe(value)} is not two cells or more, each its kind and units, such as "
            "lstm 16, gru 8",
        )
    return tuple({"cell": cell.lower(), "units": units} for cell, units in words)


class StackedCells(SimpleKind[StackedSpec]):
    name = "stacked cells"
    # stacked: each cell reads the one before; paired: a forward and a backward layer
    cells: ClassVar[tuple[str, ...]] = ("stacked_cells", "paired_cells")
    options: ClassVar[tuple[str, ...]] = (
        "cells",
        "input_dim",
        "merge_mode",
        "framework",
        "timesteps",
        "dtype",
    )

    def parse(self, cell: str, raw: Mapping[str, object], default_framework: str) -> StackedSpec:
        framework = read_framework(raw, default_framework)
        if framework != "keras":
            raise refuse(
                "framework", "cells that differ in one layer are Keras' RNN or Bidirectional"
            )
        given = _cells(required(raw, "cells"))
        pair = cell == "paired_cells"
        if pair and len(given) != 2:
            raise refuse("cells", "a bidirectional layer has two: forward and backward")
        width = parse_int("input_dim", required(raw, "input_dim"), 1)
        specs: list[LayerSpec] = []
        for options in given:
            spec = RECURRENT.parse(
                str(options.get("cell", "lstm")),
                {k: v for k, v in options.items() if k != "cell"}
                | {"input_dim": width, "framework": framework},
                framework,
            )
            specs.append(spec)
            if not pair:
                width = spec.units
        return StackedSpec(
            cell,
            tuple(specs),
            pair,
            parse_literal("merge_mode", raw.get("merge_mode", "concat"), MERGE_MODES),
            framework,
            read_timesteps(raw),
            read_dtype(raw),
        )

    def option_help(self) -> dict[str, str]:
        return {
            "cells": "cells that differ in one Keras layer (RNN([...]) or Bidirectional with a "
            "backward_layer): each its kind and units, such as 'lstm 16, gru 8'",
        }

    def display_name(self, spec: StackedSpec) -> str:
        return "Bidirectional" if spec.bidirectional else "RNN"

    def expression(self, spec: StackedSpec) -> Expr:
        """Each cell's count, its letters numbered: 4((i + 1)h_1 + h_1²) + 4((h_1 + 1)h_2 + ...)."""
        parts: list[Expr] = []
        previous: Sym | None = None
        for index, cell in enumerate(spec.cells, 1):
            h = Sym(f"h_{index}", cell.units)
            i = Sym("i", cell.input_dim) if previous is None or spec.bidirectional else previous
            where = (
                Where(layer=1, direction="backward" if index == 2 else "forward")
                if spec.bidirectional
                else Where(layer=index, direction="forward")
            )
            parts.append(_renamed(RECURRENT.expression(cell), {"h": h, "i": i}, where))
            previous = h
        return Add(tuple(parts))

    def describe(self, spec: StackedSpec, _: Gettext, numbers: NumberStyle) -> list[str]:
        cells = " + ".join(f"{CELL_NAMES[c.cell]} {numbers.count(c.units)}" for c in spec.cells)
        parts = [
            cells,
            _("{features} input features").format(features=numbers.count(spec.input_dim)),
        ]
        return [*parts, _("bidirectional")] if spec.bidirectional else parts

    def symbols(self, spec: StackedSpec, _: Gettext) -> list[Symbol]:
        symbols = [Symbol("i", spec.input_dim, _("{symbol} = {value} input features"))]
        for index, cell in enumerate(spec.cells, 1):
            symbols.append(Symbol(f"h_{index}", cell.units, _("{symbol} = {value} units")))
        return symbols

    def table(
        self, spec: StackedSpec, tensors: Sequence[Tensor], _: Gettext, rows: Rows | None = None
    ) -> Table:
        """One row per cell and kind of tensor, the gates side by side as Keras stores them."""
        labels = {
            "input_weights": _("kernel"),
            "recurrent_weights": _("recurrent kernel"),
            "bias": _("bias"),
            "input_bias": _("bias"),
            "recurrent_bias": _("bias"),
        }
        groups: dict[tuple[int, str, str], list[Tensor]] = {}
        for tensor in tensors:
            key = (tensor.layer, tensor.direction, labels.get(tensor.kind, tensor.kind))
            groups.setdefault(key, []).append(tensor)
        body = []
        for (layer, direction, label), group in groups.items():
            index = (2 if direction == "backward" else 1) if spec.bidirectional else layer
            cell = spec.cells[index - 1]
            title = f"{index}. {CELL_NAMES[cell.cell]} {label}"
            first = group[0].shape
            shape = (
                Product((first[0], sum(t.shape[-1] for t in group)))
                if len(first) == 2
                else Counts((sum(t.count for t in group),))
            )
            body.append(Row((title, shape, _("yes"), Counts((sum(t.count for t in group),)))))
        body.append(
            Row((_("Total"), None, None, Counts((sum(t.count for t in tensors),))), is_total=True)
        )
        columns = (
            Column(_("Tensor"), numeric=False),
            Column(_("Shape")),
            Column(_("Trainable"), numeric=False),
            Column(_("Total")),
        )
        return Table(columns, tuple(body))

    def first_input(self, spec: StackedSpec, cls: str) -> tuple[Shape, str]:
        return (None, None, spec.input_dim), "float32"

    def output_shape(self, spec: StackedSpec, shape: Shape, call: Mapping[str, object]) -> Shape:
        """The last cell's units; a Bidirectional's as Keras computes them from the forward
        layer alone (bidirectional.py compute_output_shape: twice its units when concatenated),
        whatever the backward layer gives."""
        units = spec.cells[-1].units
        if spec.bidirectional:
            units = spec.cells[0].units * (2 if spec.merge_mode == "concat" else 1)
        if len(shape) < 3 or not call.get("return_sequences"):
            return (shape[0], units)
        return (*shape[:-1], units)


STACKED_CELLS = StackedCells()
