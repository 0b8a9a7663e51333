"""torchinfo's ``summary()`` read back (torchinfo 1.x and torch-summary 1.4, its former name):
``=`` dividers, a header, one row per module, the totals, and with an input the mult-adds and
the estimated sizes in MB of 10^6 bytes (torchinfo/formatting.py, model_statistics.py,
layer_info.py; the rules we print it by are in ``model/torch/``).

A row's label is its class after a prefix saying its depth (``├─`` at depth 1,
``│    └─`` at depth 2, ``+ `` and ``|    + `` with ``ascii_only``), then ``: depth-index``
(``row_settings`` "depth") and `` (var_name)`` ("var_names"). Its cells are left-aligned
under the header, never cut: a long one pushes the next along, so they are read as words
(a shape in brackets is one word). Param # is ``--`` for none, ``(50,000)`` when none of it
trains, ``(recursive)`` for a module met again (not in the total); ``verbose=2`` adds a row
per parameter (``├─weight_ih_l0``, ``├─1,024``), which is no module.
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
    with_children,
)

_PREFIX = re.compile(r"(?P<bars>(?:[│|] {4})*)(?P<tee>├─|└─|\+ )?(?P<rest>.*)")
_NAME = re.compile(r"(?P<cls>[A-Za-z_][\w.]*)(?: \((?P<var>[^()]*)\))?(?::\s*\d+(?:-\d+)?)?")
_WORD = re.compile(r"\[[^\s]*(?: [^\s\]]*)*\]+|\S+")


def _columns(header: str) -> list[tuple[int, str]]:
    """Each column's start and title: titles are apart by two spaces or more."""
    return [(m.start(), m.group()) for m in re.finditer(r"\S+(?: \S+)*", header)]


def _words(text: str, offset: int) -> list[tuple[int, str]]:
    """The cells after the label: a shape in brackets (spaces inside) or a run of non-blanks."""
    words = []
    index = 0
    while index < len(text):
        if text[index] == " ":
            index += 1
            continue
        if text[index] == "[":
            depth, end = 0, index
            while end < len(text):
                depth += {"[": 1, "]": -1}.get(text[end], 0)
                end += 1
                if depth == 0:
                    break
        else:
            end = text.find(" ", index)
            end = len(text) if end < 0 else end
        words.append((offset + index, text[index:end]))
        index = end
    return words


def read(lines: list[str], start: int) -> PrintedSummary | None:
    """The summary whose header is ``lines[start]`` (``Layer (type...``), or None."""
    header = lines[start]
    if not header.startswith("Layer (type") or start == 0 or not is_rule(lines[start - 1], "="):
        return None
    if start + 1 >= len(lines) or not is_rule(lines[start + 1], "="):
        return None
    columns = _columns(header)
    if len(columns) < 1:
        return None
    name_width = columns[1][0] if len(columns) > 1 else len(header) + 1
    rows: list[PrintedRow] = []
    elided = False
    index = start + 2
    while index < len(lines) and not is_rule(lines[index], "="):
        row = _row(lines[index], index, columns, name_width)
        if row is None:
            elided = elided or bool(lines[index].strip())
        elif row is not _INNER:
            rows.append(row)
        index += 1
    if index >= len(lines):
        return None
    counts, after = count_lines(lines, index + 1)
    sizes: dict[str, SizeLine] = {}
    last = index
    if counts:
        last = after - 1
        if after < len(lines) and lines[after].startswith("Total mult-adds"):
            last, after = after, after + 1
        if after < len(lines) and is_rule(lines[after], "="):
            last = after
            sizes, end = size_lines(lines, after + 1)
            if sizes:
                last = end if end < len(lines) and is_rule(lines[end], "=") else end - 1
    titles = tuple(title for _start, title in columns)
    return PrintedSummary(
        "torchinfo", start - 1, last, titles, tuple(with_children(rows)), counts, sizes, elided
    )


# a verbose=2 row for one parameter of the module above it
_INNER = PrintedRow(-1, "", "")


def _row(
    line: str, index: int, columns: list[tuple[int, str]], name_width: int
) -> PrintedRow | None:
    label = line[:name_width].rstrip()
    prefix = _PREFIX.fullmatch(label)
    if not label or prefix is None:
        return None
    depth = 0 if not prefix["tee"] else len(prefix["bars"]) // 5 + 1
    name = _NAME.fullmatch(prefix["rest"].strip())
    words = _words(line[name_width:], name_width)
    cells = _cells(words, columns[1:])
    params_text = cells.get("Param #", "")
    if params_text.startswith(("├─", "└─")):
        return _INNER
    if name is None:
        return None
    if words and not params_text:  # torch-summary's verbose rows: a kernel shape only
        return _INNER
    counted = params_text != "(recursive)"
    bare = params_text.strip("()")
    params = 0 if params_text == "--" else parse_count(bare) if counted else None
    return PrintedRow(
        index,
        label,
        name["cls"],
        name=name["var"] or "",
        depth=depth,
        output_shape=cells.get("Output Shape", ""),
        input_shape=cells.get("Input Shape"),
        params_text=params_text,
        params=params,
        counted=counted,
    )


def _cells(words: list[tuple[int, str]], columns: list[tuple[int, str]]) -> dict[str, str]:
    """Words -> the columns they stand in: in order when there is one per column, else by
    where they start (verbose rows leave cells empty)."""
    if len(words) == len(columns):
        return {title: word for (_start, title), (_at, word) in zip(columns, words, strict=True)}
    cells: dict[str, str] = {}
    for at, word in words:
        title = next((t for s, t in reversed(columns) if s <= at), None)
        if title is not None and title not in cells:
            cells[title] = word
    return cells
