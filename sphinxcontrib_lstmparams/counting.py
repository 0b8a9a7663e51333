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

from .constructors import parse_constructor
from .expression import Expr, expand
from .kinds import KINDS, S, all_options, kind_of
from .options import collect, describe, kebab, parse_choice
from .spec import DIRECTIONS, DTYPE_BYTES, STATISTICS, TENSOR_KINDS, OptionError, Tensor


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
        """Every parameter, trainable or not: what the framework's summary reports as Param #."""
        return sum(tensor.count for tensor in self.tensors)

    @property
    def trainable_total(self) -> int:
        """What an optimiser updates: all but the statistics some layers store."""
        return sum(tensor.count for tensor in self.tensors if tensor.trainable)

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
            "trainable": self.trainable_total,
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
                    "trainable": t.trainable,
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
        trainable = where.kind not in STATISTICS
        tensors.append(
            Tensor(where.layer, where.direction, where.gate, where.kind, term.dims, trainable)
        )
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
    layer: str | None = None,
) -> Any:
    """Option words, and a constructor as the framework writes it (``layer``), -> the spec of
    the layer kind that ``cell`` names (an LSTM by default).

    Raises OptionError for an unknown, repeated or bad option, a constructor we cannot read or
    that an option beside it contradicts, or a layer the framework cannot build.
    ``also_known`` names options the caller handles, for the "did you mean" hint.
    """
    items = pairs.items() if isinstance(pairs, Mapping) else pairs
    raw = collect(items, known=all_options(), also_known=also_known)
    if layer is not None:
        raw = with_constructor(layer, raw)
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


def with_constructor(layer: str, raw: Mapping[str, object]) -> dict[str, object]:
    """The options a constructor says, with the options given beside it: those may add what
    the call leaves out (a Keras layer's input width) but not contradict it."""
    framework = raw.get("framework")
    built = parse_constructor(layer, None if framework is None else str(framework).lower())
    merged = {**built.options, "framework": built.framework}
    for name, value in raw.items():
        said = built.options.get(name)
        if name in built.options and _normal(said) != _normal(value):
            raise OptionError(
                f"{kebab(name)}: {describe(value)} disagrees with {built.source}(...), "
                f"which says {describe(said)}",
                kebab(name),
            )
        merged[name] = value
    reads_features = "input_dim" in KINDS[str(merged.get("cell", "lstm"))].options
    if reads_features and "input_dim" not in merged and "input_shape" not in merged:
        raise OptionError(
            f"input-dim is required: {built.source}(...) does not say how many features reach "
            "it; give input-dim beside it, or input_shape=(timesteps, features) in the call",
            "input-dim",
        )
    return merged


def _normal(value: object) -> object:
    """A value however written: ``"256"``, ``256`` and ``"256 "`` alike; ``True``/``"true"``;
    ``(3, 3)``/``"3x3"``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, tuple | list):
        return tuple(_normal(item) for item in value)
    text = str(value).strip().lower().strip("()[]")
    if text in ("true", "yes", "on"):
        return True
    if text in ("false", "no", "off"):
        return False
    pieces = [p for p in text.replace("x", ",").replace(" ", ",").split(",") if p]
    if len(pieces) > 1 and all(p.isdigit() for p in pieces):
        return tuple(int(p) for p in pieces)
    return int(text) if text.isdigit() else text


def count_params(
    layer: str | None = None, /, *, default_framework: str = "keras", **options: object
) -> Breakdown[Any]:
    """Count the parameters of a layer: a constructor as its framework writes it, option words,
    or both.

    >>> count_params(units=256, input_dim=4096).total
    4457472
    >>> count_params(cell="rnn", units=4, input_dim=3).total
    32
    >>> count_params(units=256, input_size=4096, framework="pytorch").total
    4458496
    >>> count_params("nn.LSTM(4096, 256)").total
    4458496
    >>> count_params("keras.layers.LSTM(256)", input_dim=4096).total
    4457472

    Raises :class:`~sphinxcontrib_lstmparams.OptionError` (a ValueError) for a bad or impossible
    option, naming the option, the value and what is allowed.
    """
    return count(parse_spec(options, default_framework=default_framework, layer=layer))


__all__ = ["Breakdown", "count", "count_params", "parse_spec", "tensors_of"]
