"""The formula as a math block, with a plain-text twin for builders that cannot typeset it."""

from __future__ import annotations

from typing import Any

from docutils import nodes

from .. import wording
from ..counting import Breakdown
from ..formula import formula
from ..numbers import NumberStyle
from ..spec import Gettext
from .prose import paragraph

FORMULA_TEXT_CLASS = "lstm-params-formula-text"


def formula_nodes(
    breakdown: Breakdown[Any], _: Gettext, numbers: NumberStyle
) -> list[nodes.Element]:
    form = formula(breakdown)
    latex = form.latex(numbers.separator)
    block = nodes.math_block(latex, latex, nowrap=False, number=None, label=None)
    # For builders that print math as LaTeX source (text, man, texinfo) the directive
    # shows this plain form instead.
    plain = form.text(numbers.separator)
    text_block = nodes.literal_block(plain, plain, classes=[FORMULA_TEXT_CLASS])
    return [block, text_block, paragraph(wording.where(breakdown, _, numbers))]
