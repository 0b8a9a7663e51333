"""A printed model summary read back into data: its rows, its totals lines and its sizes, each
with the line it was printed on (standard library only).

Every reader (``keras2.py``, ``keras3.py``, ``torchinfo.py``, ``torchsummary.py``) fills in
the same :class:`PrintedSummary`; the checks read nothing else. Numbers are kept as printed
too, so that a message can quote them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Literal

# The tools whose printed summaries are read, by the name a message uses for them.
Tool = Literal["keras2", "keras3", "torchinfo", "torchsummary"]
TOOL_TITLES: dict[Tool, str] = {
    "keras2": "Keras 2",
    "keras3": "Keras 3",
    "torchinfo": "torchinfo",
    "torchsummary": "torchsummary",
}

# A dimension as printed: a whole number, or None for an unknown one (Keras' None,
# torchsummary's -1 for the batch).
Dim = int | None
Shape = tuple[Dim, ...]

_COUNT = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@dataclass(frozen=True)
class PrintedRow:
    """One layer as printed. ``line`` is the index, in the block, of the line that holds its
    count (its first line); ``depth`` is how deep it is nested (0: a layer of the model
    itself; torchinfo numbers its own depths, the model's row being 0)."""

    line: int
    label: str  # the first cell, its wrapped lines joined: "lstm (LSTM)", "├─LSTM: 1-2"
    cls: str  # the layer's class: "LSTM"
    name: str = ""  # Keras' layer name: "lstm"
    depth: int = 0
    output_shape: str = ""  # as printed, wrapped lines joined
    input_shape: str | None = None  # torchinfo's Input Shape column, when shown
    params_text: str = ""  # the Param # cell as printed
    params: int | None = None  # None: the cell holds no count (unbuilt, "(recursive)", cut)
    counted: bool = True  # False: the tool leaves it out of its total ("(recursive)")
    connected_to: tuple[str, ...] = ()  # Keras' "Connected to": "embedding[0][0]", ...
    has_children: bool = False  # rows nested under it are printed too


@dataclass(frozen=True)
class CountLine:
    """A totals line: ``Total params: 2,757,761 (10.52 MB)``."""

    line: int
    label: str  # "Total params", "Trainable params", ...
    count: int
    count_text: str
    size: str | None = None  # the size in brackets after it, as printed: "10.52 MB"


@dataclass(frozen=True)
class SizeLine:
    """One of the estimated sizes after the totals: ``Params size (MB): 16.93``."""

    line: int
    label: str  # "Params size (MB)"
    value: float
    text: str  # "16.93"


@dataclass(frozen=True)
class PrintedSummary:
    """A summary found in a block of text, lines counted from the block's first line."""

    tool: Tool
    first_line: int
    last_line: int
    columns: tuple[str, ...]
    rows: tuple[PrintedRow, ...]
    counts: dict[str, CountLine] = field(default_factory=dict)  # by label
    sizes: dict[str, SizeLine] = field(default_factory=dict)  # by label
    # a line in the table that is no row (``...`` where rows were left out): the rows are
    # then not all there, and cannot be added up
    elided: bool = False
    # the model's name as printed: Keras' ``Model: "sequential"``, torchinfo's first row
    model_name: str = ""

    @property
    def title(self) -> str:
        return TOOL_TITLES[self.tool]

    def count(self, label: str) -> CountLine | None:
        return self.counts.get(label)


def without_ansi(text: str) -> str:
    """Text as a terminal shows it: a notebook keeps the colour codes of what was printed."""
    return _ANSI.sub("", text) if "\x1b" in text else text


def parse_count(text: str) -> int | None:
    """``4,457,472`` or ``4457472`` -> 4457472; None for anything else."""
    text = text.strip()
    match = _COUNT.fullmatch(text)
    return int(text.replace(",", "")) if match else None


def parse_shapes(text: str) -> list[Shape] | None:
    """A printed output shape -> its shapes: ``(None, 32)``, ``[64, 200, 512]``,
    ``[(None, 64), (None, 64)]``, ``[[-1, 10], [-1, 2]]``; None when it is none of those
    (``multiple``, ``?``, ``--``, cut with an ellipsis)."""
    text = text.strip()
    if (
        not text
        or text[0] not in "(["
        or text.count("(") + text.count("[") != text.count(")") + text.count("]")
    ):
        return None
    inner = re.findall(r"[(\[]([^()\[\]]*)[)\]]", text)
    if not inner:
        return None
    shapes: list[Shape] = []
    for group in inner:
        dims: list[Dim] = []
        for word in (w.strip() for w in group.split(",")):
            if not word:
                continue
            if word in ("None", "-1", "?"):
                dims.append(None)
            elif word.isdigit():
                dims.append(int(word))
            else:
                return None
        shapes.append(tuple(dims))
    return shapes


def first_shape(text: str | None) -> Shape | None:
    """The first (or only) shape of a printed output: a recurrent layer that returns its
    states prints a list, its sequence first."""
    shapes = None if text is None else parse_shapes(text)
    return shapes[0] if shapes else None


# The lines after a table that count its parameters, as every tool writes them (Keras 2.0.x
# and torchsummary with thousands separators, tf.keras 2.13+ without, Keras 2.13+ and 3 with
# the size in brackets).
COUNT_LABELS = ("Total params", "Trainable params", "Non-trainable params", "Optimizer params")
_COUNT_LINE = re.compile(
    r"\s*(?P<label>Total|Trainable|Non-trainable|Optimizer) params:\s*(?P<count>[\d,]+)"
    r"(?:\s+\((?P<size>[^()]*)\))?\s*"
)


def count_line(text: str, index: int) -> CountLine | None:
    """``Total params: 4,385 (17.13 KB)`` -> its CountLine; None for another line."""
    match = _COUNT_LINE.fullmatch(text)
    if not match:
        return None
    count = parse_count(match["count"])
    if count is None:
        return None
    return CountLine(index, f"{match['label']} params", count, match["count"], match["size"])


def count_lines(lines: list[str], start: int) -> tuple[dict[str, CountLine], int]:
    """The totals lines from ``start`` on, by label, and the index of the line after them."""
    found: dict[str, CountLine] = {}
    index = start
    while index < len(lines):
        line = count_line(lines[index], index)
        if line is None or line.label in found:
            break
        found[line.label] = line
        index += 1
    return found, index


_LABEL = re.compile(r"(?P<name>.*?)\s*\((?P<cls>[^()]*)\)")


def name_and_class(label: str) -> tuple[str, str]:
    """Keras' ``lstm_1 (LSTM)`` -> ("lstm_1", "LSTM"); ("", "") when it is not that."""
    match = _LABEL.fullmatch(label.strip())
    return (match["name"], match["cls"]) if match else ("", "")


_CONNECTION = re.compile(r"([^\s,'\[\]]+)\[(\d+)\]\[(\d+)\]")


def connections(text: str) -> tuple[str, ...]:
    """Keras' "Connected to": ``embedding[0][0], not_equal[0][0]`` or tf.keras'
    ``['embedding[0][0]']`` -> each ``name[node][tensor]``."""
    return tuple(f"{n}[{i}][{j}]" for n, i, j in _CONNECTION.findall(text))


def with_children(rows: list[PrintedRow]) -> list[PrintedRow]:
    """Mark each row that has rows nested under it printed after it."""
    return [
        replace(row, has_children=True)
        if index + 1 < len(rows) and rows[index + 1].depth > row.depth
        else row
        for index, row in enumerate(rows)
    ]


_SIZE_LINE = re.compile(r"\s*(?P<label>[A-Z][\w/ -]* \((?:MB|MiB)\)):\s*(?P<value>\d+\.\d+)\s*")


def size_lines(lines: list[str], start: int) -> tuple[dict[str, SizeLine], int]:
    """torchinfo's and torchsummary's ``Params size (MB): 16.93`` lines from ``start`` on."""
    found: dict[str, SizeLine] = {}
    index = start
    while index < len(lines):
        match = _SIZE_LINE.fullmatch(lines[index])
        if not match:
            break
        found[match["label"]] = SizeLine(
            index, match["label"], float(match["value"]), match["value"]
        )
        index += 1
    return found, index


def is_rule(line: str, char: str, least: int = 20) -> bool:
    """A line of one repeated character, as the tools draw between parts."""
    text = line.strip()
    return len(text) >= least and text == char * len(text)


@dataclass(frozen=True)
class Problem:
    """What a check found wrong: the line to blame (in the block) and what to say.

    ``gap`` is set on the message that the rows do not add up to the total (total minus
    rows); ``fixes`` on a row's message, the changes to its count that would make it right,
    so that a row already blamed is not blamed again through the total.
    """

    line: int
    message: str
    gap: int | None = None
    fixes: tuple[int, ...] = ()
    # found against the code before the block (check (c)): at its line, the code's word is
    # the one kept (the rows' and totals' own arithmetic says the same thing less well)
    from_code: bool = False
