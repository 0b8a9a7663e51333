"""The storage map as a table (one row per stored tensor and kind of parameter, every gate's
slice in the last column), with how to read it underneath."""

from __future__ import annotations

from typing import Any

from docutils import nodes

from .. import wording
from ..counting import Breakdown
from ..numbers import NumberStyle
from ..spec import Gettext, LayerSpec
from ..storage import storage_listing, storage_notes, storage_table
from ..table import cell_text
from .prose import paragraph
from .table import _column_widths

STORAGE_CLASS = "lstm-params-storage"
# The same map as a caption and a text listing; sphinxext keeps it for the builders whose
# tables cannot hold lines (text, man, texinfo) and the table for the others.
STORAGE_TEXT_CLASS = "lstm-params-storage-text"


def storage_nodes(
    breakdown: Breakdown[Any],
    _: Gettext,
    numbers: NumberStyle,
    title: list[nodes.Node] | None = None,
    title_source: tuple[str, str, int | None] | None = None,
) -> list[nodes.Element]:
    """The table and the notes, or nothing for a layer kind without a storage map."""
    if not isinstance(breakdown.spec, LayerSpec):
        return []
    described = storage_table(breakdown, _)
    headers = [column.header for column in described.columns]
    body = [[cell_text(cell, numbers) for cell in row.cells] for row in described.rows]

    table = nodes.table(classes=[STORAGE_CLASS])
    if title is None:
        title = [nodes.Text(wording.storage_caption(breakdown, _, numbers))]
    caption = nodes.title("", "", *title)
    if title_source:
        caption.rawsource, caption.source, caption.line = title_source
    table += caption
    group = nodes.tgroup(cols=len(headers))
    table += group
    # a multi-line cell is as wide as its longest line; the text builder quotes code
    lines = [[max(cell.split("\n"), key=len) + '""' for cell in row] for row in body]
    for index, width in enumerate(_column_widths([headers, *lines])):
        group += nodes.colspec(colwidth=width, stub=int(index == 0))
    head = nodes.thead()
    head += _row(headers)
    group += head
    tbody = nodes.tbody()
    code = len(headers) - 2  # the Tensor column (after Layer, when there is one)
    for cells in body:
        tbody += _row(cells, code)
    group += tbody
    listing = storage_listing(breakdown, _)
    text = nodes.container(classes=[STORAGE_TEXT_CLASS])
    text += nodes.paragraph("", "", *(node.deepcopy() for node in caption.children))
    text += nodes.literal_block(listing, listing)
    notes = [paragraph(note) for note in storage_notes(breakdown, _)]
    return [table, text, *notes]


def _row(cells: list[str], code: int | None = None) -> nodes.row:
    """A table row, each cell a line block (the text builder keeps its lines); with ``code``,
    the first line of that column (a tensor's name) and the last column's slices are set as
    code (``[:, 0:256]`` after each gate's ``label: ``)."""
    row = nodes.row()
    for index, text in enumerate(cells):
        entry = nodes.entry()
        lines = text.split("\n") if text else []
        if code is None or len(lines) < 2:
            entry += [paragraph(line) for line in lines]
            row += entry
            continue
        block = nodes.line_block()
        for number, line in enumerate(lines):
            if index == code and number == 0:  # the name, above its shape
                block += nodes.line("", "", nodes.literal(line, line))
            elif index == len(cells) - 1 and line.endswith("]"):
                label, _sep, where = line.rpartition(": ")
                block += nodes.line("", "", nodes.Text(f"{label}: "), nodes.literal(where, where))
            else:
                block += nodes.line(line, line)
        entry += block
        row += entry
    return row
