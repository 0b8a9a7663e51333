"""Convolutional LSTM layers: Keras ``ConvLSTM1D/2D/3D`` and Flax linen ``ConvLSTMCell``.

An LSTM whose input and recurrent products are convolutions: each gate has a kernel of shape
``kernel_size × input channels × filters`` over the input and one of ``kernel_size × filters ×
filters`` over the hidden state. Padding, strides and dilation change the size of the output
(and so the multiply-accumulates), never the count: the recorded layers prove it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal, get_args

from ..expression import Add, Copies, Expr, Mul, Num, Square, Sym, Symbol, Where, labelled
from ..frameworks import FRAMEWORKS, check_keras_ndim, refuse
from ..numbers import NumberStyle
from ..options import describe, parse_bool, parse_int, parse_literal, required
from ..signatures import FLAX_LINEN, KERAS, Param, Signature, dtype_of
from ..spec import (
    DIRECTIONS,
    DType,
    FrameworkName,
    Gate,
    Gettext,
    MergeMode,
    Shape,
    Tensor,
    TensorKind,
)
from ..table import Rows, Table
from .base import LayerKind
from .common import common_help, read_dtype, read_framework, read_timesteps
from .recurrent import MERGE_MODES, gate_table

# the window arithmetic lived here first: other kinds still import these names from here
from .windows import TIMES as TIMES
from .windows import conv_output_size as conv_output_size
from .windows import parse_sizes as parse_sizes
from .windows import slid

ConvCell = Literal["convlstm1d", "convlstm2d", "convlstm3d"]
CELLS: tuple[ConvCell, ...] = get_args(ConvCell)
RANK: dict[ConvCell, int] = {"convlstm1d": 1, "convlstm2d": 2, "convlstm3d": 3}
Padding = Literal["valid", "same"]
PADDINGS: tuple[Padding, ...] = get_args(Padding)


@dataclass(frozen=True)
class ConvFacts:
    """What one framework's ConvLSTM is, as recorded from its real layers."""

    api: str  # what the reader knows it as
    gates: tuple[Gate, ...]  # the order of the slices of its kernels
    biases: tuple[TensorKind, ...]  # per gate
    padding: Padding  # its default
    dilation: bool  # whether it takes a dilation rate


# Keras 3 and tf.keras: kernel [*k, c, 4f], recurrent_kernel [*k, f, 4f], bias [4f].
# Flax linen: ih and hh convolutions, each with a bias; gates i, g, f, o; no dilation.
CONV_FRAMEWORKS: dict[FrameworkName, ConvFacts] = {
    "keras": ConvFacts(
        "ConvLSTM{rank}D", ("input", "forget", "cell", "output"), ("bias",), "valid", True
    ),
    "flax": ConvFacts(
        "ConvLSTMCell",
        ("input", "cell", "forget", "output"),
        ("input_bias", "recurrent_bias"),
        "same",
        False,
    ),
}


@dataclass(frozen=True)
class ConvLSTMSpec:
    """A ConvLSTM layer as one framework would build it."""

    cell: ConvCell
    units: int  # filters (Keras), features (Flax)
    input_dim: int  # input channels
    kernel_size: tuple[int, ...]
    framework: FrameworkName = "keras"
    bidirectional: bool = False
    bias: bool = True
    merge_mode: MergeMode = "concat"
    padding: Padding = "valid"
    strides: tuple[int, ...] = ()
    dilation_rate: tuple[int, ...] = ()
    input_shape: tuple[int, ...] | None = None  # spatial size, for multiply-accumulates
    timesteps: int | None = None
    dtype: DType = "float32"

    @property
    def directions(self) -> int:
        return 2 if self.bidirectional else 1

    @property
    def kernel_positions(self) -> int:
        return math.prod(self.kernel_size)


def _input_shape(value: object, rank: int) -> tuple[tuple[int, ...], int | None, int | None]:
    """The spatial size, and the channels and timesteps if given: ``64x64``, Keras'
    ``(None, 64, 64, 1)`` (timesteps, rows, cols, channels) or ``(64, 64, 1)``."""
    if isinstance(value, str):
        words: list[object] = [
            None if w.lower() == "none" else w
            for w in re.split(rf"[\s,x{TIMES}*]+", value.strip().strip("()[]"))
            if w
        ]
    elif isinstance(value, tuple | list):
        words = list(value)
    else:
        words = [value]
    timesteps = channels = None
    if len(words) == rank + 3:  # (batch, timesteps, ..., channels)
        words = words[1:]
    if len(words) == rank + 2:
        first, words = words[0], words[1:]
        timesteps = None if first is None else parse_int("input_shape", first, 1)
    if len(words) == rank + 1:
        channels = parse_int("input_shape", words[-1], 1)
        words = words[:-1]
    if len(words) != rank or any(w is None for w in words):
        raise refuse("input-shape", f"{describe(value)} is not a {rank}-d spatial size (as 64x64)")
    return tuple(parse_int("input_shape", w, 1) for w in words), channels, timesteps


def _output_size(spec: ConvLSTMSpec) -> tuple[int, ...] | None:
    """Positions of the output (and of the hidden state) per axis."""
    if spec.input_shape is None:
        return None
    sizes = [
        conv_output_size(n, k, s, d, spec.padding)
        for n, k, s, d in zip(
            spec.input_shape, spec.kernel_size, spec.strides, spec.dilation_rate, strict=True
        )
    ]
    return tuple(size or 0 for size in sizes)


def _keras_conv_input_shape(value: object) -> dict[str, object]:
    return {"input_shape": value}


def _flax_kernel_size(value: object) -> dict[str, object]:
    """Flax's ConvLSTMCell takes its rank from the kernel size, a sequence of sizes."""
    rank = len(value) if isinstance(value, tuple | list) else 0
    cell = f"convlstm{rank}d" if 1 <= rank <= 3 else "convlstm"  # anything else is refused
    return {"kernel_size": value, "cell": cell}


_KERAS_CONV = {f"ConvLSTM{rank}D": {"cell": f"convlstm{rank}d"} for rank in (1, 2, 3)}
CONV_SIGNATURES = (
    Signature(
        framework="keras",
        classes=tuple(_KERAS_CONV),
        fixed=_KERAS_CONV,
        prefixes=KERAS,
        positional=(
            Param("filters", "int", "units"),
            Param("kernel_size", "sizes", "kernel_size"),
            Param("strides", "sizes", "strides"),
            Param("padding", "text", "padding"),
            Param("data_format", "text", shapes=True),
            Param("dilation_rate", "sizes", "dilation_rate"),
            Param("activation", "text"),
            Param("recurrent_activation", "text"),
            Param("use_bias", "bool", "bias"),
        ),
        keyword_only=(
            Param("input_shape", "sizes", _keras_conv_input_shape),
            Param("dtype", "any", dtype_of),
            Param("return_sequences", "bool", shapes=True),
            Param("return_state", "bool", shapes=True),
        ),
        required=("filters", "kernel_size"),
        neutral=frozenset(
            {
                "kernel_initializer",
                "recurrent_initializer",
                "bias_initializer",
                "unit_forget_bias",
                "kernel_regularizer",
                "recurrent_regularizer",
                "bias_regularizer",
                "activity_regularizer",
                "kernel_constraint",
                "recurrent_constraint",
                "bias_constraint",
                "dropout",
                "recurrent_dropout",
                "seed",
                "return_state",
                "go_backwards",
                "stateful",
                "name",
                "trainable",
            }
        ),
    ),
    Signature(
        framework="flax",
        classes=("ConvLSTMCell",),
        fixed={"ConvLSTMCell": {}},  # the rank comes from the kernel size
        prefixes=FLAX_LINEN,
        positional=(
            Param("features", "int", "units"),
            Param("kernel_size", "sizes", _flax_kernel_size),
            Param("strides", "sizes", "strides"),
            Param("padding", "text", "padding"),
            Param("use_bias", "bool", "bias"),
        ),
        required=("features", "kernel_size"),
        neutral=frozenset({"dtype", "param_dtype", "parent", "name", "rngs"}),
    ),
)


class ConvLSTM(LayerKind[ConvLSTMSpec]):
    name = "ConvLSTM"
    cells: ClassVar[tuple[str, ...]] = CELLS
    options: ClassVar[tuple[str, ...]] = (
        "units",
        "input_dim",
        "kernel_size",
        "framework",
        "bidirectional",
        "bias",
        "merge_mode",
        "padding",
        "strides",
        "dilation_rate",
        "input_shape",
        "timesteps",
        "dtype",
    )
    flags: ClassVar[frozenset[str]] = frozenset({"bidirectional"})
    signatures: ClassVar[tuple[Signature, ...]] = CONV_SIGNATURES
    # Keras 3 sets trainable=False on the ConvLSTM layer, not on its cell, whose weights
    # model.summary() still counts as trainable (tests/data/model_summaries.json)
    keras_freezes = False

    def parse(self, cell: str, raw: Mapping[str, object], default_framework: str) -> ConvLSTMSpec:
        conv = parse_literal("cell", cell, CELLS)
        rank = RANK[conv]
        units = parse_int("units", required(raw, "units"), 1)
        framework = read_framework(raw, default_framework)
        facts = CONV_FRAMEWORKS.get(framework)
        if facts is None:
            having = " and ".join(
                f"{FRAMEWORKS[name].short} {f.api.format(rank=rank)}"
                for name, f in CONV_FRAMEWORKS.items()
            )
            raise refuse(
                "framework", f"{FRAMEWORKS[framework].title} has no ConvLSTM ({having} do)"
            )
        shape = raw.get("input_shape")
        spatial, channels, steps = (
            (None, None, None) if shape is None else _input_shape(shape, rank)
        )
        input_dim = raw.get("input_dim", channels)
        if input_dim is None:
            raise refuse("input-dim", "is required (the input's channels)")
        padding = raw.get("padding")
        spec = ConvLSTMSpec(
            cell=conv,
            units=units,
            input_dim=parse_int("input_dim", input_dim, 1),
            kernel_size=parse_sizes("kernel_size", required(raw, "kernel_size"), rank),
            framework=framework,
            bidirectional=parse_bool("bidirectional", raw.get("bidirectional", False), flag=True),
            bias=parse_bool("bias", raw.get("bias", True)),
            merge_mode=parse_literal("merge_mode", raw.get("merge_mode", "concat"), MERGE_MODES),
            padding=facts.padding
            if padding is None
            else parse_literal("padding", padding, PADDINGS),
            strides=parse_sizes("strides", raw.get("strides", 1), rank),
            dilation_rate=parse_sizes("dilation_rate", raw.get("dilation_rate", 1), rank),
            input_shape=spatial,
            timesteps=read_timesteps(raw) if raw.get("timesteps") is not None else steps,
            dtype=read_dtype(raw),
        )
        if channels is not None and channels != spec.input_dim:
            raise refuse(
                "input-shape", f"has {channels} channels, but input-dim is {spec.input_dim}"
            )
        if spec.dilation_rate != (1,) * rank:
            if not facts.dilation:
                raise refuse("dilation-rate", f"{FRAMEWORKS[framework].title} takes none")
            if spec.strides != (1,) * rank:
                raise refuse("dilation-rate", "cannot go with strides > 1 (Keras refuses both)")
        if spec.merge_mode != "concat":
            if framework != "keras":
                raise refuse("merge-mode", "only Keras' Bidirectional has merge modes")
            if not spec.bidirectional:
                raise refuse("merge-mode", "applies to bidirectional layers only")
        return spec

    def expression(self, spec: ConvLSTMSpec) -> Expr:
        """gates × ((K × i + b) × h + K × h²): K kernel positions, i channels, h filters."""
        facts = CONV_FRAMEWORKS[spec.framework]
        kernel = Sym("K", spec.kernel_positions, spec.kernel_size)
        i, h = Sym("i", spec.input_dim), Sym("h", spec.units)
        weights_in = labelled(Mul((kernel, i)), kind="input_weights")
        weights_rec = labelled(Mul((kernel, Square(h))), kind="recurrent_weights")
        if spec.bias:
            biases = Copies(tuple(Where(kind=kind) for kind in facts.biases), Num(1))
            gate_expr: Expr = Add((Mul((Add((weights_in, biases)), h)), weights_rec))
        else:
            gate_expr = Add((Mul((weights_in, h)), weights_rec))
        gates = Copies(tuple(Where(gate=gate) for gate in facts.gates), gate_expr)
        directions = tuple(Where(direction=d) for d in DIRECTIONS[: spec.directions])
        return Copies((Where(layer=1),), Copies(directions, gates))

    def title(self, spec: ConvLSTMSpec, _: Gettext) -> str:
        api = CONV_FRAMEWORKS[spec.framework].api.format(rank=RANK[spec.cell])
        return _("{framework} {cell}").format(framework=FRAMEWORKS[spec.framework].title, cell=api)

    def describe(self, spec: ConvLSTMSpec, _: Gettext, numbers: NumberStyle) -> list[str]:
        kernel = f" {TIMES} ".join(map(str, spec.kernel_size))
        parts = [
            _("{filters} filters").format(filters=numbers.count(spec.units)),
            _("{channels} input channels").format(channels=numbers.count(spec.input_dim)),
            _("{kernel} kernel").format(kernel=kernel),
        ]
        if spec.bidirectional:
            parts.append(_("bidirectional"))
        if spec.merge_mode != "concat":
            parts.append(_("directions merged by {mode}").format(mode=spec.merge_mode))
        if not spec.bias:
            parts.append(_("no bias"))
        return parts

    def symbols(self, spec: ConvLSTMSpec, _: Gettext) -> list[Symbol]:
        kernel = f" {TIMES} ".join(map(str, spec.kernel_size))
        return [
            Symbol(
                "K",
                spec.kernel_positions,
                _("{symbol} = {value} kernel positions ({kernel})").replace("{kernel}", kernel),
            ),
            Symbol("i", spec.input_dim, _("{symbol} = {value} input channels")),
            Symbol("h", spec.units, _("{symbol} = {value} filters")),
        ]

    def table(
        self, spec: ConvLSTMSpec, tensors: Sequence[Tensor], _: Gettext, rows: Rows | None = None
    ) -> Table:
        headers = (_("Input kernel W"), _("Recurrent kernel U"))
        return gate_table(tensors, _, rows, headers, layers=1, bidirectional=spec.bidirectional)

    def notes(
        self, spec: ConvLSTMSpec, tensors: Sequence[Tensor], _: Gettext, numbers: NumberStyle
    ) -> list[str]:
        items = [
            _(
                "Padding, strides and dilation change the size of the output, never the count: "
                "every position shares the same kernels."
            )
        ]
        output = _output_size(spec)
        if output is None:
            items.append(
                _(
                    "Multiply-accumulates depend on the input's spatial size: give :input-shape: "
                    "to see them."
                )
            )
        else:
            size = f" {TIMES} ".join(map(str, output))
            items.append(_("The output is {size} positions per filter.").format(size=size))
        if spec.bias and len(CONV_FRAMEWORKS[spec.framework].biases) == 2:
            items.append(
                _(
                    "{framework} keeps two bias vectors per gate (input and hidden "
                    "convolutions), where Keras keeps one."
                ).format(framework=FRAMEWORKS[spec.framework].title)
            )
        if spec.bidirectional:
            items.append(_("Bidirectional: every layer is two full copies, one per direction."))
        return items

    def first_input(self, spec: ConvLSTMSpec, cls: str) -> tuple[Shape, str]:
        """(batch, time, *space, channels), every size but the channels free."""
        return (None, None, *(None,) * RANK[spec.cell], spec.input_dim), "float32"

    def input_width(
        self, cell: str, shape: Shape, call: Mapping[str, object], framework: FrameworkName
    ) -> int | None:
        """The channels: last, or with Keras' data_format="channels_first" after the time
        axis, (batch, time, channels, *space) (keras/src/layers/rnn/conv_lstm.py, build)."""
        if call.get("data_format") == "channels_first":
            return shape[2] if len(shape) > 2 else None
        return shape[-1] if shape else None

    def output_shape(self, spec: ConvLSTMSpec, shape: Shape, call: Mapping[str, object]) -> Shape:
        """(batch, time, *space, channels) -> (batch[, time], *space', filters); with
        data_format="channels_first" the channels, then the filters, come before the space."""
        rank = RANK[spec.cell]
        check_keras_ndim(rank + 3, shape, "(batch, steps, *space, channels)")
        first = call.get("data_format") == "channels_first"
        space = shape[-rank:] if first else shape[-1 - rank : -1]
        out = tuple(
            slid(n, k, s, d, spec.padding, "keras", "conv")
            for n, k, s, d in zip(
                space, spec.kernel_size, spec.strides, spec.dilation_rate, strict=True
            )
        )
        width = spec.units * (spec.directions if spec.merge_mode == "concat" else 1)
        steps = shape[1:2] if call.get("return_sequences") else ()
        return (shape[0], *steps, width, *out) if first else (shape[0], *steps, *out, width)

    def macs_per_step(self, spec: ConvLSTMSpec, tensors: Sequence[Tensor]) -> int | None:
        """Every weight once per output position (the hidden state has the output's size)."""
        output = _output_size(spec)
        if output is None:
            return None
        return math.prod(output) * sum(t.count for t in tensors if not t.is_bias)

    def option_help(self) -> dict[str, str]:
        return {
            **common_help(),
            "kernel_size": "ConvLSTM or convolution kernel: 3, 3x3 or (3, 3), one size per axis",
            "padding": "ConvLSTM: valid or same (default: the framework's); not the count",
            "strides": "ConvLSTM strides, as the kernel size (default: 1); not the count",
            "dilation_rate": "ConvLSTM dilation, as the kernel size (default: 1); not the count",
            "input_shape": "ConvLSTM: the input's spatial size (64x64) or Keras' input_shape, "
            "for multiply-accumulates",
        }


CONVLSTM = ConvLSTM()
