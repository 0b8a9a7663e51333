"""LayerSpec -> Breakdown: every tensor of the layer, with totals (standard library only).

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

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .conventions import PEEPHOLE_GATES, cell_layout, layer_input_dims
from .options import LayerSpec, parse_spec

KINDS = (
    "input_weights",
    "recurrent_weights",
    "bias",
    "input_bias",
    "recurrent_bias",
    "peephole",
    "projection",
)
BIAS_KINDS = frozenset({"bias", "input_bias", "recurrent_bias"})


@dataclass(frozen=True)
class Tensor:
    """One weight matrix or bias vector, for one gate of one layer and direction."""

    layer: int  # 1-based
    direction: str  # "forward" or "backward"
    gate: str  # "input", "forget", ..., "hidden" for a simple RNN, "projection"
    kind: str  # one of KINDS
    shape: tuple[int, ...]  # (inputs, outputs) for matrices, as in x @ W

    @property
    def count(self) -> int:
        return math.prod(self.shape)

    @property
    def is_bias(self) -> bool:
        return self.kind in BIAS_KINDS


@dataclass(frozen=True)
class Breakdown:
    """Every tensor of a layer (or stack), in the framework's order, with derived totals."""

    spec: LayerSpec
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
        """Parameters in weight matrices and peepholes."""
        return self.total - self.bias_total

    @property
    def bytes(self) -> int:
        """Memory for the parameters at the spec's dtype."""
        return self.total * self.spec.bytes_per_param

    @property
    def macs_per_step(self) -> int:
        """Multiply-accumulates for one timestep of one sequence (see the module docstring)."""
        return self.weight_total

    @property
    def macs_per_sequence(self) -> int | None:
        """MACs per step times timesteps; None when no timesteps were given."""
        return None if self.spec.timesteps is None else self.macs_per_step * self.spec.timesteps

    @property
    def layer_input_dims(self) -> tuple[int, ...]:
        """Features each stacked layer sees per timestep."""
        return layer_input_dims(self.spec)

    def per_layer_direction(self) -> dict[tuple[int, str], int]:
        """Parameters per (layer, direction)."""
        totals: dict[tuple[int, str], int] = {}
        for tensor in self.tensors:
            key = (tensor.layer, tensor.direction)
            totals[key] = totals.get(key, 0) + tensor.count
        return totals

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view (used by ``lstm-params --json``)."""
        from dataclasses import asdict

        return {
            "options": asdict(self.spec),
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


@dataclass(frozen=True)
class GateRow:
    """One row of the breakdown table: a gate (or the projection) of one layer and direction."""

    layer: int
    direction: str
    gate: str
    input_weights: Tensor | None
    recurrent_weights: Tensor | None
    biases: tuple[Tensor, ...]
    peephole: Tensor | None
    projection: Tensor | None

    @property
    def total(self) -> int:
        parts = (self.input_weights, self.recurrent_weights, self.peephole, self.projection)
        return sum(t.count for t in (*parts, *self.biases) if t is not None)


def gate_rows(breakdown: Breakdown) -> list[GateRow]:
    """Tensors grouped by (layer, direction, gate), in the framework's order."""
    grouped: dict[tuple[int, str, str], list[Tensor]] = {}
    for tensor in breakdown.tensors:
        grouped.setdefault((tensor.layer, tensor.direction, tensor.gate), []).append(tensor)

    def first(tensors: list[Tensor], kind: str) -> Tensor | None:
        return next((t for t in tensors if t.kind == kind), None)

    return [
        GateRow(
            layer,
            direction,
            gate,
            first(tensors, "input_weights"),
            first(tensors, "recurrent_weights"),
            tuple(t for t in tensors if t.is_bias),
            first(tensors, "peephole"),
            first(tensors, "projection"),
        )
        for (layer, direction, gate), tensors in grouped.items()
    ]


def _direction_tensors(
    spec: LayerSpec, layer: int, direction: str, inputs: int
) -> Iterator[Tensor]:
    layout = cell_layout(spec)
    h = spec.units
    recurrent = spec.proj_size or h  # with a projection the recurrent input is p wide
    for gate, bias_kinds in zip(layout.gates, layout.gate_biases, strict=True):
        yield Tensor(layer, direction, gate, "input_weights", (inputs, h))
        yield Tensor(layer, direction, gate, "recurrent_weights", (recurrent, h))
        for kind in bias_kinds:
            yield Tensor(layer, direction, gate, kind, (h,))
        if spec.peepholes and gate in PEEPHOLE_GATES:
            yield Tensor(layer, direction, gate, "peephole", (h,))
    if spec.proj_size:
        yield Tensor(layer, direction, "projection", "projection", (h, spec.proj_size))


def count(spec: LayerSpec) -> Breakdown:
    """Every tensor of the layer that ``spec`` describes."""
    directions = ("forward", "backward")[: spec.directions]
    tensors = [
        tensor
        for layer, inputs in enumerate(layer_input_dims(spec), start=1)
        for direction in directions
        for tensor in _direction_tensors(spec, layer, direction, inputs)
    ]
    return Breakdown(spec, tuple(tensors))


def count_params(default_framework: str = "keras", **options: object) -> Breakdown:
    """Count the parameters of a recurrent layer described in the option vocabulary.

    >>> count_params(units=256, input_dim=4096).total
    4457472
    >>> count_params(cell="rnn", units=4, input_dim=3).total
    32
    >>> count_params(units=256, input_size=4096, framework="pytorch").total
    4458496

    Raises :class:`~sphinxcontrib_lstmparams.options.OptionError` (a ValueError) for a bad
    or impossible option, naming the option, the value and what is allowed.
    """
    return count(parse_spec(options, default_framework=default_framework))
