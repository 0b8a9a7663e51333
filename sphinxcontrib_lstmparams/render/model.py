"""A model summary as standard docutils nodes: the framework's table with its totals, the
framework's own text if asked, and a gate-by-gate breakdown for every recurrent layer, which
the layer's count in the table links to; or, for a model with lines that could not be read,
one warning box that says what to fix."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from docutils import nodes

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
from ..spec import Gettext, ModelPart
from . import RenderSettings, render
from .table import docutils_table

LATEX_SMALL_CODE = r"\begingroup\fvset{fontsize=\footnotesize}"
# The summary's table and the lines under it stay on one page (sphinxlstmparams.sty)
LATEX_KEEP_TOGETHER = r"\begingroup\sphinxlstmparamskeeptogether"
PROBLEMS_CLASS = f"{MODEL_CLASS}-problems"
UNITS_CLASS = f"{MODEL_CLASS}-units"
SAME_CLASS = f"{MODEL_CLASS}-same"


@dataclass(frozen=True)
class ModelRender:
    parts: Sequence[ModelPart]
    numbers: NumberStyle
    breakdown: RenderSettings  # what each recurrent layer's breakdown shows
    ids: Mapping[int, str]  # row index -> the id of its breakdown
    caption: list[nodes.Node] | None = None  # the author's, else the framework's title
    caption_source: tuple[str, str, int | None] | None = None
    # row index -> the earlier row whose breakdown it repeats (layout.same_breakdowns)
    same: Mapping[int, int] = field(default_factory=dict)
    # what could not be read, one line each ("line 7: lstm is not counted: ..."): the
    # summary is then this list in a warning box, not a table of "?"
    problems: Sequence[str] = ()


def model_nodes(
    summary: ModelSummary, layout: Layout, settings: ModelRender, _: Gettext
) -> list[nodes.Element]:
    if settings.problems:
        built: list[nodes.Element] = [problem_box(settings.problems, _)]
    else:
        built = _parts(summary, layout, settings, _)
    for element in built:
        for node in element.findall(nodes.TextElement):
            if not node.source and not isinstance(node, nodes.Inline):
                node["translatable"] = False  # generated text: not the author's to translate
    return built


def _parts(
    summary: ModelSummary, layout: Layout, settings: ModelRender, _: Gettext
) -> list[nodes.Element]:
    built: list[nodes.Element] = []
    # the size units are said once, under the first part that prints sizes
    units = size_units(summary, layout, settings.numbers, _)
    for part in settings.parts:
        if part == "summary":
            built.append(_summary(summary, layout, settings, units))
            units = ""
        elif part == "printed":
            text = summary_text(summary, printed_line_length(summary))
            block = nodes.literal_block(text, text, classes=[f"{MODEL_CLASS}-printed"])
            block["language"] = "none"
            # torchinfo's 90 columns fit the PDF's text block only in a smaller type
            built.append(nodes.raw("", LATEX_SMALL_CODE, format="latex"))
            built.append(block)
            built.append(nodes.raw("", r"\endgroup", format="latex"))
            if units:
                built.append(_units(units))
                units = ""
        elif part == "breakdowns":
            built.extend(_breakdowns(summary, settings, _))
    return built


def _lines(lines: Sequence[str], classes: list[str]) -> nodes.line_block:
    block = nodes.line_block(classes=classes)
    for text in lines:
        block += nodes.line(text, text)
    return block


def _units(text: str) -> nodes.paragraph:
    return nodes.paragraph(text, text, classes=[UNITS_CLASS])


def _summary(
    summary: ModelSummary, layout: Layout, settings: ModelRender, units: str
) -> nodes.container:
    """The table and, under it in the same box, the totals as the framework prints them."""
    box = nodes.container(classes=[MODEL_CLASS])
    title = settings.caption or [nodes.Text(default_caption(summary, layout))]
    links = breakdown_links(settings.ids, settings.same)
    table = docutils_table(
        page_table(layout),
        settings.numbers,
        title,
        settings.caption_source if settings.caption else None,
        links,
        classes=("lstm-params-table", f"{MODEL_CLASS}-table"),
    )
    box += nodes.raw("", LATEX_KEEP_TOGETHER, format="latex")
    box += table
    box += _lines(layout.totals, [f"{MODEL_CLASS}-totals"])
    if layout.sizes:
        box += _lines(layout.sizes, [f"{MODEL_CLASS}-sizes"])
    if units:
        box += _units(units)
    box += nodes.raw("", r"\endgroup", format="latex")
    for node in box.findall(nodes.TextElement):
        # the framework's characters as it prints them: "--" stays two hyphens (not an en
        # dash), Model: "sequential" keeps straight quotes; the author's caption is theirs
        if not (settings.caption and isinstance(node, nodes.title)):
            node["support_smartquotes"] = False
    return box


def _breakdowns(summary: ModelSummary, settings: ModelRender, _: Gettext) -> list[nodes.Element]:
    """Each recurrent layer's breakdown, headed by its label; a layer that repeats an earlier
    one gets a line that links to that one's instead."""
    built: list[nodes.Element] = []
    for index, row in enumerate(listed_rows(summary)):
        if not row.recurrent or row.breakdown is None or index not in settings.ids:
            continue
        label = breakdown_label(summary, index)
        first = settings.same.get(index)
        if first is not None and first in settings.ids:
            built.append(_same_as(label, breakdown_label(summary, first), settings, index, _))
            continue
        box = nodes.container(classes=[f"{MODEL_CLASS}-breakdown"], ids=[settings.ids[index]])
        box += nodes.rubric(label, label)
        box += render(row.breakdown, settings.breakdown, _)
        built.append(box)
    return built


def _same_as(
    label: str, first_label: str, settings: ModelRender, index: int, _: Gettext
) -> nodes.container:
    """``bidirectional_1 (Bidirectional): same as bidirectional (Bidirectional).``, the
    first one's label a link to its breakdown."""
    box = nodes.container(
        classes=[f"{MODEL_CLASS}-breakdown", SAME_CLASS], ids=[settings.ids[index]]
    )
    before, after = _("same as {first}.").split("{first}", 1)
    target = settings.ids[settings.same[index]]
    para = nodes.paragraph()
    para += [nodes.strong(label, label), nodes.Text(": " + before)]
    para += nodes.reference(first_label, first_label, refid=target, internal=True)
    para += nodes.Text(after)
    box += para
    return box


def problem_box(problems: Sequence[str], _: Gettext) -> nodes.warning:
    """The theme's warning box in place of a summary that could not be made: what is wrong,
    line by line, so that a page published from a build without ``-W`` shows no table of
    ``?`` rows and says what to fix."""
    box = nodes.warning(classes=[PROBLEMS_CLASS])
    intro = _(
        "This model summary is not shown: some of its lines could not be counted. "
        "Fix them and build again:"
    )
    box += nodes.paragraph(intro, intro)
    items = nodes.bullet_list()
    for problem in problems:
        item = nodes.list_item()
        item += nodes.paragraph(problem, problem)
        items += item
    box += items
    return box
