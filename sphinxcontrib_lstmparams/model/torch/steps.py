"""The steps a PyTorch model takes in ``forward`` between its modules, as the shapes see them
(standard library only): ``x[:, -1, :]``, ``x.permute(0, 2, 1)``, ``x.view(x.size(0), -1)``.

A line of a model summary that starts with ``x`` is such a step: it has no row of its own
(torchinfo lists modules only), but the next module's input is what it leaves. The text is
parsed, never run; a step we do not follow leaves the shape unknown, and says so. A step
PyTorch itself refuses (an index past the end, a view that does not fit) raises its refusal,
in its words (``tests/data/refused_models.json``).
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Sequence

from ...constructors import NOT_A_LITERAL
from ...frameworks import refused_by
from ...options import MAX_SIZE, describe
from ...spec import Refused, Shape

# torch functions that are written around x instead of after it
_FUNCTIONS = ("torch.flatten", "torch.squeeze", "torch.unsqueeze", "torch.transpose")
_STEP = re.compile(r"^(x\s*[\[.]|(" + "|".join(map(re.escape, _FUNCTIONS)) + r")\s*\(\s*x\b)")


class StepError(ValueError):
    """A step whose effect on the shape we cannot tell."""


def is_forward_step(text: str) -> bool:
    """``x[:, -1, :]``, ``x.permute(...)``, ``torch.flatten(x, 1)``: a step, not a module."""
    return bool(_STEP.match(text.strip()))


def apply_step(text: str, shape: Shape) -> Shape:
    """The shape after the step; :class:`StepError` if we cannot tell."""
    try:
        node = ast.parse(text.strip(), mode="eval").body
    except SyntaxError as error:
        raise StepError(f"{text}: not Python ({error.msg})") from None
    except (ValueError, MemoryError, RecursionError):
        raise StepError(f"{text}: too deeply nested to read") from None
    try:
        return _apply(node, shape)
    except (StepError, Refused):
        raise
    except (*NOT_A_LITERAL, IndexError, ZeroDivisionError):
        raise StepError(f"{text}: does not fit a {len(shape)}-axis input {_show(shape)}") from None


def _show(shape: Shape) -> str:
    return "[" + ", ".join("?" if n is None else str(n) for n in shape) + "]"


def _refused(why: str, says: str | None = None) -> Refused:
    return refused_by("pytorch", why, says)


def _apply(node: ast.expr, shape: Shape) -> Shape:
    if isinstance(node, ast.Name) and node.id == "x":
        return shape
    if isinstance(node, ast.Subscript):
        return _indexed(_apply(node.value, shape), node.slice)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        owner = ast.unparse(node.func.value)
        if owner == "torch":  # torch.flatten(x, 1) -> x.flatten(1)
            if not node.args:
                raise StepError(f"{ast.unparse(node)}: which tensor?")
            inner = _apply(node.args[0], shape)
            return _method(node.func.attr, inner, node.args[1:], node.keywords)
        return _method(node.func.attr, _apply(node.func.value, shape), node.args, node.keywords)
    raise StepError(
        f"{ast.unparse(node)}: not a step we follow (indexing, permute, transpose, "
        "view, reshape, flatten, squeeze, unsqueeze, contiguous)"
    )


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


def _ints(args: Sequence[ast.expr], shape: Shape) -> list[int | None]:
    """``permute(0, 2, 1)`` or ``permute((0, 2, 1))``."""
    if len(args) == 1 and isinstance(args[0], ast.Tuple | ast.List):
        return [_int(item, shape) for item in args[0].elts]
    return [_int(arg, shape) for arg in args]


def _axis(value: int | None, rank: int) -> int:
    if value is None:
        raise StepError("an axis given by a size we do not know")
    if not -rank <= value < rank:
        span = f"[{-rank}, {rank - 1}]"
        raise _refused(
            f"there is no axis {value} in {rank}",
            f"Dimension out of range (expected to be in range of {span}, but got {value})",
        )
    return value % rank


def _keywords(keywords: Sequence[ast.keyword], shape: Shape) -> dict[str, int | None]:
    return {str(kw.arg): _int(kw.value, shape) for kw in keywords}


def _method(
    method: str, shape: Shape, args: Sequence[ast.expr], keywords: Sequence[ast.keyword]
) -> Shape:
    given = _ints(args, shape)
    named = _keywords(keywords, shape)
    rank = len(shape)

    def arg(position: int, name: str, default: int | None = None) -> int | None:
        return given[position] if position < len(given) else named.get(name, default)

    if method == "contiguous":
        return shape
    if method == "permute":
        dims = given or list(named.values())
        if len(dims) != rank:
            raise _refused(
                f"permute: {len(dims)} axes for a tensor of {rank}",
                "does not match the length of the desired ordering of dimensions",
            )
        order = [_axis(i, rank) for i in dims]
        if sorted(order) != list(range(rank)):
            raise _refused(f"permute: an axis twice in {dims}", "duplicate dims are not allowed")
        return tuple(shape[i] for i in order)
    if method in ("transpose", "swapaxes"):
        a, b = _axis(arg(0, "dim0"), rank), _axis(arg(1, "dim1"), rank)
        swapped = list(shape)
        swapped[a], swapped[b] = swapped[b], swapped[a]
        return tuple(swapped)
    if method == "flatten":
        start, end = _axis(arg(0, "start_dim", 0), rank), _axis(arg(1, "end_dim", -1), rank)
        return (*shape[:start], _known(shape[start : end + 1]), *shape[end + 1 :])
    if method == "squeeze":
        if not given and "dim" not in named:
            return tuple(n for n in shape if n != 1)
        dim = _axis(arg(0, "dim"), rank)
        return tuple(n for i, n in enumerate(shape) if i != dim or n != 1)
    if method == "unsqueeze":
        at = _axis(arg(0, "dim"), rank + 1)
        return (*shape[:at], 1, *shape[at:])
    if method in ("view", "reshape"):
        return _reshaped(shape, given)
    raise StepError(f"x.{method}(...): not a step we follow")


def _known(sizes: Sequence[int | None]) -> int | None:
    return None if None in sizes else math.prod(n for n in sizes if n is not None)


def _reshaped(shape: Shape, sizes: list[int | None]) -> Shape:
    """``view(x.size(0), -1)``: one -1 takes what the others leave (ATen's infer_size)."""
    written = "[" + ", ".join("?" if n is None else str(n) for n in sizes) + "]"
    for index, size in enumerate(sizes):
        if size is not None and size < -1:
            says = f"invalid shape dimension {size} at index {index} of shape {written}"
            raise _refused(f"view: a size below -1, {size}", says)
    if sizes.count(-1) > 1:
        raise _refused("view: two sizes left to fill", "only one dimension can be inferred")
    total = _known(shape)
    rest = _known([n for n in sizes if n != -1])
    if total is None or rest is None:
        return tuple(None if n == -1 else n for n in sizes)
    fits = rest == total if -1 not in sizes else rest != 0 and total % rest == 0
    if not fits:
        says = f"shape '{written}' is invalid for input of size {total}"
        raise _refused(f"view: {total:,} elements do not fit {written}", says)
    return tuple(total // rest if n == -1 else n for n in sizes)


def _indexed(shape: Shape, index: ast.expr) -> Shape:
    """``x[:, -1, :]``, ``x[-1]``, ``x[:, :5]``, ``x[..., 0]``."""
    items = list(index.elts) if isinstance(index, ast.Tuple) else [index]
    if sum(isinstance(i, ast.Constant) and i.value is Ellipsis for i in items) > 1:
        raise StepError("x[...]: one ... at most")
    axes = sum(not (isinstance(i, ast.Constant) and i.value in (Ellipsis, None)) for i in items)
    if axes > len(shape):
        says = f"too many indices for tensor of dimension {len(shape)}"
        raise _refused(f"{axes} indices for {len(shape)} axes", says)
    out: list[int | None] = []
    position = 0
    for number, item in enumerate(items):
        if isinstance(item, ast.Constant) and item.value is Ellipsis:
            skipped = len(shape) - (len(items) - 1 - number) - position
            out.extend(shape[position : position + skipped])
            position += skipped
        elif isinstance(item, ast.Slice):
            out.append(_sliced(shape[position], item))
            position += 1
        else:
            _picked(_int(item, shape), shape[position], position)  # the axis goes
            position += 1
    return (*out, *shape[position:])


def _picked(index: int | None, size: int | None, axis: int) -> None:
    """``x[:, 99]``: PyTorch checks the index against the axis' size."""
    if index is not None and size is not None and not -size <= index < size:
        says = f"index {index} is out of bounds for dimension {axis} with size {size}"
        raise _refused(f"axis {axis} has {size} positions", says)


def _sliced(size: int | None, item: ast.Slice) -> int | None:
    bounds = [
        None if part is None else ast.literal_eval(part)
        for part in (item.lower, item.upper, item.step)
    ]
    step = bounds[2]
    if step is not None and isinstance(step, int) and step <= 0:
        says = "slice step cannot be zero" if step == 0 else "step must be greater than zero"
        raise _refused(f"a slice step of {step}", says)
    if bounds == [None, None, None]:
        return size
    if size is None:
        return None
    return len(range(size)[slice(*bounds)])
