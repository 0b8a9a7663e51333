"""Breakdown -> MyST AST nodes for mystmd, as JSON-ready dicts (standard library only).

The counterpart of :mod:`~sphinxcontrib_lstmparams.render` (docutils nodes for Sphinx): the same
answer, caption, "where" line and notes (:mod:`~sphinxcontrib_lstmparams.wording`), the same
table description (each kind's ``table()`` and :func:`~sphinxcontrib_lstmparams.table.cell_text`),
the same formula, storage map and cell diagram, laid out as the nodes mystmd's own directives
make: a ``container`` of kind ``table`` or ``figure`` with a ``caption`` (numbered by mystmd and a
cross-reference target when it has a label), a ``table`` whose first row is the header, a
``math`` node, a ``list`` of notes.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import wording
from ..counting import Breakdown
from ..formula import formula
from ..kinds import kind_of
from ..numbers import NumberStyle, binary_units
from ..spec import Gettext, LayerSpec, Part, captioned_part, untranslated
from ..table import Cell, Link, Rows, Table, cell_text

if TYPE_CHECKING:
    from ..diagram import Drawing

Node = dict[str, Any]


def text(value: str) -> Node:
    return {"type": "text", "value": value}


def strong(value: str) -> Node:
    return {"type": "strong", "children": [text(value)]}


def paragraph(*children: Node) -> Node:
    return {"type": "paragraph", "children": list(children)}


def normalize_label(label: str) -> str:
    """The identifier mystmd resolves references to (its ``normalizeLabel``): white space
    collapsed, quotes dropped, lower case."""
    identifier = re.sub(r"[\t\n\r ]+", " ", label)
    return re.sub("['\u2018\u2019\"\u201c\u201d]+", "", identifier).strip().lower()


def labelled(node: Node, label: str) -> Node:
    """``node`` as a cross-reference target; mystmd needs the label and its identifier."""
    if label.strip():
        node["label"] = label.strip()
        node["identifier"] = normalize_label(label)
    return node


@dataclass(frozen=True)
class MdastSettings:
    parts: tuple[Part, ...]  # in the page's order
    numbers: NumberStyle = field(default_factory=NumberStyle)
    caption: list[Node] | None = None  # the author's caption, as mystmd parsed it
    name: str = ""  # label of the captioned part
    label: str = ""  # label of the formula (numbered only then, as in Sphinx)
    rows: Rows | None = None


def render(
    breakdown: Breakdown[Any], settings: MdastSettings, _: Gettext = untranslated
) -> list[Node]:
    """The requested parts, in the order given."""
    numbers = settings.numbers
    owner = captioned_part(settings.parts)
    built: list[Node] = []
    for part in settings.parts:
        caption = settings.caption if part == owner else None
        name = settings.name if part == owner else ""
        if part == "answer":
            built.append(answer(breakdown, _, numbers))
        elif part == "table":
            built.append(breakdown_table(breakdown, _, numbers, caption, name, settings.rows))
        elif part == "formula":
            built.extend(formula_nodes(breakdown, _, numbers, settings.label))
        elif part == "notes":
            built.append(notes(breakdown, _, numbers))
        elif part == "diagram":
            built.extend(diagram(breakdown, _, numbers, caption, name))
        elif part == "storage":
            built.extend(storage(breakdown, _, numbers, caption, name))
    return built


def answer(breakdown: Breakdown[Any], _: Gettext, numbers: NumberStyle) -> Node:
    before, total, after = wording.answer(breakdown, _, numbers)
    return paragraph(text(before), strong(total), text(after))


def caption_node(children: list[Node]) -> Node:
    return {"type": "caption", "children": [paragraph(*children)]}


def reference(children: list[Node], identifier: str) -> Node:
    """A link to the node with this identifier, in the page or another: the node mystmd
    makes of ``[](#identifier)`` and resolves after parsing (with the target's ``html_id``)."""
    return {
        "type": "crossReference",
        "identifier": identifier,
        "label": identifier,
        "children": children,
    }


def table_node(
    described: Table, cells: Sequence[Sequence[str]], links: Mapping[int, str] | None = None
) -> Node:
    """A ``table`` node: the header row, then a row per described row; the first column names
    its row (a header cell, as Sphinx's stub column), numbers are right-aligned, the totals
    row is bold. Multi-line cells keep their lines. A :class:`~.table.Link` cell links to the
    identifier ``links`` gives its key."""
    numeric = [column.numeric for column in described.columns]

    def cell(
        value: str, is_number: bool, header: bool, bold: bool = False, target: str | None = None
    ) -> Node:
        children: list[Node] = []
        for index, line in enumerate(value.split("\n") if value else []):
            if index:
                children.append({"type": "break"})
            children.append(strong(line) if bold else text(line))
        if target and children:
            children = [reference(children, target)]
        node: Node = {"type": "tableCell", "children": children}
        if header:
            node["header"] = True
        if is_number:
            node["align"] = "right"
        return node

    head = {
        "type": "tableRow",
        "children": [cell(column.header, column.numeric, True) for column in described.columns],
    }

    def target(given: Cell) -> str | None:
        return links.get(given.key) if links and isinstance(given, Link) else None

    rows = [
        {
            "type": "tableRow",
            "children": [
                cell(value, is_number, index == 0, row.is_total and bool(value), target(given))
                for index, (value, is_number, given) in enumerate(
                    zip(values, numeric, row.cells, strict=True)
                )
            ],
        }
        for values, row in zip(cells, described.rows, strict=True)
    ]
    return {"type": "table", "children": [head, *rows]}


def breakdown_table(
    breakdown: Breakdown[Any],
    _: Gettext,
    numbers: NumberStyle,
    caption: list[Node] | None = None,
    name: str = "",
    rows: Rows | None = None,
) -> Node:
    described = kind_of(breakdown.spec).table(breakdown.spec, breakdown.tensors, _, rows)
    title = caption or [text(wording.caption(breakdown, _, numbers))]
    return labelled(table_container(described, numbers, title, "lstm-params-table"), name)


def table_container(
    described: Table, numbers: NumberStyle, title: list[Node], css_class: str
) -> Node:
    """A numbered table: mystmd's container of kind table, its caption, then the table."""
    cells = [[cell_text(cell, numbers) for cell in row.cells] for row in described.rows]
    return {
        "type": "container",
        "kind": "table",
        "class": css_class,
        "children": [caption_node(title), table_node(described, cells)],
    }


def formula_nodes(
    breakdown: Breakdown[Any], _: Gettext, numbers: NumberStyle, label: str = ""
) -> list[Node]:
    """The formula as display math, and what its letters stand for. Written as a whole
    ``aligned`` environment: KaTeX refuses bare ``&=`` lines (mystmd would warn and wrap them)."""
    latex = "\\begin{aligned}\n" + formula(breakdown, numbers).latex() + "\n\\end{aligned}"
    math = labelled({"type": "math", "value": latex, "enumerated": bool(label)}, label)
    where: list[Node] = []
    for piece in wording.where(breakdown, _, numbers):
        if isinstance(piece, wording.Letter):
            where.append({"type": "inlineMath", "value": piece.name})
        else:
            where.append(text(piece))
    return [math, paragraph(*where)]


def notes(breakdown: Breakdown[Any], _: Gettext, numbers: NumberStyle) -> Node:
    return {
        "type": "list",
        "ordered": False,
        "spread": False,
        "class": "lstm-params-notes",
        "children": [
            {"type": "listItem", "spread": False, "children": [with_units(note, numbers, _)]}
            for note in wording.notes(breakdown, _, numbers)
        ],
    }


def with_units(value: str, numbers: NumberStyle, _: Gettext) -> Node:
    """A sentence whose binary units (``MiB``) are abbreviations with their meaning, as
    mystmd's ``{abbr}`` role makes them (Sphinx's ``render.prose.with_units``)."""
    children: list[Node] = []
    for piece in binary_units(value, numbers.separator, _):
        if isinstance(piece, str):
            children.append(text(piece))
        else:
            unit, meaning = piece
            children.append({"type": "abbreviation", "title": meaning, "children": [text(unit)]})
    return paragraph(*children)


def storage(
    breakdown: Breakdown[Any],
    _: Gettext,
    numbers: NumberStyle,
    caption: list[Node] | None = None,
    name: str = "",
) -> list[Node]:
    """The storage map as a numbered table, then how to read it; nothing for a layer kind
    without one."""
    if not isinstance(breakdown.spec, LayerSpec):
        return []
    from ..storage import storage_notes, storage_table

    title = caption or [text(wording.storage_caption(breakdown, _, numbers))]
    container = table_container(storage_table(breakdown, _), numbers, title, "lstm-params-storage")
    notes = [paragraph(text(note)) for note in storage_notes(breakdown, _)]
    return [labelled(container, name), *notes]


def svg_image(drawing: Drawing) -> str:
    """A drawing as a standalone SVG image. As an ``<img>`` it cannot take the page's colours
    (``currentColor`` is black there), so it gets a white ground of its own and reads the same
    in a light and a dark theme."""
    from ..diagram import to_svg

    svg = to_svg(drawing)
    end = svg.index(">") + 1  # the opening <svg ...> tag holds no ">" of its own
    ground = '<rect width="100%" height="100%" fill="#ffffff" stroke="none"/>'
    return svg[:end] + ground + svg[end:]


def diagram(
    breakdown: Breakdown[Any],
    _: Gettext,
    numbers: NumberStyle,
    caption: list[Node] | None = None,
    name: str = "",
) -> list[Node]:
    """The cell diagram as a numbered figure: an image whose URL holds the SVG (mystmd turns
    raw HTML into its own nodes and drops ``<svg>``, but it writes a ``data:`` image out as a
    file of the site). Nothing for a layer kind without a cell to draw."""
    if not isinstance(breakdown.spec, LayerSpec):
        return []
    from ..cell_diagram import draw

    drawing = draw(breakdown, _, numbers)
    svg = svg_image(drawing)
    image = {
        "type": "image",
        "url": "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii"),
        "alt": drawing.description,
        "title": drawing.title,
        "class": "lstm-params-diagram",
    }
    title = caption or [text(wording.diagram_caption(breakdown, _, numbers))]
    figure = {"type": "container", "kind": "figure", "children": [image, caption_node(title)]}
    return [labelled(figure, name)]
