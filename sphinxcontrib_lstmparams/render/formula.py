"""The formula as a math block, with a plain-text twin for builders that cannot typeset it."""

from __future__ import annotations

from typing import Any

from docutils import nodes

from .. import wording
from ..counting import Breakdown
from ..formula import formula
from ..numbers import NumberStyle
from ..spec import Gettext

FORMULA_TEXT_CLASS = "lstm-params-formula-text"


def formula_nodes(
    breakdown: Breakdown[Any], _: Gettext, numbers: NumberStyle
) -> list[nodes.Element]:
    form = formula(breakdown, numbers)
    latex = form.latex()
    block = nodes.math_block(latex, latex, nowrap=False, number=None, label=None)
    # For builders that print math as LaTeX source (text, man, texinfo) the directive
    # shows this plain form instead.
    plain = form.text()
    text_block = nodes.literal_block(plain, plain, classes=[FORMULA_TEXT_CLASS])
    where = nodes.paragraph()
    for piece in wording.where(breakdown, _, numbers):
        if isinstance(piece, wording.Letter):
            where += nodes.math(piece.name, piece.name)  # italic, as in the formula
        else:
            where += nodes.Text(piece)
    return [block, text_block, where]
