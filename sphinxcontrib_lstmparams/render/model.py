"""A model summary as standard docutils nodes: the framework's table with its totals, the
framework's own text if asked, and a gate-by-gate breakdown for every recurrent layer, which
the layer's count in the table links to."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from docutils import nodes

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
from ..spec import Gettext, ModelPart
from . import RenderSettings, render
from .table import docutils_table

LATEX_SMALL_CODE = r"\begingroup\fvset{fontsize=\footnotesize}"


@dataclass(frozen=True)
class ModelRender:
    parts: Sequence[ModelPart]
    numbers: NumberStyle
    breakdown: RenderSettings  # what each recurrent layer's breakdown shows
    ids: Mapping[int, str]  # row index -> the id of its breakdown
    caption: list[nodes.Node] | None = None  # the author's, else the framework's title
    caption_source: tuple[str, str, int | None] | None = None


def model_nodes(
    summary: ModelSummary, layout: Layout, settings: ModelRender, _: Gettext
) -> list[nodes.Element]:
    built: list[nodes.Element] = []
    for part in settings.parts:
        if part == "summary":
            built.append(_summary(summary, layout, settings))
        elif part == "printed":
            text = summary_text(summary, printed_line_length(summary))
            block = nodes.literal_block(text, text, classes=[f"{MODEL_CLASS}-printed"])
            block["language"] = "none"
            # torchinfo's 90 columns fit the PDF's text block only in a smaller type
            built.append(nodes.raw("", LATEX_SMALL_CODE, format="latex"))
            built.append(block)
            built.append(nodes.raw("", r"\endgroup", format="latex"))
        elif part == "breakdowns":
            built.extend(_breakdowns(summary, settings, _))
    for element in built:
        for node in element.findall(nodes.TextElement):
            if not node.source and not isinstance(node, nodes.Inline):
                node["translatable"] = False  # generated text: not the author's to translate
    return built


def _lines(lines: Sequence[str], classes: list[str]) -> nodes.line_block:
    block = nodes.line_block(classes=classes)
    for text in lines:
        block += nodes.line(text, text)
    return block


def _summary(summary: ModelSummary, layout: Layout, settings: ModelRender) -> nodes.container:
    box = nodes.container(classes=[MODEL_CLASS])
    title = settings.caption or [nodes.Text(default_caption(summary, layout))]
    table = docutils_table(
        page_table(layout),
        settings.numbers,
        title,
        settings.caption_source if settings.caption else None,
        settings.ids,
        classes=("lstm-params-table", f"{MODEL_CLASS}-table"),
    )
    box += table
    box += _lines(layout.totals, [f"{MODEL_CLASS}-totals"])
    if layout.sizes:
        box += _lines(layout.sizes, [f"{MODEL_CLASS}-sizes"])
    if layout.problems:
        box += _lines(layout.problems, [f"{MODEL_CLASS}-problems"])
    for node in box.findall(nodes.TextElement):
        # the framework's characters as it prints them: "--" stays two hyphens (not an en
        # dash), Model: "sequential" keeps straight quotes; the author's caption is theirs
        if not (settings.caption and isinstance(node, nodes.title)):
            node["support_smartquotes"] = False
    return box


def _breakdowns(summary: ModelSummary, settings: ModelRender, _: Gettext) -> list[nodes.Element]:
    built: list[nodes.Element] = []
    for index, row in enumerate(listed_rows(summary)):
        if not row.recurrent or row.breakdown is None or index not in settings.ids:
            continue
        box = nodes.container(classes=[f"{MODEL_CLASS}-breakdown"], ids=[settings.ids[index]])
        label = breakdown_label(summary, index)
        box += nodes.rubric(label, label)
        box += render(row.breakdown, settings.breakdown, _)
        built.append(box)
    return built
