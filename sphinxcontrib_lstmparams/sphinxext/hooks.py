"""Per-builder touches on the finished doctree."""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform

from ..render.table import NUMBER_CLASS
from ..table import format_plain

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def _our_containers(doctree: nodes.document) -> list[nodes.container]:
    return [c for c in doctree.findall(nodes.container) if "lstm-params" in c["classes"]]


def adapt_for_man(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Man pages: our output starts a paragraph of its own, our table captions become
    paragraphs above the tables, the tables are set in monospace with numbers right-aligned
    (troff's tables cannot keep our columns within 80 characters without breaking numbers),
    and troff neither hyphenates nor stretches our words.

    docutils' man writer takes a table's title for the page's own title (the NAME line,
    unescaped) or a ``.SH`` heading; as a paragraph the caption is escaped text. It writes no
    ``.sp`` before a container's first paragraph, so our sentence ran into the author's.
    """
    if app.builder.format != "man":
        return
    for container in _our_containers(doctree):
        for table in list(container.findall(nodes.table)):
            if not {"lstm-params-table", "lstm-params-storage"} & set(table["classes"]):
                continue
            if isinstance(table[0], nodes.title):
                title = table[0]
                table.remove(title)
                caption = nodes.paragraph("", "", *title.children, classes=["lstm-params-caption"])
                table.parent.insert(table.parent.index(table), caption)
            if "lstm-params-table" in table["classes"]:
                table.replace_self(_monospace(table))
        # .nh: no hyphenation ("candi- date"); .na: no stretching to the margin (which troff
        # cannot do in narrow table cells); restored after our output
        container.insert(0, nodes.raw("", ".nh\n.na\n", format="manpage"))
        container.append(nodes.raw("", ".hy\n.ad\n", format="manpage"))


SCROLL_CLASS = "lstm-params-scroll"
# an empty box beside the table that the stylesheet turns into the fade at the right edge
SCROLL_CUE_CLASS = "lstm-params-scroll-cue"


class WrapTablesForScrolling(SphinxPostTransform):
    """HTML: each of our tables sits in a box of its own that scrolls sideways when the table
    is wider than the page (on a phone), so that the answer, the formula and the notes around
    it stay in place. The stylesheet (``static/lstm-params.css``) keeps the caption and the
    row labels in view while it scrolls, snaps the columns to the labels' edge, and shows
    that there is more: a fade at the right edge (the empty box added after the table) and a
    shadow beside the labels.

    Runs before furo's own table wrapper (priority 500), which then sits inside ours.
    """

    formats = ("html",)
    default_priority = 400

    def run(self, **kwargs: Any) -> None:
        for container in _our_containers(self.document):
            for table in list(container.findall(nodes.table)):
                # not replace_self(), which would hand the table's ids and classes to the box
                box = nodes.container(classes=[SCROLL_CLASS])
                table.parent.replace(table, box)
                box.append(table)
                box.append(nodes.container(classes=[SCROLL_CUE_CLASS]))


class ExplainUnitsOnce(SphinxPostTransform):
    """Text, man and Texinfo print an abbreviation's meaning after it every time: ours (a
    note's ``MiB``) say theirs once a page, after the first. (HTML keeps every one, as a
    tooltip; LaTeX writes it after the first of the document itself.)"""

    formats = ("text", "man", "texinfo")
    default_priority = 400

    def run(self, **kwargs: Any) -> None:
        said: set[tuple[str, str]] = set()
        for container in _our_containers(self.document):
            for node in container.findall(nodes.abbreviation):
                meaning = (node.astext(), str(node.get("explanation", "")))
                if meaning in said:
                    node.attributes.pop("explanation", None)
                said.add(meaning)


# Lines (about a third of a page) beyond which a table of ours may break across pages in LaTeX.
LATEX_LONG_TABLE = 18
# Characters to a line of text in the PDF, to count the lines of a paragraph.
LATEX_LINE = 90
# A heading is kept with one of our tables when no more than this many lines come between.
LATEX_NEAR = 8


class KeepTablesWithHeadingsInLatex(SphinxPostTransform):
    """LaTeX: a section's heading stays on the page that shows what follows it.

    A table of ours taller than a third of a page is a ``longtable``, which breaks across
    pages (Sphinx's own tables break only past 30 rows: a storage map, 16 rows of three or
    four lines, went to the next page whole, or ran past its foot, and left the heading and
    the sentence before it alone on half a page). And when a heading is followed, within a
    few lines, by one of our tables, the section starts with ``\\needspace``: the heading, the
    lines between and the table's first rows go to the next page together rather than leave
    the heading behind.
    """

    formats = ("latex",)
    default_priority = 400

    def run(self, **kwargs: Any) -> None:
        kept: set[int] = set()
        for container in _our_containers(self.document):
            for table in container.findall(nodes.table):
                lines = _lines(table)
                if lines > LATEX_LONG_TABLE and "longtable" not in table["classes"]:
                    table["classes"].append("longtable")
                found = _near_heading(table)
                if found is None or id(found[0]) in kept:
                    continue
                section, between = found
                kept.add(id(section))
                # the heading with its space, the lines between, the caption, the header and
                # the first two rows (a table's line is a little taller than the text's)
                need = 5 + between + 3 + round(1.3 * _lines(table, 3))
                raw = nodes.raw("", rf"\needspace{{{need}\baselineskip}}", format="latex")
                section.parent.insert(section.parent.index(section), raw)


def _lines(table: nodes.table, rows: int | None = None) -> int:
    """About how many lines the table (or its first ``rows``) takes: each row as tall as its
    tallest cell, a cell one line to a line of its text (a product and its result take two)."""

    def height(entry: nodes.Node) -> int:
        lines = len(list(entry.findall(nodes.line)))
        return lines or (2 if " =" in entry.astext() else 1)

    found = list(table.findall(nodes.row))[:rows]
    return sum(max((height(entry) for entry in row.children), default=1) for row in found)


def _near_heading(table: nodes.table) -> tuple[nodes.section, int] | None:
    """The section whose heading the table follows within a few lines, and those lines;
    None when something else (a figure, a code block, a longer text) comes between."""
    between = 0
    node: nodes.Node = table
    while node.parent is not None:
        parent = node.parent
        for sibling in parent.children[: parent.index(node)]:
            if isinstance(sibling, nodes.title) and isinstance(parent, nodes.section):
                continue
            if not isinstance(sibling, (nodes.paragraph, nodes.Invisible)):
                return None
            if isinstance(sibling, nodes.paragraph):
                between += len(sibling.astext()) // LATEX_LINE + 1
        if between > LATEX_NEAR:
            return None
        if isinstance(parent, nodes.section) and parent.parent is not None:
            return parent, between
        node = parent
    return None


# Columns a man page's monospace block has at 80 characters, after the page's indent.
MAN_WIDTH = 72


def _monospace(table: nodes.table) -> nodes.literal_block:
    """Our docutils table as a monospace table (the numbers right-aligned)."""
    rows = [[entry.astext() for entry in row.children] for row in table.findall(nodes.row)]
    head = next(iter(table.findall(nodes.thead)))
    numeric = [NUMBER_CLASS in entry["classes"] for entry in head.findall(nodes.entry)]
    text = format_plain(rows[0], rows[1:], numeric, MAN_WIDTH)
    return nodes.literal_block(text, text, classes=["lstm-params-table"])


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


STATIC_DIR = Path(__file__).parent / "static"
STYLESHEET = "lstm-params.css"
# marks the tables that scroll, for the stylesheet's sticky row labels (not in EPUB, whose
# content documents would have to be declared scripted)
SCRIPT = "lstm-params.js"


def add_static_dir(app: Sphinx) -> None:
    """Let HTML builders copy our stylesheet and script into ``_static``."""
    if app.builder.format == "html":
        app.config.html_static_path.append(str(STATIC_DIR))


def add_stylesheet(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Link our stylesheet and script from the pages that show our output, and only from
    those."""
    if doctree is not None and _our_containers(doctree):
        app.add_css_file(STYLESHEET)
        if not app.builder.name.startswith("epub"):
            app.add_js_file(SCRIPT, loading_method="defer")


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
