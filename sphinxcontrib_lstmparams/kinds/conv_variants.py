"""The other convolutions: transposed (Keras ``Conv1DTranspose/2D/3D``, PyTorch
``nn.ConvTranspose1d/2d/3d``), depthwise (Keras ``DepthwiseConv1D/2D``) and separable (Keras
``SeparableConv1D/2D``).

A transposed convolution has the weights of the convolution it reverses, ``(K × c + 1) × f``
(PyTorch stores them as ``(in, out / groups, *kernel)``, Keras as ``(*kernel, filters, in)``);
only its output grows instead of shrinking. A depthwise one gives each input channel its own
``m`` filters, ``(K + 1) × c × m``; a separable one follows that with a 1 × 1 convolution to
``f`` filters, ``K × c × m + (c × m + 1) × f``. Recorded in ``tests/data/layer_kinds.json``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from ..expression import Add, Expr, Mul, Num, Sym, Symbol, Where, labelled
from ..frameworks import refuse
from ..numbers import NumberStyle
from ..options import describe, parse_bool, parse_int, required
from ..signatures import KERAS, PYTORCH, Param, Signature, dtype_of
from ..spec import DType, FrameworkName, Gettext, Shape
from .common import read_dtype, read_framework, read_timesteps
from .conv import Conv, ConvSpec
from .convlstm import TIMES, parse_sizes
from .named import NamedKind, Stored
from .recurrent_constructors import KERAS_NEUTRAL
from .simple import check_framework
from .windows import slid

TRANSPOSED = {"conv1d_transpose": 1, "conv2d_transpose": 2, "conv3d_transpose": 3}
DEPTHWISE = {"depthwise_conv1d": 1, "depthwise_conv2d": 2}
SEPARABLE = {"separable_conv1d": 1, "separable_conv2d": 2}
_KERAS_CONV_NEUTRAL = KERAS_NEUTRAL | {
    "depthwise_initializer",
    "pointwise_initializer",
    "depthwise_regularizer",
    "pointwise_regularizer",
    "depthwise_constraint",
    "pointwise_constraint",
}


def _keras_transposed(rank: int) -> Signature:
    name = f"Conv{rank}DTranspose"
    # keras/src/layers/convolutional/conv{1,2,3}d_transpose.py: Conv3DTranspose puts
    # data_format before output_padding, the others after
    middle = (
        (Param("data_format", "text", shapes=True), Param("output_padding", "sizes", shapes=True))
        if rank == 3
        else (
            Param("output_padding", "sizes", shapes=True),
            Param("data_format", "text", shapes=True),
        )
    )
    return Signature(
        framework="keras",
        classes=(name,),
        fixed={name: {"cell": f"conv{rank}d_transpose"}},
        prefixes=KERAS,
        positional=(
            Param("filters", "int", "units"),
            Param("kernel_size", "sizes", "kernel_size"),
            Param("strides", "sizes", shapes=True),
            Param("padding", "text", shapes=True),
            *middle,
            Param("dilation_rate", "sizes", shapes=True),
            Param("activation", "text"),
            Param("use_bias", "bool", "bias"),
        ),
        keyword_only=(Param("dtype", "any", dtype_of),),
        required=("filters", "kernel_size"),
        neutral=KERAS_NEUTRAL,
        aliases={f"Convolution{rank}DTranspose": name},
    )


def _pytorch_transposed(rank: int) -> Signature:
    name = f"ConvTranspose{rank}d"
    return Signature(
        framework="pytorch",
        classes=(name,),
        fixed={name: {"cell": f"conv{rank}d_transpose"}},
        prefixes=PYTORCH,
        # torch/nn/modules/conv.py ConvTranspose{1,2,3}d: output_padding and groups come
        # before bias, dilation after it
        positional=(
            Param("in_channels", "int", "input_dim"),
            Param("out_channels", "int", "units"),
            Param("kernel_size", "sizes", "kernel_size"),
            Param("stride", "sizes", shapes=True),
            Param("padding", "sizes", shapes=True),
            Param("output_padding", "sizes", shapes=True),
            Param("groups", "int", "groups"),
            Param("bias", "bool", "bias"),
            Param("dilation", "sizes", shapes=True),
            Param("padding_mode", "text"),
        ),
        keyword_only=(Param("device"), Param("dtype", "any", dtype_of)),
        required=("in_channels", "out_channels", "kernel_size"),
    )


class ConvTranspose(NamedKind[ConvSpec]):
    name = "ConvTranspose"
    cells: ClassVar[tuple[str, ...]] = tuple(TRANSPOSED)
    options: ClassVar[tuple[str, ...]] = Conv.options
    signatures: ClassVar[tuple[Signature, ...]] = (
        *(_keras_transposed(rank) for rank in (1, 2, 3)),
        *(_pytorch_transposed(rank) for rank in (1, 2, 3)),
    )

    def parse(self, cell: str, raw: Mapping[str, object], default_framework: str) -> ConvSpec:
        framework = read_framework(raw, default_framework)
        check_framework(framework, "Convolution")
        spec = ConvSpec(
            cell,
            parse_int("units", required(raw, "units"), 1),
            parse_int("input_dim", required(raw, "input_dim"), 1),
            parse_sizes("kernel_size", required(raw, "kernel_size"), TRANSPOSED[cell]),
            framework,
            parse_bool("bias", raw.get("bias", True)),
            parse_int("groups", raw.get("groups", 1), 1),
            read_timesteps(raw),
            read_dtype(raw),
        )
        if spec.groups > 1 and framework == "keras":
            raise refuse("groups", "Keras' transposed convolutions have no groups")
        if spec.input_dim % spec.groups or spec.units % spec.groups:
            raise refuse("groups", f"{spec.groups} does not divide the channels and filters")
        return spec

    def display_name(self, spec: ConvSpec) -> str:
        rank = TRANSPOSED[spec.cell]
        return f"ConvTranspose{rank}d" if spec.framework == "pytorch" else f"Conv{rank}DTranspose"

    def expression(self, spec: ConvSpec) -> Expr:
        """(K × c + 1) × f, as the convolution it reverses."""
        return _conv_expression(spec)

    def describe(self, spec: ConvSpec, _: Gettext, numbers: NumberStyle) -> list[str]:
        return _conv_describe(spec, _, numbers)

    def symbols(self, spec: ConvSpec, _: Gettext) -> list[Symbol]:
        return _conv_symbols(spec, _)

    def option_help(self) -> dict[str, str]:
        return Conv().option_help()

    def stored(self, spec: ConvSpec) -> tuple[Stored, ...]:
        kernel = spec.kernel_size
        if spec.framework == "pytorch":
            weight = Stored(
                "weight",
                (spec.input_dim, spec.units // spec.groups, *kernel),
                (Where(kind="input_weights"),),
            )
        else:
            weight = Stored(
                "kernel", (*kernel, spec.units, spec.input_dim), (Where(kind="input_weights"),)
            )
        bias = Stored("bias", (spec.units,), (Where(kind="bias"),))
        return (weight, bias) if spec.bias else (weight,)

    def input_width(
        self, cell: str, shape: Shape, call: Mapping[str, object], framework: FrameworkName
    ) -> int | None:
        return _channels(shape, call, framework)

    def first_input(self, spec: ConvSpec, cls: str) -> tuple[Shape, str]:
        return _first_input(spec.framework, TRANSPOSED[spec.cell], spec.input_dim)

    def output_shape(self, spec: ConvSpec, shape: Shape, call: Mapping[str, object]) -> Shape:
        """Keras (keras/src/backend/common/backend_utils.py, compute_conv_transpose_output_
        shape): valid, (n - 1)s + K' + output_padding with K' = d(k - 1) + 1 and
        output_padding max(K', s) - K' when not given; same, n·s, or (n - 1)s + K' mod 2 +
        output_padding when given. PyTorch (nn.ConvTranspose docs): (n - 1)s - 2p + d(k - 1)
        + output_padding + 1."""
        rank = TRANSPOSED[spec.cell]
        pytorch = spec.framework == "pytorch"
        first = pytorch or call.get("data_format") == "channels_first"
        space = shape[2 : 2 + rank] if first else shape[1 : 1 + rank]
        strides = parse_sizes("strides", call.get("stride" if pytorch else "strides", 1), rank)
        dilation = parse_sizes(
            "dilation_rate", call.get("dilation" if pytorch else "dilation_rate", 1), rank
        )
        extra = call.get("output_padding")
        extras = None if extra is None else _zero_or_more("output_padding", extra, rank)
        out: list[int | None] = []
        if pytorch:
            pads = _zero_or_more("padding", call.get("padding", 0), rank)
            for i, n in enumerate(space):
                k, s, d = spec.kernel_size[i], strides[i], dilation[i]
                more = extras[i] if extras else 0
                out.append(
                    None if n is None else (n - 1) * s - 2 * pads[i] + d * (k - 1) + more + 1
                )
        else:
            padding = str(call.get("padding", "valid")).lower()
            for i, n in enumerate(space):
                span = (spec.kernel_size[i] - 1) * dilation[i] + 1
                s = strides[i]
                if n is None:
                    out.append(None)
                elif padding == "valid":
                    more = max(span, s) - span if extras is None else extras[i]
                    out.append((n - 1) * s + span + more)
                elif extras is None:
                    out.append(n * s)
                else:
                    out.append((n - 1) * s + span % 2 + extras[i])
        return (shape[0], spec.units, *out) if first else (shape[0], *out, spec.units)


def _zero_or_more(option: str, value: object, rank: int) -> tuple[int, ...]:
    """Sizes that may be 0 (padding, output_padding): one number is every axis."""
    given = tuple(value) if isinstance(value, tuple | list) else (value,) * rank
    sizes = tuple(n for n in given if isinstance(n, int) and not isinstance(n, bool) and n >= 0)
    if len(sizes) != rank or len(given) != rank:
        raise refuse(option.replace("_", "-"), f"{describe(value)} is not {rank} sizes")
    return sizes


def _conv_expression(spec: ConvSpec) -> Expr:
    kernel = Sym("K", math.prod(spec.kernel_size), spec.kernel_size)
    channels = Sym("c", spec.input_dim // spec.groups)
    weights = labelled(Mul((kernel, channels)), kind="input_weights")
    inputs: Expr = Add((weights, labelled(Num(1), kind="bias"))) if spec.bias else weights
    filters = Sym("f", spec.units)
    return labelled(Mul((inputs, filters)), layer=1, direction="forward", gate="layer")


def _kernel_words(kernel: tuple[int, ...]) -> str:
    return f" {TIMES} ".join(map(str, kernel))


def _conv_describe(spec: ConvSpec, _: Gettext, numbers: NumberStyle) -> list[str]:
    parts = [
        _("{filters} filters").format(filters=numbers.count(spec.units)),
        _("{channels} input channels").format(channels=numbers.count(spec.input_dim)),
        _("kernel {kernel}").format(kernel=_kernel_words(spec.kernel_size)),
    ]
    if spec.groups > 1:
        parts.append(_("{groups} groups").format(groups=numbers.count(spec.groups)))
    return parts if spec.bias else [*parts, _("no bias")]


def _conv_symbols(spec: ConvSpec, _: Gettext) -> list[Symbol]:
    return [
        Symbol(
            "K",
            math.prod(spec.kernel_size),
            _("{symbol} = {value} kernel positions ({kernel})").replace(
                "{kernel}", _kernel_words(spec.kernel_size)
            ),
        ),
        Symbol("c", spec.input_dim // spec.groups, _("{symbol} = {value} input channels")),
        Symbol("f", spec.units, _("{symbol} = {value} filters")),
    ]


def _channels(shape: Shape, call: Mapping[str, object], framework: FrameworkName) -> int | None:
    first = framework == "pytorch" or call.get("data_format") == "channels_first"
    return shape[1 if first else -1] if len(shape) > 1 else None


def _first_input(framework: FrameworkName, rank: int, channels: int) -> tuple[Shape, str]:
    space = (None,) * rank
    shape = (channels, *space) if framework == "pytorch" else (*space, channels)
    return (None, *shape), "float32"


def _spatial_output(
    shape: Shape, call: Mapping[str, object], kernel: tuple[int, ...], channels: int
) -> Shape:
    """A Keras convolution's output: valid or same positions per axis, ``channels`` deep; a
    window longer than its input is refused, as Keras refuses it."""
    rank = len(kernel)
    first = call.get("data_format") == "channels_first"
    space = shape[2 : 2 + rank] if first else shape[1 : 1 + rank]
    strides = parse_sizes("strides", call.get("strides", 1), rank)
    dilation = parse_sizes("dilation_rate", call.get("dilation_rate", 1), rank)
    padding = str(call.get("padding", "valid")).lower()
    out = tuple(
        slid(n, k, s, d, padding, "keras", "conv")
        for n, k, s, d in zip(space, kernel, strides, dilation, strict=True)
    )
    return (shape[0], channels, *out) if first else (shape[0], *out, channels)


# -- depthwise and separable (Keras) ---------------------------------------------------------------


@dataclass(frozen=True)
class SeparableSpec:
    cell: str
    input_dim: int  # input channels
    kernel_size: tuple[int, ...]
    depth_multiplier: int = 1
    units: int = 0  # separable: the pointwise filters; depthwise: none
    framework: FrameworkName = "keras"
    bias: bool = True
    timesteps: int | None = None
    dtype: DType = "float32"


def _keras_depthwise(rank: int) -> Signature:
    name = f"DepthwiseConv{rank}D"
    return Signature(
        framework="keras",
        classes=(name,),
        fixed={name: {"cell": f"depthwise_conv{rank}d"}},
        prefixes=KERAS,
        positional=(
            Param("kernel_size", "sizes", "kernel_size"),
            Param("strides", "sizes", shapes=True),
            Param("padding", "text", shapes=True),
            Param("depth_multiplier", "int", "depth_multiplier"),
            Param("data_format", "text", shapes=True),
            Param("dilation_rate", "sizes", shapes=True),
            Param("activation", "text"),
            Param("use_bias", "bool", "bias"),
        ),
        keyword_only=(Param("dtype", "any", dtype_of),),
        required=("kernel_size",),
        neutral=_KERAS_CONV_NEUTRAL,
    )


def _keras_separable(rank: int) -> Signature:
    name = f"SeparableConv{rank}D"
    return Signature(
        framework="keras",
        classes=(name,),
        fixed={name: {"cell": f"separable_conv{rank}d"}},
        prefixes=KERAS,
        positional=(
            Param("filters", "int", "units"),
            Param("kernel_size", "sizes", "kernel_size"),
            Param("strides", "sizes", shapes=True),
            Param("padding", "text", shapes=True),
            Param("data_format", "text", shapes=True),
            Param("dilation_rate", "sizes", shapes=True),
            Param("depth_multiplier", "int", "depth_multiplier"),
            Param("activation", "text"),
            Param("use_bias", "bool", "bias"),
        ),
        keyword_only=(Param("dtype", "any", dtype_of),),
        required=("filters", "kernel_size"),
        neutral=_KERAS_CONV_NEUTRAL,
        aliases={f"SeparableConvolution{rank}D": name},
    )


class Separable(NamedKind[SeparableSpec]):
    """Keras' depthwise and separable convolutions."""

    name = "SeparableConv"
    cells: ClassVar[tuple[str, ...]] = (*DEPTHWISE, *SEPARABLE)
    options: ClassVar[tuple[str, ...]] = (
        "units",
        "input_dim",
        "kernel_size",
        "depth_multiplier",
        "framework",
        "bias",
        "timesteps",
        "dtype",
    )
    signatures: ClassVar[tuple[Signature, ...]] = (
        *(_keras_depthwise(rank) for rank in (1, 2)),
        *(_keras_separable(rank) for rank in (1, 2)),
    )

    def parse(self, cell: str, raw: Mapping[str, object], default_framework: str) -> SeparableSpec:
        framework = read_framework(raw, default_framework)
        if framework != "keras":
            raise refuse(
                "framework",
                "depthwise and separable convolutions are Keras layers; in PyTorch they are "
                "nn.Conv with groups (depthwise) followed by a 1 × 1 nn.Conv",
            )
        rank = {**DEPTHWISE, **SEPARABLE}[cell]
        separable = cell in SEPARABLE
        if not separable and raw.get("units") is not None:
            raise refuse("units", "a depthwise convolution has depth-multiplier, not filters")
        return SeparableSpec(
            cell,
            parse_int("input_dim", required(raw, "input_dim"), 1),
            parse_sizes("kernel_size", required(raw, "kernel_size"), rank),
            parse_int("depth_multiplier", raw.get("depth_multiplier", 1), 1),
            parse_int("units", required(raw, "units"), 1) if separable else 0,
            framework,
            parse_bool("bias", raw.get("bias", True)),
            read_timesteps(raw),
            read_dtype(raw),
        )

    def display_name(self, spec: SeparableSpec) -> str:
        rank = {**DEPTHWISE, **SEPARABLE}[spec.cell]
        return f"SeparableConv{rank}D" if spec.units else f"DepthwiseConv{rank}D"

    def expression(self, spec: SeparableSpec) -> Expr:
        """Depthwise (K + 1) × c × m; separable K × c × m + (c × m + 1) × f."""
        kernel = Sym("K", math.prod(spec.kernel_size), spec.kernel_size)
        c, m = Sym("c", spec.input_dim), Sym("m", spec.depth_multiplier)
        if not spec.units:
            weights = labelled(kernel, kind="input_weights")
            inputs: Expr = Add((weights, labelled(Num(1), kind="bias"))) if spec.bias else weights
            return labelled(Mul((inputs, c, m)), layer=1, direction="forward", gate="depthwise")
        depthwise = labelled(Mul((kernel, c, m)), gate="depthwise", kind="input_weights")
        pointwise_in = labelled(Mul((c, m)), kind="input_weights")
        pointwise: Expr = (
            Add((pointwise_in, labelled(Num(1), kind="bias"))) if spec.bias else pointwise_in
        )
        point = labelled(Mul((pointwise, Sym("f", spec.units))), gate="pointwise")
        return labelled(Add((depthwise, point)), layer=1, direction="forward")

    def describe(self, spec: SeparableSpec, _: Gettext, numbers: NumberStyle) -> list[str]:
        parts = (
            [_("{filters} filters").format(filters=numbers.count(spec.units))] if spec.units else []
        )
        parts += [
            _("{channels} input channels").format(channels=numbers.count(spec.input_dim)),
            _("kernel {kernel}").format(kernel=_kernel_words(spec.kernel_size)),
        ]
        if spec.depth_multiplier > 1:
            parts.append(
                _("depth multiplier {multiplier}").format(multiplier=spec.depth_multiplier)
            )
        return parts if spec.bias else [*parts, _("no bias")]

    def symbols(self, spec: SeparableSpec, _: Gettext) -> list[Symbol]:
        symbols = [
            Symbol(
                "K",
                math.prod(spec.kernel_size),
                _("{symbol} = {value} kernel positions ({kernel})").replace(
                    "{kernel}", _kernel_words(spec.kernel_size)
                ),
            ),
            Symbol("c", spec.input_dim, _("{symbol} = {value} input channels")),
            Symbol("m", spec.depth_multiplier, _("{symbol} = {value} filters per channel")),
        ]
        if spec.units:
            symbols.append(Symbol("f", spec.units, _("{symbol} = {value} filters")))
        return symbols

    def option_help(self) -> dict[str, str]:
        return {
            "depth_multiplier": "depthwise and separable convolutions: filters per input "
            "channel (default: 1)"
        }

    def stored(self, spec: SeparableSpec) -> tuple[Stored, ...]:
        c, m, kernel = spec.input_dim, spec.depth_multiplier, spec.kernel_size
        if not spec.units:  # keras/src/layers/convolutional/base_depthwise_conv.py, build
            weight = Stored("kernel", (*kernel, c, m), (Where(kind="input_weights"),))
            bias = Stored("bias", (c * m,), (Where(kind="bias"),))
            return (weight, bias) if spec.bias else (weight,)
        ones = (1,) * len(kernel)  # base_separable_conv.py, build
        return (
            Stored("depthwise_kernel", (*kernel, c, m), (Where(gate="depthwise"),)),
            Stored(
                "pointwise_kernel",
                (*ones, c * m, spec.units),
                (Where(gate="pointwise", kind="input_weights"),),
            ),
            *((Stored("bias", (spec.units,), (Where(kind="bias"),)),) if spec.bias else ()),
        )

    def input_width(
        self, cell: str, shape: Shape, call: Mapping[str, object], framework: FrameworkName
    ) -> int | None:
        return _channels(shape, call, framework)

    def first_input(self, spec: SeparableSpec, cls: str) -> tuple[Shape, str]:
        return _first_input(spec.framework, len(spec.kernel_size), spec.input_dim)

    def output_shape(self, spec: SeparableSpec, shape: Shape, call: Mapping[str, object]) -> Shape:
        channels = spec.units or spec.input_dim * spec.depth_multiplier
        return _spatial_output(shape, call, spec.kernel_size, channels)


CONV_TRANSPOSE = ConvTranspose()
SEPARABLE_CONV = Separable()
