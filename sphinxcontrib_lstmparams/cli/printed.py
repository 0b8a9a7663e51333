"""``lstm-params --check-printed FILE...``: the summaries pasted in Markdown, reST and text
files (MkDocs, Quarto, READMEs), read back and checked as the Sphinx check does; each problem
``file:line: message``, and exit status 1 when there is one."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..printed import check_text
from ..printed.blocks import file_blocks
from ..spec import OptionError


def check_printed_files(paths: Sequence[str]) -> list[str]:
    """One ``file:line: message`` per problem, in file order; OptionError for a file that
    cannot be read."""
    found: list[str] = []
    for path in paths:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) else "not UTF-8 text"
            raise OptionError(f"check-printed: cannot read {path!r}: {reason}") from None
        for block in file_blocks(text, Path(path).suffix.lower()):
            found += [
                f"{path}:{block.first_line + problem.line + 1}: {problem.message}"
                for problem in check_text(block.text)
            ]
    return found


__all__ = ["check_printed_files"]
