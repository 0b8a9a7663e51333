"""torchsummary's ``summary()`` read back (sksq96/pytorch-summary 1.5, torchsummary.py): a
``-`` rule, a right-aligned header, one ``Class-index`` row per module that has no children
of its own in a forward pass, then the totals and the sizes in MB of 1,024 x 1,024 bytes, all
counted as float32.

torchsummary counts a module's ``weight`` and ``bias`` only (an ``nn.LSTM``'s
``weight_ih_l0`` is not counted), and its totals are the sum of its rows.
"""

from __future__ import annotations

import re

from .summary import (
    PrintedRow,
    PrintedSummary,
    SizeLine,
    count_lines,
    is_rule,
    parse_count,
    size_lines,
)

HEADER = re.compile(r" {4,}Layer \(type\) +Output Shape +Param #")
_ROW = re.compile(r"\s*(?P<cls>\S+)-(?P<index>\d+)\s+(?P<shape>\[.*\])\s+(?P<params>[\d,]+)\s*")
# bytes per parameter and per MB (torchsummary.py: "assume 4 bytes/number", / (1024 ** 2.))
BYTES_PER_PARAM = 4
BYTES_PER_MB = 1024**2


def read(lines: list[str], start: int) -> PrintedSummary | None:
    """The summary whose header is ``lines[start]``, or None."""
    if not HEADER.fullmatch(lines[start].rstrip()) or start == 0:
        return None
    if not (is_rule(lines[start - 1], "-") or is_rule(lines[start - 1], "=")):
        return None
    if start + 1 >= len(lines):
        return None
    if not is_rule(lines[start + 1], "="):
        return None
    rows: list[PrintedRow] = []
    elided = False
    index = start + 2
    while index < len(lines) and not is_rule(lines[index], "="):
        match = _ROW.fullmatch(lines[index])
        if match:
            params = parse_count(match["params"])
            label = f"{match['cls']}-{match['index']}"
            rows.append(
                PrintedRow(
                    index,
                    label,
                    match["cls"],
                    output_shape=match["shape"],
                    params_text=match["params"],
                    params=params,
                )
            )
        elif lines[index].strip():
            elided = True
        index += 1
    if index >= len(lines):
        return None
    counts, after = count_lines(lines, index + 1)
    last = after - 1 if counts else index
    sizes: dict[str, SizeLine] = {}
    if counts and after < len(lines) and _is_rule(lines[after]):
        sizes, end = size_lines(lines, after + 1)
        if sizes:
            last = end if end < len(lines) and _is_rule(lines[end]) else end - 1
    columns = ("Layer (type)", "Output Shape", "Param #")
    return PrintedSummary(
        "torchsummary", start - 1, last, columns, tuple(rows), counts, sizes, elided
    )


def _is_rule(line: str) -> bool:
    return is_rule(line, "-") or is_rule(line, "=")
