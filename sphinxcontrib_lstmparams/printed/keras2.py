"""Keras 2's ``model.summary()`` read back: Keras 1 and 2.0 to 2.3 and tf.keras to 2.12
(``Total params: 4,385``), tf.keras / tf_keras 2.13 and later (``Total params: 4385
(17.13 KB)``).

A ``_`` rule, the header, a ``=`` rule, the rows, a ``=`` rule, the totals, a ``_`` rule
(tf_keras/src/utils/layer_utils.py, print_summary). The columns start where their titles do:
Keras pads every field to its column's start, so a row is read by cutting it there. The rows
are apart by a ``_`` rule (Keras up to 2.3) or a blank line (tf.keras). A cell too long for
its column is cut (Keras up to 2.3) or goes on at the same column on the next lines, with the
other cells blank (tf.keras, and every "Connected to" after the first in Keras up to 2.3):
a line whose Param # is blank belongs to the row above. ``expand_nested=True`` prints a
nested model's layers inside ``|`` bars, one more bar per level, boxed by ``¯`` rules.
"""

from __future__ import annotations

import re

from ..model.keras.layout import keras_bytes
from .summary import (
    PrintedRow,
    PrintedSummary,
    connections,
    count_lines,
    is_rule,
    name_and_class,
    parse_count,
    with_children,
)

TITLE = re.compile(r'Model: ".*"')
_TITLES = ("Layer (type)", "Output Shape", "Param #", "Connected to", "Trainable")


def read(lines: list[str], start: int) -> PrintedSummary | None:
    """The summary whose header is ``lines[start]``, or None."""
    header = lines[start]
    if start == 0 or not is_rule(lines[start - 1], "_"):
        return None
    if start + 1 >= len(lines) or not is_rule(lines[start + 1], "="):
        return None
    found = [(header.find(title), title) for title in _TITLES if title in header]
    titles = [title for _at, title in found]
    if titles[:3] != ["Layer (type)", "Output Shape", "Param #"] or found[0][0] > 1:
        return None
    starts = [at for at, _title in found]
    index = start + 2
    pieces: list[tuple[int, int, list[str]]] = []  # (line, nesting, cells) of each line
    elided = False
    while index < len(lines) and not is_rule(lines[index], "="):
        text = lines[index]
        if _is_separator(text):
            index += 1
            continue
        level = len(text) - len(text.lstrip("|"))
        cells = _cut(text, starts, level)
        if cells[2] or pieces:
            pieces.append((index, level, cells))
        else:
            elided = True
        index += 1
    if index >= len(lines):
        return None
    rows, unread = _rows(pieces, titles)
    counts, after = count_lines(lines, index + 1)
    last = after - 1 if counts else index
    if counts and after < len(lines) and is_rule(lines[after], "_"):
        last = after
    first = start - 1
    if first and TITLE.fullmatch(lines[first - 1].strip()):
        first -= 1
    return PrintedSummary(
        "keras2", first, last, tuple(titles), tuple(rows), counts, {}, elided or unread
    )


def _is_separator(text: str) -> bool:
    """A rule between rows: ``_``s, a blank line (within bars), a nested box's ``¯`` rule."""
    inner = text.strip().strip("|")
    return not inner.strip() or set(inner) <= {"_"} or set(inner) <= {"¯"}


def _cut(text: str, starts: list[int], level: int) -> list[str]:
    """One line cut at the columns' starts (a nested line's bars taken off)."""
    bounds = [0, *starts[1:], max(len(text), starts[-1]) + 1]
    cells = [text[bounds[k] : bounds[k + 1]] for k in range(len(starts))]
    cells[0] = cells[0][level:]
    if level:
        cells[-1] = cells[-1].rstrip().removesuffix("|" * level)
    return [cell.strip() for cell in cells]


def _rows(
    pieces: list[tuple[int, int, list[str]]], titles: list[str]
) -> tuple[list[PrintedRow], bool]:
    """Lines -> rows: a line with a Param # starts one, the others go on with it."""
    grouped: list[tuple[int, int, list[list[str]]]] = []
    for line, level, cells in pieces:
        if cells[2]:
            grouped.append((line, level, [cells]))
        else:
            grouped[-1][2].append(cells)
    linked_at = titles.index("Connected to") if "Connected to" in titles else None
    rows: list[PrintedRow] = []
    unread = False
    for line, level, parts in grouped:
        label, shape, params_text = ("".join(part[k] for part in parts) for k in range(3))
        name, cls = name_and_class(label)
        params = 0 if params_text == "0 (unused)" else parse_count(params_text)
        if params is None and not cls:
            unread = True
            continue
        linked = " ".join(part[linked_at] for part in parts) if linked_at is not None else ""
        rows.append(
            PrintedRow(
                line,
                label,
                cls,
                name=name,
                depth=level,
                output_shape=shape,
                params_text=params_text,
                params=params,
                connected_to=connections(linked),
            )
        )
    return with_children(rows), unread


def size_text(size: float) -> str:
    """How tf.keras 2.13+ prints a size: as Keras 3 does (1,024 to the KB), but ``Byte``
    below a KB (tf_keras/src/utils/layer_utils.py, readable_memory_size)."""
    text = keras_bytes(size)
    return text.removesuffix(" B") + " Byte" if text.endswith(" B") else text
