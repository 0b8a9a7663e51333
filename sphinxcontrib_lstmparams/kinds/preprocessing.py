"""Keras' preprocessing layers: ``TextVectorization``, ``StringLookup``, ``IntegerLookup``,
``CategoryEncoding``, ``Hashing`` (no weights: a vocabulary is not one) and ``Normalization``
(a mean, a variance and a count, none of them trained, as Keras counts them).

Their output shapes follow keras/src/layers/preprocessing (``compute_output_shape`` of
text_vectorization.py, index_lookup.py, category_encoding.py, hashing.py): an ``int`` output
keeps the input's shape (TextVectorization's is ``(batch, output_sequence_length)``), the
other modes put a vocabulary-sized axis last. The vocabulary's size is known from a
``vocabulary=[...]`` list (plus the out-of-vocabulary indices) or ``max_tokens`` with
``pad_to_max_tokens=True``; after ``adapt()`` only the data knows it. Recorded in
``tests/data/layer_kinds.json``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import ClassVar

from ..expression import Add, Copies, Expr, Num, Sym, Symbol, Where
from ..frameworks import refuse
from ..numbers import NumberStyle
from ..options import describe, parse_bool, parse_int, required
from ..signatures import KERAS, Param, Signature, dtype_of
from ..spec import DType, FrameworkName, Gettext, Shape, TensorKind
from .common import read_dtype, read_framework, read_timesteps
from .named import NamedKind, Stored
from .shaping import Shaping, ShapingSpec, _keras

_MODE = Param("output_mode", "text", shapes=True)
_VOCABULARY = Param("vocabulary", "any", shapes=True)
_LOOKUP = (
    Param("max_tokens", "int", shapes=True),
    Param("num_oov_indices", "int", shapes=True),
    Param("mask_token", "any", shapes=True),
    Param("oov_token"),
    _VOCABULARY,
)
_SIGNATURES = (
    _keras(
        ("TextVectorization",),
        "text_vectorization",
        Param("max_tokens", "int", shapes=True),
        Param("standardize"),
        Param("split", "any", shapes=True),
        Param("ngrams"),
        _MODE,
        Param("output_sequence_length", "int", shapes=True),
        Param("pad_to_max_tokens", "bool", shapes=True),
        _VOCABULARY,
        Param("idf_weights"),
        Param("sparse", "bool"),
        Param("ragged", "bool"),
        Param("encoding", "text"),
    ),
    _keras(
        ("StringLookup",),
        "lookup",
        *_LOOKUP,
        Param("idf_weights"),
        Param("invert", "bool"),
        _MODE,
        Param("pad_to_max_tokens", "bool", shapes=True),
        Param("sparse", "bool"),
        Param("encoding", "text"),
    ),
    _keras(
        ("IntegerLookup",),
        "lookup",
        *_LOOKUP,
        Param("vocabulary_dtype", "text"),
        Param("idf_weights"),
        Param("invert", "bool"),
        _MODE,
        Param("sparse", "bool"),
        Param("pad_to_max_tokens", "bool", shapes=True),
        Param("oov_method", "text"),
    ),
    _keras(
        ("CategoryEncoding",),
        "category_encoding",
        Param("num_tokens", "int", shapes=True),
        _MODE,
        Param("sparse", "bool"),
    ),
    _keras(
        ("Hashing",),
        "hashing",
        Param("num_bins", "int", shapes=True),
        Param("mask_value"),
        Param("salt"),
        _MODE,
        Param("sparse", "bool"),
    ),
)
# which argument each needs: Keras raises without it
_REQUIRED = {"CategoryEncoding": "num_tokens", "Hashing": "num_bins"}
SIGNATURES = tuple(
    replace(s, required=(_REQUIRED[s.classes[0]],)) if s.classes[0] in _REQUIRED else s
    for s in _SIGNATURES
)


def _depth(call: Mapping[str, object]) -> int | None:
    """The vocabulary's size as index_lookup.py counts it (_token_start_index): max_tokens
    when padded to it, else the vocabulary given plus its out-of-vocabulary indices (the mask
    only in int mode); None when only adapt() would say."""
    if call.get("pad_to_max_tokens") and isinstance(call.get("max_tokens"), int):
        return call["max_tokens"]  # type: ignore[return-value]
    vocabulary = call.get("vocabulary")
    if not isinstance(vocabulary, tuple | list):
        return None
    oov = call.get("num_oov_indices", 1)
    return len(vocabulary) + (oov if isinstance(oov, int) else 1)


def _encoded(shape: Shape, mode: str, depth: int | None) -> Shape:
    """index_lookup.py compute_output_shape for the modes other than int."""
    if mode == "one_hot":
        if len(shape) > 1 and shape[-1] == 1:
            return (*shape[:-1], depth)
        return (*shape, depth)
    return (*shape[:-1], depth)


class Preprocessing(Shaping):
    """Keras' text and category preprocessing: no weights, an output shape per mode."""

    cells: ClassVar[tuple[str, ...]] = (
        "text_vectorization",
        "lookup",
        "category_encoding",
        "hashing",
    )
    signatures: ClassVar[tuple[Signature, ...]] = SIGNATURES

    def output_shape(self, spec: ShapingSpec, shape: Shape, call: Mapping[str, object]) -> Shape:
        mode = str(
            call.get("output_mode", "multi_hot" if spec.cell == "category_encoding" else "int")
        )
        if spec.cell == "text_vectorization":
            if mode == "int":
                length = call.get("output_sequence_length")
                return (shape[0], length if isinstance(length, int) else None)
            # split=None keeps one string per position; the default splits into words
            if "split" in call and call["split"] is None:
                shape = (*shape, 1) if len(shape) <= 1 else shape
            else:
                shape = (*shape, None)
            return _encoded(shape, mode, _depth(call))
        if mode == "int":
            return shape
        if spec.cell == "lookup":
            return _encoded(shape, mode, _depth(call))
        size = call.get("num_tokens" if spec.cell == "category_encoding" else "num_bins")
        if not isinstance(size, int):
            raise refuse("num_tokens", f"{describe(size)} is not a whole number")
        one_hot = spec.cell == "category_encoding" and mode == "one_hot"
        if one_hot and (shape[-1] != 1 or len(shape) == 1):
            return (*shape, size)
        return (*shape[:-1], size)


# -- Normalization ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StandardizeSpec:
    cell: str
    input_dim: int  # the features it keeps a mean and a variance for (1 with axis=None)
    statistics: bool = True  # False: mean= and variance= given, no weights
    framework: FrameworkName = "keras"
    timesteps: int | None = None
    dtype: DType = "float32"


def _given(value: object) -> dict[str, object]:
    """mean= or variance= given: Keras stores neither as a weight."""
    return {"statistics": False}


NORMALIZATION_SIGNATURE = Signature(
    framework="keras",
    classes=("Normalization",),
    fixed={"Normalization": {"cell": "normalization"}},
    prefixes=KERAS,
    # keras/src/layers/preprocessing/normalization.py
    positional=(
        Param("axis", "any", shapes=True),
        Param("mean", "any", _given),
        Param("variance", "any", _given),
        Param("invert", "bool"),
    ),
    keyword_only=(Param("dtype", "any", dtype_of),),
    neutral=frozenset({"name", "trainable", "input_shape"}),
)


class Standardize(NamedKind[StandardizeSpec]):
    """Keras' Normalization: a mean and a variance per feature it keeps, and a count, all
    weights that do not train (normalization.py, build)."""

    name = "preprocessing Normalization"
    cells: ClassVar[tuple[str, ...]] = ("normalization",)
    options: ClassVar[tuple[str, ...]] = (
        "input_dim",
        "statistics",
        "framework",
        "timesteps",
        "dtype",
    )
    signatures: ClassVar[tuple[Signature, ...]] = (NORMALIZATION_SIGNATURE,)

    def parse(
        self, cell: str, raw: Mapping[str, object], default_framework: str
    ) -> StandardizeSpec:
        framework = read_framework(raw, default_framework)
        if framework != "keras":
            raise refuse("framework", "Normalization is a Keras preprocessing layer")
        return StandardizeSpec(
            cell,
            parse_int("input_dim", required(raw, "input_dim"), 1),
            parse_bool("statistics", raw.get("statistics", True)),
            framework,
            read_timesteps(raw),
            read_dtype(raw),
        )

    def expression(self, spec: StandardizeSpec) -> Expr:
        """2c + 1: a mean and a variance per feature, and the count of samples seen."""
        if not spec.statistics:
            return Copies((), Sym("c", spec.input_dim))
        where = Where(layer=1, direction="forward", gate="layer")
        kinds: tuple[TensorKind, ...] = ("mean", "variance")
        per_feature = Copies(tuple(Where(kind=k) for k in kinds), Sym("c", spec.input_dim))
        count = Copies((Where(kind="count"),), Num(1))
        return Copies((where,), Add((per_feature, count)))

    def stored(self, spec: StandardizeSpec) -> tuple[Stored, ...]:
        if not spec.statistics:
            return ()
        return (
            Stored("mean", (spec.input_dim,), (Where(kind="mean"),)),
            Stored("variance", (spec.input_dim,), (Where(kind="variance"),)),
            Stored("count", (), (Where(kind="count"),)),
        )

    def display_name(self, spec: StandardizeSpec) -> str:
        return "Normalization"

    def describe(self, spec: StandardizeSpec, _: Gettext, numbers: NumberStyle) -> list[str]:
        parts = [_("{features} input features").format(features=numbers.count(spec.input_dim))]
        return parts if spec.statistics else [*parts, _("mean and variance given")]

    def symbols(self, spec: StandardizeSpec, _: Gettext) -> list[Symbol]:
        return [Symbol("c", spec.input_dim, _("{symbol} = {value} input features"))]

    def option_help(self) -> dict[str, str]:
        return {
            "statistics": "Keras Normalization: whether it keeps its mean, variance and count "
            "as weights (false when mean= and variance= are given; default: true)",
        }

    def input_width(
        self, cell: str, shape: Shape, call: Mapping[str, object], framework: FrameworkName
    ) -> int | None:
        """The sizes of the axes it keeps (axis=-1 by default; None keeps none: one mean)."""
        axis = call.get("axis", -1)
        if axis is None:
            return 1
        given = tuple(axis) if isinstance(axis, tuple | list) else (axis,)
        axes = [a for a in given if isinstance(a, int) and -len(shape) <= a < len(shape)]
        if len(axes) != len(given):
            raise refuse("axis", f"{describe(axis)} is not an axis of a {len(shape)}-axis input")
        sizes = [shape[a] for a in axes]
        return None if None in sizes else math.prod(n for n in sizes if n is not None)

    def first_input(self, spec: StandardizeSpec, cls: str) -> tuple[Shape, str]:
        return (None, spec.input_dim), "float32"

    def output_shape(
        self, spec: StandardizeSpec, shape: Shape, call: Mapping[str, object]
    ) -> Shape:
        return shape


PREPROCESSING = Preprocessing()
STANDARDIZE = Standardize()
