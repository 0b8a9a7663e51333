"""Embedding tables: Keras ``Embedding``, PyTorch ``nn.Embedding``: ``vocabulary × units``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from ..expression import Expr, Mul, Sym, Symbol, labelled
from ..numbers import NumberStyle
from ..options import parse_int, required
from ..signatures import KERAS, PYTORCH, Param, Signature, dtype_of
from ..spec import DType, FrameworkName, Gettext, Shape
from .common import read_dtype, read_framework, read_timesteps
from .simple import SimpleKind, check_framework


@dataclass(frozen=True)
class EmbeddingSpec:
    cell: str
    vocabulary: int  # Keras' input_dim, PyTorch's num_embeddings
    units: int  # Keras' output_dim, PyTorch's embedding_dim
    framework: FrameworkName = "keras"
    timesteps: int | None = None
    dtype: DType = "float32"


class Embedding(SimpleKind[EmbeddingSpec]):
    name = "Embedding"
    cells: ClassVar[tuple[str, ...]] = ("embedding",)
    options: ClassVar[tuple[str, ...]] = ("vocabulary", "units", "framework", "timesteps", "dtype")
    signatures: ClassVar[tuple[Signature, ...]] = (
        Signature(
            framework="keras",
            classes=("Embedding",),
            fixed={"Embedding": {"cell": "embedding"}},
            prefixes=KERAS,
            # Keras' input_dim is the vocabulary here, not the width of an input
            positional=(
                Param("input_dim", "int", "vocabulary"),
                Param("output_dim", "int", "units"),
                Param("embeddings_initializer"),
                Param("embeddings_regularizer"),
                Param("embeddings_constraint"),
                Param("mask_zero", "bool"),
            ),
            keyword_only=(Param("dtype", "any", dtype_of), Param("input_length", "int")),
            required=("input_dim", "output_dim"),
            neutral=frozenset(
                {"activity_regularizer", "weights", "lora_rank", "lora_alpha", "name", "trainable"}
            ),
        ),
        Signature(
            framework="pytorch",
            classes=("Embedding",),
            fixed={"Embedding": {"cell": "embedding"}},
            prefixes=PYTORCH,
            positional=(
                Param("num_embeddings", "int", "vocabulary"),
                Param("embedding_dim", "int", "units"),
                Param("padding_idx"),
                Param("max_norm"),
                Param("norm_type"),
                Param("scale_grad_by_freq"),
                Param("sparse"),
                Param("_weight"),
                Param("_freeze"),
            ),
            keyword_only=(Param("device"), Param("dtype", "any", dtype_of)),
            required=("num_embeddings", "embedding_dim"),
        ),
    )

    def parse(self, cell: str, raw: Mapping[str, object], default_framework: str) -> EmbeddingSpec:
        framework = read_framework(raw, default_framework)
        check_framework(framework, "Embedding")
        return EmbeddingSpec(
            cell,
            parse_int("vocabulary", required(raw, "vocabulary"), 1),
            parse_int("units", required(raw, "units"), 1),
            framework,
            read_timesteps(raw),
            read_dtype(raw),
        )

    def expression(self, spec: EmbeddingSpec) -> Expr:
        """V × d: one row of d numbers per word of the vocabulary."""
        table = Mul((Sym("V", spec.vocabulary), Sym("d", spec.units)))
        return labelled(table, layer=1, direction="forward", gate="layer", kind="embeddings")

    def describe(self, spec: EmbeddingSpec, _: Gettext, numbers: NumberStyle) -> list[str]:
        return [
            _("{words} words").format(words=numbers.count(spec.vocabulary)),
            _("{units} units").format(units=numbers.count(spec.units)),
        ]

    def symbols(self, spec: EmbeddingSpec, _: Gettext) -> list[Symbol]:
        return [
            Symbol("V", spec.vocabulary, _("{symbol} = {value} words")),
            Symbol("d", spec.units, _("{symbol} = {value} units")),
        ]

    def input_width(
        self, cell: str, shape: Shape, call: Mapping[str, object], framework: FrameworkName
    ) -> int | None:
        return None  # it reads word numbers, not features

    def option_help(self) -> dict[str, str]:
        return {"vocabulary": "Embedding: how many word numbers it has a vector for"}

    def first_input(self, spec: EmbeddingSpec, cls: str) -> tuple[Shape, str]:
        # word numbers, any many: PyTorch's are int64 (torch.long); Keras takes floats too
        return (None, None), "int64" if spec.framework == "pytorch" else "float32"

    def output_shape(self, spec: EmbeddingSpec, shape: Shape, call: Mapping[str, object]) -> Shape:
        return (*shape, spec.units)  # a vector for every word number


EMBEDDING = Embedding()
