"""Group and instance normalisation: Keras ``GroupNormalization``, PyTorch ``nn.GroupNorm``
and ``nn.InstanceNorm1d/2d/3d``: a scale and an offset per channel, ``2c``.

The groups change how the channels are normalised, never the count (they must divide the
channels). An instance normalisation learns nothing by default (``affine=False``), and its
running statistics (``track_running_stats=True``) are buffers, not parameters: PyTorch and
torchinfo count neither. Recorded in ``tests/data/layer_kinds.json``.
"""

from __future__ import annotations

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
from .named import NamedKind, Stored
from .simple import check_framework

INSTANCE = ("InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d")


@dataclass(frozen=True)
class GroupNormSpec:
    cell: str  # groupnorm or instancenorm
    input_dim: int  # channels
    groups: int = 1
    framework: FrameworkName = "keras"
    scale: bool = True  # gamma (PyTorch weight)
    bias: bool = True  # beta (Keras center, PyTorch bias)
    timesteps: int | None = None
    dtype: DType = "float32"


def _affine(value: object) -> dict[str, object]:
    """PyTorch's affine: a weight and a bias per channel, or neither."""
    return {"scale": value, "bias": value}


SIGNATURES = (
    # keras/src/layers/normalization/group_normalization.py
    Signature(
        framework="keras",
        classes=("GroupNormalization",),
        fixed={"GroupNormalization": {"cell": "groupnorm"}},
        prefixes=KERAS,
        positional=(
            Param("groups", "int", "groups"),
            Param("axis", "int", shapes=True),
            Param("epsilon"),
            Param("center", "bool", "bias"),
            Param("scale", "bool", "scale"),
            Param("beta_initializer"),
            Param("gamma_initializer"),
            Param("beta_regularizer"),
            Param("gamma_regularizer"),
            Param("beta_constraint"),
            Param("gamma_constraint"),
        ),
        keyword_only=(Param("dtype", "any", dtype_of),),
        neutral=frozenset({"name", "trainable"}),
    ),
    # torch/nn/modules/normalization.py GroupNorm, instancenorm.py InstanceNorm*
    Signature(
        framework="pytorch",
        classes=("GroupNorm",),
        fixed={"GroupNorm": {"cell": "groupnorm"}},
        prefixes=PYTORCH,
        positional=(
            Param("num_groups", "int", "groups"),
            Param("num_channels", "int", "input_dim"),
            Param("eps"),
            Param("affine", "bool", _affine),
            Param("device"),
            Param("dtype", "any", dtype_of),
        ),
        keyword_only=(Param("bias", "bool", "bias"),),
        required=("num_groups", "num_channels"),
    ),
    Signature(
        framework="pytorch",
        classes=INSTANCE,
        fixed={name: {"cell": "instancenorm"} for name in INSTANCE},
        prefixes=PYTORCH,
        positional=(
            Param("num_features", "int", "input_dim"),
            Param("eps"),
            Param("momentum"),
            Param("affine", "bool", _affine),
            Param("track_running_stats", "bool"),
            Param("device"),
            Param("dtype", "any", dtype_of),
        ),
        keyword_only=(Param("bias", "bool", "bias"),),
        required=("num_features",),
    ),
)


class GroupNormalization(NamedKind[GroupNormSpec]):
    name = "GroupNormalization"
    cells: ClassVar[tuple[str, ...]] = ("groupnorm", "instancenorm")
    options: ClassVar[tuple[str, ...]] = (
        "input_dim",
        "groups",
        "framework",
        "scale",
        "bias",
        "timesteps",
        "dtype",
    )
    signatures: ClassVar[tuple[Signature, ...]] = SIGNATURES

    def parse(self, cell: str, raw: Mapping[str, object], default_framework: str) -> GroupNormSpec:
        framework = read_framework(raw, default_framework)
        check_framework(framework, "Normalisation")
        instance = cell == "instancenorm"
        if instance and framework == "keras":
            raise refuse(
                "cell", "instancenorm is PyTorch's InstanceNorm; Keras has GroupNormalization"
            )
        if instance and raw.get("groups") is not None:
            raise refuse("groups", "an instance normalisation has no groups")
        # Keras' default groups is 32 (group_normalization.py); PyTorch asks for num_groups
        default = 1 if instance else (32 if framework == "keras" else None)
        given = raw.get("groups", default)
        groups = parse_int("groups", required(raw, "groups") if given is None else given, 1)
        # InstanceNorm is affine=False unless asked; its bias= only applies with affine
        affine = not instance
        scale = parse_bool("scale", raw.get("scale", affine))
        spec = GroupNormSpec(
            cell,
            parse_int("input_dim", required(raw, "input_dim"), 1),
            groups,
            framework,
            scale,
            parse_bool("bias", raw.get("bias", True)) and (scale or framework == "keras"),
            read_timesteps(raw),
            read_dtype(raw),
        )
        if spec.input_dim % spec.groups:
            raise refuse("groups", f"{spec.groups} does not divide the {spec.input_dim} channels")
        return spec

    def display_name(self, spec: GroupNormSpec) -> str:
        if spec.cell == "instancenorm":
            return "InstanceNorm"
        return "GroupNorm" if spec.framework == "pytorch" else "GroupNormalization"

    def _kinds(self, spec: GroupNormSpec) -> tuple[TensorKind, ...]:
        kinds: tuple[tuple[TensorKind, bool], ...] = (("scale", spec.scale), ("offset", spec.bias))
        return tuple(kind for kind, on in kinds if on)

    def expression(self, spec: GroupNormSpec) -> Expr:
        """2c: a scale and an offset per channel (without either, fewer)."""
        where = tuple(
            Where(layer=1, direction="forward", gate="layer", kind=kind)
            for kind in self._kinds(spec)
        )
        return Copies(where, Sym("c", spec.input_dim))

    def stored(self, spec: GroupNormSpec) -> tuple[Stored, ...]:
        names = (
            {"scale": "weight", "offset": "bias"}
            if spec.framework == "pytorch"
            else {
                "scale": "gamma",
                "offset": "beta",
            }
        )
        return tuple(
            Stored(names[kind], (spec.input_dim,), (Where(kind=kind),))
            for kind in self._kinds(spec)
        )

    def describe(self, spec: GroupNormSpec, _: Gettext, numbers: NumberStyle) -> list[str]:
        parts = [_("{channels} input channels").format(channels=numbers.count(spec.input_dim))]
        if spec.cell == "groupnorm":
            parts.append(_("{groups} groups").format(groups=numbers.count(spec.groups)))
        if not spec.scale and not spec.bias:
            parts.append(_("no affine parameters"))
        elif not spec.scale:
            parts.append(_("no scale (gamma)"))
        elif not spec.bias:
            parts.append(_("no offset (beta)"))
        return parts

    def symbols(self, spec: GroupNormSpec, _: Gettext) -> list[Symbol]:
        return [Symbol("c", spec.input_dim, _("{symbol} = {value} input channels"))]

    def input_width(
        self, cell: str, shape: Shape, call: Mapping[str, object], framework: FrameworkName
    ) -> int | None:
        """PyTorch: the channels of (batch, channels, ...); Keras: the axis (default -1)."""
        if framework == "pytorch":
            return shape[1] if len(shape) > 1 else None
        axis = call.get("axis", -1)
        if not isinstance(axis, int) or not -len(shape) <= axis < len(shape):
            raise refuse("axis", f"{describe(axis)} is not an axis of a {len(shape)}-axis input")
        return shape[axis]

    def first_input(self, spec: GroupNormSpec, cls: str) -> tuple[Shape, str]:
        return (None, spec.input_dim), "float32"

    def output_shape(self, spec: GroupNormSpec, shape: Shape, call: Mapping[str, object]) -> Shape:
        return shape


GROUP_NORMALIZATION = GroupNormalization()
