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
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace

from ..frameworks import FRAMEWORKS
from ..numbers import NumberStyle
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


def breakdown_ids(
    summary: ModelSummary,
    base: str,
    parts: Collection[ModelPart],
    taken: Callable[[str], bool] = lambda _id: False,
) -> dict[int, str]:
    """Row index (in :func:`listed_rows`) -> the id of its breakdown, for every row that has
    one (the link targets); none when the breakdowns are not shown, so that no count links
    to nothing.

    An id ``taken`` says is in use (an author's ``.. _m-layer-1:`` before the summary) gets a
    number after it, ``m-layer-1-2``: a count never links to the author's target."""
    if "breakdowns" not in parts:
        return {}
    ids: dict[int, str] = {}
    for index, row in enumerate(listed_rows(summary)):
        if not has_breakdown(row):
            continue
        wanted = candidate = f"{base}-layer-{index + 1}"
        again = 1
        while taken(candidate) or candidate in ids.values():
            again += 1
            candidate = f"{wanted}-{again}"
        ids[index] = candidate
    return ids


def has_breakdown(row: Row) -> bool:
    """A recurrent row, not the row of a container that holds one (torchinfo's
    ``Sequential``, whose own rows come after it)."""
    return row.recurrent and not (row.module is not None and row.module.recursive)


def same_breakdowns(summary: ModelSummary) -> dict[int, int]:
    """Row index -> the first row with the same breakdown, for every recurrent row that
    repeats an earlier one (the IMDB model's two ``Bidirectional(LSTM(64))``: the same layer
    on the same input, every tensor alike). Such a row's breakdown would say nothing new:
    it is written once, and the later rows point to it."""
    first: dict[object, int] = {}
    same: dict[int, int] = {}
    for index, row in enumerate(listed_rows(summary)):
        if not has_breakdown(row) or row.breakdown is None:
            continue
        earlier = first.setdefault(row.breakdown, index)
        if earlier != index:
            same[index] = earlier
    return same


def breakdown_links(ids: Mapping[int, str], same: Mapping[int, int]) -> dict[int, str]:
    """Row index -> where its count in the table links to: its breakdown, or the first one
    it repeats."""
    return {index: ids[same.get(index, index)] for index in ids if same.get(index, index) in ids}


def size_units(summary: ModelSummary, layout: Layout, numbers: NumberStyle, _: Gettext) -> str:
    """The base of the byte sizes the layout prints, said once under them: Keras' KB and MB
    step by 1,024 (summary_utils.py readable_memory_size, ``keras/layout.py``), torchinfo's
    MB is 10\N{SUPERSCRIPT SIX} bytes (model_statistics.py, ``torch/layout.py``); empty when
    the layout prints no size (torchinfo without an input shape)."""
    if summary.framework == "pytorch":
        if not layout.sizes:
            return ""
        return _("Sizes as torchinfo prints them: 1 MB = 10\N{SUPERSCRIPT SIX} bytes.")
    return _(
        "Sizes as Keras prints them: 1 KB = {kb} bytes, 1 MB = {kb}\N{SUPERSCRIPT TWO} bytes."
    ).format(kb=numbers.count(1024))


def problem_lines(summary: ModelSummary, _: Gettext) -> tuple[str, ...]:
    rows = [
        (
            row.line,
            _("{layer} is not counted: {problem}").format(layer=row.name, problem=row.problem),
        )
        for row in summary.problems
    ]
    return tuple(text for _line, text in sorted([*rows, *summary.step_problems]))


def at_least(summary: ModelSummary, text: str, _: Gettext) -> str:
    """A total that leaves out a layer says so in its own words."""
    return text if summary.complete else _("at least {count}").format(count=text)


def refused_totals(summary: ModelSummary, _: Gettext) -> tuple[str, ...]:
    """The totals of a model the framework would not build: none, and one line that says so
    (the problem lines after it say where and why)."""
    none = _("none: {framework} would not build this model")
    return (f"Total params: {none.format(framework=FRAMEWORKS[summary.framework].title)}",)


def link(row: Row, index: int, text: str) -> Link | str:
    """A recurrent row's count links to its gate-by-gate breakdown."""
    return Link(text, index) if row.recurrent else text
