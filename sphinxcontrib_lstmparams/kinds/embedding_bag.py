"""PyTorch's ``nn.EmbeddingBag``: an embedding table, ``vocabulary × units``, whose vectors are
pooled (mean, sum or max) over each bag of word numbers: (batch, words) -> (batch, units)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from ..expression import Expr, Symbol, Where
from ..frameworks import refuse
from ..numbers import NumberStyle
from ..signatures import PYTORCH, Param, Signature, dtype_of
from ..spec import FrameworkName, Gettext, Shape
from .embedding import EMBEDDING, EmbeddingSpec
from .named import NamedKind, Stored

SIGNATURE = Signature(
    framework="pytorch",
    classes=("EmbeddingBag",),
    fixed={"EmbeddingBag": {"cell": "embedding_bag"}},
    prefixes=PYTORCH,
    # torch/nn/modules/sparse.py EmbeddingBag
    positional=(
        Param("num_embeddings", "int", "vocabulary"),
        Param("embedding_dim", "int", "units"),
        Param("max_norm"),
        Param("norm_type"),
        Param("scale_grad_by_freq"),
        Param("mode", "text"),
        Param("sparse"),
        Param("_weight"),
        Param("include_last_offset"),
        Param("padding_idx"),
    ),
    keyword_only=(Param("device"), Param("dtype", "any", dtype_of)),
    required=("num_embeddings", "embedding_dim"),
)


class EmbeddingBag(NamedKind[EmbeddingSpec]):
    name = "EmbeddingBag"
    cells: ClassVar[tuple[str, ...]] = ("embedding_bag",)
    options: ClassVar[tuple[str, ...]] = EMBEDDING.options
    signatures: ClassVar[tuple[Signature, ...]] = (SIGNATURE,)

    def parse(self, cell: str, raw: Mapping[str, object], default_framework: str) -> EmbeddingSpec:
        spec = EMBEDDING.parse(
            "embedding", raw, "pytorch" if raw.get("framework") is None else default_framework
        )
        if spec.framework != "pytorch":
            raise refuse("framework", "EmbeddingBag is a PyTorch layer")
        return EmbeddingSpec(
            cell, spec.vocabulary, spec.units, spec.framework, spec.timesteps, spec.dtype
        )

    def display_name(self, spec: EmbeddingSpec) -> str:
        return "EmbeddingBag"

    def expression(self, spec: EmbeddingSpec) -> Expr:
        """V × d, as an Embedding's."""
        return EMBEDDING.expression(spec)

    def stored(self, spec: EmbeddingSpec) -> tuple[Stored, ...]:
        return (Stored("weight", (spec.vocabulary, spec.units), (Where(kind="embeddings"),)),)

    def describe(self, spec: EmbeddingSpec, _: Gettext, numbers: NumberStyle) -> list[str]:
        return EMBEDDING.describe(spec, _, numbers)

    def symbols(self, spec: EmbeddingSpec, _: Gettext) -> list[Symbol]:
        return EMBEDDING.symbols(spec, _)

    def input_width(
        self, cell: str, shape: Shape, call: Mapping[str, object], framework: FrameworkName
    ) -> int | None:
        return None  # word numbers, not features

    def first_input(self, spec: EmbeddingSpec, cls: str) -> tuple[Shape, str]:
        return (None, None), "int64"

    def output_shape(self, spec: EmbeddingSpec, shape: Shape, call: Mapping[str, object]) -> Shape:
        """A bag per row of a (batch, words) input; a 1-D input needs offsets, which a model of
        one tensor per line does not pass."""
        if len(shape) != 2:
            raise refuse("layer", "EmbeddingBag reads (bags, words); a 1-D input needs offsets")
        return (shape[0], spec.units)


EMBEDDING_BAG = EmbeddingBag()
