"""Tensors as the code reader follows them through a ``forward``: a shape (``None`` where a
size, or the whole shape, is not known) and a dtype, never any numbers (standard library
only).

What each operation does to the shape is :mod:`.shapes`'; here are the names torch gives the
operations (``x.view``, ``torch.cat``, ``F.relu``, ``a + b``) and what to do when one cannot
be followed: the tensor after it has no known shape, the step is said once at its line (while
the summary's forward pass is read), and the modules after it still get their rows.
"""

from __future__ import annotations

import ast
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ...spec import Shape
from ..code.values import FrameworkObject, Unknown
from . import shapes
from .session import torch_session
from .shapes import StepError

if TYPE_CHECKING:
    from ..code.reader import Reader

# dtypes by what torch calls them (torch.long ...) and the bytes of an element
DTYPE_NAMES = {
    "float32": "float32", "float": "float32", "float64": "float64", "double": "float64",
    "float16": "float16", "half": "float16", "bfloat16": "bfloat16", "int64": "int64",
    "long": "int64", "int32": "int32", "int": "int32", "int16": "int16", "short": "int16",
    "int8": "int8", "uint8": "uint8", "bool": "bool",
}  # fmt: skip
ELEMENT_BYTES = {
    "float32": 4, "float64": 8, "float16": 2, "bfloat16": 2, "int64": 8, "int32": 4,
    "int16": 2, "int8": 1, "uint8": 1, "bool": 1,
}  # fmt: skip

# operations that keep the shape: activations, dropout, casts, copies, in-place fills
_SAME_SHAPE = frozenset(
    {
        "relu", "relu_", "gelu", "tanh", "tanh_", "sigmoid", "sigmoid_", "exp", "log", "log1p",
        "sqrt", "rsqrt", "abs", "neg", "sin", "cos", "sign", "round", "floor", "ceil", "erf",
        "dropout", "dropout1d", "dropout2d", "dropout3d", "alpha_dropout", "leaky_relu",
        "leaky_relu_", "elu", "selu", "celu", "silu", "mish", "softplus", "softsign",
        "hardtanh", "hardswish", "hardsigmoid", "relu6", "prelu", "rrelu", "glu_", "softmax",
        "log_softmax", "softmin", "normalize", "clamp", "clamp_", "clip", "detach", "clone",
        "contiguous", "cpu", "cuda", "requires_grad_", "masked_fill", "masked_fill_", "fill_",
        "zero_", "pow", "tril", "triu", "layer_norm", "group_norm", "batch_norm",
        "instance_norm", "local_response_norm", "nan_to_num", "reciprocal", "square",
        "logit", "gumbel_softmax", "flip", "roll", "cumsum", "cumprod", "type_as",
    }
)  # fmt: skip
_CASTS = {
    "float": "float32", "double": "float64", "half": "float16", "bfloat16": "bfloat16",
    "long": "int64", "int": "int32", "short": "int16", "bool": "bool", "byte": "uint8",
}  # fmt: skip
# reductions over dim= (all dimensions without one)
_REDUCTIONS = frozenset(
    {"mean", "sum", "amax", "amin", "prod", "std", "var", "norm", "logsumexp", "nansum",
     "nanmean", "argmax", "argmin", "all", "any", "count_nonzero"}
)  # fmt: skip
# reductions that give (values, indices) when given a dim
_PAIRED = frozenset({"max", "min", "median", "mode", "sort", "kthvalue"})
# torch functions that make a tensor of the size their arguments give
MAKERS = frozenset({"zeros", "ones", "rand", "randn", "empty", "full", "randint", "arange",
                    "tensor", "LongTensor", "FloatTensor", "Tensor", "BoolTensor"})  # fmt: skip
_LIKE = frozenset({"zeros_like", "ones_like", "rand_like", "randn_like", "empty_like",
                   "full_like"})  # fmt: skip


class TorchTensor(FrameworkObject):
    """A tensor: its shape (None if not known at all; a size None if that one is not) and
    its dtype (None: as fed, which torchinfo makes float32 unless told)."""

    def __init__(self, shape: Shape | None, line: int = 0, dtype: str | None = "float32") -> None:
        self.shape = shape
        self.line = line
        self.dtype = dtype

    def shown(self) -> str:
        return "a tensor" if self.shape is None else f"a tensor of size {shapes.shown(self.shape)}"

    def like(self, shape: Shape | None, dtype: str | None = None) -> TorchTensor:
        """A tensor made from this one (the same dtype unless ``dtype``)."""
        return TorchTensor(shape, self.line, dtype or self.dtype)

    def joined(self, other: object) -> object | None:
        if not isinstance(other, TorchTensor):
            return None
        if self.shape is None or other.shape is None or len(self.shape) != len(other.shape):
            return self.like(None)
        same = tuple(a if a == b else None for a, b in zip(self.shape, other.shape, strict=True))
        return self.like(same, self.dtype if self.dtype == other.dtype else None)

    # -- what the reader asks --------------------------------------------------------------------

    def attribute(self, reader: Reader, name: str, node: ast.expr) -> object:
        if name == "shape":
            return self.sizes(reader, node)
        if name in ("data", "T", "mT") and self.shape is not None:
            return self if name == "data" else self.like(self.shape[::-1])
        if name == "ndim":
            return (
                len(self.shape) if self.shape is not None else reader.unknown(node, "is not known")
            )
        if name == "dtype":
            return self.dtype or "float32"
        if name in ("device", "requires_grad", "grad", "is_cuda"):
            return reader.unknown(node, "is not known")
        return super().attribute(reader, name, node)

    def sizes(self, reader: Reader, node: ast.AST) -> object:
        """``x.shape``: a tuple whose unknown sizes are values the reader cannot know."""
        if self.shape is None:
            return reader.unknown(node, "is the shape of a tensor the reader could not follow")
        text = ast.unparse(node) if isinstance(node, ast.expr) else "x.shape"
        return tuple(
            n if n is not None else
            reader.unknown(node, "is a size the reader could not follow", f"{text}[{i}]")
            for i, n in enumerate(self.shape)
        )  # fmt: skip

    def method(
        self,
        reader: Reader,
        name: str,
        args: list[object],
        kwargs: dict[str, object],
        node: ast.Call,
    ) -> object:
        return tensor_method(reader, self, name, args, kwargs, node)

    def operate(
        self,
        reader: Reader,
        op: ast.operator | ast.unaryop,
        other: object,
        reflected: bool,
        node: ast.AST,
    ) -> object:
        if other is None or isinstance(op, ast.unaryop):
            return self
        if isinstance(op, ast.MatMult):
            if not isinstance(other, TorchTensor):
                return step_failed(reader, node, "@ of what is not a tensor", self)
            pair = (other, self) if reflected else (self, other)
            return follow(reader, node, self, lambda: shapes.matmul(*_shapes(pair)))
        if isinstance(other, TorchTensor):
            dtype = self.dtype if self.dtype == other.dtype else None
            if self.shape is None or other.shape is None:
                return self.like(None, dtype)
            found = follow(reader, node, self, lambda: shapes.broadcast(self.shape, other.shape))  # type: ignore[arg-type]
            return found if not isinstance(found, TorchTensor) else found.like(found.shape, dtype)
        if isinstance(other, int | float | bool | Unknown):
            return self  # a number: the shape stays
        return step_failed(reader, node, f"arithmetic with {type(other).__name__}", self)


def _shapes(pair: Sequence[TorchTensor]) -> tuple[Shape, Shape]:
    first, second = pair
    if first.shape is None or second.shape is None:
        raise _NotKnown
    return first.shape, second.shape


class _NotKnown(Exception):
    """A shape that is already not known: what follows from it is not either (said before)."""


def follow(
    reader: Reader, node: ast.AST, base: TorchTensor, rule: Callable[[], Shape]
) -> TorchTensor:
    """A tensor with the shape a rule of :mod:`.shapes` gives; one that does not fit is said
    at its line (and the shape after it is not known)."""
    try:
        return base.like(rule())
    except _NotKnown:
        return base.like(None)
    except StepError as error:
        return step_failed(reader, node, str(error), base)


def step_failed(reader: Reader, node: ast.AST, why: str, base: TorchTensor) -> TorchTensor:
    """A step the reader cannot follow: said once, at its line, while the summary's forward
    pass is read; the tensor after it has no known shape."""
    text = _written(reader, node)
    torch_session(reader).problem(
        reader.line_of(node), f"{text}: {why}; the shapes after it are not known"
    )
    return base.like(None)


def _written(reader: Reader, node: ast.AST) -> str:
    text = reader.segment(node) or " ".join(ast.unparse(node).split())
    return text if len(text) <= 60 else text[:57] + "..."


def _size(value: object) -> int | None:
    """A size argument: a whole number, or None where the reader cannot know it."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def _dim(args: list[object], kwargs: dict[str, object], position: int = 0) -> object:
    return kwargs.get("dim", args[position] if len(args) > position else None)


def _sizes_of(args: list[object]) -> list[object]:
    """``view(2, -1)`` or ``view((2, -1))``."""
    if len(args) == 1 and isinstance(args[0], tuple | list):
        return list(args[0])
    return list(args)


def tensor_method(
    reader: Reader,
    x: TorchTensor,
    name: str,
    args: list[object],
    kwargs: dict[str, object],
    node: ast.Call,
) -> object:
    """``x.name(*args, **kwargs)``: the tensor (or tensors, or number) it gives."""
    shape = x.shape
    if name == "size":
        sizes = x.sizes(reader, node)
        if not args and "dim" not in kwargs:
            return sizes
        dim = _dim(args, kwargs)
        if isinstance(sizes, tuple) and isinstance(dim, int) and -len(sizes) <= dim < len(sizes):
            return sizes[dim]
        return reader.unknown(node, "is a size the reader could not follow")
    if name in ("dim", "ndimension"):
        return len(shape) if shape is not None else reader.unknown(node, "is not known")
    if name in ("numel", "item", "tolist", "numpy", "element_size", "nelement", "data_ptr"):
        return reader.unknown(node, "is a value of a tensor, which the reader never has")
    if name in ("__getitem__",):
        return _indexed(reader, x, args[0] if args else None, node)
    if name in ("__setitem__", "copy_", "add_", "mul_", "sub_", "div_", "backward",
                "register_hook", "retain_grad", "share_memory_"):  # fmt: skip
        return x if name.endswith("_") else None
    if name in _CASTS:
        return x.like(shape, _CASTS[name])
    if name in ("to", "type"):
        for value in (*args, *kwargs.values()):
            dtype = dtype_of(value)
            if dtype is not None:
                return x.like(shape, dtype)
        return x
    if name in _SAME_SHAPE:
        return x
    if shape is None:
        return x.like(None)
    if name in ("view", "reshape"):
        return follow(reader, node, x, lambda: shapes.reshape(shape, _sizes_of(args)))
    if name == "view_as" or name == "reshape_as" or name == "expand_as":
        other = args[0] if args else None
        return x.like(other.shape if isinstance(other, TorchTensor) else None)
    if name == "permute":
        order = _sizes_of(args) or list(kwargs.get("dims", ()))  # type: ignore[call-overload]
        return follow(reader, node, x, lambda: shapes.permute(shape, order))
    if name in ("transpose", "swapaxes", "swapdims"):
        a = kwargs.get("dim0", args[0] if args else None)
        b = kwargs.get("dim1", args[1] if len(args) > 1 else None)
        return follow(reader, node, x, lambda: shapes.transpose(shape, a, b))
    if name == "t":
        return x.like(shape[::-1])
    if name == "flatten":
        start = kwargs.get("start_dim", args[0] if args else 0)
        end = kwargs.get("end_dim", args[1] if len(args) > 1 else -1)
        return follow(reader, node, x, lambda: shapes.flatten(shape, start, end))
    if name in ("squeeze", "squeeze_"):
        dim = _dim(args, kwargs)
        return follow(reader, node, x, lambda: shapes.squeeze(shape, dim))
    if name in ("unsqueeze", "unsqueeze_"):
        dim = _dim(args, kwargs)
        return follow(reader, node, x, lambda: shapes.unsqueeze(shape, dim))
    if name == "expand":
        return follow(reader, node, x, lambda: shapes.expand(shape, _sized(_sizes_of(args))))
    if name == "repeat":
        return follow(reader, node, x, lambda: shapes.repeat(shape, _sized(_sizes_of(args))))
    if name in _REDUCTIONS or (name in _PAIRED and (args or "dim" in kwargs)):
        dim = _dim(args, kwargs)
        keep = kwargs.get("keepdim", args[1] if len(args) > 1 else False) is True
        dtype = "int64" if name.startswith("arg") else ("bool" if name in ("all", "any") else None)
        found = follow(reader, node, x, lambda: shapes.reduce(shape, dim, keep))
        found = found.like(found.shape, dtype)
        if name in _PAIRED:
            return (found, found.like(found.shape, "int64"))
        return found
    if name in _PAIRED:  # x.max(): one number
        return x.like(())
    if name in ("chunk", "split", "unbind", "tensor_split"):
        return _pieces(reader, x, name, args, kwargs, node)
    if name == "topk":
        k = _size(kwargs.get("k", args[0] if args else None))
        dim = kwargs.get("dim", args[1] if len(args) > 1 else -1)
        try:
            at = shapes.axis(dim, len(shape))
        except StepError as error:
            return step_failed(reader, node, str(error), x)
        found = x.like((*shape[:at], k, *shape[at + 1 :]))
        return (found, found.like(found.shape, "int64"))
    if name in ("matmul", "mm", "bmm"):
        other = args[0] if args else None
        if not isinstance(other, TorchTensor):
            return step_failed(reader, node, f"{name} of what is not a tensor", x)
        pair = (x, other)
        return follow(reader, node, x, lambda: shapes.matmul(*_shapes(pair)))
    if name in ("add", "sub", "mul", "div", "maximum", "minimum", "where", "eq", "ne", "lt",
                "gt", "le", "ge", "logical_and", "logical_or"):  # fmt: skip
        other = args[0] if args else None
        if isinstance(other, TorchTensor):
            return x.operate(reader, ast.Add(), other, False, node)
        return x
    if name in ("new_zeros", "new_ones", "new_empty", "new_full"):
        return _made(reader, x.like(None), _sizes_of(args[:1] if name == "new_full" else args))
    return step_failed(reader, node, f"{name} is not a step the reader follows", x)


def _sized(values: list[object]) -> list[int | None]:
    """Sizes with the ones the reader cannot know as None."""
    return [v if isinstance(v, int) and not isinstance(v, bool) else None for v in values]


def _indexed(reader: Reader, x: TorchTensor, index: object, node: ast.AST) -> object:
    if x.shape is None:
        return x.like(None)
    items = list(index) if isinstance(index, tuple) else [index]
    if any(isinstance(item, TorchTensor | list) for item in items):
        return step_failed(reader, node, "indexing with a tensor or a list", x)
    shape = x.shape
    return follow(reader, node, x, lambda: shapes.index(shape, items))


def _pieces(
    reader: Reader,
    x: TorchTensor,
    name: str,
    args: list[object],
    kwargs: dict[str, object],
    node: ast.AST,
) -> object:
    """``chunk``, ``split``, ``unbind``: a tuple of tensors (shapes known when even)."""
    shape = x.shape
    assert shape is not None
    dim = kwargs.get("dim", args[1] if len(args) > 1 else 0)
    try:
        at = shapes.axis(dim, len(shape))
    except StepError as error:
        return step_failed(reader, node, str(error), x)
    size = shape[at]
    if name == "unbind":
        if size is None:
            return step_failed(reader, node, "unbind of a dimension of unknown size", x)
        return tuple(x.like((*shape[:at], *shape[at + 1 :])) for _ in range(size))
    given = kwargs.get("chunks", kwargs.get("split_size_or_sections", args[0] if args else None))
    if isinstance(given, list | tuple) and all(isinstance(n, int) for n in given):
        return tuple(x.like((*shape[:at], n, *shape[at + 1 :])) for n in given)
    count = _size(given)
    if count is None or size is None or count <= 0 or size > 10_000:
        return step_failed(reader, node, f"{name} into pieces the reader cannot tell", x)
    if name == "chunk":
        piece = -(-size // count)
        sizes = [min(piece, size - i * piece) for i in range(-(-size // piece))]
    else:
        sizes = [min(count, size - i * count) for i in range(-(-size // count))]
    return tuple(x.like((*shape[:at], n, *shape[at + 1 :])) for n in sizes)


def dtype_of(value: object) -> str | None:
    """``torch.long`` (a dotted name) or ``"int64"`` -> our dtype word, else None."""
    name = getattr(value, "name", value)
    if isinstance(name, str):
        word = name.rpartition(".")[2]
        return DTYPE_NAMES.get(word)
    return None


def _made(reader: Reader, base: TorchTensor, sizes: list[object]) -> TorchTensor:
    if len(sizes) > 16:
        return base.like(None)
    return base.like(tuple(_sized(sizes)))


def make_tensor(
    reader: Reader, api: str, args: list[object], kwargs: dict[str, object], node: ast.Call
) -> object:
    """``torch.zeros(2, 3)``, ``torch.arange(10)``, ``torch.tensor([[1, 2]])``,
    ``torch.zeros_like(x)``: a tensor of the size its arguments give (a size the reader
    cannot know stays unknown)."""
    whole = api in ("arange", "randint", "LongTensor")
    dtype = dtype_of(kwargs.get("dtype")) or ("int64" if whole else "float32")
    base = TorchTensor(None, reader.line_of(node), dtype)
    if api in _LIKE:
        other = args[0] if args else kwargs.get("input")
        if isinstance(other, TorchTensor):
            return other.like(other.shape, dtype_of(kwargs.get("dtype")) or other.dtype)
        return base
    if api in ("tensor", "LongTensor", "FloatTensor", "Tensor", "BoolTensor") and args:
        data = args[0]
        if isinstance(data, list | tuple):
            return base.like(_nested_shape(data))
        if isinstance(data, int | float) and api == "tensor":
            return base.like(())
        return _made(reader, base, list(args)) if api != "tensor" else base
    if api == "arange":
        numbers = [a for a in args if not isinstance(a, Unknown)]
        if len(numbers) != len(args) or not all(isinstance(n, int | float) for n in numbers):
            return base.like((None,))
        try:
            return base.like((len(range(*[int(n) for n in numbers])),))  # type: ignore[call-overload]
        except (ValueError, OverflowError, TypeError):  # a step of 0, more than a size can be
            return base.like((None,))
    sizes: object = kwargs.get("size", args[0] if len(args) == 1 else tuple(args))
    if api == "full":
        sizes = args[0] if args else kwargs.get("size")
    if api == "randint":
        sizes = kwargs.get("size", args[-1] if args else None)
    if isinstance(sizes, int | Unknown) and not isinstance(sizes, bool):
        sizes = (sizes,)
    if not isinstance(sizes, tuple | list):
        return base
    return _made(reader, base, list(sizes))


def _nested_shape(data: list[object] | tuple[object, ...]) -> Shape | None:
    shape: list[int | None] = []
    level: object = data
    while isinstance(level, list | tuple):
        shape.append(len(level))
        if not level or len(shape) > 8:
            break
        level = level[0]
    return tuple(shape)


def tensor_function(
    reader: Reader, api: str, args: list[object], kwargs: dict[str, object], node: ast.Call
) -> object | None:
    """``torch.cat([a, b], dim=1)``, ``torch.flatten(x, 1)``, ``F.relu(x)``,
    ``torch.bmm(a, b)``: what the function gives, or None when it is not one of these."""
    name = api.rpartition(".")[2]
    if name in ("cat", "concat", "concatenate", "stack", "hstack", "vstack"):
        tensors = args[0] if args else kwargs.get("tensors")
        dim = kwargs.get("dim", args[1] if len(args) > 1 else 0)
        return _joined(reader, name, tensors, dim, node)
    if name in ("where",) and len(args) == 3:
        first = next((a for a in args[1:] if isinstance(a, TorchTensor)), None)
        if first is None:
            return None
        return tensor_method(reader, first, "add", [args[2]], {}, node)
    if name in ("maximum", "minimum", "add", "mul", "sub", "div", "matmul", "bmm", "mm") and (
        len(args) >= 2 and isinstance(args[0], TorchTensor)
    ):
        return tensor_method(reader, args[0], name, args[1:], kwargs, node)
    if name in ("einsum",):
        base: TorchTensor | None = next((a for a in args if isinstance(a, TorchTensor)), None)
        if base is None:
            return None
        return step_failed(reader, node, "torch.einsum is not a step the reader follows", base)
    head = args[0] if args else kwargs.get("input")
    if isinstance(head, TorchTensor):
        first = head
        rest = args[1:]
        named = {k: v for k, v in kwargs.items() if k != "input"}
        if name in ("max", "min") and rest and isinstance(rest[0], TorchTensor):
            return first.operate(reader, ast.Add(), rest[0], False, node)
        return tensor_method(reader, first, name, rest, named, node)
    return None


def _joined(
    reader: Reader, name: str, tensors: object, dim: object, node: ast.AST
) -> object | None:
    if not isinstance(tensors, list | tuple) or not tensors:
        return None
    parts = [t for t in tensors if isinstance(t, TorchTensor)]
    if len(parts) != len(tensors):
        first = parts[0] if parts else TorchTensor(None, reader.line_of(node))
        return step_failed(reader, node, f"torch.{name} of what is not a tensor", first)
    base = parts[0]
    if any(t.shape is None for t in parts):
        return base.like(None)
    known = [t.shape for t in parts if t.shape is not None]
    if name in ("stack",):
        return follow(reader, node, base, lambda: shapes.stack(known, dim))
    if name == "vstack":
        return follow(reader, node, base, lambda: shapes.cat(known, 0))
    if name == "hstack":
        return follow(reader, node, base, lambda: shapes.cat(known, 1 if len(known[0]) > 1 else 0))
    return follow(reader, node, base, lambda: shapes.cat(known, dim))


def first_tensor(value: object) -> TorchTensor | None:
    """The tensor torchinfo measures in a module's input or output: the value itself, the
    first of a tuple or list (depth first), the last value of a dict."""
    for _ in range(20):
        if isinstance(value, TorchTensor):
            return value
        if isinstance(value, dict):
            value = list(value.values())[-1] if value else None
        elif isinstance(value, tuple | list) and value:
            value = value[0]
        else:
            return None
    return None


__all__ = [
    "ELEMENT_BYTES",
    "MAKERS",
    "TorchTensor",
    "dtype_of",
    "first_tensor",
    "make_tensor",
    "step_failed",
    "tensor_function",
    "tensor_method",
]
