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


class WrapTablesForScrolling(SphinxPostTransform):
    """HTML: each of our tables sits in a box of its own that scrolls sideways when the table
    is wider than the page (on a phone), so that the answer, the formula and the notes around
    it stay in place, and the stylesheet can keep the caption, the row labels and the Total
    column in view (``static/lstm-params.css``).

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


def add_static_dir(app: Sphinx) -> None:
    """Let HTML builders copy our stylesheet into ``_static``."""
    if app.builder.format == "html":
        app.config.html_static_path.append(str(STATIC_DIR))


def add_stylesheet(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """Link our stylesheet from the pages that show our output, and only from those."""
    if doctree is not None and _our_containers(doctree):
        app.add_css_file(STYLESHEET)


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
