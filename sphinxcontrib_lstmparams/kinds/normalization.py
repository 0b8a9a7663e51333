"""Normalisation: Keras ``BatchNormalization``/``LayerNormalization``, PyTorch
``nn.BatchNorm1d/2d``/``nn.LayerNorm``.

A batch normalisation keeps running statistics besides its scale and offset: Keras stores
them as weights that are not trained (they count, as non-trainable parameters), PyTorch as
buffers (they are not parameters at all). Recorded from both.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from ..expression import Copies, Expr, Sym, Symbol, Where
from ..frameworks import refuse
from ..numbers import NumberStyle
from ..options import describe, parse_bool, parse_int, required
from ..signatures import KERAS, PYTORCH, Param, Signature, dtype_of
from ..spec import DType, FrameworkName, Gettext, Shape, TensorKind
from .common import read_dtype, read_framework, read_timesteps
from .convlstm import parse_sizes
from .simple import SimpleKind, check_framework


def _rms_scaling(value: object) -> dict[str, object]:
    """Keras' LayerNormalization(rms_scaling=True) keeps gamma and drops beta, whatever center
    and scale say (keras/src/layers/normalization/layer_normalization.py, build); written
    before center= or scale=, those would still win here."""
    return {"scale": True, "bias": False} if value else {}


def _normalized_shape(value: object) -> dict[str, object]:
    """PyTorch's LayerNorm(normalized_shape): the features it normalises are their product."""
    sizes = value if isinstance(value, tuple | list) else (value,)
    return {"input_dim": math.prod(parse_sizes("input_dim", tuple(sizes), len(sizes)))}


@dataclass(frozen=True)
class NormSpec:
    cell: str  # batchnorm or layernorm
    input_dim: int  # the features normalised (channels)
    framework: FrameworkName = "keras"
    scale: bool = True  # gamma
    bias: bool = True  # beta (Keras' center)
    timesteps: int | None = None
    dtype: DType = "float32"


_KERAS_NEUTRAL = frozenset(
    {
        "momentum",
        "epsilon",
        "beta_initializer",
        "gamma_initializer",
        "moving_mean_initializer",
        "moving_variance_initializer",
        "beta_regularizer",
        "gamma_regularizer",
        "beta_constraint",
        "gamma_constraint",
        "synchronized",
        "name",
        "trainable",
    }
)


class Normalization(SimpleKind[NormSpec]):
    name = "Normalization"
    cells: ClassVar[tuple[str, ...]] = ("batchnorm", "layernorm")
    options: ClassVar[tuple[str, ...]] = (
        "input_dim",
        "framework",
        "scale",
        "bias",
        "timesteps",
        "dtype",
    )
    signatures: ClassVar[tuple[Signature, ...]] = (
        # axis picks the features normalised (input_width reads it from the input)
        Signature(
            framework="keras",
            classes=("BatchNormalization",),
            fixed={"BatchNormalization": {"cell": "batchnorm"}},
            prefixes=KERAS,
            positional=(
                Param("axis", "int", shapes=True),
                Param("momentum"),
                Param("epsilon"),
                Param("center", "bool", "bias"),
                Param("scale", "bool", "scale"),
            ),
            keyword_only=(Param("dtype", "any", dtype_of),),
            neutral=_KERAS_NEUTRAL,
        ),
        Signature(
            framework="keras",
            classes=("LayerNormalization",),
            fixed={"LayerNormalization": {"cell": "layernorm"}},
            prefixes=KERAS,
            positional=(
                Param("axis", "sizes", shapes=True),
                Param("epsilon"),
                Param("center", "bool", "bias"),
                Param("scale", "bool", "scale"),
                Param("rms_scaling", "bool", _rms_scaling),
            ),
            keyword_only=(Param("dtype", "any", dtype_of),),
            neutral=_KERAS_NEUTRAL,
        ),
        Signature(
            framework="pytorch",
            classes=("BatchNorm1d", "BatchNorm2d", "BatchNorm3d"),
            fixed={
                name: {"cell": "batchnorm"}
                for name in ("BatchNorm1d", "BatchNorm2d", "BatchNorm3d")
            },
            prefixes=PYTORCH,
            positional=(
                Param("num_features", "int", "input_dim"),
                Param("eps"),
                Param("momentum"),
                Param("affine", "bool", lambda value: {"scale": value, "bias": value}),
                Param("track_running_stats"),
            ),
            # torch 2.x: bias=False keeps the scale only (print(model) always shows it)
            keyword_only=(
                Param("device"),
                Param("dtype", "any", dtype_of),
                Param("bias", "bool", "bias"),
            ),
            required=("num_features",),
        ),
        Signature(
            framework="pytorch",
            classes=("LayerNorm",),
            fixed={"LayerNorm": {"cell": "layernorm"}},
            prefixes=PYTORCH,
            positional=(
                Param("normalized_shape", "sizes", _normalized_shape, shapes=True),
                Param("eps"),
                Param("elementwise_affine", "bool", "scale"),
                Param("bias", "bool", "bias"),
            ),
            keyword_only=(Param("device"), Param("dtype", "any", dtype_of)),
            required=("normalized_shape",),
        ),
    )

    def parse(self, cell: str, raw: Mapping[str, object], default_framework: str) -> NormSpec:
        framework = read_framework(raw, default_framework)
        check_framework(framework, "Normalisation")
        scale = parse_bool("scale", raw.get("scale", True))
        return NormSpec(
            cell,
            parse_int("input_dim", required(raw, "input_dim"), 1),
            framework,
            scale,
            # PyTorch's LayerNorm has no bias without elementwise_affine
            parse_bool("bias", raw.get("bias", True)) and (scale or framework == "keras"),
            read_timesteps(raw),
            read_dtype(raw),
        )

    def display_name(self, spec: NormSpec) -> str:
        batch = spec.cell == "batchnorm"
        if spec.framework == "pytorch":
            return "BatchNorm" if batch else "LayerNorm"
        return "BatchNormalization" if batch else "LayerNormalization"

    def expression(self, spec: NormSpec) -> Expr:
        """n × c: a scale and an offset per feature, and for Keras' batch normalisation a
        moving mean and variance too."""
        kinds: list[TensorKind] = []
        if spec.scale:
            kinds.append("scale")
        if spec.bias:
            kinds.append("offset")
        if spec.cell == "batchnorm" and spec.framework == "keras":
            kinds += ["moving_mean", "moving_variance"]
        where = tuple(
            Where(layer=1, direction="forward", gate="layer", kind=kind) for kind in kinds
        )
        return Copies(where, Sym("c", spec.input_dim))

    def describe(self, spec: NormSpec, _: Gettext, numbers: NumberStyle) -> list[str]:
        parts = [_("{features} input features").format(features=numbers.count(spec.input_dim))]
        if not spec.scale:
            parts.append(_("no scale (gamma)"))
        if not spec.bias:
            parts.append(_("no offset (beta)"))
        return parts

    def symbols(self, spec: NormSpec, _: Gettext) -> list[Symbol]:
        return [Symbol("c", spec.input_dim, _("{symbol} = {value} input features"))]

    def input_width(
        self, cell: str, shape: Shape, call: Mapping[str, object], framework: FrameworkName
    ) -> int | None:
        # PyTorch's BatchNorm reads the channels of (batch, channels[, length]); its LayerNorm
        # the last len(normalized_shape) axes; Keras' the axes of `axis` (default -1):
        # weights of shape (input_shape[a] for a in axis), layer_normalization.py and
        # batch_normalization.py, build
        if framework == "pytorch":
            if cell == "batchnorm":
                return shape[1] if len(shape) > 1 else shape[-1]
            given = call.get("normalized_shape", 1)
            axes: object = tuple(range(-len(given), 0)) if isinstance(given, tuple | list) else -1
        else:
            axes = call.get("axis", -1)
        sizes = []
        for axis in axes if isinstance(axes, tuple | list) else (axes,):
            if not isinstance(axis, int) or isinstance(axis, bool):
                raise refuse("axis", f"{describe(axis)} is not an axis")
            if not -len(shape) <= axis < len(shape):
                raise refuse("axis", f"{axis} is not an axis of a {len(shape)}-axis input")
            sizes.append(shape[axis])
        return None if None in sizes else math.prod(n for n in sizes if n is not None)

    def option_help(self) -> dict[str, str]:
        return {"scale": "normalisation: whether it learns a scale, gamma (default: yes)"}

    def first_input(self, spec: NormSpec, cls: str) -> tuple[Shape, str]:
        return (None, spec.input_dim), "float32"

    def output_shape(self, spec: NormSpec, shape: Shape, call: Mapping[str, object]) -> Shape:
        return shape


NORMALIZATION = Normalization()
