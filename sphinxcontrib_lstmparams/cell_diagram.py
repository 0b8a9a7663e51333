"""The cell of a recurrent layer, drawn with the layer's own numbers (standard library only).

From the top: the inputs (x_t with i features, h_t-1 with h values, or p with a projection, and
an LSTM's cell state c_t-1); one box per gate in the framework's storage order, each with the
shapes of its W, U and bias and its count; the element-wise part of the cell, framed with dashes
and marked as having no parameters; the projection; the outputs. A stack or a bidirectional
layer adds its layers and directions underneath, with the width each one sees.

Everything in the boxes comes from the :class:`~sphinxcontrib_lstmparams.counting.Breakdown`'s
tensors, so the drawing and the table cannot disagree. :mod:`~sphinxcontrib_lstmparams.diagram`
prints the result as SVG, TikZ or text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from . import wording
from .counting import Breakdown
from .diagram import Box, Drawing, Item, Label, Path, Run, Text, as_text, plain, symbol, width
from .frameworks import FRAMEWORKS
from .kinds.recurrent import GateRow, direction_label, gate_label, gate_rows, layer_input_dims
from .numbers import NumberStyle
from .spec import DIRECTIONS, Gate, Gettext, LayerSpec, Tensor
from .table import TIMES

MAX_COLUMNS = 66  # fits a man page at 80 columns, literal-block indentation included
BUS = 1  # the column the inputs run down
LEFT = 4  # the boxes' left border
MIN_INNER = 38  # the narrowest box interior, so short boxes still line up
GAP = "   "  # between the items on a line of a box

# The letters of the textbook equations (the tables print the framework's own, ``gate_letters``)
SYMBOLS: dict[Gate, str] = {
    "input": "i",
    "forget": "f",
    "cell": "g",
    "output": "o",
    "update": "z",
    "reset": "r",
    "candidate": "n",
    "hidden": "h",
}
TANH_GATES = frozenset({"cell", "candidate", "hidden"})
MINUS = "\N{MINUS SIGN}"
SIGMA = "\N{GREEK SMALL LETTER SIGMA}"
PREVIOUS = f"t{MINUS}1"  # the subscript of the previous step

_MATH_TOKEN = re.compile(r"(?<![A-Za-z])([A-Za-z])(?:_(\{[^}]*\}|[A-Za-z0-9]+))?(?![A-Za-z(])")


def math(text: str) -> Label:
    """A formula as runs: single letters are variables, ``_t`` and ``_{t-1}`` subscripts;
    words such as ``tanh`` stay upright."""
    runs: list[Run] = []
    last = 0
    for match in _MATH_TOKEN.finditer(text):
        if match.start() > last:
            runs.append(Run(text[last : match.start()]))
        runs.append(Run(match[1], "var"))
        if match[2]:
            runs.append(Run(match[2].strip("{}"), "sub"))
        last = match.end()
    if last < len(text):
        runs.append(Run(text[last:]))
    return tuple(runs)


def join(*labels: Label) -> Label:
    return tuple(run for label in labels for run in label)


def wrap(tokens: Sequence[Label], room: int) -> list[Label]:
    """Tokens on lines of at most ``room`` cells, GAP apart. A token wider than that is broken
    at its spaces when it is plain words; one word too wide gets a line of its own."""
    pieces: list[Label] = []
    for token in tokens:
        words = as_text(token).split(" ")
        if width(token) <= room or len(token) > 1 or len(words) == 1:
            pieces.append(token)
            continue
        line = words[0]
        for word in words[1:]:
            if width(plain(f"{line} {word}")) > room:
                pieces.append(plain(line))
                line = word
            else:
                line = f"{line} {word}"
        pieces.append(plain(line))
    lines: list[Label] = []
    line_: Label = ()
    for piece in pieces:
        candidate = join(line_, plain(GAP), piece) if line_ else piece
        if line_ and width(candidate) > room:
            lines.append(line_)
            line_ = piece
        else:
            line_ = candidate
    if line_:
        lines.append(line_)
    return lines


@dataclass
class Canvas:
    """Items on a grid that grows downward as they are added."""

    items: list[Item] = field(default_factory=list)
    columns: int = 0
    rows: int = 0

    def add(self, item: Item) -> None:
        self.items.append(item)
        if isinstance(item, Box):
            self.columns = max(self.columns, item.right + 1)
            self.rows = max(self.rows, item.bottom + 1)
        elif isinstance(item, Path):
            self.columns = max(self.columns, *(x + 1 for x, _y in item.points))
            self.rows = max(self.rows, *(y + 1 for _x, y in item.points))
        else:
            self.columns = max(self.columns, item.cells[-1] + 1)
            self.rows = max(self.rows, item.row + 1)

    def text(self, column: int, row: int, label: Label, align: str = "start") -> None:
        """A label; the items of a line that :func:`wrap` made each get a Text of their own,
        at their column, so that SVG and TikZ (which collapse spaces) keep the gaps."""
        if align == "end":
            self.add(Text(column, row, label, "end"))
            return
        piece: list[Run] = []
        for run in (*label, Run(GAP)):
            if run != Run(GAP):
                piece.append(run)
                continue
            if piece:
                self.add(Text(column, row, tuple(piece)))
                column += width(piece) + len(GAP)
            piece = []

    def box(
        self,
        left: int,
        top: int,
        right: int,
        title: Label,
        lines: Sequence[Label],
        count: Label = (),
        kind: str = "gate",
    ) -> int:
        """A framed block: the title (and ``count`` at the right end of its row, or on a row
        of its own when both do not fit), then ``lines``. Returns the bottom border's row."""
        room = right - left - 3
        rows: list[tuple[Label, Label]] = [(title, count)]
        if count and width(title) + 2 + width(count) > room:
            rows = [(title, ()), ((), count)]
        rows += [(line, ()) for line in lines]
        bottom = top + len(rows) + 1
        self.add(Box(left, top, right, bottom, "dashed" if kind == "dashed" else "gate"))
        for offset, (start, end) in enumerate(rows, start=1):
            if start:
                self.text(left + 2, top + offset, start)
            if end:
                self.text(right - 2, top + offset, end, "end")
        return bottom


@dataclass(frozen=True)
class GateBox:
    title: Label
    count: Label
    lines: tuple[Label, ...]
    sentence: str  # for the description


def _shape(numbers: NumberStyle, tensor: Tensor) -> str:
    return f" {TIMES} ".join(str(n) for n in tensor.shape)


def _gate_tokens(row: GateRow, _: Gettext, numbers: NumberStyle) -> list[Label]:
    tokens: list[Label] = []
    if row.input_weights:
        tokens.append(join(symbol("W"), plain(" " + _shape(numbers, row.input_weights))))
    if row.recurrent_weights:
        tokens.append(join(symbol("U"), plain(" " + _shape(numbers, row.recurrent_weights))))
    if row.biases:
        sizes = " + ".join(numbers.count(t.count) for t in row.biases)
        tokens.append(join(symbol("b"), plain(f" {sizes}")))
    if row.peephole:
        word = _("peephole")
        tokens.append(plain(f"{word} {numbers.count(row.peephole.count)}"))
    if row.projection:
        tokens.append(plain(_shape(numbers, row.projection)))
    return tokens


def _gate_box(row: GateRow, room: int, _: Gettext, numbers: NumberStyle) -> GateBox:
    name = gate_label(row.gate, _)
    if row.gate in SYMBOLS:
        activation = "tanh" if row.gate in TANH_GATES else SIGMA
        title = join(plain(name + " "), symbol(SYMBOLS[row.gate]), plain(f" · {activation}"))
    else:
        title = plain(name)
    count = (Run(numbers.count(row.total), "strong"),)
    tokens = _gate_tokens(row, _, numbers)
    sentence = _("{gate}: {parts}; {count} parameters.").format(
        gate=as_text(title),
        parts=", ".join(as_text(token) for token in tokens),
        count=numbers.count(row.total),
    )
    return GateBox(title, count, tuple(wrap(tokens, room)), sentence)


def _elementwise(spec: LayerSpec) -> list[Label]:
    """The cell's parameter-free operations, in the textbook letters of the gate boxes."""
    if spec.cell == "lstm":
        out = "m_t" if spec.proj_size else "h_t"
        return [math(f"c_t = f ⊙ c_{{{PREVIOUS}}} + i ⊙ g"), math(f"{out} = o ⊙ tanh(c_t)")]
    if spec.cell == "gru":
        bias = " + b" if spec.bias else ""
        reset = f"r ⊙ (U h_{{{PREVIOUS}}}{bias})" if spec.reset_after else f"r ⊙ h_{{{PREVIOUS}}}"
        return [math(reset), math(f"h_t = z ⊙ h_{{{PREVIOUS}}} + (1 {MINUS} z) ⊙ n")]
    return []


def draw(breakdown: Breakdown[Any], _: Gettext, numbers: NumberStyle) -> Drawing:
    """The drawing of ``breakdown``'s layer (a recurrent one: its spec is a LayerSpec)."""
    spec: LayerSpec = breakdown.spec
    canvas = Canvas()
    sentences: list[str] = []
    several = spec.layers > 1 or spec.bidirectional
    top = 0
    if several:
        heading = _("Layer {layer}").format(layer=1)
        if spec.bidirectional:
            heading = _("Layer {layer}, {direction}").format(
                layer=1, direction=direction_label("forward", _)
            )
        canvas.text(0, 0, (Run(heading, "strong"),))
        sentences.append(heading + ".")
        top = 2

    rows = [
        row for row in gate_rows(breakdown.tensors) if row.layer == 1 and row.direction == "forward"
    ]
    gates = [row for row in rows if row.gate != "projection"]
    projection = next((row for row in rows if row.gate == "projection"), None)

    # the inputs, on one row
    recurrent = spec.proj_size or spec.units
    x_label = join(
        symbol("x", "t"),
        plain(" " + _("{count} features").format(count=numbers.count(spec.input_dim))),
    )
    h_label = join(symbol("h", PREVIOUS), plain(" " + numbers.count(recurrent)))
    c_label = join(symbol("c", PREVIOUS), plain(" " + numbers.count(spec.units)))
    h_column = BUS + width(x_label) + 3
    inputs = [x_label, h_label] + ([c_label] if spec.cell == "lstm" else [])
    sentences.append(
        _("Inputs: {inputs}.").format(inputs=", ".join(as_text(label) for label in inputs))
    )

    # the boxes' width: the widest content, within MAX_COLUMNS (the state line needs 5 more)
    extra = 6 if spec.cell == "lstm" else 4  # the lines on the right, and a spare column
    most = MAX_COLUMNS - extra - LEFT - 3
    boxes = [_gate_box(row, most, _, numbers) for row in gates]
    elementwise = _elementwise(spec)
    notice = (Run(_("element-wise: no parameters"), "note"),)
    # (a title and its count share a row when they fit; what cannot wrap widens the boxes)
    pairs = [width(b.title) + 2 + width(b.count) for b in boxes]
    singles = [width(label) for b in boxes for label in (b.title, b.count, *b.lines)]
    singles += [width(line) for line in [*elementwise, notice]]
    inner = max(MIN_INNER, *singles, min(max(pairs), most))
    right = LEFT + inner + 3
    state = right + 4  # the column c_t-1 runs down
    if spec.cell == "lstm":  # the labels on the top row must not collide
        right = max(right, h_column + width(h_label) + 3 + width(c_label) - 4)
        state = right + 4

    canvas.text(BUS, top, x_label)
    canvas.text(h_column, top, h_label)
    if spec.cell == "lstm":
        canvas.text(state, top, c_label, "end")
    canvas.add(Path(((h_column, top + 1), (h_column, top + 2), (BUS, top + 2))))

    # the gates, fed from the bus on the left, feeding the bus on the right
    row = top + 3
    entries: list[int] = []
    for gate in boxes:
        bottom = canvas.box(LEFT, row, right, gate.title, gate.lines, gate.count)
        entries.append(row + 1)
        sentences.append(gate.sentence)
        row = bottom + 1
    canvas.add(Path(((BUS, top + 1), (BUS, entries[-1]), (LEFT - 1, entries[-1])), arrow=True))
    for entry in entries[:-1]:
        canvas.add(Path(((BUS, entry), (LEFT - 1, entry)), arrow=True))

    outputs: list[tuple[int, Label]] = []
    out_column = LEFT + 2
    h_out = join(symbol("h", "t"), plain(" " + numbers.count(recurrent)))
    if elementwise:
        first = row
        bottom = canvas.box(LEFT, first, right, notice, elementwise, kind="dashed")
        canvas.add(
            Path(
                (
                    (right, entries[0]),
                    (right + 2, entries[0]),
                    (right + 2, first + 1),
                    (right + 1, first + 1),
                ),
                arrow=True,
            )
        )
        for entry in entries[1:]:
            canvas.add(Path(((right, entry), (right + 2, entry))))
        sentences.append(
            _("Element-wise, without parameters: {formulas}.").format(
                formulas="; ".join(as_text(line) for line in elementwise)
            )
        )
        if spec.cell == "lstm":
            canvas.add(
                Path(((state, top + 1), (state, first + 2), (right + 1, first + 2)), arrow=True)
            )
        row = bottom + 1
        source = bottom
    else:  # a simple RNN: the gate's output is the new state
        source = row - 1

    c_column = out_column + width(h_out) + 6
    if projection is not None:
        box = _gate_box(projection, most, _, numbers)
        canvas.add(Path(((out_column, source), (out_column, row)), arrow=True))
        p_right = max(LEFT + 3 + width(box.title) + 2 + width(box.count), LEFT + 24)
        p_right = max(p_right, LEFT + 3 + max(width(line) for line in box.lines))
        bottom = canvas.box(LEFT, row + 1, p_right, box.title, box.lines, box.count)
        sentences.append(box.sentence)
        c_column = max(c_column, p_right + 3)
        canvas.add(Path(((c_column, source), (c_column, bottom + 1)), True, to_text=True))
        canvas.add(Path(((out_column, bottom), (out_column, bottom + 1)), True, to_text=True))
        row = bottom + 2
    else:
        canvas.add(Path(((out_column, source), (out_column, row)), True, to_text=True))
        if spec.cell == "lstm":
            canvas.add(Path(((c_column, source), (c_column, row)), True, to_text=True))
        row += 1
    outputs.append((out_column, h_out))
    if spec.cell == "lstm":
        outputs.append(
            (c_column - 1, join(symbol("c", "t"), plain(" " + numbers.count(spec.units))))
        )
    for column, label in outputs:
        canvas.text(column, row, label)
    sentences.append(
        _("Outputs: {outputs}.").format(outputs=", ".join(as_text(label) for _c, label in outputs))
    )

    if several:
        sentences += _stack(canvas, breakdown, row + 2, _, numbers)

    title = _("Cell diagram: {layer}").format(layer=wording.description(breakdown, _, numbers))
    # one spare column: a proportional font may run a right-aligned label a hair past its cell
    columns = canvas.columns + 1
    return Drawing(columns, canvas.rows, title, " ".join(sentences), tuple(canvas.items))


def _connector(
    canvas: Canvas, columns: Sequence[int], row: int, merge: bool, label: Label, end: bool
) -> int:
    """The lines from boxes whose bottom border is ``row`` to the next boxes (or, with ``end``,
    to the output label); returns the row the next boxes start on. Between two directions the
    label goes between the arrows, on as many lines as it needs."""
    first, last = columns[0], columns[-1]
    room = last - first - 3 if len(columns) > 1 else MAX_COLUMNS - first - 3
    lines = [label] if end else wrap([label], room)
    tall = len(lines)
    if merge and len(columns) > 1:
        middle = (first + last) // 2
        for column in columns:
            canvas.add(Path(((column, row), (column, row + 1), (middle, row + 1))))
        if end:
            canvas.add(Path(((middle, row + 1), (middle, row + 2)), True, to_text=True))
            canvas.text(middle, row + 3, label)
            return row + 4
        canvas.add(Path(((middle, row + 1), (middle, row + 2))))
        for column in columns:
            points = ((middle, row + 2), (column, row + 2), (column, row + 3 + tall))
            canvas.add(Path(points, arrow=True))
        for offset, line in enumerate(lines):
            canvas.text(first + 2, row + 3 + offset, line)
        return row + 4 + tall
    for column in columns:
        canvas.add(
            Path(((column, row), (column, row + (1 if end else 1 + tall))), True, to_text=end)
        )
    if end:
        canvas.text(first, row + 2, label)
        return row + 3
    for offset, line in enumerate(lines):
        canvas.text(first + 2, row + 1 + offset, line)
    return row + 2 + tall


def _stack(
    canvas: Canvas, breakdown: Breakdown[Any], top: int, _: Gettext, numbers: NumberStyle
) -> list[str]:
    """The layers and directions, with the width each one sees; consecutive layers that see
    the same width share one row of boxes."""
    spec: LayerSpec = breakdown.spec
    record = FRAMEWORKS[spec.framework]
    widths = layer_input_dims(spec)
    per_direction = breakdown.per_layer_direction()
    groups: list[tuple[int, int]] = []  # (first layer, last layer)
    for layer in range(1, spec.layers + 1):
        same = groups and widths[groups[-1][0] - 1] == widths[layer - 1]
        if same and per_direction[(groups[-1][0], "forward")] == per_direction[(layer, "forward")]:
            groups[-1] = (groups[-1][0], layer)
        else:
            groups.append((layer, layer))

    recurrent = spec.proj_size or spec.units
    merge = spec.bidirectional and not record.independent_direction_stacks
    if not spec.bidirectional:
        between, output = _("{width} features"), _("output: {width} features")
    elif record.independent_direction_stacks:
        between = _("each direction on its own: {width}")
        output = _("outputs: {width} per direction")
    elif spec.merge_mode == "concat":
        between, output = _("concatenated: {width}"), _("output: {width} features")
    else:
        between = _("merged ({mode}): {width}").replace("{mode}", spec.merge_mode)
        output = _("output: {width} features")
    out_width = recurrent * (spec.directions if spec.merge_mode == "concat" and merge else 1)

    directions = DIRECTIONS[: spec.directions]
    rows = []  # per group: the box title per direction, its lines, the label after it
    for index, (first, last) in enumerate(groups):
        name = (
            _("layer {layer}").format(layer=first)
            if first == last
            else _("layers {first} to {last}").format(first=first, last=last)
        )
        sees = _("sees {width}").format(width=numbers.count(widths[first - 1]))
        params = _("{count} parameters") if first == last else _("{count} parameters each")
        params = params.format(count=numbers.count(per_direction[(first, "forward")]))
        titles = [
            name if not spec.bidirectional else f"{name} · {direction_label(direction, _)}"
            for direction in directions
        ]
        end = index == len(groups) - 1
        after = (output if end else between).format(
            width=numbers.count(out_width if end else widths[last])
        )
        rows.append((titles, [plain(sees), plain(params)], after))

    # every box as wide as the widest content; two directions side by side
    box_width = (MAX_COLUMNS - 3) // len(directions) - 2
    for titles, tokens, after in rows:
        box_width = max(box_width, *(width(plain(t)) + 3 for t in titles))
        box_width = max(box_width, *(width(line) + 3 for line in wrap(tokens, box_width - 3)))
        if len(directions) > 1:  # a word of the label between the arrows
            box_width = max(box_width, *(cell_width_of(w) + 1 for w in after.split(" ")))
    lefts = [index * (box_width + 2) for index in range(len(directions))]
    columns = [left + 3 for left in lefts]

    heading = _("Layers and directions")
    sentences = [heading + ":"]
    canvas.text(0, top, (Run(heading, "strong"),))
    x_label = join(
        symbol("x", "t"),
        plain(" " + _("{count} features").format(count=numbers.count(spec.input_dim))),
    )
    canvas.text(columns[0], top + 1, x_label)
    row = top + 2
    canvas.add(Path(((columns[0], row), (columns[0], row + 1)), arrow=True))
    if len(columns) > 1:  # the same input to every direction
        canvas.add(
            Path(((columns[0], row), (columns[-1], row), (columns[-1], row + 1)), arrow=True)
        )
    row += 2
    for index, (titles, tokens, after) in enumerate(rows):
        bottom = row
        for left, title in zip(lefts, titles, strict=True):
            lines = wrap(tokens, box_width - 3)
            bottom = canvas.box(left, row, left + box_width, (Run(title, "strong"),), lines)
            sentences.append(f"{title}: {', '.join(as_text(t) for t in tokens)}.")
        end = index == len(rows) - 1
        row = _connector(canvas, columns, bottom, merge, plain(after), end)
        sentences.append(after + ".")
    return sentences


def cell_width_of(text: str) -> int:
    return width(plain(text))
