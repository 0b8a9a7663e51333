"""What each framework's summary prints, cell by cell (standard library only).

Keras 3's ``model.summary()`` (keras/src/utils/summary_utils.py) and torchinfo's ``summary()``
(torchinfo/model_statistics.py, formatting.py, layer_info.py) each have their own columns,
number formats and size units; :func:`layout` gives them as a :class:`~.table.Table` and
lines, which the docutils renderer lays out as a table and :mod:`.model_text` draws as the
framework's own text. ``tests/data/model_summaries_NOTES.md`` cites the lines of their source
that every rule here follows.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import dataclass

from .model import ModelSummary, Row
from .numbers import NumberStyle
from .spec import DTYPE_BYTES, Gettext, ModelPart, Shape, untranslated
from .table import Column, Link, Table
from .table import Row as TableRow

# torchinfo's storage of the input tensor: sys.getsizeof(tensor.untyped_storage()) is its
# bytes plus the Python object (64 bytes with torch 2.x on CPython 3.11, recorded per case)
TORCH_STORAGE_OVERHEAD = 64
# what we write in a cell nothing can be known for (a line before it failed)
UNKNOWN = "?"
# bytes per element of the tensor torchinfo feeds (torch.long for word numbers)
INPUT_BYTES = {"int64": 8, "int32": 4, "int16": 2, "int8": 1, "uint8": 1, "bool": 1}
# Keras' width in an 80-column terminal or a notebook: it fits a page's code block
PRINTED_LINE_LENGTH = 76
# the class of a summary's output in a page, and the prefix of its parts' classes
MODEL_CLASS = "lstm-params-model"


@dataclass(frozen=True)
class Layout:
    """A summary as its framework prints it: a title line, the table, the lines after it."""

    title: str | None  # Keras: Model: "sequential"
    table: Table
    totals: tuple[str, ...]  # Total / Trainable / Non-trainable params ...
    sizes: tuple[str, ...]  # torchinfo's estimated sizes, after a divider
    problems: tuple[str, ...]  # the layers not counted, to say beside the totals


def layout(
    summary: ModelSummary, numbers: NumberStyle | None = None, _: Gettext = untranslated
) -> Layout:
    """The summary in its framework's layout, counts grouped as ``numbers`` says (Keras and
    torchinfo group with commas: the default)."""
    style = numbers or NumberStyle()
    if summary.framework == "pytorch":
        return _torchinfo(summary, style, _)
    return _keras(summary, style, _)


def default_caption(summary: ModelSummary, layout: Layout) -> str:
    """Keras' own title line; for torchinfo, which has none, the call that prints it."""
    return layout.title or f"torchinfo.summary({summary.title})"


def breakdown_label(summary: ModelSummary, index: int) -> str:
    """What a layer's breakdown is headed with: its name and class as Keras lists it
    (``lstm (LSTM)``), or torchinfo's class and index (``GRU: 1-2``)."""
    row = summary.rows[index]
    if summary.framework == "keras":
        return f"{row.name} ({row.cls})"
    return f"{row.cls}: 1-{index + 1}"


def breakdown_ids(summary: ModelSummary, base: str, parts: Collection[ModelPart]) -> dict[int, str]:
    """Row index -> the id of its breakdown, for every row that has one (the link targets);
    none when the breakdowns are not shown, so that no count links to nothing."""
    if "breakdowns" not in parts:
        return {}
    rows = enumerate(summary.rows)
    return {index: f"{base}-layer-{index + 1}" for index, row in rows if row.recurrent}


def _problems(summary: ModelSummary, _: Gettext) -> tuple[str, ...]:
    rows = [
        (
            row.line,
            _("{layer} is not counted: {problem}").format(layer=row.name, problem=row.problem),
        )
        for row in summary.problems
    ]
    return tuple(text for _line, text in sorted([*rows, *summary.step_problems]))


def _at_least(summary: ModelSummary, text: str, _: Gettext) -> str:
    """A total that leaves out a layer says so in its own words."""
    return text if summary.complete else _("at least {count}").format(count=text)


def _link(row: Row, index: int, text: str) -> Link | str:
    """A recurrent row's count links to its gate-by-gate breakdown."""
    return Link(text, index) if row.recurrent else text


# -- Keras 3 ------------------------------------------------------------------------------------


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


def _keras(summary: ModelSummary, numbers: NumberStyle, _: Gettext) -> Layout:
    rows = []
    for index, row in enumerate(summary.rows):
        params = UNKNOWN if row.problem else numbers.count(row.params)
        rows.append(
            TableRow(
                (
                    f"{row.name} ({row.cls})",
                    keras_shape(row.output_shape),
                    _link(row, index, params),
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
        counted = _at_least(summary, numbers.count(count), _)
        return f"{label}: {counted} ({keras_bytes(size)})"

    totals = (
        line("Total params", summary.total, total_bytes),
        line("Trainable params", summary.trainable, trainable_bytes),
        line("Non-trainable params", summary.non_trainable, total_bytes - trainable_bytes),
    )
    return Layout(
        f'Model: "{summary.title}"',
        Table(columns, tuple(rows)),
        totals,
        (),
        _problems(summary, _),
    )


# -- torchinfo ----------------------------------------------------------------------------------


def torch_shape(shape: Shape | None) -> str:
    """str() of torchinfo's output size, a list: ``[64, 200, 100]``."""
    if shape is None or None in shape:
        return UNKNOWN
    return "[" + ", ".join(str(n) for n in shape) + "]"


def torch_params(row: Row, numbers: NumberStyle) -> str:
    """layer_info.py num_params_to_str: ``--`` for none, ``(50,000)`` when none trains."""
    if row.problem:
        return UNKNOWN
    if row.params == 0:
        return "--"
    counted = numbers.count(row.params)
    return f"({counted})" if row.trainable == 0 else counted


def mult_adds(row: Row) -> int | None:
    """layer_info.py calculate_macs for one module, from its output size: a parameter named
    ``weight`` or ``bias`` costs its count times the batch (times the output's positions in a
    convolution); a recurrent one (``weight_ih_l0``) times batch x steps."""
    shape = row.output_shape
    if row.breakdown is None or shape is None or None in shape or not shape:
        return None if row.params else 0
    sizes = [n or 0 for n in shape]
    if row.recurrent:
        return math.prod(sizes[:2]) * row.params
    if "Conv" in row.cls:
        return row.params * math.prod(sizes[:1] + sizes[2:])
    return sizes[0] * row.params


def torch_units(value: int) -> str:
    """model_statistics.py format_output_num with Units.AUTO: M, G or T, two decimals unless
    whole. (torchinfo 1.8 on Python 3.11+ writes the unit as ``Units.MEGABYTES``, an f-string
    of its enum; we write the ``M`` it means and printed before.)"""
    unit, scaled = "M", value / 1e6
    if value >= 1e12:
        unit, scaled = "T", value / 1e12
    elif value >= 1e9:
        unit, scaled = "G", value / 1e9
    text = f"{int(scaled):,}" if scaled.is_integer() else f"{scaled:,.2f}"
    return f"({unit}): {text}"


def _torchinfo(summary: ModelSummary, numbers: NumberStyle, _: Gettext) -> Layout:
    shapes = summary.input_shape is not None  # torchinfo runs the model only when given one
    first = [summary.title, torch_shape(summary.output_shape), "--"]
    rows = [TableRow(tuple(first if shapes else first[::2]))]
    for index, row in enumerate(summary.rows):
        label = f"├─{row.cls}: 1-{index + 1}"
        params = _link(row, index, torch_params(row, numbers))
        cells = (label, torch_shape(row.output_shape), params) if shapes else (label, params)
        rows.append(TableRow(cells))
    headers = ["Layer (type:depth-idx)", "Output Shape", "Param #"]
    columns = tuple(
        Column(header, numeric=header == "Param #")
        for header in (headers if shapes else headers[::2])
    )
    totals = [
        f"Total params: {_at_least(summary, numbers.count(summary.total), _)}",
        f"Trainable params: {_at_least(summary, numbers.count(summary.trainable), _)}",
        f"Non-trainable params: {_at_least(summary, numbers.count(summary.non_trainable), _)}",
    ]
    sizes: tuple[str, ...] = ()
    if shapes and summary.complete and not summary.step_problems and summary.input_shape:
        adds = [mult_adds(row) for row in summary.rows]
        if None not in adds:
            totals.append(f"Total mult-adds {torch_units(sum(a or 0 for a in adds))}")
            sizes = _torch_sizes(summary, summary.input_shape)
    return Layout(None, Table(columns, tuple(rows)), tuple(totals), sizes, _problems(summary, _))


def _torch_sizes(summary: ModelSummary, input_shape: Shape) -> tuple[str, ...]:
    """model_statistics.py: input, forward/backward (twice every output of a layer with
    parameters), parameters, and their sum, in MB of 10^6 bytes."""
    per_element = INPUT_BYTES.get(summary.input_dtype) or DTYPE_BYTES.get(summary.input_dtype, 4)  # type: ignore[call-overload]
    given = math.prod(n or 0 for n in input_shape) * per_element
    input_bytes = given + TORCH_STORAGE_OVERHEAD
    outputs = sum(
        2 * math.prod(n or 0 for n in row.output_shape) * DTYPE_BYTES[row.breakdown.spec.dtype]
        for row in summary.rows
        if row.params and row.output_shape is not None and row.breakdown is not None
    )
    params = sum(row.param_bytes for row in summary.rows)
    return (
        f"Input size (MB): {input_bytes / 1e6:0.2f}",
        f"Forward/backward pass size (MB): {outputs / 1e6:0.2f}",
        f"Params size (MB): {params / 1e6:0.2f}",
        f"Estimated Total Size (MB): {(input_bytes + outputs + params) / 1e6:0.2f}",
    )
