"""Breakdown -> standard docutils nodes (docutils only; no custom node, so every builder works).

Labels come through a gettext callable handed in by the directive, so this package stays free
of Sphinx. Generated text is marked ``translatable=False`` and carries no source, so it never
leaks into the user's message catalogs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from docutils import nodes

from ..counting import Breakdown
from ..numbers import NumberStyle
from ..spec import Gettext, Part, captioned_part
from ..table import Rows
from .diagram import DIAGRAM_CLASS, DIAGRAM_TEXT_CLASS, diagram_figure
from .formula import FORMULA_TEXT_CLASS, formula_nodes
from .prose import answer_paragraph, notes_list
from .storage import STORAGE_CLASS, STORAGE_TEXT_CLASS, storage_nodes
from .table import breakdown_table

__all__ = [
    "DIAGRAM_CLASS",
    "DIAGRAM_TEXT_CLASS",
    "FORMULA_TEXT_CLASS",
    "STORAGE_CLASS",
    "STORAGE_TEXT_CLASS",
    "TABLE_CLASS",
    "RenderSettings",
    "captioned_part",
    "render",
]

TABLE_CLASS = "lstm-params-table"


@dataclass(frozen=True)
class RenderSettings:
    parts: tuple[Part, ...]  # in the page's order
    numbers: NumberStyle = field(default_factory=NumberStyle)
    caption: list[nodes.Node] | None = None  # parsed user caption, else a generated one
    caption_source: tuple[str, str, int | None] | None = None  # (raw text, file, line)
    rows: Rows | None = None  # the table's rows: per gate or per layer (None: as suits)


def render(breakdown: Breakdown[Any], settings: RenderSettings, _: Gettext) -> list[nodes.Element]:
    """The requested parts, in the order given."""
    numbers = settings.numbers
    built: list[nodes.Element] = []
    owner = captioned_part(settings.parts)
    for part in settings.parts:
        caption = (settings.caption, settings.caption_source) if part == owner else (None, None)
        if part == "answer":
            built.append(answer_paragraph(breakdown, _, numbers))
        elif part == "table":
            built.append(breakdown_table(breakdown, _, numbers, *caption, settings.rows))
        elif part == "diagram":
            figure = diagram_figure(breakdown, _, numbers, *caption)
            built.extend([figure] if figure is not None else [])
        elif part == "storage":
            built.extend(storage_nodes(breakdown, _, numbers, *caption))
        elif part == "formula":
            built.extend(formula_nodes(breakdown, _, numbers))
        elif part == "notes":
            built.append(notes_list(breakdown, _, numbers))
    for element in built:
        for node in element.findall(nodes.TextElement):
            # Generated text is not the author's: keep it out of their .pot files. Only
            # block-level text is a message; an inline node marked so would be moved to the
            # end of its paragraph by Sphinx (RemoveTranslatableInline), roles in the
            # author's caption among them.
            if not node.source and not isinstance(node, nodes.Inline):
                node["translatable"] = False
    return built
