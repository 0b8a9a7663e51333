"""torchinfo's summary as it prints it: fixed-width columns between ``=`` dividers."""

from __future__ import annotations

import math
from collections.abc import Sequence

from ...numbers import NumberStyle
from ...table import cell_text
from ..layout import Layout
from ..terminal import pad, width_of

# torchinfo's first column and the others (formatting.py)
TORCH_NAME_WIDTH = 40
TORCH_COLUMN_WIDTH = 25


def torchinfo_text(layout: Layout) -> str:
    """ModelStatistics.__repr__: dividers of ``=``, the name column 40 wide (wider, in steps
    of 5, for a longer label) and the others 25, every line stripped on the right."""
    table = layout.table
    style = NumberStyle()
    rows = [[cell_text(cell, style) for cell in row.cells] for row in table.rows]
    if layout.widths is not None:
        name_width, column_width = layout.widths
    else:
        # formatting.py set_layer_name_width: label without its "├─", plus 5 per depth, plus 1
        longest = max(
            width_of(row[0][2:]) + 6 if index else width_of(row[0]) + 1
            for index, row in enumerate(rows)
        )
        name_width, column_width = TORCH_NAME_WIDTH, TORCH_COLUMN_WIDTH
        if longest >= name_width:
            name_width = math.ceil(longest / 5) * 5
    columns = len(table.columns) - 1
    divider = "=" * (name_width + columns * column_width)

    def line(cells: Sequence[str]) -> str:
        text = pad(cells[0], name_width, False) + " "
        text += "".join(pad(cell, column_width, False) + " " for cell in cells[1:])
        return text.rstrip()

    out = [divider, line([column.header for column in table.columns]), divider]
    out += [line(row) for row in rows]
    out += [divider, *layout.totals]
    if layout.sizes:
        out += [divider, *layout.sizes]
    out += layout.problems
    out.append(divider)
    return "\n".join(out)
