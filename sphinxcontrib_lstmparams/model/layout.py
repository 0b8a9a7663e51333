"""What every framework's summary layout shares (standard library only): the
:class:`Layout` (a title line, the table, the lines after it), the breakdowns' labels and ids,
and how a count that leaves a layer out is worded.

Each framework's own columns, number formats and size units are in its folder
(``keras/layout.py``, ``torch/layout.py``); :mod:`.printers` picks the one a summary needs.
The docutils renderer lays a layout out as a table, ``keras/text.py`` and ``torch/text.py``
draw it as the framework's own text.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, replace

from ..frameworks import FRAMEWORKS
from ..spec import Gettext, ModelPart
from ..table import Link, Table
from ..table import Row as TableRow
from .summary import ModelSummary, Row

# what we write in a cell nothing can be known for (a line before it failed)
UNKNOWN = "?"
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
    # the printed text's column widths where the framework fixes them (torchinfo: its first
    # column, from every row's label, shown or not, and the others' col_width)
    widths: tuple[int, ...] | None = None
    # Keras: the width it prints at when not told, and where its columns end (fractions of
    # the width), which depend on the model (a chain or a graph) and on show_trainable
    line_length: int | None = None
    positions: tuple[float, ...] = ()


# torchinfo's tree before a label: "│    └─", "|    + "
_TREE_INDENT = re.compile(r"^[│|└├+─ ]+")


def page_table(layout: Layout) -> Table:
    """The table as a page shows it: the spaces of torchinfo's tree before each label kept
    (no-break spaces; a page would fold them into one and flatten the tree)."""
    rows = []
    for row in layout.table.rows:
        label = row.cells[0] if row.cells else None
        if isinstance(label, str) and _TREE_INDENT.match(label):
            indent = _TREE_INDENT.match(label)
            assert indent is not None
            kept = indent.group().replace(" ", "\N{NO-BREAK SPACE}") + label[indent.end() :]
            row = TableRow((kept, *row.cells[1:]), row.is_total)
        rows.append(row)
    return replace(layout.table, rows=tuple(rows))


def printed_line_length(summary: ModelSummary) -> int:
    """The width of the framework's printed text in a page: the pasted code's own
    ``model.summary(line_length=...)``, else what fits a page's code block."""
    return summary.call.line_length or PRINTED_LINE_LENGTH


def default_caption(summary: ModelSummary, layout: Layout) -> str:
    """Keras' own title line; for torchinfo, which has none, the call that prints it."""
    return layout.title or f"torchinfo.summary({summary.title})"


def listed_rows(summary: ModelSummary) -> list[Row]:
    """Every row, each nested model's own rows after its row (Keras' expand_nested order):
    the rows a breakdown can belong to, numbered in this order."""
    listed: list[Row] = []
    for row in summary.rows:
        listed.append(row)
        if row.nested is not None and not row.nested_hidden:
            listed += listed_rows(row.nested)
    return listed


def breakdown_label(summary: ModelSummary, index: int) -> str:
    """What a layer's breakdown is headed with: its name and class as Keras lists it
    (``lstm (LSTM)``), or torchinfo's class and index (``GRU: 1-2``)."""
    row = listed_rows(summary)[index]
    if summary.framework == "keras":
        return f"{row.name} ({row.cls})"
    if row.module is not None:  # encoder.rnn: LSTM (LSTM: 2-3)
        where = f"{row.cls}: {row.module.depth}-{row.module.depth_index}"
        return f"{row.module.path}: {row.cls} ({where})"
    return f"{row.cls}: 1-{index + 1}"


def breakdown_ids(summary: ModelSummary, base: str, parts: Collection[ModelPart]) -> dict[int, str]:
    """Row index (in :func:`listed_rows`) -> the id of its breakdown, for every row that has
    one (the link targets); none when the breakdowns are not shown, so that no count links
    to nothing."""
    if "breakdowns" not in parts:
        return {}
    rows = enumerate(listed_rows(summary))
    return {
        index: f"{base}-layer-{index + 1}"
        for index, row in rows
        if row.recurrent and not (row.module is not None and row.module.recursive)
    }


def problem_lines(summary: ModelSummary, _: Gettext) -> tuple[str, ...]:
    rows = [
        (
            row.line,
            _("{layer} is not counted: {problem}").format(layer=row.name, problem=row.problem),
        )
        for row in summary.problems
    ]
    return tuple(text for _line, text in sorted([*rows, *summary.step_problems]))


def refused_totals(summary: ModelSummary, _: Gettext) -> tuple[str, ...]:
    """The totals of a model the framework would not build: none, and one line that says so
    (the problem lines after it say where and why)."""
    none = _("none: {framework} would not build this model")
    return (f"Total params: {none.format(framework=FRAMEWORKS[summary.framework].title)}",)


def at_least(summary: ModelSummary, text: str, _: Gettext) -> str:
    """A total that leaves out a layer says so in its own words."""
    return text if summary.complete else _("at least {count}").format(count=text)


def link(row: Row, index: int, text: str) -> Link | str:
    """A recurrent row's count links to its gate-by-gate breakdown."""
    return Link(text, index) if row.recurrent else text
