"""The words of the model: what a layer is made of, and the one error a bad option raises.

Standard library only, and nothing of ours: every other module may import this one. The
``Literal`` aliases name the allowed values so that ``mypy --strict`` catches a typo such as
``"forgot"`` for a gate; :data:`typing.get_args` turns them into the tuples that parsing and
help texts list.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol, get_args

FrameworkName = Literal["keras", "pytorch", "onnx", "tensorflow-v1", "flax", "flax-nnx"]
RecurrentCell = Literal["lstm", "gru", "rnn"]
MergeMode = Literal["concat", "sum", "mul", "ave"]
DType = Literal["float32", "float16", "bfloat16", "float64", "int8"]
Direction = Literal["forward", "backward"]
# LSTM gates, GRU gates, the simple RNN's one transform, an LSTM's projection, and "layer"
# for a layer kind without gates (its tensors belong to the layer as a whole).
Gate = Literal[
    "input",
    "forget",
    "cell",
    "output",
    "update",
    "reset",
    "candidate",
    "hidden",
    "projection",
    "layer",
    # the parts of layers made of parts (attention, transformers, separable convolutions):
    # each kind names them as its framework does (kinds/named.py)
    "query",
    "key",
    "value",
    "attention_gate",
    "attention_output",
    "cross_query",
    "cross_key",
    "cross_value",
    "cross_output",
    "feedforward",
    "feedforward_output",
    "norm1",
    "norm2",
    "norm3",
    "final_norm",
    "depthwise",
    "pointwise",
    "score",
]
# In the order a framework lists a gate's tensors.
TensorKind = Literal[
    "input_weights",
    "recurrent_weights",
    "bias",
    "input_bias",
    "recurrent_bias",
    "peephole",
    "projection",
    "embeddings",  # an embedding table
    "scale",  # a normalisation's gamma
    "offset",  # and its beta
    "moving_mean",  # Keras BatchNormalization's statistics: weights, but not trainable
    "moving_variance",
    "mean",  # Keras Normalization's statistics (with its count): weights, not trained
    "variance",
    "count",
    "slope",  # PReLU's learned negative slopes (Keras alpha, PyTorch weight)
    "kv_bias",  # PyTorch MultiheadAttention's add_bias_kv: a bias row added to keys, values
]
# What the directive can show, in the order ``:show: all`` writes them.
Part = Literal["answer", "table", "formula", "notes", "diagram", "storage"]

# What a model summary can show: the framework's table, its own text, the breakdowns.
ModelPart = Literal["summary", "printed", "breakdowns"]
MODEL_PARTS: tuple[ModelPart, ...] = get_args(ModelPart)
DEFAULT_MODEL_PARTS: tuple[ModelPart, ...] = ("summary", "breakdowns")

TENSOR_KINDS: tuple[TensorKind, ...] = get_args(TensorKind)
BIAS_KINDS: frozenset[TensorKind] = frozenset(
    {"bias", "input_bias", "recurrent_bias", "offset", "kv_bias"}
)
# weights a framework counts but does not train
STATISTICS: frozenset[TensorKind] = frozenset(
    {"moving_mean", "moving_variance", "mean", "variance", "count"}
)
DIRECTIONS: tuple[Direction, ...] = get_args(Direction)
PARTS: tuple[Part, ...] = get_args(Part)
# What a directive without ``:show:`` writes (config ``lstmparams_show``); the cell diagram
# and the storage map are asked for by name.
DEFAULT_PARTS: tuple[Part, ...] = ("answer", "table", "formula", "notes")
# The parts that can carry the author's caption and name, first come first served: adding a
# diagram or a storage map to a directive never moves them off its table.
CAPTIONED: tuple[Part, ...] = ("table", "diagram", "storage")


def captioned_part(parts: tuple[Part, ...]) -> Part | None:
    """The part that gets ``:caption:`` and ``:name:``: the table, else the diagram, else the
    storage map (None: none of them is shown)."""
    return next((part for part in CAPTIONED if part in parts), None)


DTYPE_BYTES: dict[DType, int] = {
    "float32": 4,
    "float16": 2,
    "bfloat16": 2,
    "float64": 8,
    "int8": 1,
}

# A tensor's shape in a model, the batch axis first; None where it is not known.
Shape = tuple[int | None, ...]

# Labels go through a gettext callable handed in by the caller (Sphinx's catalog in a build,
# the identity on the command line), so no module below Sphinx needs Sphinx to translate.
Gettext = Callable[[str], str]


def untranslated(message: str) -> str:
    return message


class OptionError(ValueError):
    """A bad option; ``option`` is its kebab-case name (None when no option is to blame)."""

    def __init__(self, message: str, option: str | None = None) -> None:
        super().__init__(message)
        self.option = option


class NotFollowed(OptionError):
    """A size beyond what a model summary follows (``RepeatVector(10**40)``, a size the code
    computes from what cannot be known): the layer's row says so, and the shapes after it are
    not known. (A kind's other OptionError from ``output_shape`` only leaves the shape
    unknown.)"""


class Refused(OptionError):
    """What the framework itself would raise for a layer or a step (not a limit of ours): a
    model with it would not build, so its summary has no total. ``why`` is the reason in our
    words, without the framework's (``frameworks.refused_by`` puts them together)."""

    def __init__(self, message: str, option: str | None = None, why: str | None = None) -> None:
        super().__init__(message, option)
        self.why = message if why is None else why


class Spec(Protocol):
    """What every layer kind's validated options have in common."""

    @property
    def cell(self) -> str: ...
    @property
    def framework(self) -> FrameworkName: ...
    @property
    def timesteps(self) -> int | None: ...
    @property
    def dtype(self) -> DType: ...


@dataclass(frozen=True)
class LayerSpec:
    """A recurrent layer (or stack) as one framework would build it: the directive's options,
    validated. ``reset_after`` is ``None`` only until the framework's default is filled in, and
    ``timesteps`` is ``None`` when not given. Instances are frozen."""

    cell: RecurrentCell
    units: int
    input_dim: int
    framework: FrameworkName = "keras"
    layers: int = 1
    bidirectional: bool = False
    bias: bool = True
    proj_size: int = 0
    peepholes: bool = False
    reset_after: bool | None = None  # None: the framework's default (GRU only)
    merge_mode: MergeMode = "concat"
    timesteps: int | None = None
    dtype: DType = "float32"

    @property
    def directions(self) -> int:
        """2 when bidirectional, else 1."""
        return 2 if self.bidirectional else 1

    @property
    def bytes_per_param(self) -> int:
        """The size of one parameter at ``dtype``."""
        return DTYPE_BYTES[self.dtype]


@dataclass(frozen=True)
class Tensor:
    """One weight matrix or bias vector, for one gate of one layer and direction.

    ``shape`` is ``(inputs, outputs)`` for a matrix, as in ``x @ W``, and ``(units,)`` for a
    vector. ``kind`` is one of ``input_weights``, ``recurrent_weights``, ``bias``,
    ``input_bias``, ``recurrent_bias``, ``peephole`` and ``projection``."""

    layer: int  # 1-based
    direction: Direction
    gate: Gate  # "input", "forget", ..., "hidden" for a simple RNN, "projection"
    kind: TensorKind
    shape: tuple[int, ...]  # (inputs, outputs) for matrices, as in x @ W
    trainable: bool = True  # False for statistics a framework stores, or a frozen layer

    @property
    def count(self) -> int:
        """The number of parameters: the product of ``shape``."""
        return math.prod(self.shape)

    @property
    def is_bias(self) -> bool:
        """Whether this is a bias vector."""
        return self.kind in BIAS_KINDS
