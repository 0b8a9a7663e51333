"""Which literal blocks of a page are checked, and where they are in Markdown, reST and plain
text files (standard library only; the Sphinx check reads the doctree instead, with the same
rule for languages).

A block is checked when it says no language, or one of :data:`TEXT_LANGUAGES`: what a
printout is pasted as. A block of Python is code, even when it holds a summary in comments;
:func:`page_blocks` keeps those too, for the code a summary is held against.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# "default": what Sphinx and myst-parser give a block that names no language; "myst-ansi":
# myst-nb's text outputs of a notebook (streams and text/plain)
TEXT_LANGUAGES = frozenset(
    {"", "default", "text", "none", "console", "txt", "plain", "plaintext", "output", "myst-ansi"}
)


def is_text_language(language: str | None) -> bool:
    return language is None or language.strip().lower() in TEXT_LANGUAGES


@dataclass(frozen=True)
class Block:
    """A literal block of a file: its text, the file line (0-based) of its first line, and
    the language it names (None: none)."""

    first_line: int
    text: str
    language: str | None = None


_FENCE = re.compile(r"(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})\s*(?P<info>[^\s`{]*)")
_MYST_DIRECTIVE = re.compile(r"\{(?P<name>[\w-]+)\}\s*(?P<lang>\S*)")
_MYST_CODE = frozenset({"code-block", "code", "sourcecode", "code-cell"})
_DIRECTIVE = re.compile(r"(?P<indent>\s*)\.\. (?:code-block|code|sourcecode)::\s*(?P<lang>\S*)")


def markdown_blocks(lines: list[str]) -> Iterator[Block]:
    """Fenced blocks (````` ``` ````` or ``~~~``, the info string or a MyST ``{code-block}``
    naming the language), and blocks indented by four spaces after a blank line."""
    index = 0
    while index < len(lines):
        fence = _FENCE.match(lines[index])
        if fence:
            close = re.compile(rf" {{0,3}}{fence['fence'][0]}{{{len(fence['fence'])},}}\s*$")
            end = next(
                (i for i in range(index + 1, len(lines)) if close.match(lines[i])), len(lines)
            )
            info = fence["info"]
            body = lines[index + 1 : end]
            directive = _MYST_DIRECTIVE.match(lines[index][fence.end() :])
            if directive:  # MyST: ```{code-block} text, ```{code-cell} ipython3, ```{note}
                name = directive["name"]
                info = directive["lang"] or ""
                if name.lower() in ("python", "python3", "ipython", "ipython3", "py"):
                    info = name  # Quarto's and R Markdown's ```{python}
                elif name not in _MYST_CODE:
                    info = "{" + name + "}"  # not a literal block at all
                while body and body[0].startswith(":"):  # its options
                    body = body[1:]
            start = end - len(body)
            yield Block(start, _dedent(body, len(fence["indent"])), info or None)
            index = end + 1
            continue
        if lines[index].startswith("    ") and (index == 0 or not lines[index - 1].strip()):
            end = index
            while end < len(lines) and (lines[end].startswith("    ") or not lines[end].strip()):
                end += 1
            yield Block(index, _dedent(lines[index:end], 4))
            index = end
            continue
        index += 1


def rest_blocks(lines: list[str]) -> Iterator[Block]:
    """``::`` literal blocks and ``code-block``/``code`` directives of a text language: the
    indented lines after them."""
    index = 0
    while index < len(lines):
        line = lines[index]
        directive = _DIRECTIVE.match(line)
        literal = (
            not directive and line.rstrip().endswith("::") and not line.lstrip().startswith("..")
        )
        if directive or literal:
            indent = len(line) - len(line.lstrip())
            body_start = index + 1
            if directive:  # its options, then a blank line
                while body_start < len(lines) and lines[body_start].strip().startswith(":"):
                    body_start += 1
            while body_start < len(lines) and not lines[body_start].strip():
                body_start += 1
            end = body_start
            while end < len(lines) and (
                not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent
            ):
                end += 1
            language = (directive["lang"] or None) if directive else None
            if end > body_start:
                body = lines[body_start:end]
                while body and not body[-1].strip():
                    body.pop()
                depth = min(len(b) - len(b.lstrip()) for b in body if b.strip())
                yield Block(body_start, _dedent(body, depth), language)
            index = max(end, index + 1)
            continue
        index += 1


MARKDOWN_SUFFIXES = (".md", ".markdown", ".qmd", ".rmd", ".mdx")
REST_SUFFIXES = (".rst", ".rest")


def page_blocks(text: str, suffix: str) -> list[Block]:
    """Every literal block of a file, in order, whatever its language: Markdown's, reST's,
    or a text file as one block."""
    lines = text.splitlines()
    if suffix in MARKDOWN_SUFFIXES:
        return list(markdown_blocks(lines))
    if suffix in REST_SUFFIXES:
        return list(rest_blocks(lines))
    return [Block(0, text)]


def file_blocks(text: str, suffix: str) -> list[Block]:
    """The blocks of a file that a printout may be pasted in (a text language or none)."""
    return [block for block in page_blocks(text, suffix) if is_text_language(block.language)]


_REST_FIELD = re.compile(r":lstmparams-define:\s*(?P<value>.*)")
_YAML_FIELD = re.compile(r"lstmparams-define:\s*(?P<value>.*)")


def page_define(text: str, suffix: str) -> tuple[int, str] | None:
    """A page's own ``lstmparams-define`` (its line, 0-based, and its value): a reST file's
    field at its top (before anything but comments and other fields), a Markdown file's
    front matter (Sphinx reads both as the page's metadata)."""
    lines = text.splitlines()
    if suffix in REST_SUFFIXES:
        for index, line in enumerate(lines):
            field = _REST_FIELD.fullmatch(line.strip())
            if field:
                return index, field["value"].strip()
            if line.strip() and not line.startswith((":", "..", " ")):
                return None
    elif suffix in MARKDOWN_SUFFIXES and lines and lines[0].strip() == "---":
        for index, line in enumerate(lines[1:], 1):
            if line.strip() == "---":
                return None
            field = _YAML_FIELD.fullmatch(line.strip())
            if field:
                return index, field["value"].strip().strip("'\"")
    return None


def _dedent(lines: list[str], depth: int) -> str:
    return "\n".join(line[depth:] if not line[:depth].strip() else line.lstrip() for line in lines)
