"""``lstm-params --check-printed FILE...``: the summaries pasted in Markdown, reST and text
files (MkDocs, Quarto, READMEs), read back and checked as the Sphinx check does, each against
the Python block before it too; each problem ``file:line: message``, and exit status 1 when
there is one."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..model.code.defines import parse_defines
from ..printed.blocks import is_text_language, page_blocks, page_define
from ..printed.pasted_code import CodeBlock, PageCode, is_code
from ..spec import OptionError

DEFINE_HINT = "--define '{key}=...'"


@dataclass
class Found:
    """What the files give: problems (``file:line: message``) and notes for the author."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def check_printed_files(paths: Sequence[str], define: Mapping[str, object] | None = None) -> Found:
    """Every problem of every file, in file order; OptionError for a file that cannot be
    read or a bad ``lstmparams-define`` in one. ``define``: ``--define``'s values, which a
    page's own ``lstmparams-define`` overrides."""
    found = Found()
    for path in paths:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
            raise OptionError(f"check-printed: cannot read {path!r}: {reason}") from None
        suffix = Path(path).suffix.lower()
        page = PageCode([define or {}, _page_define(path, text, suffix)], DEFINE_HINT)
        for block in page_blocks(text, suffix):
            if is_code(block.language, block.text):
                page.add(CodeBlock(block.text, path, block.first_line))
                continue
            if not is_text_language(block.language):
                continue
            checked = page.check(block.text, path)
            found.problems += [
                f"{path}:{block.first_line + problem.line + 1}: {problem.message}"
                for problem in checked.problems
            ]
            found.notes += [
                f"{path}:{block.first_line + line + 1}: {note}" for line, note in checked.notes
            ]
    return found


def merge_texts(texts: Sequence[str]) -> dict[str, object]:
    """``--define`` given several times (each may be a comma-separated list) -> one mapping,
    later ones winning; OptionError for a bad one."""
    values: dict[str, object] = {}
    for text in texts:
        values.update(parse_defines(text))
    return values


def _page_define(path: str, text: str, suffix: str) -> Mapping[str, object]:
    given = page_define(text, suffix)
    if given is None:
        return {}
    line, value = given
    try:
        return parse_defines(value)
    except OptionError as error:
        raise OptionError(f"check-printed: {path}:{line + 1}: lstmparams-{error}") from None


__all__ = ["DEFINE_HINT", "Found", "check_printed_files", "merge_texts"]
