"""Option words -> spec -> Breakdown: every tensor of the layer, with totals (standard library
only).

Definitions used throughout:

* **parameters**: every trainable number the framework reports (weights and biases).
  ``timesteps`` never changes it: the same weights are applied at every step.
* **bytes**: parameters times the size of ``dtype``.
* **MACs per step**: multiply-accumulates of the matrix-vector products for one timestep of
  one sequence (batch 1): one per weight, one per peephole weight, none for biases (those
  are additions). Element-wise gate products and activations are not counted.
* **MACs per sequence**: MACs per step times ``timesteps`` (all directions included).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any, Generic

from .expression import Expr, expand
from .kinds import KINDS, S, all_options, kind_of
from .options import collect, kebab, parse_choice
from .spec import DIRECTIONS, DTYPE_BYTES, TENSOR_KINDS, OptionError, Tensor


@dataclass(frozen=True)
class Breakdown(Generic[S]):
    """Every tensor of a layer (or stack), in the framework's order, with derived totals.

    ``tensors`` is ``expression`` multiplied out, so the formula and the table are one count.
    """

    spec: S
    expression: Expr
    tensors: tuple[Tensor, ...]

    @property
    def total(self) -> int:
        """Trainable parameters: what the framework's summary reports."""
        return sum(tensor.count for tensor in self.tensors)

    @property
    def bias_total(self) -> int:
        """Parameters in bias vectors."""
        return sum(tensor.count for tensor in self.tensors if tensor.is_bias)

    @property
    def weight_total(self) -> int:
        """Parameters in weight matrices (input, recurrent, projection) and peepholes."""
        return self.total - self.bias_total

    @property
    def bytes(self) -> int:
        """Memory for the parameters at the spec's dtype."""
        return self.total * DTYPE_BYTES[self.spec.dtype]

    @property
    def macs_per_step(self) -> int | None:
        """Multiply-accumulates for one timestep of one sequence (see the module docstring);
        None where they depend on something the options do not give."""
        return kind_of(self.spec).macs_per_step(self.spec, self.tensors)

    @property
    def macs_per_sequence(self) -> int | None:
        """MACs per step times timesteps; None when no timesteps were given."""
        step, steps = self.macs_per_step, self.spec.timesteps
        return None if step is None or steps is None else step * steps

    @property
    def layer_input_dims(self) -> tuple[int, ...]:
        """Features each stacked layer sees per timestep."""
        return kind_of(self.spec).input_widths(self.spec)

    def per_layer_direction(self) -> dict[tuple[int, str], int]:
        """Parameters per (layer, direction)."""
        totals: dict[tuple[int, str], int] = {}
        for tensor in self.tensors:
            key = (tensor.layer, tensor.direction)
            totals[key] = totals.get(key, 0) + tensor.count
        return totals

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view (used by ``lstm-params --json``)."""
        return {
            "options": asdict(self.spec),  # type: ignore[call-overload]
            "total": self.total,
            "weights": self.weight_total,
            "biases": self.bias_total,
            "bytes": self.bytes,
            "macs_per_step": self.macs_per_step,
            "macs_per_sequence": self.macs_per_sequence,
            "layer_input_dims": list(self.layer_input_dims),
            "tensors": [
                {
                    "layer": t.layer,
                    "direction": t.direction,
                    "gate": t.gate,
                    "kind": t.kind,
                    "shape": list(t.shape),
                    "count": t.count,
                }
                for t in self.tensors
            ],
        }


def tensors_of(expression: Expr) -> tuple[Tensor, ...]:
    """The tensors an expression counts, in storage order: by layer, direction, gate as first
    written, then kind of tensor."""
    tensors = []
    for term in expand(expression):
        where = term.where
        if term.coefficient != 1 or None in (where.layer, where.direction, where.gate, where.kind):
            raise ValueError(f"a term that is not one whole tensor: {term}")
        assert where.layer and where.direction and where.gate and where.kind  # for mypy
        tensors.append(Tensor(where.layer, where.direction, where.gate, where.kind, term.dims))
    gates = list(dict.fromkeys(t.gate for t in tensors))
    return tuple(
        sorted(
            tensors,
            key=lambda t: (
                t.layer,
                DIRECTIONS.index(t.direction),
                gates.index(t.gate),
                TENSOR_KINDS.index(t.kind),
            ),
        )
    )


def count(spec: S) -> Breakdown[S]:
    """The breakdown of an already validated spec: every tensor of the layer it describes.
    :func:`count_params` is ``count(parse_spec(options))``."""
    expression = kind_of(spec).expression(spec)
    return Breakdown(spec, expression, tensors_of(expression))


def parse_spec(
    pairs: Iterable[tuple[str, object]] | Mapping[str, object],
    default_framework: str = "keras",
    also_known: Collection[str] = (),
) -> Any:
    """Option words -> the spec of the layer kind that ``cell`` names (an LSTM by default).

    Raises OptionError for an unknown, repeated or bad option, or a layer the framework cannot
    build. ``also_known`` names options the caller handles, for the "did you mean" hint.
    """
    items = pairs.items() if isinstance(pairs, Mapping) else pairs
    raw = collect(items, known=all_options(), also_known=also_known)
    cell = parse_choice("cell", raw.pop("cell", "lstm"), tuple(KINDS))
    kind = KINDS[cell]
    for name in raw:
        if name not in kind.options:
            owners = sorted({k.name for k in KINDS.values() if name in k.options})
            raise OptionError(
                f"{kebab(name)}: applies to {' and '.join(owners)} layers only, not {cell}",
                kebab(name),
            )
    return kind.parse(cell, raw, default_framework)


def count_params(*, default_framework: str = "keras", **options: object) -> Breakdown[Any]:
    """Count the parameters of a layer described in the option vocabulary.

    >>> count_params(units=256, input_dim=4096).total
    4457472
    >>> count_params(cell="rnn", units=4, input_dim=3).total
    32
    >>> count_params(units=256, input_size=4096, framework="pytorch").total
    4458496

    Raises :class:`~sphinxcontrib_lstmparams.OptionError` (a ValueError) for a bad or impossible
    option, naming the option, the value and what is allowed.
    """
    return count(parse_spec(options, default_framework=default_framework))


__all__ = ["Breakdown", "count", "count_params", "parse_spec", "tensors_of"]
