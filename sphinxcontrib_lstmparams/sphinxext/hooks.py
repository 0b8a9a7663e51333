"""Per-builder touches on the finished doctree."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms import SphinxTransform

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def caption_tables_for_man(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Give the man builder our table captions as paragraphs above the tables.

    docutils' man writer takes a table's title for the page's own title (the NAME line,
    unescaped) or a ``.SH`` heading; as a paragraph the caption is escaped text.
    """
    if app.builder.format != "man":
        return
    for table in list(doctree.findall(nodes.table)):
        if "lstm-params-table" not in table["classes"] or not isinstance(table[0], nodes.title):
            continue
        title = table[0]
        table.remove(title)
        caption = nodes.paragraph("", "", *title.children, classes=["lstm-params-caption"])
        table.parent.insert(table.parent.index(table), caption)


class KeepGeneratedBlocksOutOfCatalogs(SphinxTransform):
    """``gettext_additional_targets`` marks every literal block (and raw block) translatable,
    ours too, and Sphinx then gives them a source: the plain-text formula would land in the
    author's ``.pot``. Nothing inside our output but the author's caption is theirs."""

    default_priority = 11  # right after Sphinx's ExtraTranslatableNodes (10)

    def apply(self, **kwargs: Any) -> None:
        for container in self.document.findall(nodes.container):
            if "lstm-params" not in container["classes"]:
                continue
            for block in container.findall(nodes.FixedTextElement):
                block["translatable"] = False


LATEX_PACKAGE = "sphinxlstmparams"
LATEX_DIR = Path(__file__).parent / "latex"


def copy_latex_package(app: Sphinx, exception: Exception | None) -> None:
    """Put our ``.sty`` next to the ``.tex`` files that load it."""
    if exception is None and app.builder.format == "latex":
        name = f"{LATEX_PACKAGE}.sty"
        shutil.copyfile(LATEX_DIR / name, Path(app.outdir, name))
