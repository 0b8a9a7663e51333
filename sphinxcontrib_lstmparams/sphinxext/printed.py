"""``lstmparams_check_printed``: the summaries a page pastes as literal blocks, read back and
checked (the rules are in :mod:`sphinxcontrib_lstmparams.printed`).

Every literal block of a document that names no language or a text one (reST ``::``,
``code-block``/``code``, ``literalinclude``, MyST fences, myst-nb's text outputs) is looked at
when the document is read; a problem is a warning ``lstmparams.printed`` at the file and line
of the row or totals line to blame. The doctree is never changed, so a build with the check
off is the same as one without it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docutils import nodes

from ..printed import check_text
from ..printed.blocks import is_text_language
from ..printed.find import might_hold_a_summary
from .warnings import warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx

SUBTYPE = "printed"
# how far after a block's recorded line its first line may be (a code-block's options)
_SEARCH = 60


def check_printed_blocks(app: Sphinx, doctree: nodes.document) -> None:
    """doctree-read: warn on every problem of every summary pasted in the document."""
    if not app.config.lstmparams_check_printed:
        return
    sources: dict[str, list[str] | None] = {}
    for node in doctree.findall(nodes.literal_block):
        if not is_text_language(node.get("language")):
            continue
        text = node.astext()
        if not might_hold_a_summary(text):
            continue
        problems = check_text(text)
        if not problems:
            continue
        path, first = _where(node, text, sources)
        for problem in problems:
            if first is None:  # not found in its source (a notebook's output): the block
                where = f" (line {problem.line + 1} of the block)"
                warn(problem.message + where, node, SUBTYPE)
            else:
                warn(problem.message, f"{path}:{first + problem.line + 1}", SUBTYPE)


def _where(
    node: nodes.literal_block, text: str, sources: dict[str, list[str] | None]
) -> tuple[str, int | None]:
    """The file a block's text is in and the index of its first line there, found by its
    text from the line the parser recorded (a ``literalinclude``'s own file from its top)."""
    included = node.get("source")
    path = str(included or node.source or "")
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
