"""The built-in functions (and ``math``'s) the code reader works out, on values it knows
(standard library only). Each is bounded as :mod:`~sphinxcontrib_lstmparams.literals` bounds
an operation: nothing here can make a value too large to hold."""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Iterable
from typing import Any

from ...literals import MAX_ITEMS, LiteralError, binary

# What a pure function may be given: Python's own values.
_PLAIN = (int, float, str, bool, tuple, list, dict, set, frozenset, range, type(None))


class Refused(LiteralError):
    """A call the reader will not work out (too large, or on values it does not hold)."""


def _sized(items: Iterable[object]) -> list[object]:
    out: list[object] = []
    for item in items:
        out.append(item)
        if len(out) > MAX_ITEMS:
            raise Refused(f"more than {MAX_ITEMS:,} items")
    return out


def _range(*args: object) -> range:
    if not all(isinstance(a, int) and not isinstance(a, bool) for a in args) or not args:
        raise Refused("range() of values that are not whole numbers")
    made = range(*(int(a) for a in args))  # type: ignore[call-overload]
    if len(made) > MAX_ITEMS * 100:  # a loop over it is bounded by the reader's steps anyway
        raise Refused(f"range() of {len(made):,} numbers")
    return made


def _int(value: object = 0, base: object = None) -> int:
    if base is not None:
        raise Refused("int() with a base")
    if isinstance(value, str) and len(value) > 50:
        raise Refused("int() of a long string")
    return int(value)  # type: ignore[call-overload, no-any-return]


def _round(value: object, digits: object = None) -> object:
    return round(value) if digits is None else round(value, digits)  # type: ignore[call-overload]


PURE: dict[str, Callable[..., Any] | None] = {
    "int": _int,
    "float": float,
    "str": lambda value="": value if isinstance(value, str) else repr(value)[:200],
    "bool": bool,
    "len": len,
    "abs": abs,
    "min": min,
    "max": max,
    "sum": lambda items, start=0: sum(_sized(items), start),  # type: ignore[arg-type]
    "round": _round,
    "range": _range,
    "tuple": lambda items=(): tuple(_sized(items)),
    "list": lambda items=(): _sized(items),
    "dict": lambda *items, **named: dict(*items, **named),
    "collections.OrderedDict": lambda *items, **named: dict(*items, **named),
    "set": lambda items=(): set(_sized(items)),
    "sorted": lambda items, reverse=False: sorted(_sized(items), reverse=reverse),
    "reversed": lambda items: list(reversed(_sized(items))),
    "enumerate": lambda items, start=0: list(enumerate(_sized(items), start)),
    "zip": lambda *lists: _sized(zip(*lists, strict=False)),
    "divmod": divmod,
    "pow": None,  # pure_call works it out as **
    "isinstance": None,  # never known: the reader's objects are not Python's classes
    "math.ceil": math.ceil,
    "math.floor": math.floor,
    "math.sqrt": math.sqrt,
    "math.prod": lambda items: math.prod(_sized(items)),
    "math.log2": math.log2,
    "math.log": math.log,
    "math.gcd": math.gcd,
    "numpy.prod": lambda items: math.prod(_sized(items)),
    "np.prod": lambda items: math.prod(_sized(items)),
}


def pure_call(name: str, args: list[object], kwargs: dict[str, object]) -> object:
    """``name(*args, **kwargs)`` when every value is plain; :class:`Refused` otherwise."""
    function = PURE.get(name)
    if function is None and name != "pow":
        raise Refused(f"{name}() is not worked out")
    for value in (*args, *kwargs.values()):
        if not isinstance(value, _PLAIN):
            raise Refused(f"{name}() of something that is not a plain value")
        if isinstance(value, str | tuple | list | dict | set) and len(value) > MAX_ITEMS:
            raise Refused(f"{name}() of more than {MAX_ITEMS:,} items")
    if name == "pow" and len(args) == 2:  # bounded as ** is
        return binary(ast.Pow(), args[0], args[1])
    assert function is not None
    try:
        result = function(*args, **kwargs)
    except LiteralError:
        raise
    except (TypeError, ValueError, ZeroDivisionError, OverflowError, MemoryError) as error:
        raise Refused(f"{name}(): {error}") from None
    if isinstance(result, int) and not isinstance(result, bool) and result.bit_length() > 200:
        raise Refused(f"{name}(): a number too large to be a size")
    return result
