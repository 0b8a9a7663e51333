"""One expression per layer: the formula a reader sees and, expanded, every tensor it counts.

A layer kind writes its count the way people write it by hand, for the seed's layer
``4 x ((i + 1) x h + h^2)``, with :class:`Copies` where a factor counts things (4 gates) and
labels saying which thing each copy is (the input gate, ...). :func:`expand` multiplies the
expression out into one :class:`Term` per tensor, so the tensors and the formula are the same
object read two ways and cannot disagree. :func:`print_expression` prints it as LaTeX or plain
text, with symbols or with their values (standard library only).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields, replace

from .spec import Direction, Gate, TensorKind


@dataclass(frozen=True)
class Where:
    """Which layer, direction, gate and kind of tensor a copy (or a term) is; None: not yet
    said."""

    layer: int | None = None
    direction: Direction | None = None
    gate: Gate | None = None
    kind: TensorKind | None = None

    def inside(self, outer: Where) -> Where:
        """These coordinates within ``outer``'s; a coordinate said twice must agree."""
        merged = self
        for field in fields(self):
            mine, theirs = getattr(self, field.name), getattr(outer, field.name)
            if theirs is None:
                continue
            if mine is not None and mine != theirs:
                raise ValueError(f"{field.name} is both {theirs!r} and {mine!r}")
            merged = replace(merged, **{field.name: theirs})
        return merged


@dataclass(frozen=True)
class Num:
    value: int


@dataclass(frozen=True)
class Sym:
    """A named size: ``i``, ``h``, ``p``; ``dims`` when it stands for several axes (a kernel)."""

    name: str
    value: int
    dims: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Symbol:
    """What a letter of the formula stands for, for the line under it: ``label`` is a
    translated template such as ``{symbol} = {value} input features``."""

    name: str
    value: int
    label: str


@dataclass(frozen=True)
class Add:
    terms: tuple[Expr, ...]


@dataclass(frozen=True)
class Mul:
    factors: tuple[Expr, ...]


@dataclass(frozen=True)
class Square:
    base: Sym


@dataclass(frozen=True)
class Width:
    """One axis whose size is itself a product, such as the ``2h`` features a layer after a
    bidirectional one sees."""

    size: Expr


@dataclass(frozen=True)
class Copies:
    """``len(labels)`` copies of ``body``, each one the thing its label names; printed as
    ``n x body``."""

    labels: tuple[Where, ...]
    body: Expr


Expr = Num | Sym | Add | Mul | Square | Width | Copies


def labelled(
    body: Expr,
    *,
    layer: int | None = None,
    direction: Direction | None = None,
    gate: Gate | None = None,
    kind: TensorKind | None = None,
) -> Copies:
    """One copy of ``body`` that is the thing the keywords name (``kind="bias"``)."""
    return Copies((Where(layer, direction, gate, kind),), body)


def evaluate(expr: Expr) -> int:
    if isinstance(expr, Num | Sym):
        return expr.value
    if isinstance(expr, Square):
        return expr.base.value**2
    if isinstance(expr, Width):
        return evaluate(expr.size)
    if isinstance(expr, Copies):
        return len(expr.labels) * evaluate(expr.body)
    if isinstance(expr, Add):
        return sum(evaluate(term) for term in expr.terms)
    product = 1
    for factor in expr.factors:
        product *= evaluate(factor)
    return product


# -- multiplied out ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One product of the expanded sum: a tensor of shape ``dims``, ``coefficient`` times."""

    where: Where
    dims: tuple[int, ...]
    coefficient: int = 1


def _product(left: Term, right: Term) -> Term:
    return Term(
        right.where.inside(left.where), left.dims + right.dims, left.coefficient * right.coefficient
    )


def expand(expr: Expr) -> list[Term]:
    """The sum of products that ``expr`` stands for, in the order it is written."""
    if isinstance(expr, Num):
        return [Term(Where(), (), expr.value)]
    if isinstance(expr, Sym):
        return [Term(Where(), expr.dims or (expr.value,))]
    if isinstance(expr, Square):
        return [Term(Where(), (expr.base.value, expr.base.value))]
    if isinstance(expr, Width):
        return [Term(Where(), (evaluate(expr.size),))]
    if isinstance(expr, Add):
        return [term for part in expr.terms for term in expand(part)]
    if isinstance(expr, Copies):
        inner = expand(expr.body)
        return [replace(t, where=t.where.inside(label)) for label in expr.labels for t in inner]
    terms = [Term(Where(), ())]
    for factor in expr.factors:
        terms = [_product(left, right) for left in terms for right in expand(factor)]
    return terms


# -- printed -------------------------------------------------------------------------------------


def _mul(*factors: Expr) -> Expr:
    """A product without factors of 1, nested products flattened."""
    flat = [part for f in factors for part in (f.factors if isinstance(f, Mul) else (f,))]
    kept = tuple(f for f in flat if not (isinstance(f, Num) and f.value == 1))
    if not kept:
        return Num(1)
    return kept[0] if len(kept) == 1 else Mul(kept)


def _printed(expr: Expr) -> Expr:
    """The same expression with copies as products and widths as their sizes."""
    if isinstance(expr, Num | Sym | Square):
        return expr
    if isinstance(expr, Width):
        return _printed(expr.size)
    if isinstance(expr, Copies):
        if not expr.labels:
            return Num(0)  # a layer without weights: P = 0, not 0 × 0
        return _mul(Num(len(expr.labels)), _printed(expr.body))
    if isinstance(expr, Add):
        terms = tuple(_printed(term) for term in expr.terms)
        return terms[0] if len(terms) == 1 else Add(terms)
    return Mul(tuple(_printed(factor) for factor in expr.factors))


def _needs_parens(child: Expr, parent: Expr) -> bool:
    return isinstance(child, Add) and isinstance(parent, Mul)


TIMES = "\N{MULTIPLICATION SIGN}"


def print_expression(
    expr: Expr, *, latex: bool, numbers: Callable[[int], str] | None = None
) -> str:
    """``expr`` as LaTeX or plain text; with symbols, or with their values printed by
    ``numbers`` (which groups digits as the author chose)."""
    return " + ".join(print_terms(expr, latex=latex, numbers=numbers))


def print_terms(
    expr: Expr, *, latex: bool, numbers: Callable[[int], str] | None = None
) -> list[str]:
    """The printed terms of ``expr``'s outermost sum (one term if it is not a sum), so that a
    long formula can be broken between them."""

    def number(value: int) -> str:
        return numbers(value) if numbers else str(value)

    def atom(value: int, name: str) -> str:
        return number(value) if numbers else name

    def walk(node: Expr) -> str:
        if isinstance(node, Num):
            return number(node.value)
        if isinstance(node, Sym):
            return atom(node.value, node.name)
        if isinstance(node, Square):
            base = atom(node.base.value, node.base.name)
            return f"{base}^2" if latex else f"{base}\N{SUPERSCRIPT TWO}"
        if isinstance(node, Add):
            return " + ".join(walk(term) for term in node.terms)
        if not isinstance(node, Mul):
            raise TypeError(f"not a printed form: {node!r}")
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
        return (r" \times " if latex else f" {TIMES} ").join(parts)

    printed = _printed(expr)
    return [walk(term) for term in printed.terms] if isinstance(printed, Add) else [walk(printed)]
