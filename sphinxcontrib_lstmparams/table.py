"""The breakdown table as a description: columns and cells, no markup (standard library only).

A layer kind says which columns its table has and what each cell holds; the printers (docutils
nodes for Sphinx, the terminal table of the command line) only lay them out, so the forms cannot
drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from .numbers import NumberStyle

TIMES = "\N{MULTIPLICATION SIGN}"


@dataclass(frozen=True)
class Product:
    """A weight matrix: its shape and its count, ``4096 × 256 = 1,048,576``."""

    shape: tuple[int, ...]


@dataclass(frozen=True)
class Counts:
    """Vectors side by side, ``256 + 256`` (PyTorch's two biases), or one count."""

    counts: tuple[int, ...]


Cell = Product | Counts | str | None  # str: a label, already translated


@dataclass(frozen=True)
class Column:
    header: str  # translated
    numeric: bool = True  # counts, read and aligned as numbers


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
    """A cell as plain text, the same in every printer."""
    if cell is None:
        return ""
    if isinstance(cell, str):
        return cell
    if isinstance(cell, Counts):
        return " + ".join(numbers.count(n) for n in cell.counts)
    count = 1
    for n in cell.shape:
        count *= n
    shape = f" {TIMES} ".join(str(n) for n in cell.shape)
    return f"{shape} = {numbers.count(count)}"
