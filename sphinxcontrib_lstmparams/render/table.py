"""The breakdown table as a docutils table: caption, header row, stub column, totals row."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from docutils import nodes
from docutils.utils import column_width

from .. import wording
from ..counting import Breakdown
from ..kinds import kind_of
from ..numbers import NumberStyle
from ..spec import Gettext
from ..table import Link, Rows, Table, cell_text
from .prose import paragraph

# Text builder: it reads colspec colwidth as characters; keep a table within 80 columns.
TEXT_WIDTH = 80


NUMBER_CLASS = "lstm-params-number"  # right-aligned, tabular figures (static/lstm-params.css)
TOTAL_CLASS = "lstm-params-total"


# the white space before a word, for where the text writer may break a line
_SPACE, _AFTER_SPACE, _AFTER_OTHER = 0, 1, 2


def _chunks(text: str) -> tuple[tuple[int, int], ...]:
    """``text`` as the text writer wraps it: each run of white space or of other characters,
    with its width in terminal columns and what it is (white space, a word after one plain
    space, any other word)."""
    parts = [part for part in re.split(r"(\s+)", text) if part]
    return tuple(
        (
            len(part) if part.isascii() else column_width(part),  # ASCII: one column each
            _SPACE
            if part.isspace()
            else _AFTER_SPACE
            if index and parts[index - 1] == " "
            else _AFTER_OTHER,
        )
        for index, part in enumerate(parts)
    )


def _breaks_only_at_spaces(chunks: Sequence[tuple[int, int]], width: int) -> bool:
    """Whether Sphinx's text writer, wrapping a cell (its :func:`_chunks`) at ``width``,
    breaks lines at plain spaces only. It breaks at any white space, and a number grouped
    with no-break spaces would be split ("1 048 / 576"); the widths below avoid that
    instead of trusting it.
    """
    line = 0
    for size, kind in chunks:
        if kind == _SPACE:
            line += size
            continue
        if line and line + size > width:
            if kind != _AFTER_SPACE:  # the line ends at a space that is not ours to break
                return False
            line = 0
        if size > width:
            return False  # a word wider than the column is cut anywhere
        line += size
    return True


def _column_widths(rows: Sequence[Sequence[str]]) -> list[int]:
    """Widest cell per column, shrunk (widest first) to fit TEXT_WIDTH in the text builder,
    which reads colwidth as terminal columns (a CJK character takes two), never to a width
    at which a cell would break anywhere but at a plain space.

    Each width of a column is tried at most once: a column's next narrower width is only
    looked for again after it took the last one, from there down, and never below its
    widest word (no cell stays whole there). A table at the limits (100 bidirectional
    layers, 13-digit counts) takes milliseconds; tests/test_column_widths.py holds it to the
    search that tried every width of every column at every step.
    """
    columns = [[_chunks(row[c]) for row in rows] for c in range(len(rows[0]))]
    widths = [
        max((sum(size for size, _kind in cell) for cell in cells), default=0) for cells in columns
    ]
    floors = [
        max([1, *(size for cell in cells for size, kind in cell if kind != _SPACE)])
        for cells in columns
    ]

    def narrower(column: int) -> int | None:
        """The next smaller width that keeps this column's cells whole, if any."""
        for width in range(widths[column] - 1, floors[column] - 1, -1):
            if all(_breaks_only_at_spaces(cell, width) for cell in columns[column]):
                return width
        return None

    options = [narrower(c) for c in range(len(widths))]
    # the text writer adds a border and a space either side of every column
    while sum(widths) + 3 * len(widths) + 1 > TEXT_WIDTH:
        shrinkable = [c for c, width in enumerate(options) if width is not None]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda c: widths[c])
        widths[widest] = options[widest] or widths[widest]
        options[widest] = narrower(widest)
    return widths


def breakdown_table(
    breakdown: Breakdown[Any],
    _: Gettext,
    numbers: NumberStyle,
    title: list[nodes.Node] | None = None,
    title_source: tuple[str, str, int | None] | None = None,
    rows: Rows | None = None,
) -> nodes.table:
    described = kind_of(breakdown.spec).table(breakdown.spec, breakdown.tensors, _, rows)
    if title is None:
        title = [nodes.Text(wording.caption(breakdown, _, numbers))]
    return docutils_table(described, numbers, title, title_source)


def docutils_table(
    described: Table,
    numbers: NumberStyle,
    title: list[nodes.Node] | None = None,
    title_source: tuple[str, str, int | None] | None = None,
    links: Mapping[int, str] | None = None,
    classes: Sequence[str] = ("lstm-params-table",),
) -> nodes.table:
    """A described table as docutils nodes: its caption (``title``), the header row, the
    first column as the stub, numbers right-aligned, the totals row strong; a
    :class:`~.table.Link` cell becomes a reference to the id ``links`` gives its key."""
    headers = [column.header for column in described.columns]
    numeric = [column.numeric for column in described.columns]
    body = [[cell_text(cell, numbers) for cell in row.cells] for row in described.rows]

    table = nodes.table(classes=list(classes))
    if title is not None:
        caption = nodes.title("", "", *title)
        if title_source:
            # the author's own caption stays translatable, like a table directive's title
            caption.rawsource, caption.source, caption.line = title_source
        table += caption
    group = nodes.tgroup(cols=len(headers))
    table += group
    # the text builder prints strong text between ** marks: room for them in the totals row
    marked = [
        [f"**{text}**" if row.is_total and text else text for text in cells]
        for cells, row in zip(body, described.rows, strict=True)
    ]
    for index, width in enumerate(_column_widths([headers, *marked])):
        colspec = nodes.colspec(colwidth=width)
        if index == 0:
            # the first column names the row (a stub: <th scope="row"> in HTML). Only there:
            # Sphinx's LaTeX writer reads any `stub` attribute, even 0, as a stub column.
            colspec["stub"] = 1
        group += colspec
    head = nodes.thead()
    head += _table_row(headers, numeric)
    group += head
    tbody = nodes.tbody()
    for cells, described_row in zip(body, described.rows, strict=True):
        targets = [
            links.get(cell.key) if links and isinstance(cell, Link) else None
            for cell in described_row.cells
        ]
        tbody += _table_row(cells, numeric, described_row.is_total, targets)
    group += tbody
    return table


def _table_row(
    cells: Sequence[str],
    numeric: Sequence[bool],
    total: bool = False,
    targets: Sequence[str | None] = (),
) -> nodes.row:
    row = nodes.row(classes=[TOTAL_CLASS] if total else [])
    for index, (text, is_number) in enumerate(zip(cells, numeric, strict=True)):
        entry = nodes.entry(classes=[NUMBER_CLASS] if is_number else [])
        target = targets[index] if index < len(targets) else None
        if text and target:
            reference = nodes.reference(text, text, refid=target, internal=True)
            entry += nodes.paragraph("", "", reference)
        elif text:
            entry += nodes.paragraph("", "", nodes.strong(text, text)) if total else paragraph(text)
        row += entry
    return row
