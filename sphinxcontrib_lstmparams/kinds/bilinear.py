"""PyTorch's ``nn.Bilinear(in1, in2, out)``: ``y = x1ᵀ A x2 + b``, a weight of
``out × in1 × in2`` and a bias of ``out``: ``(i × j + 1) × u``. It is called on two tensors, so
its count's second size is an option of its own, ``second-input-dim``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from ..expression import Add, Expr, Mul, Num, Sym, Symbol, Where, labelled
from ..frameworks import refuse
from ..numbers import NumberStyle
from ..options import parse_bool, parse_int, required
from ..signatures import PYTORCH, Param, Signature, dtype_of
from ..spec import DType, FrameworkName, Gettext, OptionError, Shape
from .common import read_dtype, read_framework, read_timesteps
from .named import NamedKind, Stored


@dataclass(frozen=True)
class BilinearSpec:
    cell: str
    input_dim: int  # in1_features
    second_input_dim: int  # in2_features
    units: int  # out_features
    framework: FrameworkName = "pytorch"
    bias: bool = True
    timesteps: int | None = None
    dtype: DType = "float32"


SIGNATURE = Signature(
    framework="pytorch",
    classes=("Bilinear",),
    fixed={"Bilinear": {"cell": "bilinear"}},
    prefixes=PYTORCH,
    # torch/nn/modules/linear.py Bilinear
    positional=(
        Param("in1_features", "int", "input_dim", shapes=True),
        Param("in2_features", "int", "second_input_dim", shapes=True),
        Param("out_features", "int", "units"),
        Param("bias", "bool", "bias"),
    ),
    keyword_only=(Param("device"), Param("dtype", "any", dtype_of)),
    required=("in1_features", "in2_features", "out_features"),
)
_SEVERAL = (
    "nn.Bilinear is called on two tensors, forward(input1, input2); a model of one layer per "
    "line passes one on"
)


class Bilinear(NamedKind[BilinearSpec]):
    name = "Bilinear"
    cells: ClassVar[tuple[str, ...]] = ("bilinear",)
    options: ClassVar[tuple[str, ...]] = (
        "units",
        "input_dim",
        "second_input_dim",
        "framework",
        "bias",
        "timesteps",
        "dtype",
    )
    signatures: ClassVar[tuple[Signature, ...]] = (SIGNATURE,)

    def parse(self, cell: str, raw: Mapping[str, object], default_framework: str) -> BilinearSpec:
        framework = read_framework(
            raw, "pytorch" if raw.get("framework") is None else default_framework
        )
        if framework != "pytorch":
            raise refuse("framework", "Bilinear is a PyTorch layer")
        return BilinearSpec(
            cell,
            parse_int("input_dim", required(raw, "input_dim"), 1),
            parse_int("second_input_dim", required(raw, "second_input_dim"), 1),
            parse_int("units", required(raw, "units"), 1),
            framework,
            parse_bool("bias", raw.get("bias", True)),
            read_timesteps(raw),
            read_dtype(raw),
        )

    def expression(self, spec: BilinearSpec) -> Expr:
        """(i × j + 1) × u: a matrix of i × j per output, and a bias."""
        pair = labelled(
            Mul((Sym("i", spec.input_dim), Sym("j", spec.second_input_dim))), kind="input_weights"
        )
        inputs: Expr = Add((pair, labelled(Num(1), kind="bias"))) if spec.bias else pair
        return labelled(
            Mul((inputs, Sym("u", spec.units))), layer=1, direction="forward", gate="layer"
        )

    def stored(self, spec: BilinearSpec) -> tuple[Stored, ...]:
        weight = Stored(
            "weight",
            (spec.units, spec.input_dim, spec.second_input_dim),
            (Where(kind="input_weights"),),
        )
        return (
            (weight, Stored("bias", (spec.units,), (Where(kind="bias"),)))
            if spec.bias
            else (weight,)
        )

    def describe(self, spec: BilinearSpec, _: Gettext, numbers: NumberStyle) -> list[str]:
        parts = [
            _("{units} units").format(units=numbers.count(spec.units)),
            _("inputs of {first} and {second} features").format(
                first=numbers.count(spec.input_dim), second=numbers.count(spec.second_input_dim)
            ),
        ]
        return parts if spec.bias else [*parts, _("no bias")]

    def symbols(self, spec: BilinearSpec, _: Gettext) -> list[Symbol]:
        return [
            Symbol("i", spec.input_dim, _("{symbol} = {value} features of the first input")),
            Symbol(
                "j", spec.second_input_dim, _("{symbol} = {value} features of the second input")
            ),
            Symbol("u", spec.units, _("{symbol} = {value} units")),
        ]

    def option_help(self) -> dict[str, str]:
        return {"second_input_dim": "nn.Bilinear: the second input's features (in2_features)"}

    def input_width(
        self, cell: str, shape: Shape, call: Mapping[str, object], framework: FrameworkName
    ) -> int | None:
        raise OptionError(_SEVERAL)

    def options_from_inputs(
        self,
        cell: str,
        shapes: Sequence[Shape],
        call: Mapping[str, object],
        framework: FrameworkName,
    ) -> dict[str, object]:
        if len(shapes) != 2:
            raise OptionError(_SEVERAL)
        first, second = (shape[-1] if shape else None for shape in shapes)
        for word, got in (("in1_features", first), ("in2_features", second)):
            if got is not None and call.get(word, got) != got:
                raise OptionError(
                    f"nn.Bilinear was made with {word}={call.get(word)}; its input has {got}"
                )
        return {"input_dim": first, "second_input_dim": second}

    def output_from_inputs(
        self, spec: BilinearSpec, shapes: Sequence[Shape], call: Mapping[str, object]
    ) -> Shape:
        return (*shapes[0][:-1], spec.units)

    def output_shape(self, spec: BilinearSpec, shape: Shape, call: Mapping[str, object]) -> Shape:
        raise OptionError(_SEVERAL)


BILINEAR = Bilinear()
