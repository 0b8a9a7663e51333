"""Fully connected layers: Keras ``Dense``, PyTorch ``nn.Linear``: ``(i + 1) × units``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from ..expression import Add, Expr, Mul, Num, Sym, Symbol, labelled
from ..numbers import NumberStyle
from ..options import parse_bool, parse_int, required
from ..signatures import KERAS, PYTORCH, Param, Signature, dtype_of
from ..spec import DType, FrameworkName, Gettext, Shape
from .common import read_dtype, read_framework, read_timesteps
from .recurrent_constructors import KERAS_NEUTRAL
from .simple import SimpleKind, check_framework


@dataclass(frozen=True)
class DenseSpec:
    cell: str
    units: int
    input_dim: int
    framework: FrameworkName = "keras"
    bias: bool = True
    timesteps: int | None = None
    dtype: DType = "float32"


class Dense(SimpleKind[DenseSpec]):
    name = "Dense"
    cells: ClassVar[tuple[str, ...]] = ("dense",)
    options: ClassVar[tuple[str, ...]] = (
        "units",
        "input_dim",
        "framework",
        "bias",
        "timesteps",
        "dtype",
    )
    signatures: ClassVar[tuple[Signature, ...]] = (
        Signature(
            framework="keras",
            classes=("Dense",),
            fixed={"Dense": {"cell": "dense"}},
            prefixes=KERAS,
            positional=(
                Param("units", "int", "units"),
                Param("activation", "text"),
                Param("use_bias", "bool", "bias"),
            ),
            keyword_only=(Param("input_dim", "int", "input_dim"), Param("dtype", "any", dtype_of)),
            required=("units",),
            neutral=KERAS_NEUTRAL | {"lora_rank", "lora_alpha"},
        ),
        Signature(
            framework="pytorch",
            classes=("Linear",),
            fixed={"Linear": {"cell": "dense"}},
            prefixes=PYTORCH,
            positional=(
                Param("in_features", "int", "input_dim"),
                Param("out_features", "int", "units"),
                Param("bias", "bool", "bias"),
            ),
            keyword_only=(Param("device"), Param("dtype", "any", dtype_of)),
            required=("in_features", "out_features"),
        ),
    )

    def parse(self, cell: str, raw: Mapping[str, object], default_framework: str) -> DenseSpec:
        framework = read_framework(raw, default_framework)
        check_framework(framework, "Dense")
        return DenseSpec(
            cell,
            parse_int("units", required(raw, "units"), 1),
            parse_int("input_dim", required(raw, "input_dim"), 1),
            framework,
            parse_bool("bias", raw.get("bias", True)),
            read_timesteps(raw),
            read_dtype(raw),
        )

    def display_name(self, spec: DenseSpec) -> str:
        return "Linear" if spec.framework == "pytorch" else "Dense"

    def expression(self, spec: DenseSpec) -> Expr:
        """(i + 1) × u: a kernel i × u and a bias u; i × u without the bias."""
        i, u = Sym("i", spec.input_dim), Sym("u", spec.units)
        kernel = labelled(i, kind="input_weights")
        inputs: Expr = Add((kernel, labelled(Num(1), kind="bias"))) if spec.bias else kernel
        return labelled(Mul((inputs, u)), layer=1, direction="forward", gate="layer")

    def describe(self, spec: DenseSpec, _: Gettext, numbers: NumberStyle) -> list[str]:
        parts = [
            _("{units} units").format(units=numbers.count(spec.units)),
            _("{features} input features").format(features=numbers.count(spec.input_dim)),
        ]
        return parts if spec.bias else [*parts, _("no bias")]

    def symbols(self, spec: DenseSpec, _: Gettext) -> list[Symbol]:
        return [
            Symbol("i", spec.input_dim, _("{symbol} = {value} input features")),
            Symbol("u", spec.units, _("{symbol} = {value} units")),
        ]

    def first_input(self, spec: DenseSpec, cls: str) -> tuple[Shape, str]:
        return (None, spec.input_dim), "float32"

    def output_shape(self, spec: DenseSpec, shape: Shape, call: Mapping[str, object]) -> Shape:
        return (*shape[:-1], spec.units)  # applied to the last axis, whatever comes before


DENSE = Dense()
