"""Per-builder touches on the finished doctree."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes

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
        ours = {"lstm-params-table", "lstm-params-storage"} & set(table["classes"])
        if not ours or not isinstance(table[0], nodes.title):
            continue
        title = table[0]
        table.remove(title)
        caption = nodes.paragraph("", "", *title.children, classes=["lstm-params-caption"])
        table.parent.insert(table.parent.index(table), caption)


def caption_diagrams_for_man(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Give the man builder our diagram captions as paragraphs: docutils' man writer ends a
    figure caption without a line break, so its next request lands in the text."""
    if app.builder.format != "man":
        return
    for figure in list(doctree.findall(nodes.figure)):
        if "lstm-params-diagram" not in figure["classes"]:
            continue
        for caption in list(figure.findall(nodes.caption)):
            paragraph = nodes.paragraph("", "", *caption.children, classes=["lstm-params-caption"])
            caption.parent.replace(caption, paragraph)


# How Sphinx's EPUB 3 template writes a content document into content.opf.
_OPF_ITEM = re.compile(r'<item id="[^"]*" href="([^"]+)" media-type="application/xhtml\+xml" />')


def declare_inline_svg_for_epub(app: Sphinx, exception: Exception | None) -> None:
    """EPUB 3 requires ``properties="svg"`` on every page with inline SVG (epubcheck:
    OPF-014), which Sphinx never writes: add it to content.opf and write the .epub again."""
    rebuild = getattr(app.builder, "build_epub", None)
    if exception is not None or app.builder.name != "epub" or not callable(rebuild):
        return
    opf = Path(app.outdir, "content.opf")
    if not opf.is_file():
        return

    def declare(match: re.Match[str]) -> str:
        page = Path(app.outdir, html.unescape(match[1]))
        if page.is_file() and "<svg " in page.read_text(encoding="utf-8"):
            return match[0].replace(" />", ' properties="svg" />')
        return match[0]

    text = opf.read_text(encoding="utf-8")
    declared = _OPF_ITEM.sub(declare, text)
    if declared != text:
        opf.write_text(declared, encoding="utf-8")
        rebuild()
