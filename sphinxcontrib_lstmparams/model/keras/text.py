"""Keras 3's summary as it prints it: a ``rich`` table (HEAVY_HEAD box, a rule between rows,
long cells wrapped at spaces and cut with an ellipsis), then the totals lines."""

from __future__ import annotations

from collections.abc import Sequence

from ...numbers import NumberStyle
from ...table import cell_text
from ..layout import Layout
from ..terminal import ELLIPSIS, pad, width_of

# Keras' default width for a sequential model, and where its column edges fall
KERAS_LINE_LENGTH = 88
KERAS_POSITIONS = (0.45, 0.80, 1.0)


def keras_widths(line_length: int, positions: Sequence[float] = KERAS_POSITIONS) -> list[int]:
    """The content width of each column. Keras asks for ``int(position * line_length)``
    minus the columns before; rich adds a space of padding either side, finds the sum too
    wide for the line less its borders (one more than the columns), and takes the excess
    back evenly, column by column, rounding half to even (rich/_ratio.py ratio_reduce)."""
    asked: list[int] = []
    for position in positions:
        asked.append(int(position * line_length) - sum(asked))
    measured = [width + 2 for width in asked]
    excess = sum(measured) - (line_length - len(positions) - 1)
    if excess > 0:
        remaining, ratio = excess, len(measured)
        for index, width in enumerate(measured):
            taken = min(width, round(remaining / ratio))
            measured[index] = width - taken
            remaining -= taken
            ratio -= 1
    return [max(width - 2, 1) for width in measured]


def _truncated(word: str, width: int) -> str:
    """A word wider than its column: cut, and an ellipsis in its last cell."""
    out = ""
    for char in word:
        if width_of(out + char) > width - 1:
            break
        out += char
    return out + ELLIPSIS


def wrap(text: str, width: int) -> list[str]:
    """rich's Text.wrap with overflow="ellipsis": fill words greedily, a word longer than
    the line on a line of its own, cut."""
    lines: list[str] = []
    line = ""
    words = text.lstrip(" ").split(" ")
    words[0] = " " * (len(text) - len(text.lstrip(" "))) + words[0]  # rich keeps an indent
    for word in words:
        if not lines and not line:
            line = word
        elif width_of(line) + 1 + width_of(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return [_truncated(part, width) if width_of(part) > width else part for part in lines]


Justify = str  # "left", "right" or "center", as rich's columns are justified


def _justified(text: str, width: int, justify: Justify) -> str:
    """rich's Text.align: the space left over goes right, left, or half each side (the
    odd one on the right)."""
    if justify == "center":
        excess = max(width - width_of(text), 0)
        return " " * (excess // 2) + text + " " * (excess - excess // 2)
    return pad(text, width, justify == "right")


def _box_row(
    cells: Sequence[str],
    widths: Sequence[int],
    justify: Sequence[Justify],
    edge: str,
    header: bool = False,
) -> list[str]:
    """One row of the box, its cells wrapped to their columns. rich aligns the cells of a
    header row to the bottom, a body row's to the top (rich/table.py, _render)."""
    wrapped = [wrap(cell, width) for cell, width in zip(cells, widths, strict=True)]
    height = max(map(len, wrapped))
    if header:
        wrapped = [[""] * (height - len(cell)) + cell for cell in wrapped]
    lines = []
    for number in range(height):
        parts = [
            " " + _justified(lines_[number] if number < len(lines_) else "", width, how) + " "
            for lines_, width, how in zip(wrapped, widths, justify, strict=True)
        ]
        lines.append(edge + edge.join(parts) + edge)
    return lines


def _rule(widths: Sequence[int], left: str, line: str, cross: str, right: str) -> str:
    return left + cross.join(line * (width + 2) for width in widths) + right


def keras_text(layout: Layout, line_length: int | None = None) -> str:
    """print_summary on a rich console of ``line_length`` columns (Keras' default for the
    model when None), captured: the title, the HEAVY_HEAD box with a rule between rows, and
    the totals lines, each after a space."""
    table = layout.table
    line_length = line_length or layout.line_length or KERAS_LINE_LENGTH
    widths = keras_widths(line_length, layout.positions or KERAS_POSITIONS)
    right = [
        "center" if column.centered else "right" if column.numeric else "left"
        for column in table.columns
    ]
    headers = [column.header for column in table.columns]
    style = NumberStyle()
    out = [layout.title or ""]
    out.append(_rule(widths, "┏", "━", "┳", "┓"))
    out += _box_row(headers, widths, right, "┃", header=True)
    out.append(_rule(widths, "┡", "━", "╇", "┩"))
    for index, row in enumerate(table.rows):
        if index:
            out.append(_rule(widths, "├", "─", "┼", "┤"))
        out += _box_row([cell_text(cell, style) for cell in row.cells], widths, right, "│")
    out.append(_rule(widths, "└", "─", "┴", "┘"))
    out += [f" {line}" for line in layout.totals]
    out += [f" {line}" for line in layout.problems]
    return "\n".join(out) + "\n"
