"""``lstmparams_check_printed``: the summaries a page pastes as literal blocks, read back and
checked, and held against the Python block before them (the rules are in
:mod:`sphinxcontrib_lstmparams.printed`).

Every literal block of a document is looked at in order when the document is read: a Python
block (``python``, ``py``, ``ipython``, or no language and Python text; a myst-nb cell's
source) is code a later summary may be held against; a block that names no language or a
text one (reST ``::``, ``code-block``/``code``, ``literalinclude``, MyST fences, myst-nb's
text outputs) and holds a summary is checked. A problem is a warning ``lstmparams.printed``
at the file and line of the row or totals line to blame. The values the code cannot know
are ``lstmparams_define``'s and the page's own (its ``lstmparams-define`` metadata field).
The doctree is never changed, so a build with the check off is the same as one without it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes

from ..model.code.defines import merge, parse_defines
from ..printed.blocks import is_text_language
from ..printed.find import might_hold_a_summary
from ..printed.pasted_code import CodeBlock, PageCode, is_code
from ..spec import OptionError
from .warnings import inform, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx

SUBTYPE = "printed"
PAGE_FIELD = "lstmparams-define"
DEFINE_HINT = ":lstmparams-define: {key}=... at the top of the page (or lstmparams_define)"
# how far after a block's recorded line its first line may be (a code-block's options)
_SEARCH = 60

Sources = dict[str, list[str] | None]


def check_printed_blocks(app: Sphinx, doctree: nodes.document) -> None:
    """doctree-read: warn on every problem of every summary pasted in the document."""
    if not app.config.lstmparams_check_printed:
        return
    site = dict(app.config.lstmparams_define)
    page = PageCode([site, _page_define(app)], DEFINE_HINT)
    sources: Sources = {}
    cells: dict[int, CodeBlock] = {}  # a notebook cell's source block, by its node's id
    for node in doctree.findall(nodes.literal_block):
        text = node.astext()
        language = node.get("language")
        if is_code(language, text):
            path, first = _where(node, text, sources)
            block = CodeBlock(text, path, first, _cell_label(node))
            cells[id(node)] = block
            page.add(block)
            continue
        if not is_text_language(language) or not might_hold_a_summary(text):
            continue
        path = _path(node)
        checked = page.check(text, path, _own_cell(node, cells))
        if not checked.problems and not checked.notes:
            continue
        path, first = _where(node, text, sources)
        for problem in checked.problems:
            if first is None:  # not found in its source (a notebook's output): the block
                where = f" (line {problem.line + 1} of the block)"
                warn(problem.message + where, node, SUBTYPE)
            else:
                warn(problem.message, f"{path}:{first + problem.line + 1}", SUBTYPE)
        for line, note in checked.notes:
            inform(note, node if first is None else f"{path}:{first + line + 1}")


def _page_define(app: Sphinx) -> Mapping[str, object]:
    """The page's ``lstmparams-define`` field (reST: a field at the top; MyST: front
    matter, as one line or a mapping), read as ``:define:`` is; a bad one is one warning and
    no values."""
    value = app.env.metadata.get(app.env.docname, {}).get(PAGE_FIELD)
    if value is None:
        return {}
    text = str(value)
    try:
        given: object = json.loads(text) if text.lstrip().startswith("{") else None
    except ValueError:
        given = None
    try:
        if isinstance(given, dict):  # MyST writes a mapping of front matter as JSON
            merge([given])
            return given
        return parse_defines(text)
    except OptionError as error:
        warn(f"lstmparams-{error}", (app.env.docname, None), SUBTYPE)
        return {}


def _cell_label(node: nodes.literal_block) -> str:
    """How a message names a myst-nb cell's source (its lines are not found in the JSON)."""
    cell = _notebook_cell(node, "cell_code_source")
    if cell is None:
        return "the code block"
    index = cell.get("cell_index")
    return "its notebook cell" if index is None else f"cell {int(index) + 1} of the notebook"


def _own_cell(node: nodes.literal_block, cells: dict[int, CodeBlock]) -> CodeBlock | None:
    """The code of the myst-nb cell a block is an output of; None for another block."""
    cell = _notebook_cell(node, "cell_code_output")
    if cell is None:
        return None
    for source in cell.findall(nodes.literal_block):
        if id(source) in cells:
            return cells[id(source)]
    return CodeBlock("")  # a cell with no Python source: its output has no code


def _notebook_cell(node: nodes.Element, part: str) -> nodes.Element | None:
    """The myst-nb cell whose ``part`` (its source, its output) holds ``node``."""
    parent = node.parent
    if isinstance(parent, nodes.container) and parent.get("nb_element") == part:
        cell = parent.parent
        return cell if isinstance(cell, nodes.Element) else None
    return None


def _path(node: nodes.literal_block) -> str:
    return str(node.get("source") or node.source or "")


def _where(node: nodes.literal_block, text: str, sources: Sources) -> tuple[str, int | None]:
    """The file a block's text is in and the index of its first line there, found by its
    text from the line the parser recorded (a ``literalinclude``'s own file from its top)."""
    included = node.get("source")
    path = _path(node)
    start = 0 if included else max((node.line or 1) - 2, 0)
    if path not in sources:
        try:
            sources[path] = Path(path).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            sources[path] = None
    lines = sources[path]
    first = next((line for line in text.splitlines() if line.strip()), "").strip()
    if lines is None or not first:
        return path, None
    stop = len(lines) if included else min(len(lines), start + _SEARCH)
    for index in range(start, stop):
        if lines[index].strip() == first:
            offset = next(i for i, line in enumerate(text.splitlines()) if line.strip())
            return path, index - offset
    return path, None
