"""Breakdown -> the counting formula, symbolic and with the numbers in (standard library only).

The formula is the breakdown's own expression printed four ways (LaTeX or plain text,
symbols or numbers); the tensors are the same expression multiplied out, so the two cannot
disagree. For the seed's case::

    P = 4 x ((i + 1) x h + h^2)
      = 4 x ((4096 + 1) x 256 + 256^2)
      = 4,457,472
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .counting import Breakdown
from .expression import evaluate, print_expression
from .numbers import NumberStyle, format_count


@dataclass(frozen=True)
class Formula:
    """The count as a formula: with symbols, with numbers, and its value."""

    symbolic_latex: str
    numeric_latex: str
    symbolic_text: str
    numeric_text: str
    total: int

    def latex(self, separator: str = ",") -> str:
        """Three aligned lines for a ``math_block``: symbols, numbers, total."""
        total = NumberStyle(separator).latex(self.total)
        return (
            rf"P &= {self.symbolic_latex} \\" + "\n"
            rf"  &= {self.numeric_latex} \\" + "\n"
            rf"  &= {total}"
        )

    def text(self, separator: str = ",") -> str:
        """Three lines for a terminal or a text page: symbols, numbers, total."""
        return (
            f"P = {self.symbolic_text}\n"
            f"  = {self.numeric_text}\n"
            f"  = {format_count(self.total, separator)}"
        )


def formula(breakdown: Breakdown[Any]) -> Formula:
    """The formula of a breakdown: its expression, printed."""
    expr = breakdown.expression
    return Formula(
        symbolic_latex=print_expression(expr, numbers=False, latex=True),
        numeric_latex=print_expression(expr, numbers=True, latex=True),
        symbolic_text=print_expression(expr, numbers=False, latex=False),
        numeric_text=print_expression(expr, numbers=True, latex=False),
        total=evaluate(expr),
    )
