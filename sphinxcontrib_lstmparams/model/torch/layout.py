"""torchinfo's ``summary()`` as cells: its rows at every depth down to ``depth=``, its columns
(``col_names=``), parameter cells, mult-adds and sizes (torchinfo/model_statistics.py,
formatting.py, layer_info.py; ``tests/data/model_summaries_NOTES.md`` cites the lines each
rule follows).

A summary read one layer per line is a model whose modules are all at depth 1; a model of
modules (:mod:`.tree`) brings each row's depth, its place among the rows of its depth, and
what torchinfo measured of its call (:class:`~.rows.ModuleInfo`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ...numbers import NumberStyle
from ...spec import DTYPE_BYTES, Gettext, Shape
from ...table import Column, Link, Table
from ...table import Row as TableRow
from ..layout import UNKNOWN, Layout, at_least, link, problem_lines, refused_totals
from ..summary import ModelSummary, Row
from .rows import Size

# bytes plus the Python object (64 bytes with torch 2.x on CPython 3.11, recorded per case)
TORCH_STORAGE_OVERHEAD = 64
# bytes per element of the tensor torchinfo feeds (torch.long for word numbers)
INPUT_BYTES = {"int64": 8, "int32": 4, "int16": 2, "int8": 1, "uint8": 1, "bool": 1}
# formatting.py: the first column's width at least, and the others' (col_width)
TORCH_NAME_WIDTH = 40
TORCH_COLUMN_WIDTH = 25
DEFAULT_DEPTH = 3
HEADER_TITLES = {
    "kernel_size": "Kernel Shape",
    "input_size": "Input Shape",
    "output_size": "Output Shape",
    "num_params": "Param #",
    "params_percent": "Param %",
    "mult_adds": "Mult-Adds",
    "trainable": "Trainable",
}
_NUMERIC = frozenset({"num_params", "params_percent", "mult_adds"})


def torch_shape(shape: Size) -> str:
    """str() of torchinfo's size, a list: ``[64, 200, 100]``; ``--`` when it has none, and
    ours ``?`` where it is not known."""
    if shape is None or None in shape:
        return UNKNOWN
    if not shape:
        return "--"
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
    if row.module is not None:
        return row.module.macs
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


@dataclass(eq=False)
class _Line:
    """One of torchinfo's rows (LayerInfo), as its formatter reads it."""

    index: int | None  # its row in the summary (None: the model's own)
    cls: str
    var_name: str
    depth: int
    depth_index: int
    leaf: bool = True
    recursive: bool = False
    params: int | None = 0
    trainable: int | None = 0
    input_size: Size = ()
    output_size: Size = ()
    kernel: tuple[int, ...] | int | None = None
    macs: int | None = 0
    output_bytes: int | None = 0
    param_bytes: int | None = 0
    problem: bool = False
    own: int | None = None  # a container whose own parameters are known to be these
    children: list[_Line] = field(default_factory=list)

    def label(self, var_names: bool, depth: bool) -> str:
        """LayerInfo.get_layer_name: ``Linear (fc): 2-3``."""
        name = self.cls
        if var_names and self.var_name:
            name += f" ({self.var_name})"
        if depth and self.depth > 0:
            name += f": {self.depth}-{self.depth_index}"
        return name

    def leftover(self) -> int | None:
        """The parameters no row under it shows (layer_info.py leftover_params)."""
        if self.own is not None:
            return self.own
        under: int | None = 0
        for child in self.children:
            if child.recursive:
                continue
            part = child.params if child.leaf else child.leftover()
            under = None if under is None or part is None else under + part
        return None if self.params is None or under is None else self.params - under

    def leftover_trainable(self) -> int | None:
        if self.own is not None:
            return self.own
        under: int | None = 0
        for child in self.children:
            if child.recursive:
                continue
            part = child.trainable if child.leaf else child.leftover_trainable()
            under = None if under is None or part is None else under + part
        return None if self.trainable is None or under is None else self.trainable - under


def _lines(summary: ModelSummary, shapes: bool) -> list[_Line]:
    """The model's row, then every row, each with the rows under it."""
    tree = summary.module_tree
    lines: list[_Line] = []
    title = summary.title
    if tree is not None and tree.root is not None:
        root = tree.root
        lines.append(
            _Line(None, title, title, 0, 0, leaf=not summary.rows, params=root.params,
                  trainable=root.trainable, input_size=root.input_size,
                  output_size=root.output_size, macs=root.macs,
                  output_bytes=root.output_bytes, param_bytes=root.param_bytes)
        )  # fmt: skip
    else:  # one layer per line: the model holds no parameter of its own
        lines.append(
            _Line(None, title, title, 0, 0, leaf=False, own=0,
                  input_size=summary.input_shape if shapes else (),
                  output_size=(summary.output_shape or None) if shapes else ())
        )  # fmt: skip
    previous: Size = summary.input_shape if shapes else ()
    for index, row in enumerate(summary.rows):
        lines.append(
            _module_line(index, row) if row.module else _layer_line(index, row, previous, shapes)
        )
        previous = None if shapes else ()
    for index, line in enumerate(lines):
        under = []
        for later in lines[index + 1 :]:
            if later.depth <= line.depth:
                break
            under.append(later)
        line.children = under
    return lines


def _module_line(index: int, row: Row) -> _Line:
    """A row of a model of modules."""
    info = row.module
    assert info is not None
    unknown = bool(row.problem) and not info.container
    return _Line(
        index,
        row.cls,
        info.var_name,
        info.depth,
        info.depth_index,
        leaf=not info.container,
        recursive=info.recursive,
        params=None if unknown else info.params,
        trainable=None if unknown else info.trainable,
        input_size=info.input_size,
        output_size=info.output_size,
        kernel=info.kernel_size,
        macs=info.macs,
        output_bytes=info.output_bytes,
        param_bytes=info.param_bytes,
        problem=bool(row.problem),
    )


def _layer_line(index: int, row: Row, fed: Size, shapes: bool) -> _Line:
    """A layer of a model read one per line: a module at depth 1."""
    out: Size = row.output_shape if shapes else ()
    params = None if row.problem else row.params
    dtype = DTYPE_BYTES[row.breakdown.spec.dtype] if row.breakdown else 4
    return _Line(
        index,
        row.cls,
        row.cls,
        1,
        index + 1,
        leaf=True,
        params=params,
        trainable=None if row.problem else row.trainable,
        input_size=fed,
        output_size=out,
        kernel=getattr(row.breakdown.spec, "kernel_size", None) if row.breakdown else None,
        macs=mult_adds(row) if shapes else 0,
        output_bytes=None if out is None or None in out else dtype * math.prod(out),  # type: ignore[arg-type]
        param_bytes=None if params is None else params * dtype,
        problem=bool(row.problem),
    )


@dataclass(frozen=True)
class TorchSettings:
    """How torchinfo is asked to print: ``depth=``, ``col_names=``, ``col_width=``,
    ``row_settings=``."""

    depth: int
    columns: tuple[str, ...]
    column_width: int
    var_names: bool
    show_depth: bool
    ascii_only: bool
    hide_recursive: bool


def torch_settings(summary: ModelSummary) -> TorchSettings:
    call = summary.call
    shapes = summary.input_shape is not None
    default = ("output_size", "num_params") if shapes else ("num_params",)
    rows = set(call.row_settings) if call.row_settings is not None else {"depth"}
    return TorchSettings(
        DEFAULT_DEPTH if call.depth is None else call.depth,
        call.col_names or default,
        call.col_width or TORCH_COLUMN_WIDTH,
        "var_names" in rows,
        "depth" in rows,
        "ascii_only" in rows,
        "hide_recursive_layers" in rows,
    )


def _prefix(depth: int, ascii_only: bool) -> str:
    """formatting.py get_start_str."""
    if depth == 0:
        return ""
    if depth == 1:
        return "+ " if ascii_only else "├─"
    return ("|    " if ascii_only else "│    ") * (depth - 1) + ("+ " if ascii_only else "└─")


def name_width(lines: list[_Line], settings: TorchSettings) -> int:
    """formatting.py set_layer_name_width: the longest label (every row's, shown or not) plus
    5 per depth plus 1; 40 at least, else rounded up to a multiple of 5."""
    longest = max(
        len(line.label(settings.var_names, settings.show_depth)) + line.depth * 5 + 1
        for line in lines
    )
    return TORCH_NAME_WIDTH if longest < TORCH_NAME_WIDTH else math.ceil(longest / 5) * 5


def _count(value: int | None, numbers: NumberStyle) -> str:
    return UNKNOWN if value is None else numbers.count(value)


def _params_cell(line: _Line, deepest: bool, numbers: NumberStyle) -> str:
    """layer_info.py num_params_to_str."""
    if line.params == 0:
        return "--"
    if line.problem and line.leaf:
        return UNKNOWN
    if line.recursive:
        return "(recursive)"
    if deepest or line.leaf:
        if line.params is None:
            return UNKNOWN
        text = numbers.count(line.params)
        return text if line.trainable != 0 else f"({text})"
    leftover = line.leftover()
    if leftover is None:
        return UNKNOWN
    return numbers.count(leftover) if leftover > 0 else "--"


def _percent_cell(line: _Line, deepest: bool, total: int | None) -> str:
    """layer_info.py params_percent: ``  5.84%``, ``     --``, ``(recursive)``."""
    zero = "     --"
    if total == 0:
        return zero
    if line.recursive:
        return "(recursive)"
    params = line.params if deepest or line.leaf else line.leftover()
    if params is None or total is None:
        return UNKNOWN
    if params == 0:
        return zero
    return f"{params / total:>7.2%}"


def _macs_cell(line: _Line, deepest: bool, numbers: NumberStyle) -> str:
    """layer_info.py macs_to_str."""
    if line.macs is None:
        return UNKNOWN
    if line.macs <= 0:
        return "--"
    if line.leaf:
        return numbers.count(line.macs)
    if deepest:
        under = [child.macs for child in line.children if child.leaf]
        return UNKNOWN if None in under else numbers.count(sum(m or 0 for m in under))
    return "--"


def _trainable_cell(line: _Line) -> str:
    """LayerInfo.trainable: True, False, Partial, or -- without parameters."""
    if line.params == 0:
        return "--"
    if line.params is None or line.trainable is None:
        return UNKNOWN
    if line.trainable == 0:
        return "False"
    return "True" if line.params == line.trainable else "Partial"


def _kernel_cell(line: _Line) -> str:
    if line.kernel is None:
        return UNKNOWN if line.problem else "--"
    return str(list(line.kernel)) if isinstance(line.kernel, tuple) else str(line.kernel)


@dataclass(frozen=True)
class _Totals:
    """model_statistics.py: what the rows add up to (each module once, containers' own)."""

    total: int
    trainable: int
    known: bool  # every part known
    macs: int | None
    output_bytes: int | None
    param_bytes: int | None


def _totals(lines: list[_Line]) -> _Totals:
    total = trainable = 0
    known = True
    macs: int | None = 0
    outputs: int | None = 0
    params_bytes: int | None = 0
    for line in lines:
        if line.leaf:
            macs = None if macs is None or line.macs is None else macs + line.macs
            if line.params:
                outputs = None if outputs is None or line.output_bytes is None else (
                    outputs + 2 * line.output_bytes
                )  # fmt: skip
            if line.recursive:
                continue
            params, trains = line.params, line.trainable
            params_bytes = None if params_bytes is None or line.param_bytes is None else (
                params_bytes + line.param_bytes
            )  # fmt: skip
        else:
            if line.recursive:
                continue
            params, trains = line.leftover(), line.leftover_trainable()
        if params is None or trains is None:
            known = False
            continue
        total += max(params, 0)
        trainable += max(trains, 0)
    return _Totals(total, trainable, known, macs, outputs, params_bytes)


def torchinfo_layout(summary: ModelSummary, numbers: NumberStyle, _: Gettext) -> Layout:
    settings = torch_settings(summary)
    shapes = summary.input_shape is not None  # torchinfo runs the model only when given one
    lines = _lines(summary, shapes)
    totals = _totals(lines)
    percent_total = summary.total if totals.known and summary.complete else None
    rows: list[TableRow] = []
    for line in lines:
        if line.depth > settings.depth or (settings.hide_recursive and line.recursive):
            continue
        deepest = line.depth == settings.depth
        label = _prefix(line.depth, settings.ascii_only) + line.label(
            settings.var_names, settings.show_depth
        )
        values: dict[str, str | Link] = {
            "kernel_size": _kernel_cell(line),
            "input_size": torch_shape(line.input_size),
            "output_size": torch_shape(line.output_size),
            "num_params": _params_cell(line, deepest, numbers),
            "params_percent": _percent_cell(line, deepest, percent_total),
            "mult_adds": _macs_cell(line, deepest, numbers),
            "trainable": _trainable_cell(line),
        }
        if line.index is not None and not line.recursive:
            row = summary.rows[line.index]
            values["num_params"] = link(row, line.index, str(values["num_params"]))
        rows.append(TableRow((label, *(values[name] for name in settings.columns))))
    header = "Layer (type"
    header += " (var_name)" if settings.var_names else ""
    header += ":depth-idx" if settings.show_depth else ""
    columns = (
        Column(header + ")", numeric=False),
        *(Column(HEADER_TITLES[name], numeric=name in _NUMERIC) for name in settings.columns),
    )
    total = summary.total if summary.module_tree is not None and totals.known else totals.total
    trainable = (
        summary.trainable if summary.module_tree is not None and totals.known else totals.trainable
    )
    lines_after = [
        f"Total params: {at_least(summary, numbers.count(total), _)}",
        f"Trainable params: {at_least(summary, numbers.count(trainable), _)}",
        f"Non-trainable params: {at_least(summary, numbers.count(total - trainable), _)}",
    ]
    if summary.refused:  # torchinfo stops with PyTorch's error: no totals at all
        lines_after = list(refused_totals(summary, _))
    sizes: tuple[str, ...] = ()
    inputs = _inputs(summary)
    if (
        shapes
        and not summary.refused
        and summary.complete
        and not summary.step_problems
        and totals.macs is not None
        and totals.output_bytes is not None
        and totals.param_bytes is not None
        and inputs is not None
    ):
        lines_after.append(f"Total mult-adds {torch_units(totals.macs)}")
        input_bytes = sum(
            math.prod(n or 0 for n in shape) * _element(dtype) + TORCH_STORAGE_OVERHEAD
            for shape, dtype in inputs
        )
        sizes = (
            f"Input size (MB): {input_bytes / 1e6:0.2f}",
            f"Forward/backward pass size (MB): {totals.output_bytes / 1e6:0.2f}",
            f"Params size (MB): {totals.param_bytes / 1e6:0.2f}",
            "Estimated Total Size (MB): "
            f"{(input_bytes + totals.output_bytes + totals.param_bytes) / 1e6:0.2f}",
        )
    widths = (name_width(lines, settings), settings.column_width)
    return Layout(
        None,
        Table(columns, tuple(rows)),
        tuple(lines_after),
        sizes,
        (*problem_lines(summary, _), *_hidden(summary, _)),
        widths,
    )


def _hidden(summary: ModelSummary, _: Gettext) -> tuple[str, ...]:
    """Where the totals may leave parameters out: the classes of a print(model) tree."""
    tree = summary.module_tree
    if tree is None or not tree.hidden:
        return ()
    classes = ", ".join(tree.hidden)
    return (
        _(
            "print(model) does not show an nn.Parameter a class of the author's holds itself "
            "({classes}): the totals are at least what the rows show"
        ).format(classes=classes),
    )


def _inputs(summary: ModelSummary) -> list[tuple[Shape, str]] | None:
    """Each input tensor's size and dtype (torchinfo's Input size sums them)."""
    tree = summary.module_tree
    if tree is not None and tree.inputs:
        return list(tree.inputs)
    if summary.input_shape is None or None in summary.input_shape:
        return None
    return [(summary.input_shape, summary.input_dtype)]


def _element(dtype: str) -> int:
    return INPUT_BYTES.get(dtype) or DTYPE_BYTES.get(dtype, 4)  # type: ignore[call-overload]


__all__ = [
    "DEFAULT_DEPTH",
    "HEADER_TITLES",
    "TorchSettings",
    "mult_adds",
    "torch_params",
    "torch_settings",
    "torch_shape",
    "torch_units",
    "torchinfo_layout",
]
