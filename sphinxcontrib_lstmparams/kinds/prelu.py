"""The activation with weights: Keras ``PReLU``, PyTorch ``nn.PReLU``, a learned negative slope
per position.

Keras (keras/src/layers/activations/prelu.py, build) learns an ``alpha`` of the input's shape
after the batch, each axis of ``shared_axes`` folded to 1: ``PReLU()`` on (10, 8) learns 80,
``PReLU(shared_axes=[1])`` 8. PyTorch (torch/nn/modules/activation.py) learns
``num_parameters`` slopes, 1 (shared by every channel) or one per channel (axis 1).
Recorded in ``tests/data/layer_kinds.json``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from ..expression import Expr, Sym, Symbol, Where, labelled
from ..frameworks import refuse
from ..numbers import NumberStyle
from ..options import describe, parse_int, required
from ..signatures import KERAS, PYTORCH, Param, Signature, dtype_of
from ..spec import DType, FrameworkName, Gettext, Shape
from .common import read_dtype, read_framework, read_timesteps
from .named import NamedKind, Stored
from .simple import check_framework


@dataclass(frozen=True)
class PReLUSpec:
    cell: str
    input_dim: int  # the slopes: Keras' alpha size, PyTorch's num_parameters
    framework: FrameworkName = "keras"
    timesteps: int | None = None
    dtype: DType = "float32"


SIGNATURES = (
    Signature(
        framework="keras",
        classes=("PReLU",),
        fixed={"PReLU": {"cell": "prelu"}},
        prefixes=KERAS,
        positional=(
            Param("alpha_initializer"),
            Param("alpha_regularizer"),
            Param("alpha_constraint"),
            Param("shared_axes", "any", shapes=True),
        ),
        keyword_only=(Param("dtype", "any", dtype_of),),
        neutral=frozenset({"name", "trainable", "input_shape"}),
    ),
    Signature(
        framework="pytorch",
        classes=("PReLU",),
        fixed={"PReLU": {"cell": "prelu"}},
        prefixes=PYTORCH,
        positional=(
            Param("num_parameters", "int", "input_dim", shapes=True),
            Param("init"),
            Param("device"),
            Param("dtype", "any", dtype_of),
        ),
    ),
)


class PReLU(NamedKind[PReLUSpec]):
    name = "PReLU"
    cells: ClassVar[tuple[str, ...]] = ("prelu",)
    options: ClassVar[tuple[str, ...]] = ("input_dim", "framework", "timesteps", "dtype")
    signatures: ClassVar[tuple[Signature, ...]] = SIGNATURES

    def parse(self, cell: str, raw: Mapping[str, object], default_framework: str) -> PReLUSpec:
        framework = read_framework(raw, default_framework)
        check_framework(framework, "PReLU")
        # PyTorch's num_parameters defaults to 1; Keras' alpha is as large as its input
        given = raw.get("input_dim", 1 if framework == "pytorch" else None)
        slopes = parse_int("input_dim", required(raw, "input_dim") if given is None else given, 1)
        return PReLUSpec(cell, slopes, framework, read_timesteps(raw), read_dtype(raw))

    def expression(self, spec: PReLUSpec) -> Expr:
        """a: one slope per position it learns."""
        return labelled(
            Sym("a", spec.input_dim), layer=1, direction="forward", gate="layer", kind="slope"
        )

    def stored(self, spec: PReLUSpec) -> tuple[Stored, ...]:
        name = "weight" if spec.framework == "pytorch" else "alpha"
        return (Stored(name, (spec.input_dim,), (Where(kind="slope"),)),)

    def describe(self, spec: PReLUSpec, _: Gettext, numbers: NumberStyle) -> list[str]:
        return [_("{slopes} learned slopes").format(slopes=numbers.count(spec.input_dim))]

    def symbols(self, spec: PReLUSpec, _: Gettext) -> list[Symbol]:
        return [Symbol("a", spec.input_dim, _("{symbol} = {value} learned slopes"))]

    def input_width(
        self, cell: str, shape: Shape, call: Mapping[str, object], framework: FrameworkName
    ) -> int | None:
        """Keras: the input's sizes after the batch, shared axes counted once; PyTorch: one
        slope, or one per channel (axis 1), which must be num_parameters."""
        if framework == "pytorch":
            slopes = call.get("num_parameters", 1)
            return 1 if slopes == 1 else (shape[1] if len(shape) > 1 else shape[0])
        shared = call.get("shared_axes") or ()
        axes = tuple(shared) if isinstance(shared, tuple | list) else (shared,)
        if not all(isinstance(a, int) and 0 < a < len(shape) for a in axes):
            raise refuse(
                "shared_axes", f"{describe(shared)} are not axes of a {len(shape)}-axis input"
            )
        sizes = [1 if axis in axes else n for axis, n in enumerate(shape) if axis > 0]
        return None if None in sizes else math.prod(n for n in sizes if n is not None)

    def first_input(self, spec: PReLUSpec, cls: str) -> tuple[Shape, str]:
        return (None, spec.input_dim), "float32"

    def output_shape(self, spec: PReLUSpec, shape: Shape, call: Mapping[str, object]) -> Shape:
        return shape


PRELU = PReLU()
