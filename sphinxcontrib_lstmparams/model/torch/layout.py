"""torchinfo's ``summary()`` as cells: its rows, shapes, parameter cells, mult-adds and sizes
(torchinfo/model_statistics.py, formatting.py, layer_info.py;
``tests/data/model_summaries_NOTES.md`` cites the lines each rule follows)."""

from __future__ import annotations

import math

from ...numbers import NumberStyle
from ...spec import DTYPE_BYTES, Gettext, Shape
from ...table import Column, Table
from ...table import Row as TableRow
from ..layout import UNKNOWN, Layout, at_least, link, problem_lines, refused_totals
from ..summary import ModelSummary, Row

# bytes plus the Python object (64 bytes with torch 2.x on CPython 3.11, recorded per case)
TORCH_STORAGE_OVERHEAD = 64
# bytes per element of the tensor torchinfo feeds (torch.long for word numbers)
INPUT_BYTES = {"int64": 8, "int32": 4, "int16": 2, "int8": 1, "uint8": 1, "bool": 1}


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


def torchinfo_layout(summary: ModelSummary, numbers: NumberStyle, _: Gettext) -> Layout:
    shapes = summary.input_shape is not None  # torchinfo runs the model only when given one
    first = [summary.title, torch_shape(summary.output_shape), "--"]
    rows = [TableRow(tuple(first if shapes else first[::2]))]
    for index, row in enumerate(summary.rows):
        label = f"├─{row.cls}: 1-{index + 1}"
        params = link(row, index, torch_params(row, numbers))
        cells = (label, torch_shape(row.output_shape), params) if shapes else (label, params)
        rows.append(TableRow(cells))
    headers = ["Layer (type:depth-idx)", "Output Shape", "Param #"]
    columns = tuple(
        Column(header, numeric=header == "Param #")
        for header in (headers if shapes else headers[::2])
    )
    totals = [
        f"Total params: {at_least(summary, numbers.count(summary.total), _)}",
        f"Trainable params: {at_least(summary, numbers.count(summary.trainable), _)}",
        f"Non-trainable params: {at_least(summary, numbers.count(summary.non_trainable), _)}",
    ]
    if summary.refused:
        totals = list(refused_totals(summary, _))
    sizes: tuple[str, ...] = ()
    if shapes and summary.complete and not summary.step_problems and summary.input_shape:
        adds = [mult_adds(row) for row in summary.rows]
        if None not in adds:
            totals.append(f"Total mult-adds {torch_units(sum(a or 0 for a in adds))}")
            sizes = _torch_sizes(summary, summary.input_shape)
    return Layout(
        None, Table(columns, tuple(rows)), tuple(totals), sizes, problem_lines(summary, _)
    )


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
