"""Layers whose table names each tensor as the framework does (standard library only).

A transposed convolution's ``kernel``, a MultiheadAttention's ``in_proj_weight`` (the query,
key and value projections stacked), a Transformer's ``encoder.layers.0.linear1.weight``: the
kind's expression counts the parts a reader thinks in (a query projection, a key
projection ...), and :meth:`NamedKind.stored` says which tensor of the framework holds which
of them, under which name and in which shape. The table lists the framework's tensors, each
with what it holds; ``check_stored`` (run by the tests on every recorded layer) holds the two
views to the same count.
"""

from __future__ import annotations

import math
from abc import abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, fields

from ..expression import Where
from ..spec import Gate, Gettext, Tensor
from ..table import Column, Counts, Product, Row, Rows, Table
from .simple import SS, SimpleKind


@dataclass(frozen=True)
class Stored:
    """One tensor as the framework stores it: its name, its shape, and which of our tensors it
    holds (each ``Where`` matches on the coordinates it gives). In a stack of alike layers the
    name has ``{i}`` where the layer's index goes (``layers.{i}.linear1.weight``), and
    ``index`` says which; the table folds such tensors into one row."""

    name: str
    shape: tuple[int, ...]
    holds: tuple[Where, ...]
    index: int | None = None

    @property
    def full_name(self) -> str:
        """The name as the framework prints it: ``layers.0.linear1.weight``."""
        return self.name if self.index is None else self.name.replace("{i}", str(self.index))


def _matches(tensor: Tensor, where: Where) -> bool:
    return all(
        getattr(where, field.name) is None
        or getattr(where, field.name) == getattr(tensor, field.name)
        for field in fields(where)
    )


def held(stored: Stored, tensors: Sequence[Tensor]) -> list[Tensor]:
    """The tensors of ours that ``stored`` holds, in order."""
    return [t for t in tensors if any(_matches(t, where) for where in stored.holds)]


def check_stored(stored: Sequence[Stored], tensors: Sequence[Tensor]) -> list[str]:
    """What does not add up (empty when each of our tensors is in exactly one stored tensor,
    and each stored tensor's shape holds exactly what it is said to hold)."""
    problems = []
    homes: list[list[str]] = [[] for _ in tensors]
    for item in stored:
        inside = 0
        for index, tensor in enumerate(tensors):
            if any(_matches(tensor, where) for where in item.holds):
                homes[index].append(item.full_name)
                inside += tensor.count
        if inside != math.prod(item.shape):
            problems.append(f"{item.full_name} {item.shape} holds {inside} parameters")
    for tensor, names in zip(tensors, homes, strict=True):
        if len(names) != 1:
            problems.append(f"{tensor} is held by {names or 'nothing'}")
    return problems


def part_label(gate: Gate, _: Gettext) -> str:
    """What a part of a layer is, in words, where a stored tensor holds several."""
    labels: dict[str, str] = {
        "query": _("query"),
        "key": _("key"),
        "value": _("value"),
        "cross_query": _("query"),
        "cross_key": _("key"),
        "cross_value": _("value"),
    }
    return labels.get(gate, gate.replace("_", " "))


class NamedKind(SimpleKind[SS]):
    """A layer whose table lists the framework's own tensors, by name."""

    @abstractmethod
    def stored(self, spec: SS) -> tuple[Stored, ...]:
        """The framework's tensors for this layer, in its order (PyTorch's
        ``named_parameters()``, Keras' ``layer.weights``)."""

    def table(
        self, spec: SS, tensors: Sequence[Tensor], _: Gettext, rows: Rows | None = None
    ) -> Table:
        """One row per stored tensor; the same tensor of each layer of a stack folded into one
        row (``layers.0-5.linear1.weight``, 6 × (2,048 × 512))."""
        groups: dict[tuple[str, tuple[int, ...]], list[Stored]] = {}
        for item in self.stored(spec):
            groups.setdefault((item.name, item.shape), []).append(item)
        body = []
        for (name, shape), items in groups.items():
            parts = [t for item in items for t in held(item, tensors)]
            gates = list(dict.fromkeys(t.gate for t in parts))
            indices = [item.index for item in items if item.index is not None]
            label = name
            if indices:
                span = str(indices[0]) if len(indices) == 1 else f"{min(indices)}-{max(indices)}"
                label = name.replace("{i}", span)
            if len(gates) > 1:
                label += f" ({', '.join(part_label(gate, _) for gate in gates)})"
            copies = len(items)
            cell = Product(shape, copies) if len(shape) > 1 else Counts(shape or (1,), copies)
            trainable = all(t.trainable for t in parts)
            count = Counts((copies * math.prod(shape),))
            body.append(Row((label, cell, _("yes") if trainable else _("no"), count)))
        total = Counts((sum(t.count for t in tensors),))
        body.append(Row((_("Total"), None, None, total), is_total=True))
        columns = (
            Column(_("Tensor"), numeric=False),
            Column(_("Shape")),
            Column(_("Trainable"), numeric=False),
            Column(_("Total")),
        )
        return Table(columns, tuple(body))
