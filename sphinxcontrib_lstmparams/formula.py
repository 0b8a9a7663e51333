"""Breakdown -> the counting formula, symbolic and with the numbers in (standard library only).

The formula is the breakdown's own expression printed four ways (LaTeX or plain text,
symbols or numbers); the tensors are the same expression multiplied out, so the two cannot
disagree. For the seed's case::

    P = 4 × ((i + 1) × h + h²)
      = 4 × ((4,096 + 1) × 256 + 256²)
      = 4,457,472
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .counting import Breakdown
from .expression import evaluate, print_terms
from .numbers import NumberStyle

# Longest formula line, in plain-text characters, before it is broken between terms: what
# fits a PDF page and most themes' content column.
LINE = 60


def _lines(terms: list[str], measure: list[str]) -> list[str]:
    """Terms joined with ``+`` into lines no longer than LINE (measured on their plain text)."""
    lines: list[list[str]] = [[]]
    length = 0
    for term, plain in zip(terms, measure, strict=True):
        if lines[-1] and length + 3 + len(plain) > LINE:
            lines.append([])
            length = 0
        lines[-1].append(term)
        length += len(plain) + (3 if length else 0)
    return [" + ".join(line) for line in lines]


@dataclass(frozen=True)
class Formula:
    """The count as a formula: with symbols, with numbers, and its value (``total``). Each form
    is a list of terms (``symbolic_latex_terms`` and the like), and ``symbolic_latex``,
    ``numeric_latex``, ``symbolic_text`` and ``numeric_text`` join them into one line; the
    printed lines break between terms when a line would be too long."""

    symbolic_latex_terms: tuple[str, ...]
    numeric_latex_terms: tuple[str, ...]
    symbolic_text_terms: tuple[str, ...]
    numeric_text_terms: tuple[str, ...]
    total: int
    numbers: NumberStyle = field(default_factory=NumberStyle)

    @property
    def symbolic_latex(self) -> str:
        return " + ".join(self.symbolic_latex_terms)

    @property
    def numeric_latex(self) -> str:
        return " + ".join(self.numeric_latex_terms)

    @property
    def symbolic_text(self) -> str:
        return " + ".join(self.symbolic_text_terms)

    @property
    def numeric_text(self) -> str:
        return " + ".join(self.numeric_text_terms)

    def latex(self) -> str:
        """Aligned lines for a ``math_block``: symbols, numbers, total."""
        rows = []
        for terms, plain in (
            (self.symbolic_latex_terms, self.symbolic_text_terms),
            (self.numeric_latex_terms, self.numeric_text_terms),
        ):
            first, *rest = _lines(list(terms), list(plain))
            rows.append(f"&= {first}")
            rows += [rf"&\quad + {line}" for line in rest]
        rows.append(f"&= {self.numbers.latex(self.total)}")
        return "P " + " \\\\\n  ".join(rows)

    def text(self) -> str:
        """The same lines in plain text, for a terminal or a text page."""
        rows = []
        for terms in (self.symbolic_text_terms, self.numeric_text_terms):
            first, *rest = _lines(list(terms), list(terms))
            rows.append(f"= {first}")
            rows += [f"    + {line}" for line in rest]
        rows.append(f"= {self.numbers.count(self.total)}")
        return "P " + "\n  ".join(rows)


def formula(breakdown: Breakdown[Any], numbers: NumberStyle | None = None) -> Formula:
    """The formula of a breakdown, symbolic and with the numbers in: the breakdown's own
    expression, printed, with digits grouped by ``numbers`` (commas by default). The tensors
    are the same expression multiplied out, so the formula and the table cannot disagree."""
    expr = breakdown.expression
    numbers = numbers or NumberStyle()
    return Formula(
        symbolic_latex_terms=tuple(print_terms(expr, latex=True)),
        numeric_latex_terms=tuple(print_terms(expr, latex=True, numbers=numbers.latex)),
        symbolic_text_terms=tuple(print_terms(expr, latex=False)),
        numeric_text_terms=tuple(print_terms(expr, latex=False, numbers=numbers.count)),
        total=evaluate(expr),
        numbers=numbers,
    )
