"""Our tables in LaTeX: how wide each column is, so that no cell is wider than its column.

A cell breaks only between its pieces (a product, a sum and a number hold no-break spaces, and
``sphinxlstmparams.sty`` turns hyphenation off), so each column must be at least as wide as
its widest piece, set in the PDF's proportional fonts; a share of the line by characters fell
1 to 4 pt short of "Projection" and "4 × (1,024 + 1,024)". The widths here are estimated
from the fonts' advance widths (TeX Gyre Heros, the wider of Sphinx's two), each column gets
its widest piece first and the rest of the line as it can use it, and a table whose pieces do
not fit the line at the text's size is set smaller (``\\small`` and so on). The line is taken
to be the narrower of Sphinx's default text blocks (A4), 45 em of the text's size.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# The text block of Sphinx's default LaTeX on A4 paper, 451 pt, in em of its 10 pt text.
LINE = 45.0
# What a column spends beside its text: \tabcolsep either side and a rule (in em).
PADDING = 1.25
# The sizes a table may be set in, as a share of the text's, and LaTeX's word for each.
SIZES = ((1.0, ""), (0.9, r"\small"), (0.8, r"\footnotesize"), (0.7, r"\scriptsize"))

# Advance widths of TeX Gyre Heros (Helvetica) in em; the body's Termes is narrower.
_WIDTHS = {
    **dict.fromkeys("0123456789", 0.556),
    **dict.fromkeys(" \N{NO-BREAK SPACE},.:;'!|il", 0.278),
    **dict.fromkeys("\N{THIN SPACE}\N{NARROW NO-BREAK SPACE}", 0.167),
    **dict.fromkeys("()[]-ftr", 0.333),
    **dict.fromkeys("\N{MULTIPLICATION SIGN}+=<>~^", 0.584),
    **dict.fromkeys("mMW", 0.833),
    **dict.fromkeys("ABCDEFGHKNOPQRSUVXYZw", 0.722),
    "_": 0.556,
    "#": 0.556,
    "\N{BOX DRAWINGS LIGHT VERTICAL AND RIGHT}": 0.6,
    "\N{BOX DRAWINGS LIGHT HORIZONTAL}": 0.6,
}
_OTHER = 0.611  # any other character: a wide lower-case letter's width, to be safe


def text_width(text: str) -> float:
    """``text`` on one line, in em."""
    return sum(_WIDTHS.get(char, _OTHER) for char in text)


def widest_piece(text: str) -> float:
    """The widest stretch of ``text`` that cannot break: between plain spaces and line
    breaks (not the no-break spaces inside a product), in em."""
    return max((text_width(piece) for piece in re.split(r"[ \n]+", text)), default=0.0)


# Bold text (the totals row) is this much wider.
BOLD = 1.1


def column_widths(
    rows: Sequence[Sequence[str]], bold: Sequence[bool] = (), line: float = LINE
) -> tuple[list[float], str]:
    """Each column's share of the line (in em of the text; their sum is ``line``) and the
    size command the table is set in (empty: the text's size). ``bold`` says which rows are
    set in bold."""
    weights = [BOLD if index < len(bold) and bold[index] else 1.0 for index in range(len(rows))]
    columns = list(zip(*rows, strict=True))
    natural = [max(text_width(t) * w for t, w in zip(c, weights, strict=True)) for c in columns]
    floor = [max(widest_piece(t) * w for t, w in zip(c, weights, strict=True)) for c in columns]
    scale, command = next(
        ((s, c) for s, c in SIZES if sum(f * s + PADDING for f in floor) <= line), SIZES[-1]
    )
    need = [f * scale + PADDING for f in floor]
    want = [max(n * scale + PADDING, m) for n, m in zip(natural, need, strict=True)]
    widths = list(need)
    spare = line - sum(widths)
    extra = [w - m for w, m in zip(want, need, strict=True)]
    if spare > 0 and sum(extra) > 0:
        # every column gets the same share of what it could still use, up to all of it
        share = min(1.0, spare / sum(extra))
        widths = [m + e * share for m, e in zip(need, extra, strict=True)]
        spare = line - sum(widths)
    if spare > 0:
        widths = [w + spare * w / sum(widths) for w in widths]  # the table spans the line
    return widths, command


def column_spec(widths: Sequence[float], numeric: Sequence[bool], size: str = "") -> str:
    """The ``tabularcolumns`` spec: each width as a share of the line (Sphinx's ``\\X{a}{b}``
    takes whole numbers), numbers right-aligned, labels left (``sphinxlstmparams.sty``), every
    cell in the ``size`` given (the caption keeps the text's)."""
    tenths = [max(1, round(width * 10)) for width in widths]
    columns = [
        rf">{{{size}\sphinxlstmparams{'number' if is_number else 'label'}}}"
        rf"\X{{{part}}}{{{sum(tenths)}}}"
        for part, is_number in zip(tenths, numeric, strict=True)
    ]
    return "|" + "|".join(columns) + "|"
