"""What the layers around a recurrent one share: one group of tensors, a table of them, and a
few words (standard library only).

Dense, Embedding, convolution, normalisation and the layers without weights appear in model
summaries; each is a kind of its own module built on :class:`SimpleKind`, so that it can also
be counted and explained like any layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, TypeVar

from ..expression import Symbol
from ..frameworks import FRAMEWORKS, refuse
from ..numbers import NumberStyle
from ..spec import FrameworkName, Gettext, Spec, Tensor, TensorKind
from ..table import Column, Counts, Product, Row, Rows, Table
from .base import LayerKind

SS = TypeVar("SS", bound=Spec)

# The frameworks whose model summaries we print; the layers around an RNN are theirs.
MODEL_FRAMEWORKS: tuple[FrameworkName, ...] = ("keras", "pytorch")


def tensor_label(kind: TensorKind, _: Gettext) -> str:
    labels: dict[TensorKind, str] = {
        "input_weights": _("kernel"),
        "bias": _("bias"),
        "embeddings": _("embeddings"),
        "scale": _("scale (gamma)"),
        "offset": _("offset (beta)"),
        "moving_mean": _("moving mean"),
        "moving_variance": _("moving variance"),
    }
    return labels.get(kind, kind.replace("_", " "))


def check_framework(framework: FrameworkName, what: str) -> None:
    if framework not in MODEL_FRAMEWORKS:
        raise refuse(
            "framework",
            f"{what} layers are counted for Keras and PyTorch only, not "
            f"{FRAMEWORKS[framework].title}",
        )


class SimpleKind(LayerKind[SS]):
    """A layer whose tensors are one group: the table lists them, one row each."""

    cells: ClassVar[tuple[str, ...]]

    def title(self, spec: SS, _: Gettext) -> str:
        return _("{framework} {cell}").format(
            framework=FRAMEWORKS[spec.framework].title, cell=self.display_name(spec)
        )

    def display_name(self, spec: SS) -> str:
        return self.name

    def describe(self, spec: SS, _: Gettext, numbers: NumberStyle) -> list[str]:
        return []

    def symbols(self, spec: SS, _: Gettext) -> list[Symbol]:
        return []

    def table(
        self, spec: SS, tensors: Sequence[Tensor], _: Gettext, rows: Rows | None = None
    ) -> Table:
        body = [
            Row(
                (
                    tensor_label(t.kind, _),
                    Product(t.shape) if len(t.shape) > 1 else Counts(t.shape),
                    _("yes") if t.trainable else _("no"),
                    Counts((t.count,)),
                )
            )
            for t in tensors
        ]
        total = Counts((sum(t.count for t in tensors),))
        body.append(Row((_("Total"), None, None, total), is_total=True))
        columns = (
            Column(_("Tensor"), numeric=False),
            Column(_("Shape")),
            Column(_("Trainable"), numeric=False),
            Column(_("Total")),
        )
        return Table(columns, tuple(body))

    def macs_per_step(self, spec: SS, tensors: Sequence[Tensor]) -> int | None:
        return None  # depends on where the layer is applied: a model summary says
