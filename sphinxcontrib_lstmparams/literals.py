"""Values written in pasted code, worked out without running it (standard library only).

``nn.Linear(64 * 7 * 7, 128)`` and ``Embedding(20_000, 2 ** 7)`` have literal sizes with some
arithmetic on them. :func:`literal_value` reads such an expression (numbers, strings,
True/False/None, tuples, lists, sets and dicts, with ``+ - * / // % **``, unary minus and
comparisons), and :func:`binary` is the one place where an operation on two values is done,
for this module and for the code reader (:mod:`~sphinxcontrib_lstmparams.model.code`).

Pasted code is hostile input: ``10 ** 10 ** 10`` or ``[0] * 10 ** 9`` would hang or exhaust
memory if computed. Every operation checks the size of its result *before* computing it, and
refuses what no model needs (:class:`LiteralError`).
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable
from typing import Any

# The largest whole number an operation may give: far beyond any size or count (10^40).
MAX_BITS = 133
# The most items (or characters) a tuple, list or string made by an operation may hold.
MAX_ITEMS = 10_000

Number = int | float


class LiteralError(ValueError):
    """An expression that is not a literal, or an operation we refuse to compute."""


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float)  # bool is an int, as in Python


def _bits(value: object) -> int:
    return abs(value).bit_length() if isinstance(value, int) else 0


def _check_int(value: object) -> object:
    if _is_int(value) and _bits(value) > MAX_BITS:
        raise LiteralError("a number of more than 40 digits: no model has such a size")
    if isinstance(value, float) and not math.isfinite(value):
        raise LiteralError("a number too large to be a size")
    return value


def _power(base: object, exponent: object) -> object:
    if _is_int(base) and _is_int(exponent) and abs(int(base)) > 1:  # type: ignore[call-overload]
        if int(exponent) > MAX_BITS:  # type: ignore[call-overload]
            raise LiteralError(f"{base} ** {exponent}: a number of more than 40 digits")
        if int(exponent) > 0 and _bits(base) * int(exponent) > MAX_BITS + 64:  # type: ignore[call-overload]
            raise LiteralError(f"{base} ** {exponent}: a number of more than 40 digits")
    if isinstance(base, float) or isinstance(exponent, float):
        try:
            return _check_int(math.pow(float(base), float(exponent)))  # type: ignore[arg-type]
        except (OverflowError, ValueError):
            raise LiteralError(f"{base} ** {exponent} is not a number we can use") from None
    return _check_int(operator.pow(base, exponent))


def _times(left: object, right: object) -> object:
    """``*``, with the size of a repeated sequence checked before it is made."""
    for sequence, count in ((left, right), (right, left)):
        if not (isinstance(sequence, str | tuple | list) and _is_int(count)):
            continue
        made = len(sequence) * max(int(count), 0)  # type: ignore[call-overload]
        if made > MAX_ITEMS:
            raise LiteralError(
                f"a sequence of {made:,} items: more than the {MAX_ITEMS:,} a pasted model may make"
            )
    if _is_int(left) and _is_int(right) and _bits(left) + _bits(right) > MAX_BITS + 1:
        raise LiteralError("a number of more than 40 digits: no model has such a size")
    return _check_int(operator.mul(left, right))


def _plus(left: object, right: object) -> object:
    sequences = isinstance(left, str | tuple | list) and isinstance(right, str | tuple | list)
    if sequences and len(left) + len(right) > MAX_ITEMS:  # type: ignore[arg-type]
        raise LiteralError(f"a sequence of more than {MAX_ITEMS:,} items")
    return _check_int(operator.add(left, right))


def _shift(left: object, right: object) -> object:
    if _is_int(right) and int(right) > MAX_BITS:  # type: ignore[call-overload]
        raise LiteralError("a number of more than 40 digits: no model has such a size")
    return _check_int(operator.lshift(left, right))


_BINARY: dict[type[ast.operator], Callable[[Any, Any], object]] = {
    ast.Add: _plus,
    ast.Sub: operator.sub,
    ast.Mult: _times,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: _power,
    ast.LShift: _shift,
    ast.RShift: operator.rshift,
    ast.BitOr: operator.or_,
    ast.BitAnd: operator.and_,
    ast.BitXor: operator.xor,
}
_UNARY: dict[type[ast.unaryop], Callable[[Any], object]] = {
    ast.USub: operator.neg,
    ast.UAdd: operator.pos,
    ast.Not: operator.not_,
    ast.Invert: operator.invert,
}
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], object]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
    ast.In: lambda a, b: operator.contains(b, a),
    ast.NotIn: lambda a, b: not operator.contains(b, a),
}
# What an operation may be done on: Python's own values, nothing with code of its own.
_PLAIN = (int, float, str, bool, tuple, list, dict, set, frozenset, type(None))


def symbol(op: ast.operator | ast.unaryop | ast.cmpop) -> str:
    """The operator as written, for messages."""
    return {
        ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
        ast.Mod: "%", ast.Pow: "**", ast.LShift: "<<", ast.RShift: ">>", ast.BitOr: "|",
        ast.BitAnd: "&", ast.BitXor: "^", ast.USub: "-", ast.UAdd: "+", ast.Not: "not",
        ast.Invert: "~",
    }.get(type(op), type(op).__name__)  # fmt: skip


def binary(op: ast.operator, left: object, right: object) -> object:
    """``left op right`` on plain values, bounded; :class:`LiteralError` if refused."""
    do = _BINARY.get(type(op))
    if do is None or not isinstance(left, _PLAIN) or not isinstance(right, _PLAIN):
        raise LiteralError(f"{symbol(op)} is not worked out here")
    if isinstance(op, ast.Mod) and isinstance(left, str):
        raise LiteralError("string formatting with % is not worked out here")
    try:
        return do(left, right)
    except LiteralError:
        raise
    except (TypeError, ValueError, ZeroDivisionError, OverflowError, MemoryError) as error:
        raise LiteralError(f"{symbol(op)}: {error}") from None


def unary(op: ast.unaryop, operand: object) -> object:
    do = _UNARY.get(type(op))
    if do is None or not isinstance(operand, _PLAIN):
        raise LiteralError(f"{symbol(op)} is not worked out here")
    try:
        return do(operand)
    except (TypeError, ValueError, OverflowError) as error:
        raise LiteralError(f"{symbol(op)}: {error}") from None


def compare(op: ast.cmpop, left: object, right: object) -> bool:
    do = _COMPARE.get(type(op))
    if do is None or not isinstance(left, _PLAIN) or not isinstance(right, _PLAIN):
        raise LiteralError("a comparison that is not worked out here")
    try:
        return bool(do(left, right))
    except (TypeError, ValueError) as error:
        raise LiteralError(f"comparison: {error}") from None


def literal_value(node: ast.expr) -> object:
    """The value of a literal expression with arithmetic on it (``64 * 7 * 7``, ``(28, 28,
    1)``, ``-1``, ``2 ** 7``); :class:`LiteralError` for anything else (a name, a call) or for
    a value too large to make."""
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bytes | complex) or node.value is Ellipsis:
            raise LiteralError(f"{ast.unparse(node)} is not a value a layer takes")
        return _check_int(node.value)
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        if len(node.elts) > MAX_ITEMS:
            raise LiteralError(f"a sequence of more than {MAX_ITEMS:,} items")
        items = [literal_value(item) for item in node.elts]
        if isinstance(node, ast.Tuple):
            return tuple(items)
        if isinstance(node, ast.List):
            return items
        try:
            return set(items)
        except TypeError as error:
            raise LiteralError(f"a set of {error}") from None
    if isinstance(node, ast.Dict):
        if len(node.keys) > MAX_ITEMS:
            raise LiteralError(f"a dict of more than {MAX_ITEMS:,} items")
        pairs = []
        for key, value in zip(node.keys, node.values, strict=True):
            if key is None:
                raise LiteralError("**: a dict spread is not a literal")
            pairs.append((literal_value(key), literal_value(value)))
        try:
            return dict(pairs)
        except TypeError as error:  # {[1]: 2}: a key Python cannot hash
            raise LiteralError(f"a dict key that cannot be one ({error})") from None
    if isinstance(node, ast.UnaryOp):
        return unary(node.op, literal_value(node.operand))
    if isinstance(node, ast.BinOp):
        return binary(node.op, literal_value(node.left), literal_value(node.right))
    raise LiteralError(f"{ast.unparse(node)} is not a literal value")


__all__ = ["LiteralError", "binary", "compare", "literal_value", "symbol", "unary"]
