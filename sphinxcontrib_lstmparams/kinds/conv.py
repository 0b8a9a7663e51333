"""Convolutions: Keras ``Conv1D/2D/3D``, PyTorch ``nn.Conv1d/2d/3d``: ``(K × c + 1) × filters``."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from ..expression import Add, Expr, Mul, Num, Sym, Symbol, labelled
from ..frameworks import refuse
from ..numbers import NumberStyle
from ..options import parse_bool, parse_int, required
from ..signatures import KERAS, PYTORCH, Param, Signature, dtype_of
from ..spec import DType, FrameworkName, Gettext, Shape
from .common import read_dtype, read_framework, read_timesteps
from .recurrent_constructors import KERAS_NEUTRAL
from .simple import SimpleKind, check_framework
from .windows import TIMES, slid, torch_padding, window_sizes

RANKS = {"conv1d": 1, "conv2d": 2, "conv3d": 3}


@dataclass(frozen=True)
class ConvSpec:
    cell: str
    units: int  # filters, out_channels
    input_dim: int  # input channels
    kernel_size: tuple[int, ...]
    framework: FrameworkName = "keras"
    bias: bool = True
    groups: int = 1
    timesteps: int | None = None
    dtype: DType = "float32"


def _keras(rank: int) -> Signature:
    name = f"Conv{rank}D"
    return Signature(
        framework="keras",
        classes=(name,),
        fixed={name: {"cell": f"conv{rank}d"}},
        prefixes=KERAS,
        positional=(
            Param("filters", "int", "units"),
            Param("kernel_size", "sizes", "kernel_size"),
            Param("strides", "sizes", shapes=True),
            Param("padding", "text", shapes=True),
            Param("data_format", "text", shapes=True),
            Param("dilation_rate", "sizes", shapes=True),
            Param("groups", "int", "groups"),
            Param("activation", "text"),
            Param("use_bias", "bool", "bias"),
        ),
        keyword_only=(Param("dtype", "any", dtype_of),),
        required=("filters", "kernel_size"),
        neutral=KERAS_NEUTRAL | {"lora_rank", "lora_alpha"},
        aliases={f"Convolution{rank}D": name},
    )


def _pytorch(rank: int) -> Signature:
    name = f"Conv{rank}d"
    return Signature(
        framework="pytorch",
        classes=(name,),
        fixed={name: {"cell": f"conv{rank}d"}},
        prefixes=PYTORCH,
        positional=(
            Param("in_channels", "int", "input_dim"),
            Param("out_channels", "int", "units"),
            Param("kernel_size", "sizes", "kernel_size"),
            Param("stride", "sizes", shapes=True),
            Param("padding", "any", shapes=True),
            Param("dilation", "sizes", shapes=True),
            Param("groups", "int", "groups"),
            Param("bias", "bool", "bias"),
            Param("padding_mode", "text"),
        ),
        keyword_only=(Param("device"), Param("dtype", "any", dtype_of)),
        required=("in_channels", "out_channels", "kernel_size"),
    )


class Conv(SimpleKind[ConvSpec]):
    name = "Conv"
    cells: ClassVar[tuple[str, ...]] = tuple(RANKS)
    options: ClassVar[tuple[str, ...]] = (
        "units",
        "input_dim",
        "kernel_size",
        "framework",
        "bias",
        "groups",
        "timesteps",
        "dtype",
    )
    signatures: ClassVar[tuple[Signature, ...]] = (
        *(_keras(rank) for rank in (1, 2, 3)),
        *(_pytorch(rank) for rank in (1, 2, 3)),
    )

    def parse(self, cell: str, raw: Mapping[str, object], default_framework: str) -> ConvSpec:
        framework = read_framework(raw, default_framework)
        check_framework(framework, "Convolution")
        spec = ConvSpec(
            cell,
            parse_int("units", required(raw, "units"), 1),
            parse_int("input_dim", required(raw, "input_dim"), 1),
            window_sizes(
                "kernel_size", required(raw, "kernel_size"), RANKS[cell], framework, "conv"
            ),
            framework,
            parse_bool("bias", raw.get("bias", True)),
            parse_int("groups", raw.get("groups", 1), 1),
            read_timesteps(raw),
            read_dtype(raw),
        )
        if spec.input_dim % spec.groups or spec.units % spec.groups:
            raise refuse("groups", f"{spec.groups} does not divide the channels and filters")
        return spec

    def display_name(self, spec: ConvSpec) -> str:
        rank = RANKS[spec.cell]
        return f"Conv{rank}d" if spec.framework == "pytorch" else f"Conv{rank}D"

    def expression(self, spec: ConvSpec) -> Expr:
        """(K × c + 1) × f: a kernel of K positions over c channels per filter, and a bias."""
        kernel = Sym("K", math.prod(spec.kernel_size), spec.kernel_size)
        channels = Sym("c", spec.input_dim // spec.groups)
        weights = labelled(Mul((kernel, channels)), kind="input_weights")
        inputs: Expr = Add((weights, labelled(Num(1), kind="bias"))) if spec.bias else weights
        filters = Sym("f", spec.units)
        return labelled(Mul((inputs, filters)), layer=1, direction="forward", gate="layer")

    def describe(self, spec: ConvSpec, _: Gettext, numbers: NumberStyle) -> list[str]:
        kernel = f" {TIMES} ".join(map(str, spec.kernel_size))
        parts = [
            _("{filters} filters").format(filters=numbers.count(spec.units)),
            _("{channels} input channels").format(channels=numbers.count(spec.input_dim)),
            _("kernel {kernel}").format(kernel=kernel),
        ]
        if spec.groups > 1:
            parts.append(_("{groups} groups").format(groups=numbers.count(spec.groups)))
        return parts if spec.bias else [*parts, _("no bias")]

    def symbols(self, spec: ConvSpec, _: Gettext) -> list[Symbol]:
        kernel = f" {TIMES} ".join(map(str, spec.kernel_size))
        return [
            Symbol(
                "K",
                math.prod(spec.kernel_size),
                _("{symbol} = {value} kernel positions ({kernel})").replace("{kernel}", kernel),
            ),
            Symbol("c", spec.input_dim // spec.groups, _("{symbol} = {value} input channels")),
            Symbol("f", spec.units, _("{symbol} = {value} filters")),
        ]

    def input_width(
        self, cell: str, shape: Shape, call: Mapping[str, object], framework: FrameworkName
    ) -> int | None:
        channels_first = framework == "pytorch" or call.get("data_format") == "channels_first"
        return shape[1 if channels_first else -1] if len(shape) > 1 else None

    def option_help(self) -> dict[str, str]:
        return {"groups": "convolution: channel groups, each with its own filters (default: 1)"}

    def first_input(self, spec: ConvSpec, cls: str) -> tuple[Shape, str]:
        space = (None,) * RANKS[spec.cell]
        channels = (spec.input_dim,)
        shape = (*channels, *space) if spec.framework == "pytorch" else (*space, *channels)
        return (None, *shape), "float32"

    def output_shape(self, spec: ConvSpec, shape: Shape, call: Mapping[str, object]) -> Shape:
        """Keras: (batch, *space, channels); PyTorch, and Keras with
        data_format="channels_first": (batch, channels, *space)."""
        rank = RANKS[spec.cell]
        framework = spec.framework
        pytorch = framework == "pytorch"
        channels_first = pytorch or call.get("data_format") == "channels_first"
        space = shape[2 : 2 + rank] if channels_first else shape[1 : 1 + rank]
        stride, dilation = ("stride", "dilation") if pytorch else ("strides", "dilation_rate")
        strides = window_sizes(stride, call.get(stride, 1), rank, framework, "conv")
        dilations = window_sizes(dilation, call.get(dilation, 1), rank, framework, "conv")
        padding = call.get("padding", 0 if pytorch else "valid")
        pads: Sequence[object]
        if isinstance(padding, str):
            pads = [padding.lower()] * rank
        else:
            pads = torch_padding(padding, rank) if pytorch else [padding] * rank
        out = tuple(
            slid(n, k, s, d, p if isinstance(p, str) else int(str(p)), framework, "conv")
            for n, k, s, d, p in zip(space, spec.kernel_size, strides, dilations, pads, strict=True)
        )
        return (shape[0], spec.units, *out) if channels_first else (shape[0], *out, spec.units)


CONV = Conv()
