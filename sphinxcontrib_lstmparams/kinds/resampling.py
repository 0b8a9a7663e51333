"""More layers without weights: they pad, crop, up-sample, resize or rearrange their input
(Keras ``ZeroPadding``, ``Cropping``, ``UpSampling``, ``Resizing``, ``CenterCrop``,
``Permute``, ``Lambda``; PyTorch's pads, ``Upsample``, ``PixelShuffle``, ``Unflatten``,
adaptive pooling, ``MaxUnpool``), or keep its shape (``Masking``, ``UnitNormalization``,
``LocalResponseNorm`` ...).

Like those of :mod:`.shaping`, they count 0 parameters and their rule is their output shape,
read from each framework's ``compute_output_shape`` (Keras) or documented formula (PyTorch),
and recorded in ``tests/data/layer_kinds.json``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import ClassVar

from ..frameworks import refuse
from ..options import describe
from ..signatures import Param, Signature
from ..spec import Shape
from .convlstm import parse_sizes
from .shaping import Shaping, ShapingSpec, _keras, _pytorch

Rule = Callable[[ShapingSpec, Shape, Mapping[str, object]], Shape]
_FIRST = Param("data_format", "text", shapes=True)


def _ranks(prefix: str, suffix: str, ranks: tuple[int, ...] = (1, 2, 3)) -> tuple[str, ...]:
    return tuple(f"{prefix}{rank}{suffix}" for rank in ranks)


SIGNATURES = (
    # keras/src/layers/reshaping/zero_padding{1,2,3}d.py, cropping{1,2,3}d.py,
    # up_sampling{1,2,3}d.py, permute.py
    _keras(_ranks("ZeroPadding", "D"), "padding", Param("padding", "any", shapes=True), _FIRST),
    _keras(("Cropping1D",), "cropping", Param("cropping", "any", shapes=True)),
    _keras(
        _ranks("Cropping", "D", (2, 3)), "cropping", Param("cropping", "any", shapes=True), _FIRST
    ),
    _keras(("UpSampling1D",), "upsampling", Param("size", "any", shapes=True)),
    _keras(
        ("UpSampling2D",),
        "upsampling",
        Param("size", "any", shapes=True),
        _FIRST,
        Param("interpolation", "text"),
    ),
    _keras(("UpSampling3D",), "upsampling", Param("size", "any", shapes=True), _FIRST),
    _keras(("Permute",), "permute", Param("dims", "sizes", shapes=True)),
    # keras/src/layers/preprocessing/image_preprocessing/resizing.py, center_crop.py
    _keras(
        ("Resizing",),
        "resizing",
        Param("height", "int", shapes=True),
        Param("width", "int", shapes=True),
        Param("interpolation", "text"),
        Param("crop_to_aspect_ratio", "bool"),
        Param("pad_to_aspect_ratio", "bool"),
        Param("fill_mode", "text"),
        Param("fill_value"),
        Param("antialias", "bool"),
        _FIRST,
    ),
    _keras(
        ("CenterCrop",),
        "resizing",
        Param("height", "int", shapes=True),
        Param("width", "int", shapes=True),
        _FIRST,
    ),
    # keras/src/layers/core/lambda_layer.py: the function is never run here, so without
    # output_shape the shape after it is not known
    _keras(
        ("Lambda",),
        "lambda",
        Param("function"),
        Param("output_shape", "any", shapes=True),
        Param("mask"),
        Param("arguments"),
    ),
    # keras/src/layers/core/masking.py, regularization/activity_regularization.py,
    # normalization/unit_normalization.py, preprocessing/rescaling.py
    _keras(("Masking",), "same_shape", Param("mask_value")),
    _keras(("ActivityRegularization",), "same_shape", Param("l1"), Param("l2")),
    _keras(("UnitNormalization",), "same_shape", Param("axis")),
    _keras(("Rescaling",), "same_shape", Param("scale"), Param("offset")),
    # torch/nn/modules/padding.py
    _pytorch(
        (
            *_ranks("ReflectionPad", "d"),
            *_ranks("ReplicationPad", "d"),
            *_ranks("ZeroPad", "d"),
            "CircularPad1d",
            "CircularPad2d",
            "CircularPad3d",
        ),
        "padding",
        Param("padding", "sizes", shapes=True),
    ),
    _pytorch(
        _ranks("ConstantPad", "d"),
        "padding",
        Param("padding", "sizes", shapes=True),
        Param("value"),
    ),
    # torch/nn/modules/upsampling.py, pixelshuffle.py, flatten.py
    _pytorch(
        ("Upsample",),
        "upsampling",
        Param("size", "any", shapes=True),
        Param("scale_factor", "any", shapes=True),
        Param("mode", "text"),
        Param("align_corners"),
        Param("recompute_scale_factor"),
    ),
    _pytorch(
        ("UpsamplingNearest2d", "UpsamplingBilinear2d"),
        "upsampling",
        Param("size", "any", shapes=True),
        Param("scale_factor", "any", shapes=True),
    ),
    _pytorch(("PixelShuffle",), "pixel_shuffle", Param("upscale_factor", "int", shapes=True)),
    _pytorch(("PixelUnshuffle",), "pixel_shuffle", Param("downscale_factor", "int", shapes=True)),
    _pytorch(
        ("Unflatten",),
        "unflatten",
        Param("dim", "int", shapes=True),
        Param("unflattened_size", "sizes", shapes=True),
    ),
    # torch/nn/modules/pooling.py
    _pytorch(
        _ranks("AdaptiveAvgPool", "d"), "adaptive_pooling", Param("output_size", "any", shapes=True)
    ),
    _pytorch(
        _ranks("AdaptiveMaxPool", "d"),
        "adaptive_pooling",
        Param("output_size", "any", shapes=True),
        Param("return_indices", "bool"),
    ),
    _pytorch(
        _ranks("MaxUnpool", "d"),
        "unpooling",
        Param("kernel_size", "sizes", shapes=True),
        Param("stride", "sizes", shapes=True),
        Param("padding", "sizes", shapes=True),
    ),
    # torch/nn/modules/normalization.py: LocalResponseNorm has no weights
    _pytorch(
        ("LocalResponseNorm",),
        "same_shape",
        Param("size", "int"),
        Param("alpha"),
        Param("beta"),
        Param("k"),
    ),
)


def _space(
    spec: ShapingSpec, shape: Shape, call: Mapping[str, object], rank: int
) -> tuple[int, int]:
    """Where the spatial axes of ``shape`` start and how many there are."""
    if spec.framework == "pytorch" or call.get("data_format") == "channels_first":
        return 2, len(shape) - 2
    return 1, len(shape) - 2 if rank == 0 else rank


def _pairs(option: str, value: object, rank: int) -> tuple[tuple[int, int], ...]:
    """Keras' padding and cropping: ``n`` on every side, ``(a, b)`` (1D: before and after;
    2D and 3D: each axis on both sides), or a pair per axis."""

    def number(item: object) -> int:
        if isinstance(item, int) and not isinstance(item, bool) and item >= 0:
            return item
        raise refuse(option, f"{describe(value)} is not a size, or sizes, of 0 or more")

    if not isinstance(value, tuple | list):
        return ((number(value), number(value)),) * rank
    items = list(value)
    if rank == 1 and len(items) == 2 and all(isinstance(i, int) for i in items):
        return ((number(items[0]), number(items[1])),)
    if len(items) != rank:
        raise refuse(option, f"{describe(value)} is not {rank} sizes")
    out = []
    for item in items:
        if isinstance(item, tuple | list):
            if len(item) != 2:
                raise refuse(option, f"{describe(value)}: {describe(item)} is not two sizes")
            out.append((number(item[0]), number(item[1])))
        else:
            out.append((number(item), number(item)))
    return tuple(out)


def _plus(n: int | None, more: int) -> int | None:
    """A size grown (or, negative, cut) by ``more``; None stays unknown."""
    return None if n is None else n + more


def _times(n: int | None, factor: float) -> int | None:
    """A size scaled and rounded down; None stays unknown."""
    return None if n is None else math.floor(n * factor)


def _whole(option: str, value: object, count: int) -> tuple[int, ...]:
    """``count`` sizes of 0 or more: one number is all of them."""
    sizes = tuple(value) if isinstance(value, tuple | list) else (value,) * count
    if len(sizes) != count or not all(
        isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in sizes
    ):
        raise refuse(option, f"{describe(value)} is not {count} sizes")
    return tuple(n for n in sizes if isinstance(n, int))


def _keras_padding(spec: ShapingSpec, shape: Shape, call: Mapping[str, object]) -> Shape:
    rank = len(shape) - 2
    start, _count = _space(spec, shape, call, rank)
    option = "padding" if spec.cell == "padding" else "cropping"
    default = {"padding": 1, "cropping": ((0, 0),) * rank if rank == 2 else 1}[spec.cell]
    pairs = _pairs(option, call.get(option, default), rank)
    sign = 1 if spec.cell == "padding" else -1
    out = list(shape)
    for axis, (before, after) in enumerate(pairs):
        size = out[start + axis]
        out[start + axis] = _plus(size, sign * (before + after))
        if sign < 0 and (out[start + axis] or 1) <= 0:
            raise refuse("cropping", f"{describe(call.get(option))} crops the whole input")
    return tuple(out)


def _torch_padding(spec: ShapingSpec, shape: Shape, call: Mapping[str, object]) -> Shape:
    """nn.*Pad*d(padding): an int on every side, or (left, right[, top, bottom[, front,
    back]]), the last axis first."""
    rank = int(spec.layer[-2])
    sides = _whole("padding", call.get("padding", 0), 2 * rank)
    out = list(shape)
    for axis in range(rank):
        index = len(out) - 1 - axis
        out[index] = _plus(out[index], sides[2 * axis] + sides[2 * axis + 1])
    return tuple(out)


def _upsampled(spec: ShapingSpec, shape: Shape, call: Mapping[str, object]) -> Shape:
    if spec.framework == "pytorch":
        return _torch_upsampled(shape, call)
    rank = len(shape) - 2
    start, _count = _space(spec, shape, call, rank)
    sizes = parse_sizes("size", call.get("size", 2), rank)
    out = list(shape)
    for axis, factor in enumerate(sizes):
        out[start + axis] = _times(out[start + axis], factor)
    return tuple(out)


def _torch_upsampled(shape: Shape, call: Mapping[str, object]) -> Shape:
    """nn.Upsample: the size given, or floor(n × scale_factor) (torch/nn/functional.py,
    interpolate)."""
    rank = len(shape) - 2
    size, factor = call.get("size"), call.get("scale_factor")
    if size is not None:
        return (*shape[:2], *parse_sizes("size", size, rank))
    given = tuple(factor) if isinstance(factor, tuple | list) else (factor,) * rank
    factors = [f for f in given if isinstance(f, int | float) and not isinstance(f, bool) and f > 0]
    if len(factors) != rank or len(given) != rank:
        raise refuse("scale-factor", f"{describe(factor)} is not {rank} factors")
    return (*shape[:2], *(_times(n, f) for n, f in zip(shape[2:], factors, strict=True)))


def _resized(spec: ShapingSpec, shape: Shape, call: Mapping[str, object]) -> Shape:
    first = call.get("data_format") == "channels_first"
    height, width = _whole("height", (call.get("height"), call.get("width")), 2)
    out = list(shape)
    start = 2 if first else 1
    out[start], out[start + 1] = height, width
    return tuple(out)


def _permuted(spec: ShapingSpec, shape: Shape, call: Mapping[str, object]) -> Shape:
    """Keras' Permute(dims): the axes after the batch, in the order of dims (from 1)."""
    dims = call.get("dims")
    if not isinstance(dims, tuple | list) or sorted(dims) != list(range(1, len(shape))):
        raise refuse("dims", f"{describe(dims)} is not an order of the axes 1 to {len(shape) - 1}")
    return (shape[0], *(shape[d] for d in dims))


def _lambda(spec: ShapingSpec, shape: Shape, call: Mapping[str, object]) -> Shape:
    """Keras' Lambda(output_shape=...): the batch, then the shape given; without it Keras runs
    the function to know, which a reader of the text cannot."""
    given = call.get("output_shape")
    if not isinstance(given, tuple | list) or not all(isinstance(n, int | None) for n in given):
        raise refuse(
            "output_shape", "Lambda's output shape is known when output_shape=(...) gives it"
        )
    return (shape[0], *given)


def _pixel_shuffled(spec: ShapingSpec, shape: Shape, call: Mapping[str, object]) -> Shape:
    """nn.PixelShuffle(r): (N, C / r², H·r, W·r); nn.PixelUnshuffle(r) the other way."""
    factor = call.get("upscale_factor", call.get("downscale_factor"))
    if not isinstance(factor, int) or factor < 1:
        raise refuse("upscale_factor", f"{describe(factor)} is not a whole number")
    n, c, *space = shape
    # channels shrink by r² as each spatial axis grows by r (PixelUnshuffle: the other way)
    up = spec.layer == "PixelShuffle"
    channels = _times(c, 1 / factor**2 if up else factor**2)
    return (n, channels, *(_times(s, factor if up else 1 / factor) for s in space))


def _unflattened(spec: ShapingSpec, shape: Shape, call: Mapping[str, object]) -> Shape:
    dim, sizes = call.get("dim"), call.get("unflattened_size")
    if (
        not isinstance(dim, int)
        or not isinstance(sizes, tuple | list)
        or not -len(shape) <= dim < len(shape)
    ):
        raise refuse("unflattened_size", f"{describe(sizes)} at {describe(dim)} does not fit")
    axis = dim % len(shape)
    size = shape[axis]
    given = _whole("unflattened_size", [1 if n == -1 else n for n in sizes], len(sizes))
    rest = math.prod(given)
    filled = [
        (None if size is None else size // rest) if n == -1 else g
        for n, g in zip(sizes, given, strict=True)
    ]
    return (*shape[:axis], *filled, *shape[axis + 1 :])


def _adaptive(spec: ShapingSpec, shape: Shape, call: Mapping[str, object]) -> Shape:
    """nn.AdaptiveAvgPool/MaxPool(output_size): those sizes, None keeping the input's."""
    rank = int(spec.layer[-2])
    given = call.get("output_size")
    sizes = tuple(given) if isinstance(given, tuple | list) else (given,) * rank
    if len(sizes) != rank:
        raise refuse("output_size", f"{describe(given)} is not {rank} sizes")
    kept = shape[len(shape) - rank :]
    out: list[int | None] = list(shape[: len(shape) - rank])
    for size, old in zip(sizes, kept, strict=True):
        if size is None:
            out.append(old)
        elif isinstance(size, int) and not isinstance(size, bool) and size > 0:
            out.append(size)
        else:
            raise refuse("output_size", f"{describe(given)} are not sizes")
    return tuple(out)


def _unpooled(spec: ShapingSpec, shape: Shape, call: Mapping[str, object]) -> Shape:
    """nn.MaxUnpool: (n - 1)s - 2p + k per axis (torch/nn/modules/pooling.py)."""
    rank = int(spec.layer[-2])
    kernel = parse_sizes("kernel_size", call.get("kernel_size"), rank)
    given = call.get("stride")
    strides = kernel if given is None else parse_sizes("stride", given, rank)
    pads = _whole("padding", call.get("padding", 0), rank)
    out = list(shape)
    for axis in range(rank):
        index = len(out) - rank + axis
        n = out[index]
        out[index] = None if n is None else (n - 1) * strides[axis] - 2 * pads[axis] + kernel[axis]
    return tuple(out)


RULES: dict[str, Rule] = {
    "padding": lambda spec, shape, call: (
        _torch_padding(spec, shape, call)
        if spec.framework == "pytorch"
        else _keras_padding(spec, shape, call)
    ),
    "cropping": _keras_padding,
    "upsampling": _upsampled,
    "resizing": _resized,
    "permute": _permuted,
    "lambda": _lambda,
    "pixel_shuffle": _pixel_shuffled,
    "unflatten": _unflattened,
    "adaptive_pooling": _adaptive,
    "unpooling": _unpooled,
    "same_shape": lambda spec, shape, call: shape,
}


class Resampling(Shaping):
    """The layers without weights of this module: each cell's rule is in RULES."""

    cells: ClassVar[tuple[str, ...]] = tuple(RULES)
    signatures: ClassVar[tuple[Signature, ...]] = SIGNATURES

    def output_shape(self, spec: ShapingSpec, shape: Shape, call: Mapping[str, object]) -> Shape:
        return RULES[spec.cell](spec, shape, call)


RESAMPLING = Resampling()
