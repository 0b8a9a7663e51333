"""Breakdown -> standard docutils nodes (docutils only; no custom node, so every builder works).

Labels come through a ``gettext`` callable handed in by the directive, so this module stays
free of Sphinx. Generated text is marked ``translatable=False`` and carries no source, so it
never leaks into the user's message catalogs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from docutils import nodes

from .conventions import framework_name
from .counting import Breakdown, GateRow, Tensor, gate_rows
from .formula import format_bytes, format_count, formula

Gettext = Callable[[str], str]

FORMULA_TEXT_CLASS = "lstm-params-formula-text"
# Text builder: it reads colspec colwidth as characters; keep a table within 80 columns.
TEXT_WIDTH = 80


@dataclass(frozen=True)
class RenderSettings:
    parts: tuple[str, ...]  # of options.PARTS, in the page's order
    separator: str = ","  # thousands separator
    caption: list[nodes.Node] | None = None  # parsed user caption, else a generated one
    caption_source: tuple[str, str, int | None] | None = None  # (raw text, file, line)


def _paragraph(text: str) -> nodes.paragraph:
    return nodes.paragraph(text, text)


def _direction_label(direction: str, _: Gettext) -> str:
    return _("forward") if direction == "forward" else _("backward")


def _gate_label(gate: str, _: Gettext) -> str:
    labels = {
        "input": _("input gate"),
        "forget": _("forget gate"),
        "cell": _("cell candidate"),
        "output": _("output gate"),
        "update": _("update gate"),
        "reset": _("reset gate"),
        "candidate": _("candidate"),
        "hidden": _("hidden state"),
        "projection": _("projection"),
    }
    return labels[gate]


def _cell_name(cell: str) -> str:
    return {"lstm": "LSTM", "gru": "GRU", "rnn": "simple RNN"}[cell]


def describe(breakdown: Breakdown, _: Gettext, separator: str) -> str:
    """'Keras LSTM, 256 units, 4,096 input features' (and layers, directions)."""
    spec = breakdown.spec
    parts = [
        _("{framework} {cell}").format(
            framework=framework_name(spec.framework), cell=_cell_name(spec.cell)
        ),
        _("{units} units").format(units=format_count(spec.units, separator)),
        _("{features} input features").format(features=format_count(spec.input_dim, separator)),
    ]
    if spec.layers > 1:
        parts.append(_("{layers} stacked layers").format(layers=spec.layers))
    if spec.bidirectional:
        parts.append(_("bidirectional"))
    if spec.proj_size:
        parts.append(_("projection to {size}").format(size=format_count(spec.proj_size, separator)))
    if spec.peepholes:
        parts.append(_("peepholes"))
    if not spec.bias:
        parts.append(_("no bias"))
    return ", ".join(parts)


def answer(breakdown: Breakdown, _: Gettext, separator: str) -> nodes.paragraph:
    """One sentence with the total in bold."""
    total = format_count(breakdown.total, separator)
    sentence = _("{layer} has {total} trainable parameters.").format(
        layer=describe(breakdown, _, separator), total="\0"
    )
    before, _sep, after = sentence.partition("\0")
    paragraph = nodes.paragraph()
    paragraph += [nodes.Text(before), nodes.strong(total, total), nodes.Text(after)]
    return paragraph


def _matrix(tensor: Tensor | None, separator: str) -> str:
    if tensor is None:
        return ""
    shape = " \N{MULTIPLICATION SIGN} ".join(format_count(n, "") for n in tensor.shape)
    return f"{shape} = {format_count(tensor.count, separator)}"


def _biases(row: GateRow, separator: str) -> str:
    # "256 + 256" shows PyTorch's two bias vectors instead of hiding them in a sum
    return " + ".join(format_count(t.count, separator) for t in row.biases)


def _column_widths(rows: Sequence[Sequence[str]]) -> list[int]:
    """Longest cell per column, shrunk (widest first, never below its longest word) to fit
    TEXT_WIDTH in the text builder, which reads colwidth as characters."""
    widths = [max(len(row[c]) for row in rows) for c in range(len(rows[0]))]
    floors = [
        max((max(map(len, row[c].split()), default=0) for row in rows), default=1)
        for c in range(len(widths))
    ]
    # the text writer adds a border and a space either side of every column
    while sum(widths) + 3 * len(widths) + 1 > TEXT_WIDTH:
        widest = max(range(len(widths)), key=lambda c: widths[c] - floors[c])
        if widths[widest] <= floors[widest]:
            break
        widths[widest] -= 1
    return widths


def breakdown_table(
    breakdown: Breakdown,
    _: Gettext,
    separator: str,
    title: list[nodes.Node],
    title_source: tuple[str, str, int | None] | None = None,
) -> nodes.table:
    spec = breakdown.spec
    several = spec.layers > 1 or spec.bidirectional
    headers = [_("Layer")] if several else []
    headers += [_("Gate"), _("Input weights W"), _("Recurrent weights U")]
    headers += [_("Biases")] if spec.bias else []
    headers += [_("Peepholes")] if spec.peepholes else []
    headers += [_("Projection")] if spec.proj_size else []
    headers += [_("Total")]

    body: list[list[str]] = []
    for row in gate_rows(breakdown):
        cells = []
        if several:
            where = str(row.layer)
            if spec.bidirectional:
                where = f"{where} {_direction_label(row.direction, _)}"
            cells.append(where)
        cells += [
            _gate_label(row.gate, _),
            _matrix(row.input_weights, separator),
            _matrix(row.recurrent_weights, separator),
        ]
        cells += [_biases(row, separator)] if spec.bias else []
        cells += [format_count(row.peephole.count, separator) if row.peephole else ""] * (
            spec.peepholes
        )
        cells += [_matrix(row.projection, separator)] if spec.proj_size else []
        cells.append(format_count(row.total, separator))
        body.append(cells)
    totals = [_("Total")] + [""] * (len(headers) - 2) + [format_count(breakdown.total, separator)]

    table = nodes.table(classes=["lstm-params-table"])
    caption = nodes.title("", "", *title)
    if title_source:
        # the author's own caption stays translatable, like a table directive's title
        caption.rawsource, caption.source, caption.line = title_source
    table += caption
    group = nodes.tgroup(cols=len(headers))
    table += group
    for index, width in enumerate(_column_widths([headers, *body, totals])):
        # the first column names the row (a stub: <th scope="row"> in HTML)
        group += nodes.colspec(colwidth=width, stub=int(index == 0))
    head = nodes.thead()
    head += _table_row(headers)
    group += head
    tbody = nodes.tbody()
    for cells in [*body, totals]:
        tbody += _table_row(cells)
    group += tbody
    return table


def _table_row(cells: Sequence[str]) -> nodes.row:
    row = nodes.row()
    for text in cells:
        entry = nodes.entry()
        if text:
            entry += _paragraph(text)
        row += entry
    return row


def default_caption(breakdown: Breakdown, _: Gettext, separator: str) -> list[nodes.Node]:
    text = _("Parameters of a {layer}").format(layer=describe(breakdown, _, separator))
    return [nodes.Text(text)]


def formula_nodes(breakdown: Breakdown, _: Gettext, separator: str) -> list[nodes.Element]:
    spec = breakdown.spec
    form = formula(breakdown)
    latex = form.latex(separator)
    block = nodes.math_block(latex, latex, nowrap=False, number=None, label=None)
    # For builders that print math as LaTeX source (text, man, texinfo) the directive
    # shows this plain form instead.
    plain = form.text(separator)
    text_block = nodes.literal_block(plain, plain, classes=[FORMULA_TEXT_CLASS])
    symbols = [
        _("i = {value} input features").format(value=format_count(spec.input_dim, separator)),
        _("h = {value} units").format(value=format_count(spec.units, separator)),
    ]
    if spec.proj_size:
        symbols.append(
            _("p = {value} projection size").format(value=format_count(spec.proj_size, separator))
        )
    where = _("where {symbols}.").format(symbols=", ".join(symbols))
    return [block, text_block, _paragraph(where)]


def notes(breakdown: Breakdown, _: Gettext, separator: str) -> nodes.bullet_list:
    spec = breakdown.spec
    items = []
    if spec.timesteps is not None:
        items.append(
            _(
                "Timesteps ({steps}) do not change the count: the same weights are used at "
                "every step."
            ).format(steps=format_count(spec.timesteps, separator))
        )
    items.append(
        _("Memory: {size} at {dtype} ({bytes} bytes per parameter).").format(
            size=format_bytes(breakdown.bytes), dtype=spec.dtype, bytes=spec.bytes_per_param
        )
    )
    step = format_count(breakdown.macs_per_step, separator)
    if breakdown.macs_per_sequence is None:
        items.append(_("Multiply-accumulates: {step} per timestep.").format(step=step))
    else:
        items.append(
            _(
                "Multiply-accumulates: {step} per timestep; {seq} per sequence of {steps} steps."
            ).format(
                step=step,
                seq=format_count(breakdown.macs_per_sequence, separator),
                steps=format_count(spec.timesteps or 0, separator),
            )
        )
    if spec.bias and spec.framework in ("pytorch", "onnx"):
        items.append(
            _(
                "{framework} keeps two bias vectors per gate (input and recurrent), where "
                "Keras keeps one."
            ).format(framework=framework_name(spec.framework))
        )
    if spec.bidirectional:
        items.append(_("Bidirectional: every layer is two full copies, one per direction."))
    if spec.layers > 1:
        items.append(
            (
                _("Layer 2 sees {width} input features.")
                if spec.layers == 2
                else _("Layers 2 to {layers} see {width} input features each.")
            ).format(
                layers=spec.layers, width=format_count(breakdown.layer_input_dims[1], separator)
            )
        )
    bullet = nodes.bullet_list(classes=["lstm-params-notes"])
    for text in items:
        item = nodes.list_item()
        item += _paragraph(text)
        bullet += item
    return bullet


def render(breakdown: Breakdown, settings: RenderSettings, _: Gettext) -> list[nodes.Element]:
    """The requested parts, in the order given."""
    sep = settings.separator
    built: list[nodes.Element] = []
    for part in settings.parts:
        if part == "answer":
            built.append(answer(breakdown, _, sep))
        elif part == "table":
            title = settings.caption or default_caption(breakdown, _, sep)
            built.append(breakdown_table(breakdown, _, sep, title, settings.caption_source))
        elif part == "formula":
            built.extend(formula_nodes(breakdown, _, sep))
        elif part == "notes":
            built.append(notes(breakdown, _, sep))
    for element in built:
        for node in element.findall(nodes.TextElement):
            # generated text is not the author's: keep it out of their .pot files
            if not node.source:
                node["translatable"] = False
    return built
