"""Keras 3's ``model.summary()`` as cells: its columns, shapes, counts, byte sizes and totals
lines (keras/src/utils/summary_utils.py; ``tests/data/model_summaries_NOTES.md`` cites the
lines each rule follows).

A model that is not a chain (branches, several inputs or outputs, a layer called twice) has
a "Connected to" column and Keras' wider default; ``show_trainable`` adds a column, and
``expand_nested`` lists a nested model's own rows under its row, each behind ``└``.
"""

from __future__ import annotations

from ...numbers import NumberStyle
from ...spec import Gettext, Shape
from ...table import Cell, Column, Table
from ...table import Row as TableRow
from ..layout import UNKNOWN, Layout, at_least, link, problem_lines, refused_totals
from ..summary import ModelSummary, Row

# print_summary's defaults: the width and where the columns end, for a chain and for a graph
CHAIN_LINE_LENGTH, CHAIN_POSITIONS = 88, (0.45, 0.80, 1.0)
GRAPH_LINE_LENGTH, GRAPH_POSITIONS = 108, (0.3, 0.56, 0.74, 1.0)
TRAINABLE_EXTRA = 12  # show_trainable widens the default, and takes the last tenth


def keras_shape(shape: Shape | None) -> str:
    """summary_utils.py format_shape: ``(None, 80, 128)``."""
    if shape is None:
        return UNKNOWN
    return "(" + ", ".join(str(n) for n in shape) + ")"


def keras_shapes(row: Row) -> str:
    """format_layer_shape: one shape, or the list of a layer's several outputs, written as
    Python writes a list of strings with its quotes taken out."""
    if not row.output_shapes:
        return keras_shape(row.output_shape)
    return "[" + ", ".join(keras_shape(shape) for shape in row.output_shapes) + "]"


def keras_bytes(size: float) -> str:
    """summary_utils.py readable_memory_size: 1024 steps, two decimals, written KB/MB."""
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


def keras_columns(summary: ModelSummary) -> tuple[tuple[Column, ...], int, tuple[float, ...]]:
    """The columns, the default width and the column ends for this model and its call."""
    columns = [
        Column("Layer (type)", numeric=False),
        Column("Output Shape", numeric=False),
        Column("Param #"),
    ]
    line_length = CHAIN_LINE_LENGTH
    positions: tuple[float, ...] = CHAIN_POSITIONS
    if summary.connected:
        columns.append(Column("Connected to", numeric=False))
        line_length, positions = GRAPH_LINE_LENGTH, GRAPH_POSITIONS
    if summary.call.show_trainable:
        columns.append(Column("Trainable", numeric=False, centered=True))
        line_length += TRAINABLE_EXTRA
        positions = (*(p * 0.90 for p in positions), 1.0)
    return tuple(columns), line_length, positions


def _trainable(row: Row) -> str:
    """show_trainable's mark: Y or N for a layer with weights, - for one without."""
    if not row.has_weights:
        return "-"
    return "N" if row.frozen else "Y"


def keras_layout(summary: ModelSummary, numbers: NumberStyle, _: Gettext) -> Layout:
    columns, line_length, positions = keras_columns(summary)
    rows: list[TableRow] = []
    listed = 0  # the index of each row among listed_rows(summary), for its breakdown's link

    def add(model: ModelSummary, level: int) -> None:
        nonlocal listed
        for row in model.rows:
            index = listed
            listed += 1
            prefix = "   " * level + "\N{BOX DRAWINGS LIGHT UP AND RIGHT} " if level else ""
            unknown = bool(row.problem) or row.after_refusal
            params = UNKNOWN if unknown else numbers.count(row.params)
            if row.unbuilt:
                params = f"{numbers.count(0)} (unbuilt)"
            cells: list[Cell] = [
                f"{prefix}{row.name} ({row.cls})",
                keras_shapes(row),
                link(row, index, params),
            ]
            if summary.connected:
                # a nested model's own layers are not connected to the model's tensors
                cells.append(
                    ", ".join(row.connected_to) if level == 0 and row.connected_to else "-"
                )
            if summary.call.show_trainable:
                cells.append(_trainable(row))
            rows.append(TableRow(tuple(cells)))
            if row.nested is not None and not row.nested_hidden:
                if summary.call.expand_nested:
                    add(row.nested, level + 1)
                else:
                    listed += _count(row.nested)

    add(summary, 0)

    def line(label: str, count: int, size: int) -> str:
        counted = at_least(summary, numbers.count(count), _)
        return f"{label}: {counted} ({keras_bytes(size)})"

    totals: tuple[str, ...] = (
        line("Total params", summary.total, summary.total_bytes),
        line("Trainable params", summary.trainable, summary.trainable_bytes),
        line(
            "Non-trainable params",
            summary.non_trainable,
            summary.total_bytes - summary.trainable_bytes,
        ),
    )
    if summary.refused:
        totals = refused_totals(summary, _)
    return Layout(
        f'Model: "{summary.title}"',
        Table(columns, tuple(rows)),
        totals,
        (),
        problem_lines(summary, _),
        line_length=line_length,
        positions=positions,
    )


def _count(summary: ModelSummary) -> int:
    """How many rows listed_rows gives for a model."""
    return sum(
        1 + (0 if row.nested is None or row.nested_hidden else _count(row.nested))
        for row in summary.rows
    )
