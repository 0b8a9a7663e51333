"""The breakdown table as a description: columns and cells, no markup (standard library only).

A layer kind says which columns its table has and what each cell holds; the printers (docutils
nodes for Sphinx, the terminal table of the command line) only lay them out, so the forms cannot
drift apart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

from .numbers import NumberStyle

TIMES = "\N{MULTIPLICATION SIGN}"
# Inside a cell only the spaces around "=" may break a line: "4,096 × 256" / "= 1,048,576";
# never a product, a sum or a number.
KEEP = "\N{NO-BREAK SPACE}"
Rows = Literal["gates", "layers"]  # one row per gate, or per layer and direction
ROWS: tuple[Rows, ...] = get_args(Rows)


@dataclass(frozen=True)
class Product:
    """``copies`` weight matrices of one shape: ``4,096 × 256 = 1,048,576``, or for four gates
    folded into one row ``4 × (64 × 128) = 32,768``."""

    shape: tuple[int, ...]
    copies: int = 1

    @property
    def count(self) -> int:
        return self.copies * math.prod(self.shape)


@dataclass(frozen=True)
class Counts:
    """Vectors side by side, ``256 + 256`` (PyTorch's two biases), or one count;
    ``copies`` of them when gates are folded into one row: ``4 × (128 + 128) = 1,024``."""

    counts: tuple[int, ...]
    copies: int = 1

    @property
    def count(self) -> int:
        return self.copies * sum(self.counts)


@dataclass(frozen=True)
class Link:
    """Text that leads to more about its row (a model summary's count -> the layer's
    breakdown); ``key`` names what it leads to, and the printer turns it into a reference."""

    text: str
    key: int


Cell = Product | Counts | Link | str | None  # str: a label, already translated


@dataclass(frozen=True)
class Column:
    header: str  # translated
    numeric: bool = True  # counts, read and aligned as numbers
    centered: bool = False  # a mark in the middle of its column (Keras' Trainable Y/N)


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    is_total: bool = False


@dataclass(frozen=True)
class Table:
    """Columns, then rows whose cells line up with them; the first column names the row."""

    columns: tuple[Column, ...]
    rows: tuple[Row, ...]

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row.cells) != len(self.columns):
                raise ValueError(f"{len(row.cells)} cells for {len(self.columns)} columns")


def cell_text(cell: Cell, numbers: NumberStyle) -> str:
    """A cell as plain text, the same in every printer. Only the space before ``=`` breaks:
    the result goes to a line of its own with its ``=``, as in the formula, and never leaves
    the ``=`` alone on a line (a narrow HTML column broke a product over three lines)."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, Link):
        return cell.text
    times, plus = f"{KEEP}{TIMES}{KEEP}", f"{KEEP}+{KEEP}"
    if isinstance(cell, Counts):
        parts = plus.join(numbers.count(n) for n in cell.counts)
        if cell.copies == 1 and len(cell.counts) == 1:
            return parts
        if cell.copies == 1:
            return parts if len(cell.counts) < 3 else f"{parts} ={KEEP}{numbers.count(cell.count)}"
        grouped = f"({parts})" if len(cell.counts) > 1 else parts
        return f"{cell.copies}{times}{grouped} ={KEEP}{numbers.count(cell.count)}"
    shape = times.join(numbers.count(n) for n in cell.shape)
    if cell.copies > 1:
        shape = f"{cell.copies}{times}({shape})"
    return f"{shape} ={KEEP}{numbers.count(cell.count)}"


def _pieces(text: str) -> list[str]:
    """What a line may break between: plain spaces, an ``=`` staying with its result."""
    pieces: list[str] = []
    for word in text.split(" "):
        if pieces and pieces[-1] == "=":
            pieces[-1] += f" {word}"
        else:
            pieces.append(word)
    return pieces


def _wrapped(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width``, broken at plain spaces only."""
    lines: list[str] = []
    for word in _pieces(text):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


def format_plain(
    headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[bool], width: int = 0
) -> str:
    """A monospace table: columns two spaces apart, numbers right-aligned, a rule under the
    headers and above the last (totals) row. With ``width``, the widest columns wrap (at plain
    spaces) until the table fits, as far as their longest unbreakable piece allows."""
    table = [list(headers), *map(list, rows)]
    widths = [max(len(row[c]) for row in table) for c in range(len(headers))]
    floors = [
        max(len(piece) for row in table for piece in row[c].split(" ")) for c in range(len(widths))
    ]
    while width and sum(widths) + 2 * (len(widths) - 1) > width:
        widest = max(range(len(widths)), key=lambda c: widths[c] - floors[c])
        if widths[widest] <= floors[widest]:
            break
        widths[widest] -= 1
    rule = "  ".join("-" * w for w in widths)
    lines = []
    for index, row in enumerate(table):
        wrapped = [_wrapped(cell, w) for cell, w in zip(row, widths, strict=True)]
        for line in range(max(map(len, wrapped))):
            cells = [
                (pieces[line] if line < len(pieces) else "").rjust(w)
                if is_number
                else (pieces[line] if line < len(pieces) else "").ljust(w)
                for pieces, w, is_number in zip(wrapped, widths, numeric, strict=True)
            ]
            lines.append("  ".join(cells).rstrip())
        if index == 0 or index == len(table) - 2:
            lines.append(rule)
    return "\n".join(lines)
