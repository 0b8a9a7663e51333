"""A model summary -> MyST AST nodes for mystmd, as JSON-ready dicts (standard library only).

The counterpart of :mod:`~sphinxcontrib_lstmparams.render.model` (docutils nodes for Sphinx):
the same table, caption, totals and framework text (:mod:`~sphinxcontrib_lstmparams.
model.printers`), laid out as mystmd's own nodes, and only nodes that every mystmd export
keeps (``myst build --md`` and ``--jats`` drop a ``div`` with all it holds): the table is a
numbered ``container`` of kind ``table``, the totals a paragraph after it, each recurrent
layer's count in the table a ``crossReference`` to that layer's breakdown, which starts with
a bold paragraph that is the link's target (not a heading, as Sphinx's rubric is not: the
page's table of contents stays the author's). A model with lines that could not be read is
one warning admonition that says what to fix.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..model.layout import (
    MODEL_CLASS,
    Layout,
    breakdown_label,
    breakdown_links,
    default_caption,
    listed_rows,
    page_table,
    printed_line_length,
    size_units,
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
    reference,
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
    same: Mapping[int, int] = field(default_factory=dict)  # layout.same_breakdowns
    problems: Sequence[str] = ()  # what could not be read: a warning box instead


def render_model(
    summary: ModelSummary, layout: Layout, settings: ModelMdastSettings, _: Gettext = untranslated
) -> list[Node]:
    """The requested parts, in the order given, or the warning box."""
    if settings.problems:
        return [problem_box(settings.problems, _)]
    built: list[Node] = []
    units = size_units(summary, layout, settings.numbers, _)  # said once
    for part in settings.parts:
        if part == "summary":
            built.extend(summary_nodes(summary, layout, settings, units))
            units = ""
        elif part == "printed":
            built.append(printed(summary))
            if units:
                built.append(units_node(units))
                units = ""
        elif part == "breakdowns":
            built.extend(breakdowns(summary, settings, _))
    return built


def lines(values: Sequence[str], kind: str) -> list[Node]:
    """Lines as the framework prints them under its table (Sphinx's line block), a paragraph
    each: ``myst build --jats`` allows no line break in a paragraph, and ran them together."""
    built = []
    for value in values:
        node = paragraph(text(value))
        node["class"] = f"{MODEL_CLASS}-{kind}"
        built.append(node)
    return built


def units_node(value: str) -> Node:
    node = paragraph(text(value))
    node["class"] = f"{MODEL_CLASS}-units"
    return node


def summary_nodes(
    summary: ModelSummary, layout: Layout, settings: ModelMdastSettings, units: str
) -> list[Node]:
    """The framework's table as a numbered table, then its totals, sizes and size units."""
    described = page_table(layout)
    cells = [[cell_text(cell, settings.numbers) for cell in row.cells] for row in described.rows]
    title = settings.caption or [text(default_caption(summary, layout))]
    links = breakdown_links(settings.ids, settings.same)
    table = {
        "type": "container",
        "kind": "table",
        "class": f"lstm-params-table {MODEL_CLASS}-table",
        "children": [caption_node(title), table_node(described, cells, links)],
    }
    built = [labelled(table, settings.name), *lines(layout.totals, "totals")]
    if layout.sizes:
        built.extend(lines(layout.sizes, "sizes"))
    if units:
        built.append(units_node(units))
    return built


def printed(summary: ModelSummary) -> Node:
    """What the framework prints, as a code block without highlighting."""
    return {
        "type": "code",
        "lang": "none",
        "class": f"{MODEL_CLASS}-printed",
        "value": summary_text(summary, printed_line_length(summary)),
    }


def breakdowns(summary: ModelSummary, settings: ModelMdastSettings, _: Gettext) -> list[Node]:
    """Each recurrent layer's breakdown after a bold line with its label, the target its
    count in the table links to; a layer that repeats an earlier one gets one line that
    links to that one's."""
    built: list[Node] = []
    for index, row in enumerate(listed_rows(summary)):
        if not row.recurrent or row.breakdown is None or index not in settings.ids:
            continue
        label = breakdown_label(summary, index)
        first = settings.same.get(index)
        if first is not None and first in settings.ids:
            before, after = _("same as {first}.").split("{first}", 1)
            link = reference([text(breakdown_label(summary, first))], settings.ids[first])
            line = paragraph(strong(label), text(": " + before), link, text(after))
            line["class"] = f"{MODEL_CLASS}-same"
            built.append(labelled(line, settings.ids[index]))
            continue
        heading = paragraph(strong(label))
        heading["class"] = f"{MODEL_CLASS}-rubric"
        built.append(labelled(heading, settings.ids[index]))
        built.extend(render(row.breakdown, settings.breakdown, _))
    return built


def problem_box(problems: Sequence[str], _: Gettext) -> Node:
    """A warning admonition in place of a summary that could not be made: what is wrong, line
    by line (the same words as the Sphinx directive's box)."""
    intro = _(
        "This model summary is not shown: some of its lines could not be counted. "
        "Fix them and build again:"
    )
    items = [
        {"type": "listItem", "spread": False, "children": [paragraph(text(problem))]}
        for problem in problems
    ]
    return {
        "type": "admonition",
        "kind": "warning",
        "class": f"{MODEL_CLASS}-problems",
        "children": [
            paragraph(text(intro)),
            {"type": "list", "ordered": False, "spread": False, "children": items},
        ],
    }
