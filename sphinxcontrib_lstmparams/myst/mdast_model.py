"""A model summary -> MyST AST nodes for mystmd, as JSON-ready dicts (standard library only).

The counterpart of :mod:`~sphinxcontrib_lstmparams.render.model` (docutils nodes for Sphinx):
the same table, caption, totals and framework text (:mod:`~sphinxcontrib_lstmparams.
model.printers`), laid out as mystmd's own nodes: the
table is a numbered ``container`` of kind ``table``, each recurrent layer's count in it a
``crossReference`` to that layer's breakdown, a ``div`` with the breakdown's identifier below
the summary. A breakdown is headed by a bold paragraph, not a heading, as Sphinx's rubric is:
the page's table of contents stays the author's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..model.layout import (
    MODEL_CLASS,
    Layout,
    breakdown_label,
    default_caption,
    listed_rows,
    page_table,
    printed_line_length,
)
from ..model.printers import summary_text
from ..model.summary import ModelSummary
from ..numbers import NumberStyle
from ..spec import Gettext, ModelPart, untranslated
from ..table import cell_text
from .mdast import (
    MdastSettings,
    Node,
    caption_node,
    labelled,
    paragraph,
    render,
    strong,
    table_node,
    text,
)


@dataclass(frozen=True)
class ModelMdastSettings:
    parts: Sequence[ModelPart]  # in the page's order
    numbers: NumberStyle
    breakdown: MdastSettings  # what each recurrent layer's breakdown shows
    ids: Mapping[int, str]  # row index -> the identifier of its breakdown
    caption: list[Node] | None = None  # the author's, as mystmd parsed it
    name: str = ""  # label of the table


def render_model(
    summary: ModelSummary, layout: Layout, settings: ModelMdastSettings, _: Gettext = untranslated
) -> list[Node]:
    """The requested parts, in the order given."""
    built: list[Node] = []
    for part in settings.parts:
        if part == "summary":
            built.append(summary_node(summary, layout, settings))
        elif part == "printed":
            built.append(printed(summary))
        elif part == "breakdowns":
            built.extend(breakdowns(summary, settings, _))
    return built


def lines(values: Sequence[str], kind: str) -> Node:
    """Lines as one paragraph, a line break between them (Sphinx's line block)."""
    children: list[Node] = []
    for value in values:
        if children:
            children.append({"type": "break"})
        children.append(text(value))
    node = paragraph(*children)
    node["class"] = f"{MODEL_CLASS}-{kind}"
    return node


def summary_node(summary: ModelSummary, layout: Layout, settings: ModelMdastSettings) -> Node:
    """The framework's table as a numbered table, then its totals, sizes and problems."""
    described = page_table(layout)
    cells = [[cell_text(cell, settings.numbers) for cell in row.cells] for row in described.rows]
    title = settings.caption or [text(default_caption(summary, layout))]
    table = {
        "type": "container",
        "kind": "table",
        "class": f"lstm-params-table {MODEL_CLASS}-table",
        "children": [caption_node(title), table_node(described, cells, settings.ids)],
    }
    children = [labelled(table, settings.name), lines(layout.totals, "totals")]
    if layout.sizes:
        children.append(lines(layout.sizes, "sizes"))
    if layout.problems:
        children.append(lines(layout.problems, "problems"))
    return {"type": "div", "class": MODEL_CLASS, "children": children}


def printed(summary: ModelSummary) -> Node:
    """What the framework prints, as a code block without highlighting."""
    return {
        "type": "code",
        "lang": "none",
        "class": f"{MODEL_CLASS}-printed",
        "value": summary_text(summary, printed_line_length(summary)),
    }


def breakdowns(summary: ModelSummary, settings: ModelMdastSettings, _: Gettext) -> list[Node]:
    """Each recurrent layer's breakdown, in a ``div`` its count in the table links to."""
    built: list[Node] = []
    for index, row in enumerate(listed_rows(summary)):
        if not row.recurrent or row.breakdown is None or index not in settings.ids:
            continue
        heading = paragraph(strong(breakdown_label(summary, index)))
        heading["class"] = f"{MODEL_CLASS}-rubric"
        box = {
            "type": "div",
            "class": f"{MODEL_CLASS}-breakdown",
            "children": [heading, *render(row.breakdown, settings.breakdown, _)],
        }
        built.append(labelled(box, settings.ids[index]))
    return built
