"""The steps a PyTorch model takes in ``forward`` between its modules, pasted among them as
lines (standard library only): ``x[:, -1, :]``, ``x.permute(0, 2, 1)``, ``x.view(x.size(0),
-1)``.

A line of a model summary that starts with ``x`` is such a step: it has no row of its own
(torchinfo lists modules only), but the next module's input is what it leaves. The text is
parsed, never run, into the values the step is called with; what each step does to a shape is
:mod:`.shapes`' (the symbolic tensors of a class's ``forward`` use the same rules). A step we
do not follow leaves the shape unknown, and says so; one torch refuses is a
:class:`~.shapes.StepRefused`.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence

from ...options import MAX_SIZE, describe
from ...spec import Shape
from . import shapes
from .shapes import StepError, StepRefused

# torch functions that are written around x instead of after it
_FUNCTIONS = ("torch.flatten", "torch.squeeze", "torch.unsqueeze", "torch.transpose")
_STEP = re.compile(r"^(x\s*[\[.]|(" + "|".join(map(re.escape, _FUNCTIONS)) + r")\s*\(\s*x\b)")


def is_forward_step(text: str) -> bool:
    """``x[:, -1, :]``, ``x.permute(...)``, ``torch.flatten(x, 1)``: a step, not a module."""
    return bool(_STEP.match(text.strip()))


def apply_step(text: str, shape: Shape) -> Shape:
    """The shape after the step; :class:`StepError` if we cannot tell."""
    try:
        node = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as error:
        raise StepError(f"{text}: not Python ({error.msg})") from None
    except (ValueError, MemoryError, RecursionError):  # a NUL byte, a deep nesting
        raise StepError(f"{text}: not Python we can read") from None
    try:
        return _apply(node, shape)
    except (IndexError, ValueError, TypeError, ZeroDivisionError) as error:
        if isinstance(error, StepError):
            raise
        raise StepError(
            f"{text}: does not fit a {len(shape)}-axis input {shapes.shown(shape)}"
        ) from None


def _apply(node: ast.expr, shape: Shape) -> Shape:
    if isinstance(node, ast.Name) and node.id == "x":
        return shape
    if isinstance(node, ast.Subscript):
        inner = _apply(node.value, shape)
        items = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
        return _ruled(node, lambda: shapes.index(inner, [_item(i, shape) for i in items]))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        owner = ast.unparse(node.func.value)
        if owner == "torch":  # torch.flatten(x, 1) -> x.flatten(1)
            if not node.args:
                raise StepError(f"{ast.unparse(node)}: which tensor?")
            inner = _apply(node.args[0], shape)
            return _method(node, node.func.attr, inner, node.args[1:], node.keywords, shape)
        inner = _apply(node.func.value, shape)
        return _method(node, node.func.attr, inner, node.args, node.keywords, shape)
    raise StepError(
        f"{ast.unparse(node)}: not a step we follow (indexing, permute, transpose, "
        "view, reshape, flatten, squeeze, unsqueeze, contiguous)"
    )


def _ruled(node: ast.expr, rule: object) -> Shape:
    """A rule of :mod:`.shapes` applied, its refusal said with the step as written."""
    assert callable(rule)
    try:
        result: Shape = rule()
    except StepRefused as error:
        raise StepRefused(f"{ast.unparse(node)}: {error}", why=error.why) from None
    except StepError as error:
        raise StepError(f"{ast.unparse(node)}: {error}") from None
    return result


def _int(node: ast.expr, shape: Shape) -> int | None:
    """A literal int, or ``x.size(0)`` / ``x.shape[0]`` (None if that axis is not known)."""
    text = ast.unparse(node)
    match = re.fullmatch(r"x\.(?:size\((-?\d+)\)|shape\[(-?\d+)\])", text)
    if match:
        return shape[int(match.group(1) or match.group(2))]
    value = ast.literal_eval(node)
    if not isinstance(value, int) or isinstance(value, bool):
        raise StepError(f"{text}: not a whole number")
    if abs(value) > MAX_SIZE:
        raise StepError(f"{describe(value)}: more than {MAX_SIZE:,}, the most we follow")
    return value


def _item(node: ast.expr, shape: Shape) -> object:
    """An index as the value it is: an int, a slice, ``...`` or None."""
    if isinstance(node, ast.Constant) and (node.value is Ellipsis or node.value is None):
        return node.value
    if isinstance(node, ast.Slice):
        bounds = [None if part is None else ast.literal_eval(part)
                  for part in (node.lower, node.upper, node.step)]  # fmt: skip
        return slice(*bounds)
    return _int(node, shape)


def _method(
    node: ast.expr,
    method: str,
    shape: Shape,
    args: Sequence[ast.expr],
    keywords: Sequence[ast.keyword],
    original: Shape,
) -> Shape:
    given: list[int | None] = (
        [_int(item, original) for item in args[0].elts]
        if len(args) == 1 and isinstance(args[0], ast.Tuple | ast.List)
        else [_int(arg, original) for arg in args]
    )
    named = {str(kw.arg): _int(kw.value, original) for kw in keywords}

    def arg(position: int, name: str, default: int | None = None) -> int | None:
        return given[position] if position < len(given) else named.get(name, default)

    if method == "contiguous":
        return shape
    if method == "permute":
        return _ruled(node, lambda: shapes.permute(shape, given or list(named.values())))
    if method in ("transpose", "swapaxes"):
        return _ruled(node, lambda: shapes.transpose(shape, arg(0, "dim0"), arg(1, "dim1")))
    if method == "flatten":
        return _ruled(
            node, lambda: shapes.flatten(shape, arg(0, "start_dim", 0), arg(1, "end_dim", -1))
        )
    if method == "squeeze":
        dim = arg(0, "dim") if given or "dim" in named else None
        if dim is None and (given or "dim" in named):
            raise StepError(f"{ast.unparse(node)}: not a whole number")
        return _ruled(node, lambda: shapes.squeeze(shape, dim))
    if method == "unsqueeze":
        return _ruled(node, lambda: shapes.unsqueeze(shape, arg(0, "dim")))
    if method in ("view", "reshape"):
        return _ruled(node, lambda: shapes.reshape(shape, given))
    raise StepError(f"x.{method}(...): not a step we follow")


__all__ = ["StepError", "apply_step", "is_forward_step"]
