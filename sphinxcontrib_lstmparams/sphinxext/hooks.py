"""Per-builder touches on the finished doctree."""

from __future__ import annotations

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
