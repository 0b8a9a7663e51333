"""Keras 3's ``model.summary()`` as cells: its columns, shapes, counts, byte sizes and totals
lines (keras/src/utils/summary_utils.py; ``tests/data/model_summaries_NOTES.md`` cites the
lines each rule follows)."""

from __future__ import annotations

from ...numbers import NumberStyle
from ...spec import Gettext, Shape
from ...table import Column, Table
from ...table import Row as TableRow
from ..layout import UNKNOWN, Layout, at_least, link, problem_lines, refused_totals
from ..summary import ModelSummary


def keras_shape(shape: Shape | None) -> str:
    """summary_utils.py format_shape: ``(None, 80, 128)``."""
    if shape is None:
        return UNKNOWN
    return "(" + ", ".join(str(n) for n in shape) + ")"


def keras_bytes(size: float) -> str:
    """summary_utils.py readable_memory_size: 1024 steps, two decimals, written KB/MB."""
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


def keras_layout(summary: ModelSummary, numbers: NumberStyle, _: Gettext) -> Layout:
    rows = []
    for index, row in enumerate(summary.rows):
        params = UNKNOWN if row.problem else numbers.count(row.params)
        rows.append(
            TableRow(
                (
                    f"{row.name} ({row.cls})",
                    keras_shape(row.output_shape),
                    link(row, index, params),
                )
            )
        )
    columns = (
        Column("Layer (type)", numeric=False),
        Column("Output Shape", numeric=False),
        Column("Param #"),
    )
    total_bytes = sum(row.param_bytes for row in summary.rows)
    trainable_bytes = sum(row.trainable_bytes for row in summary.rows)

    def line(label: str, count: int, size: int) -> str:
        counted = at_least(summary, numbers.count(count), _)
        return f"{label}: {counted} ({keras_bytes(size)})"

    totals: tuple[str, ...] = (
        line("Total params", summary.total, total_bytes),
        line("Trainable params", summary.trainable, trainable_bytes),
        line("Non-trainable params", summary.non_trainable, total_bytes - trainable_bytes),
    )
    if summary.refused:
        totals = refused_totals(summary, _)
    return Layout(
        f'Model: "{summary.title}"',
        Table(columns, tuple(rows)),
        totals,
        (),
        problem_lines(summary, _),
    )
