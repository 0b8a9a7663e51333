"""Keras 3's ``model.summary()`` read back: a ``rich`` box (HEAVY_HEAD, a rule between rows,
long cells wrapped onto more lines), then `` Total params: 2,757,761 (10.52 MB)`` and its
siblings (keras/src/utils/summary_utils.py, print_summary; the rules we print it by are in
``model/keras/``, and ``tests/data/model_summaries_NOTES.md`` cites the lines).

Columns: ``Layer (type)``, ``Output Shape``, ``Param #``, then ``Connected to`` for a model
that is not a chain, and ``Trainable`` with ``show_trainable=True``. ``expand_nested=True``
prints a nested model's layers under it, each name after ``"   " * level + "└ "``.
"""

from __future__ import annotations

import re

from ..model.keras.layout import keras_bytes
from .summary import (
    PrintedRow,
    PrintedSummary,
    connections,
    count_lines,
    name_and_class,
    parse_count,
    with_children,
)

TITLE = re.compile(r'Model: ".*"')
_NESTED = re.compile(r"(?P<indent>(?:   )*)└ ")


def _cells(line: str, edge: str) -> list[str] | None:
    """The cells of one line of the box, each with its padding; None for another line."""
    text = line.strip()
    if len(text) < 2 or text[0] != edge or text[-1] != edge:
        return None
    return text[1:-1].split(edge)


def _group(lines: list[str], edge: str) -> tuple[list[str], str]:
    """Wrapped lines of one row -> each cell's text joined (rich wraps at spaces), and the
    first line's first cell as printed (its indent says how deeply the layer is nested)."""
    split = [_cells(line, edge) or [] for line in lines]
    width = max(map(len, split))
    cells = [
        " ".join(part[k].strip() for part in split if k < len(part) and part[k].strip())
        for k in range(width)
    ]
    return cells, (split[0][0] if split and split[0] else "")


def read(lines: list[str], start: int) -> PrintedSummary | None:
    """The summary whose box starts at ``lines[start]`` (``┏``), or None."""
    if not lines[start].lstrip().startswith("┏"):
        return None
    index = start + 1
    header: list[str] = []
    while index < len(lines) and lines[index].lstrip().startswith("┃"):
        header.append(lines[index])
        index += 1
    if not header or index >= len(lines) or not lines[index].lstrip().startswith("┡"):
        return None
    columns, _first = _group(header, "┃")
    if columns[:1] != ["Layer (type)"] or "Param #" not in columns:
        return None
    index += 1
    groups: list[tuple[int, list[str]]] = []
    current: list[str] = []
    first = index
    while index < len(lines):
        text = lines[index].lstrip()
        if text.startswith("│"):
            if not current:
                first = index
            current.append(lines[index])
        elif text.startswith(("├", "└")):
            if current:
                groups.append((first, current))
            current = []
            if text.startswith("└"):
                break
        else:
            return None  # not the box it seemed to be
        index += 1
    else:
        return None  # a box that never closes
    rows, elided = _rows(groups, columns)
    counts, after = count_lines(lines, index + 1)
    begin = start - 1 if start and TITLE.fullmatch(lines[start - 1].strip()) else start
    return PrintedSummary(
        "keras3", begin, max(index, after - 1), tuple(columns), tuple(rows), counts, {}, elided
    )


def _rows(groups: list[tuple[int, list[str]]], columns: list[str]) -> tuple[list[PrintedRow], bool]:
    shape_at = columns.index("Output Shape") if "Output Shape" in columns else None
    params_at = columns.index("Param #")
    linked_at = columns.index("Connected to") if "Connected to" in columns else None
    rows: list[PrintedRow] = []
    elided = False
    for line, group in groups:
        cells, first_cell = _group(group, "│")
        if len(cells) != len(columns):
            elided = True
            continue
        nested = _NESTED.match(first_cell[1:])
        depth = max(len(nested["indent"]) // 3, 1) if nested else 0
        label = cells[0].removeprefix("└ ").strip() if nested else cells[0]
        name, cls = name_and_class(label)
        text = cells[params_at]
        params = 0 if text == "0 (unbuilt)" else parse_count(text)
        if not cls and params is None:
            elided = True  # "..." where rows were left out
            continue
        rows.append(
            PrintedRow(
                line,
                label,
                cls,
                name=name,
                depth=depth,
                output_shape=cells[shape_at] if shape_at is not None else "",
                params_text=text,
                params=params,
                connected_to=connections(cells[linked_at]) if linked_at is not None else (),
            )
        )
    return with_children(rows), elided


def size_text(size: float) -> str:
    """How Keras 3 prints a size in bytes (1,024 to the KB; model/keras/layout.py)."""
    return keras_bytes(size)
