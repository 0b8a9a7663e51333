"""What torch's tensor operations do to a shape (standard library only).

A shape is a tuple of sizes, ``None`` where a size is not known. Each function takes the
values an operation is called with (``permute(shape, [0, 2, 1])``) and gives the shape torch
would, or raises :class:`StepError` with what does not fit, in torch's terms. What torch
itself refuses (an index past the end, a view that does not fit) is a :class:`StepRefused`,
which quotes torch's words (``tests/data/refused_models.json``). The symbolic tensors of a
``forward`` (:mod:`.tensors`) and the ``x`` steps pasted among layers (:mod:`.steps`) both use
them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ...frameworks import refused_by
from ...spec import Refused, Shape

Size = int | None


class StepError(ValueError):
    """A step whose effect on the shape we cannot tell (or that torch would refuse)."""


class StepRefused(StepError, Refused):
    """A step torch itself refuses: a model with it has no total."""


def refused(why: str, says: str | None = None) -> StepRefused:
    """Torch's refusal: why, in our words, then in its own."""
    error = refused_by("pytorch", why, says)
    return StepRefused(str(error), why=why)


def shown(shape: Shape | None) -> str:
    """``[2, ?, 5]``: a shape as torch lists it, ``?`` for a size not known."""
    if shape is None:
        return "a tensor of unknown rank"
    return "[" + ", ".join("?" if n is None else str(n) for n in shape) + "]"


def axis(value: object, rank: int) -> int:
    """A dimension argument (negative counts from the end) as an index; StepError if the
    tensor has no such dimension."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise StepError(f"dim {value!r} is not a dimension of a {rank}-dimensional tensor")
    if not -rank <= value < rank:
        span = f"[{-rank}, {rank - 1}]"
        raise refused(
            f"dim {value} is not a dimension of a {rank}-dimensional tensor",
            f"Dimension out of range (expected to be in range of {span}, but got {value})",
        )
    return value % rank


def product(sizes: Sequence[Size]) -> Size:
    """The number of elements, None if a size is not known."""
    return None if None in sizes else math.prod(n for n in sizes if n is not None)


def permute(shape: Shape, order: Sequence[object]) -> Shape:
    if len(order) != len(shape):
        raise refused(
            f"{len(order)} dimensions to order, the tensor has {len(shape)}",
            "does not match the length of the desired ordering of dimensions",
        )
    dims = [axis(i, len(shape)) for i in order]
    if sorted(dims) != list(range(len(shape))):
        raise refused(f"a dimension twice in {tuple(order)}", "duplicate dims are not allowed")
    return tuple(shape[i] for i in dims)


def transpose(shape: Shape, first: object, second: object) -> Shape:
    a, b = axis(first, len(shape)), axis(second, len(shape))
    swapped = list(shape)
    swapped[a], swapped[b] = swapped[b], swapped[a]
    return tuple(swapped)


def flatten(shape: Shape, start: object = 0, end: object = -1) -> Shape:
    if not shape:
        return (1,)
    first, last = axis(start, len(shape)), axis(end, len(shape))
    if first > last:
        raise StepError(f"flatten({start}, {end}): the start comes after the end")
    return (*shape[:first], product(shape[first : last + 1]), *shape[last + 1 :])


def squeeze(shape: Shape, dim: object = None) -> Shape:
    if dim is None:
        return tuple(n for n in shape if n != 1)
    dims = dim if isinstance(dim, tuple | list) else (dim,)
    gone = {axis(d, len(shape)) for d in dims} if shape else set()
    return tuple(n for i, n in enumerate(shape) if i not in gone or n != 1)


def unsqueeze(shape: Shape, dim: object) -> Shape:
    at = axis(dim, len(shape) + 1)
    return (*shape[:at], 1, *shape[at:])


def reshape(shape: Shape, sizes: Sequence[object]) -> Shape:
    """``view(x.size(0), -1)``: one -1 takes what the others leave (ATen's infer_size)."""
    wanted: list[Size] = []
    for size in sizes:
        if size is not None and (not isinstance(size, int) or isinstance(size, bool)):
            raise StepError(f"view{tuple(sizes)}: {size!r} is not a size")
        wanted.append(size)
    written = shown(tuple(wanted))
    for at, size in enumerate(wanted):
        if size is not None and size < -1:
            says = f"invalid shape dimension {size} at index {at} of shape {written}"
            raise refused(f"a size below -1, {size}", says)
    if wanted.count(-1) > 1:
        raise refused("two sizes left to fill", "only one dimension can be inferred")
    total = product(shape)
    rest = product([n for n in wanted if n != -1])
    if total is None or rest is None:
        return tuple(None if n == -1 else n for n in wanted)
    fits = rest == total if -1 not in wanted else rest != 0 and total % rest == 0
    if not fits:
        says = f"shape '{written}' is invalid for input of size {total}"
        raise refused(f"{total:,} elements do not fit {written}", says)
    return tuple(total // rest if n == -1 else n for n in wanted)


def index(shape: Shape, items: Sequence[object]) -> Shape:
    """``x[:, -1, :]``, ``x[-1]``, ``x[:, :5]``, ``x[..., 0]``, ``x[:, None]``: an int takes
    a dimension away, a slice keeps it (shorter), None adds one. Items are ints, slices,
    ``...`` or None; anything else (a tensor of indices) is a StepError."""
    if sum(item is Ellipsis for item in items) > 1:
        raise StepError("x[...]: one ... at most")
    taking = [item for item in items if item is not None and item is not Ellipsis]
    if len(taking) > len(shape):
        raise refused(
            f"{len(taking)} indices for a {len(shape)}-dimensional tensor {shown(shape)}",
            f"too many indices for tensor of dimension {len(shape)}",
        )
    out: list[Size] = []
    position = 0
    for item in items:
        if item is Ellipsis:
            skipped = len(shape) - len(taking)
            out.extend(shape[position : position + skipped])
            position += skipped
        elif item is None:
            out.append(1)
        elif isinstance(item, slice):
            out.append(_sliced(shape[position], item))
            position += 1
        elif isinstance(item, int) and not isinstance(item, bool):
            size = shape[position]
            if size is not None and not -size <= item < size:
                says = f"index {item} is out of bounds for dimension {position} with size {size}"
                raise refused(f"dimension {position} has {size} positions", says)
            position += 1
        else:
            raise StepError(f"an index of {type(item).__name__} is not one the reader follows")
    return (*out, *shape[position:])


def _sliced(size: Size, item: slice) -> Size:
    step = item.step
    if isinstance(step, int) and not isinstance(step, bool) and step <= 0:
        says = "slice step cannot be zero" if step == 0 else "step must be greater than zero"
        raise refused(f"a slice step of {step}", says)
    if item == slice(None):
        return size
    if size is None:
        return None
    return len(range(size)[item])


def reduce(shape: Shape, dim: object = None, keepdim: bool = False) -> Shape:
    """``mean``, ``sum``, ``amax`` over ``dim`` (all dimensions when None)."""
    if dim is None:
        return tuple(1 for _ in shape) if keepdim else ()
    dims = {axis(d, len(shape)) for d in (dim if isinstance(dim, tuple | list) else (dim,))}
    if keepdim:
        return tuple(1 if i in dims else n for i, n in enumerate(shape))
    return tuple(n for i, n in enumerate(shape) if i not in dims)


def cat(shapes: Sequence[Shape], dim: object = 0) -> Shape:
    """``torch.cat``: the same rank, the same sizes but along ``dim``, which adds up."""
    if not shapes:
        raise StepError("torch.cat of no tensors")
    rank = len(shapes[0])
    at = axis(dim, rank)
    out: list[Size] = list(shapes[0])
    for shape in shapes[1:]:
        if len(shape) != rank:
            raise StepError(
                f"torch.cat: tensors of {rank} and {len(shape)} dimensions "
                f"({shown(shapes[0])}, {shown(shape)})"
            )
        for i, size in enumerate(shape):
            if i == at:
                out[i] = None if out[i] is None or size is None else out[i] + size  # type: ignore[operator]
            elif out[i] is not None and size is not None and out[i] != size:
                raise StepError(
                    f"torch.cat(dim={dim}): sizes {shown(shapes[0])} and {shown(shape)} "
                    f"differ in dimension {i}"
                )
            elif out[i] is None:
                out[i] = size
    return tuple(out)


def stack(shapes: Sequence[Shape], dim: object = 0) -> Shape:
    """``torch.stack``: alike shapes, a new dimension of their number at ``dim``."""
    if not shapes:
        raise StepError("torch.stack of no tensors")
    first = shapes[0]
    for shape in shapes[1:]:
        if len(shape) != len(first) or any(
            a is not None and b is not None and a != b for a, b in zip(first, shape, strict=True)
        ):
            raise StepError(f"torch.stack: sizes {shown(first)} and {shown(shape)} differ")
    at = axis(dim, len(first) + 1)
    return (*first[:at], len(shapes), *first[at:])


def broadcast(first: Shape, second: Shape) -> Shape:
    """``a + b``: sizes aligned from the right; 1 stretches to the other size."""
    rank = max(len(first), len(second))
    left = (1,) * (rank - len(first)) + tuple(first)
    right = (1,) * (rank - len(second)) + tuple(second)
    out: list[Size] = []
    for a, b in zip(left, right, strict=True):
        if a == 1:
            out.append(b)
        elif b == 1 or a == b:
            out.append(a)
        elif a is None or b is None:
            out.append(a if b is None else b)
        else:
            raise StepError(f"sizes {shown(first)} and {shown(second)} do not broadcast")
    return tuple(out)


def matmul(first: Shape, second: Shape) -> Shape:
    """``a @ b``, ``torch.matmul``, ``torch.bmm``: the last dimension of a meets the one
    before the last of b; the dimensions before them broadcast."""
    if not first or not second:
        raise StepError("matmul of a 0-dimensional tensor")
    a = (1, *first) if len(first) == 1 else first
    b = (*second, 1) if len(second) == 1 else second
    inner_a, inner_b = a[-1], b[-2]
    if inner_a is not None and inner_b is not None and inner_a != inner_b:
        raise StepError(f"matmul of {shown(first)} and {shown(second)}: {inner_a} != {inner_b}")
    batch = broadcast(a[:-2], b[:-2])
    out = (*batch, a[-2], b[-1])
    if len(first) == 1:
        out = (*out[:-2], out[-1])
    if len(second) == 1:
        out = out[:-1]
    return tuple(out)


def expand(shape: Shape, sizes: Sequence[object]) -> Shape:
    """``x.expand(b, -1, -1)``: -1 keeps a size, a 1 stretches to the size given."""
    if len(sizes) < len(shape):
        raise StepError(f"expand{tuple(sizes)}: fewer sizes than the {len(shape)} dimensions")
    kept = (None,) * (len(sizes) - len(shape)) + tuple(shape)
    out: list[Size] = []
    for old, new in zip(kept, sizes, strict=True):
        if new == -1:
            out.append(old)
        elif new is None or (isinstance(new, int) and not isinstance(new, bool)):
            if old not in (None, 1) and new is not None and new != old:
                raise StepError(f"expand{tuple(sizes)}: a size of {old} cannot become {new}")
            out.append(new)
        else:
            raise StepError(f"expand{tuple(sizes)}: {new!r} is not a size")
    return tuple(out)


def repeat(shape: Shape, times: Sequence[object]) -> Shape:
    """``x.repeat(1, n, 1)``: each size times its count."""
    if len(times) < len(shape):
        raise StepError(f"repeat{tuple(times)}: fewer counts than the {len(shape)} dimensions")
    kept = (1,) * (len(times) - len(shape)) + tuple(shape)
    out: list[Size] = []
    for size, count in zip(kept, times, strict=True):
        if count is not None and (not isinstance(count, int) or isinstance(count, bool)):
            raise StepError(f"repeat{tuple(times)}: {count!r} is not a count")
        out.append(None if size is None or count is None else size * count)
    return tuple(out)


__all__ = [
    "StepError",
    "StepRefused",
    "axis",
    "broadcast",
    "cat",
    "expand",
    "flatten",
    "index",
    "matmul",
    "permute",
    "product",
    "reduce",
    "repeat",
    "reshape",
    "shown",
    "squeeze",
    "stack",
    "transpose",
    "unsqueeze",
]
