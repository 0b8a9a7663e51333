"""The cell diagram as a numbered figure: inline SVG for HTML and EPUB, TikZ for LaTeX and a
text drawing for the text, man and texinfo builders, one geometry behind all three."""

from __future__ import annotations

from typing import Any

from docutils import nodes

from .. import wording
from ..cell_diagram import draw
from ..counting import Breakdown
from ..diagram import to_svg, to_text, to_tikz
from ..numbers import NumberStyle
from ..spec import Gettext, LayerSpec

DIAGRAM_CLASS = "lstm-params-diagram"
# The text drawing; sphinxext keeps it for the builders without SVG or TikZ.
DIAGRAM_TEXT_CLASS = "lstm-params-diagram-text"


def diagram_figure(
    breakdown: Breakdown[Any],
    _: Gettext,
    numbers: NumberStyle,
    title: list[nodes.Node] | None = None,
    title_source: tuple[str, str, int | None] | None = None,
) -> nodes.figure | None:
    """The figure, or None for a layer kind that has no cell to draw."""
    if not isinstance(breakdown.spec, LayerSpec):
        return None
    drawing = draw(breakdown, _, numbers)
    figure = nodes.figure(classes=[DIAGRAM_CLASS])
    figure += nodes.raw("", to_svg(drawing), format="html")
    figure += nodes.raw("", to_tikz(drawing), format="latex")
    text = to_text(drawing)
    figure += nodes.literal_block(text, text, classes=[DIAGRAM_TEXT_CLASS])
    if title is None:
        title = [nodes.Text(wording.diagram_caption(breakdown, _, numbers))]
    caption = nodes.caption("", "", *title)
    if title_source:
        # the author's own caption stays translatable, like a figure directive's caption
        caption.rawsource, caption.source, caption.line = title_source
    figure += caption
    return figure
