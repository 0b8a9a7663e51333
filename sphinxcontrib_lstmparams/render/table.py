"""The breakdown table as a docutils table: caption, header row, stub column, totals row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docutils import nodes
from docutils.utils import column_width

from .. import wording
from ..counting import Breakdown
from ..kinds import kind_of
from ..numbers import NumberStyle
from ..spec import Gettext
from ..table import cell_text
from .prose import paragraph

# Text builder: it reads colspec colwidth as characters; keep a table within 80 columns.
TEXT_WIDTH = 80


def _column_widths(rows: Sequence[Sequence[str]]) -> list[int]:
    """Widest cell per column, shrunk (widest first, never below its longest word) to fit
    TEXT_WIDTH in the text builder, which reads colwidth as terminal columns (a CJK
    character takes two)."""
    widths = [max(column_width(row[c]) for row in rows) for c in range(len(rows[0]))]
    floors = [
        max((max(map(column_width, row[c].split()), default=0) for row in rows), default=1)
        for c in range(len(widths))
    ]
    # the text writer adds a border and a space either side of every column
    while sum(widths) + 3 * len(widths) + 1 > TEXT_WIDTH:
        widest = max(range(len(widths)), key=lambda c: widths[c] - floors[c])
        if widths[widest] <= floors[widest]:
            break
        widths[widest] -= 1
    return widths


def breakdown_table(
    breakdown: Breakdown[Any],
    _: Gettext,
    numbers: NumberStyle,
    title: list[nodes.Node] | None = None,
    title_source: tuple[str, str, int | None] | None = None,
) -> nodes.table:
    described = kind_of(breakdown.spec).table(breakdown.spec, breakdown.tensors, _)
    headers = [column.header for column in described.columns]
    body = [[cell_text(cell, numbers) for cell in row.cells] for row in described.rows]

    table = nodes.table(classes=["lstm-params-table"])
    if title is None:
        title = [nodes.Text(wording.caption(breakdown, _, numbers))]
    caption = nodes.title("", "", *title)
    if title_source:
        # the author's own caption stays translatable, like a table directive's title
        caption.rawsource, caption.source, caption.line = title_source
    table += caption
    group = nodes.tgroup(cols=len(headers))
    table += group
    for index, width in enumerate(_column_widths([headers, *body])):
        # the first column names the row (a stub: <th scope="row"> in HTML)
        group += nodes.colspec(colwidth=width, stub=int(index == 0))
    head = nodes.thead()
    head += _table_row(headers)
    group += head
    tbody = nodes.tbody()
    for cells in body:
        tbody += _table_row(cells)
    group += tbody
    return table


def _table_row(cells: Sequence[str]) -> nodes.row:
    row = nodes.row()
    for text in cells:
        entry = nodes.entry()
        if text:
            entry += paragraph(text)
        row += entry
    return row
