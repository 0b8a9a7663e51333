"""Breakdown -> the counting formula, symbolic and with the numbers in (standard library only).

One small expression tree is built per breakdown and printed four ways (LaTeX or plain
text, symbols or numbers), so the forms cannot drift apart. For the seed's case::

    P = 4 x ((i + 1) x h + h^2)
      = 4 x ((4096 + 1) x 256 + 256^2)
      = 4,457,472
"""

from __future__ import annotations

from dataclasses import dataclass

from .conventions import PEEPHOLE_GATES, cell_layout
from .counting import Breakdown


@dataclass(frozen=True)
class Num:
    value: int


@dataclass(frozen=True)
class Sym:
    name: str  # one letter: i, h or p
    value: int


@dataclass(frozen=True)
class Add:
    terms: tuple[Expr, ...]


@dataclass(frozen=True)
class Mul:
    factors: tuple[Expr, ...]


@dataclass(frozen=True)
class Square:
    base: Sym


Expr = Num | Sym | Add | Mul | Square


def evaluate(expr: Expr) -> int:
    if isinstance(expr, Num | Sym):
        return expr.value
    if isinstance(expr, Square):
        return expr.base.value**2
    if isinstance(expr, Add):
        return sum(evaluate(term) for term in expr.terms)
    product = 1
    for factor in expr.factors:
        product *= evaluate(factor)
    return product


def _mul(*factors: Expr) -> Expr:
    flat = [part for f in factors for part in (f.factors if isinstance(f, Mul) else (f,))]
    kept = tuple(f for f in flat if not (isinstance(f, Num) and f.value == 1))
    return kept[0] if len(kept) == 1 else Mul(kept)


def _add(*terms: Expr) -> Expr:
    return terms[0] if len(terms) == 1 else Add(terms)


def _direction_expr(breakdown: Breakdown, inputs: Expr) -> Expr:
    """Parameters of one layer in one direction, grouped as people write it by hand."""
    spec = breakdown.spec
    layout = cell_layout(spec)
    h = Sym("h", spec.units)
    recurrent: Expr = Mul((Sym("p", spec.proj_size), h)) if spec.proj_size else Square(h)
    per_gate_bias = layout.uniform_biases
    if per_gate_bias:  # the hand-written form: gates x ((i + b) x h + h^2)
        gate_expr = _add(Mul((Add((inputs, Num(per_gate_bias))), h)), recurrent)
        extras: list[Expr] = []
    else:  # no bias, or biases that differ per gate (Flax GRU)
        gate_expr = _add(Mul((inputs, h)), recurrent)
        bias_vectors = sum(len(kinds) for kinds in layout.gate_biases)
        extras = [_mul(Num(bias_vectors), h)] if bias_vectors else []
    terms: list[Expr] = [Mul((Num(len(layout.gates)), gate_expr)), *extras]
    if spec.peepholes:
        terms.append(_mul(Num(len(PEEPHOLE_GATES)), h))
    if spec.proj_size:
        terms.append(Mul((h, Sym("p", spec.proj_size))))
    return _add(*terms)


def build_expression(breakdown: Breakdown) -> Expr:
    """The whole stack: the first layer, then the deeper layers (which share one input width)."""
    spec = breakdown.spec
    dims = breakdown.layer_input_dims
    first = _mul(Num(spec.directions), _direction_expr(breakdown, Sym("i", spec.input_dim)))
    if spec.layers == 1:
        return first
    out = Sym("p", spec.proj_size) if spec.proj_size else Sym("h", spec.units)
    widen = dims[1] // out.value
    deeper_input = _mul(Num(widen), out)
    deeper = _direction_expr(breakdown, deeper_input)
    return Add((first, _mul(Num(spec.layers - 1), Num(spec.directions), deeper)))


def format_count(value: int, separator: str = ",") -> str:
    """4457472 -> '4,457,472' (the separator is configurable; '' for none)."""
    return f"{value:,}".replace(",", separator)


def format_bytes(value: int) -> str:
    """17829888 -> '17.0 MiB' (binary units, as memory is usually quoted)."""
    if value < 1024:
        return f"{value:,} bytes"
    size = value / 1024
    for unit in ("KiB", "MiB", "GiB", "TiB"):
        if size < 1024:
            return f"{size:,.1f} {unit}"
        size /= 1024
    return f"{size:,.1f} PiB"


def _needs_parens(child: Expr, parent: Expr) -> bool:
    return isinstance(child, Add) and isinstance(parent, Mul)


def render(expr: Expr, *, numbers: bool, latex: bool) -> str:
    """Print ``expr`` as LaTeX or plain text, with symbols or with their values."""

    def atom(value: int, name: str) -> str:
        return str(value) if numbers else name

    def walk(node: Expr) -> str:
        if isinstance(node, Num):
            return str(node.value)
        if isinstance(node, Sym):
            return atom(node.value, node.name)
        if isinstance(node, Square):
            return f"{atom(node.base.value, node.base.name)}^2"
        if isinstance(node, Add):
            return " + ".join(walk(term) for term in node.terms)
        parts = []
        for factor in node.factors:
            text = walk(factor)
            if _needs_parens(factor, node):
                text = rf"\left({text}\right)" if latex else f"({text})"
            parts.append(text)
        if latex and not numbers:
            # 4(i + 1)h reads better than 4 x (i + 1) x h in symbols; keep x between digits.
            joined = parts[0]
            for previous, factor, text in zip(
                node.factors, node.factors[1:], parts[1:], strict=False
            ):
                both_numbers = isinstance(previous, Num) and isinstance(factor, Num)
                joined += r" \times " + text if both_numbers else r"\," + text
            return joined
        return (r" \times " if latex else " x ").join(parts)

    return walk(expr)


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
        total = format_count(self.total, "{" + separator + "}" if separator else "")
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


def formula(breakdown: Breakdown) -> Formula:
    """The formula of a breakdown; its value is checked against the tensors."""
    expr = build_expression(breakdown)
    value = evaluate(expr)
    if value != breakdown.total:  # the formula must be the breakdown, not a second opinion
        raise AssertionError(f"formula gives {value}, tensors give {breakdown.total}")
    return Formula(
        symbolic_latex=render(expr, numbers=False, latex=True),
        numeric_latex=render(expr, numbers=True, latex=True),
        symbolic_text=render(expr, numbers=False, latex=False),
        numeric_text=render(expr, numbers=True, latex=False),
        total=value,
    )
