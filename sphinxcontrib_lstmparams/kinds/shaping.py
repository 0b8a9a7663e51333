"""Layers without weights, which a model summary still lists because they change the shape:
dropout, activations, flatten, reshape, repeat, pooling.

They count 0 parameters; their rule is their output shape.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import ClassVar

from ..expression import Copies, Expr, Num
from ..frameworks import check_keras_ndim, refused_by
from ..options import MAX_SIZE, describe
from ..signatures import KERAS, PYTORCH, Param, Signature
from ..spec import DType, FrameworkName, NotFollowed, Shape
from .common import read_dtype, read_framework, read_timesteps
from .simple import SimpleKind, check_framework
from .windows import Family, given_sizes, slid, torch_padding, window_sizes


@dataclass(frozen=True)
class ShapingSpec:
    cell: str
    layer: str  # the framework's class: MaxPooling1D, Flatten, ...
    framework: FrameworkName = "keras"
    timesteps: int | None = None
    dtype: DType = "float32"


def _keras(names: tuple[str, ...], cell: str, *positional: Param) -> Signature:
    return Signature(
        framework="keras",
        classes=names,
        fixed={name: {"cell": cell, "layer_type": name} for name in names},
        prefixes=KERAS,
        positional=positional,
        neutral=frozenset({"name", "trainable", "seed", "noise_shape", "dtype", "input_shape"}),
    )


def _pytorch(names: tuple[str, ...], cell: str, *positional: Param) -> Signature:
    return Signature(
        framework="pytorch",
        classes=names,
        fixed={name: {"cell": cell, "layer_type": name} for name in names},
        prefixes=PYTORCH,
        positional=positional,
    )


_POOL = (
    Param("pool_size", "sizes", shapes=True),
    Param("strides", "sizes", shapes=True),
    Param("padding", "text", shapes=True),
    Param("data_format", "text", shapes=True),
)


def _keras_pools(kind: str, alias: str) -> Signature:
    """keras/src/layers/pooling: MaxPooling has a default pool_size, AveragePooling none;
    Keras exports each under a short alias too (MaxPool2D, AvgPool1D)."""
    names = tuple(f"{kind}Pooling{rank}D" for rank in (1, 2, 3))
    signature = _keras(names, "pooling", *_POOL)
    return replace(
        signature,
        required=("pool_size",) if kind == "Average" else (),
        aliases={f"{alias}Pool{rank}D": f"{kind}Pooling{rank}D" for rank in (1, 2, 3)},
    )


def _keras_global(kind: str, alias: str) -> Signature:
    names = tuple(f"Global{kind}Pooling{rank}D" for rank in (1, 2, 3))
    signature = _keras(
        names,
        "global_pooling",
        Param("data_format", "text", shapes=True),
        Param("keepdims", "bool", shapes=True),
    )
    return replace(
        signature,
        aliases={f"Global{alias}Pool{rank}D": f"Global{kind}Pooling{rank}D" for rank in (1, 2, 3)},
    )


_INPLACE = Param("inplace", "bool")
SIGNATURES = (
    _keras(
        ("Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"),
        "dropout",
        Param("rate"),
    ),
    # keras/src/layers/regularization: noise layers keep the shape as dropout does
    _keras(("GaussianNoise",), "dropout", Param("stddev")),
    _keras(("GaussianDropout",), "dropout", Param("rate")),
    _keras(("AlphaDropout",), "dropout", Param("rate"), Param("noise_shape")),
    _keras(("Activation",), "activation", Param("activation")),
    # keras/src/layers/activations
    _keras(("LeakyReLU",), "activation", Param("negative_slope")),
    _keras(("ELU",), "activation", Param("alpha")),
    _keras(
        ("ReLU",), "activation", Param("max_value"), Param("negative_slope"), Param("threshold")
    ),
    _keras(("Softmax",), "activation", Param("axis")),
    _keras(("Flatten",), "flatten", Param("data_format", "text", shapes=True)),
    _keras(("Reshape",), "reshape", Param("target_shape", "sizes", shapes=True)),
    _keras(("RepeatVector",), "repeat", Param("n", "int", shapes=True)),
    _keras_pools("Max", "Max"),
    _keras_pools("Average", "Avg"),
    _keras_global("Max", "Max"),
    _keras_global("Average", "Avg"),
    _pytorch(("Dropout", "Dropout1d", "Dropout2d", "Dropout3d"), "dropout", Param("p"), _INPLACE),
    _pytorch(("AlphaDropout", "FeatureAlphaDropout"), "dropout", Param("p"), _INPLACE),
    # torch/nn/modules/activation.py, each family with its own parameters in order
    _pytorch(
        ("ReLU", "ReLU6", "SELU", "SiLU", "Mish", "Hardswish", "Hardsigmoid"),
        "activation",
        _INPLACE,
    ),
    _pytorch(("Tanh", "Sigmoid", "Softsign", "Tanhshrink", "LogSigmoid"), "activation"),
    _pytorch(("GELU",), "activation", Param("approximate", "text")),
    _pytorch(("LeakyReLU",), "activation", Param("negative_slope"), _INPLACE),
    _pytorch(("ELU", "CELU"), "activation", Param("alpha"), _INPLACE),
    _pytorch(("Softmax", "LogSoftmax", "Softmin"), "activation", Param("dim")),
    _pytorch(("Softplus",), "activation", Param("beta"), Param("threshold")),
    _pytorch(("Hardshrink", "Softshrink"), "activation", Param("lambd")),
    _pytorch(
        ("Hardtanh",),
        "activation",
        Param("min_val"),
        Param("max_val"),
        _INPLACE,
        Param("min_value"),
        Param("max_value"),
    ),
    _pytorch(("Threshold",), "activation", Param("threshold"), Param("value"), _INPLACE),
    _pytorch(("RReLU",), "activation", Param("lower"), Param("upper"), _INPLACE),
    # nn.Identity(*args, **kwargs) takes anything and ignores it
    replace(_pytorch(("Identity",), "activation"), ignores_arguments=True),
    _pytorch(
        ("Flatten",),
        "flatten",
        Param("start_dim", "int", shapes=True),
        Param("end_dim", "int", shapes=True),
    ),
    # torch/nn/modules/pooling.py: the two families order their parameters differently
    _pytorch(
        ("MaxPool1d", "MaxPool2d", "MaxPool3d"),
        "pooling",
        Param("kernel_size", "sizes", shapes=True),
        Param("stride", "sizes", shapes=True),
        Param("padding", "sizes", shapes=True),
        Param("dilation", "sizes", shapes=True),
        Param("return_indices", "bool"),  # (output, indices): torchinfo shows the output
        Param("ceil_mode", "bool", shapes=True),
    ),
    _pytorch(
        ("AvgPool1d", "AvgPool2d", "AvgPool3d"),
        "pooling",
        Param("kernel_size", "sizes", shapes=True),
        Param("stride", "sizes", shapes=True),
        Param("padding", "sizes", shapes=True),
        Param("ceil_mode", "bool", shapes=True),
        Param("count_include_pad", "bool"),
        Param("divisor_override"),
    ),
)


def _known(sizes: tuple[int | None, ...]) -> int | None:
    return None if any(n is None for n in sizes) else math.prod(n for n in sizes if n is not None)


class Shaping(SimpleKind[ShapingSpec]):
    name = "layer without weights"
    cells: ClassVar[tuple[str, ...]] = (
        "dropout",
        "activation",
        "flatten",
        "reshape",
        "repeat",
        "pooling",
        "global_pooling",
    )
    options: ClassVar[tuple[str, ...]] = ("layer_type", "framework", "timesteps", "dtype")
    signatures: ClassVar[tuple[Signature, ...]] = SIGNATURES

    def parse(self, cell: str, raw: Mapping[str, object], default_framework: str) -> ShapingSpec:
        framework = read_framework(raw, default_framework)
        check_framework(framework, "Shaping")
        layer = raw.get("layer_type", cell)
        return ShapingSpec(cell, str(layer), framework, read_timesteps(raw), read_dtype(raw))

    def display_name(self, spec: ShapingSpec) -> str:
        return spec.layer

    def expression(self, spec: ShapingSpec) -> Expr:
        return Copies((), Num(0))  # no weights

    def option_help(self) -> dict[str, str]:
        return {"layer_type": "a layer without weights: its class, such as Dropout or Flatten"}

    def input_width(
        self, cell: str, shape: Shape, call: Mapping[str, object], framework: FrameworkName
    ) -> int | None:
        return None  # reads nothing into weights

    def output_shape(self, spec: ShapingSpec, shape: Shape, call: Mapping[str, object]) -> Shape:
        cell, batch = spec.cell, shape[:1]
        if cell in ("dropout", "activation"):
            return shape
        if cell == "flatten":
            start = int(str(call.get("start_dim", 1)))
            end = int(str(call.get("end_dim", -1))) % len(shape)
            return (*shape[:start], _known(shape[start : end + 1]), *shape[end + 1 :])
        if cell == "repeat":
            check_keras_ndim(2, shape, "(batch, features)")
            return (*batch, _repeats(call.get("n")), *shape[1:])
        if cell == "reshape":
            return (*batch, *_reshaped(shape[1:], call.get("target_shape")))
        if cell == "global_pooling":
            # keras/src/layers/pooling/base_global_pooling.py: the channels stay, and with
            # keepdims every other axis as 1
            first = call.get("data_format") == "channels_first"
            ones = (1,) * (len(shape) - 2) if call.get("keepdims") else ()
            return (*batch, shape[1], *ones) if first else (*batch, *ones, shape[-1])
        return self._pooled(spec, shape, call)

    def _pooled(self, spec: ShapingSpec, shape: Shape, call: Mapping[str, object]) -> Shape:
        family = _family(spec.layer)
        if spec.framework == "pytorch":
            return _torch_pooled(shape, call, family)
        first = call.get("data_format") == "channels_first"
        space = shape[2:] if first else shape[1:-1]
        rank = len(space)
        window = window_sizes("pool_size", call.get("pool_size", 2), rank, "keras", family)
        given = call.get("strides")
        strides = window if given is None else window_sizes("strides", given, rank, "keras", family)
        padding = str(call.get("padding", "valid")).lower()
        out = tuple(
            slid(n, k, s, 1, padding, "keras", family)
            for n, k, s in zip(space, window, strides, strict=True)
        )
        return (shape[0], shape[1], *out) if first else (shape[0], *out, shape[-1])


def _family(layer: str) -> Family:
    """MaxPooling1D, nn.MaxPool2d: a max pooling; AveragePooling1D, nn.AvgPool1d: an average."""
    return "max_pool" if layer.startswith("Max") else "avg_pool"


def _torch_pooled(shape: Shape, call: Mapping[str, object], family: Family) -> Shape:
    """nn.MaxPool/AvgPool over (batch, channels, *space): ATen's pooling_output_shape
    (torch/include/ATen/native/Pool.h), floor((n + 2p - d(k - 1) - 1 [+ s - 1 with
    ceil_mode]) / s) + 1, less one if ceil_mode would start the last window past the input
    and its left padding."""
    space = shape[2:]
    rank = len(space)
    window = window_sizes("kernel_size", call.get("kernel_size", 2), rank, "pytorch", family)
    given = call.get("stride")
    strides = window if given is None else window_sizes("stride", given, rank, "pytorch", family)
    pads = torch_padding(call.get("padding", 0), rank)
    dilations = window_sizes("dilation", call.get("dilation", 1), rank, "pytorch", family)
    ceil = bool(call.get("ceil_mode", False))
    out: list[int | None] = []
    for n, k, s, p, d in zip(space, window, strides, pads, dilations, strict=True):
        if 2 * p > k:
            raise refused_by(
                "pytorch",
                f"padding={p} is more than half its window of {k}",
                "padding should be at most half of kernel size",
            )
        if n is None:
            out.append(None)
            continue
        size = (n + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil else 0)) // s + 1
        if ceil and (size - 1) * s >= n + p:
            size -= 1
        if size < 1:  # refused, in the words of a window that leaves no position
            slid(n, k, s, d, p, "pytorch", family)
        out.append(size)
    return (shape[0], shape[1], *out)


def _repeats(value: object) -> int:
    """RepeatVector's n: a whole number above 0, up to the largest size we follow."""
    given_sizes(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise refused_by("keras", f"n={describe(value)} is not a whole number")
    if value < 1:
        says = "Argument `n` should be a positive integer"
        raise refused_by("keras", f"n={describe(value)} is not above 0", says)
    if value > MAX_SIZE:
        raise NotFollowed(f"n={describe(value)} is more than {MAX_SIZE:,}, the most we follow")
    return value


def _reshaped(shape: Shape, target: object) -> Shape:
    """Keras' Reshape: the target shape, one -1 standing for what is left
    (keras/src/ops/operation_utils.py, validate_reshape_shape, compute_reshape_output_shape)."""
    sizes = tuple(target) if isinstance(target, tuple | list) else (target,)
    given_sizes(sizes)
    shown = "Reshape((" + ", ".join(describe(n) for n in sizes) + "))"
    if any(not isinstance(n, int) or isinstance(n, bool) for n in sizes):
        raise refused_by("keras", f"{shown}: not a shape")
    if any(n < -1 for n in sizes):
        says = "Each dimension in `target_shape` must be a non-negative integer"
        raise refused_by("keras", f"{shown}: a size below -1", says)
    if sizes.count(-1) > 1:
        says = "There must be at most one unknown dimension (-1) in `target_shape`"
        raise refused_by("keras", f"{shown}: two sizes left to fill", says)
    known = _known(shape)
    rest = math.prod(n for n in sizes if n != -1)
    if known is not None and -1 not in sizes and rest != known:
        says = "The total size of the tensor must be unchanged"
        raise refused_by("keras", f"{shown}: {_values(known)} do not fill it", says)
    if known is not None and -1 in sizes and (rest == 0 or known % rest):
        says = "the input size cannot by divided by the specified dimensions"
        raise refused_by("keras", f"{shown}: {_values(known)} do not divide by its sizes", says)
    if any(n > MAX_SIZE for n in sizes):
        raise NotFollowed(f"{shown}: a size more than {MAX_SIZE:,}, the most we follow")
    fill = None if known is None else known // rest
    return tuple(fill if n == -1 else n for n in sizes)


def _values(count: int) -> str:
    if count.bit_length() > 64:
        return f"{describe(count)} values"
    return "1 value" if count == 1 else f"{count:,} values"


SHAPING = Shaping()
