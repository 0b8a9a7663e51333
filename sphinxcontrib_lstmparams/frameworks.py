"""One record per framework: what it calls things, how it lays out a recurrent cell, and what
it can build (standard library only).

Every fact here was checked against layers built in the real frameworks; the recorded counts
live in ``tests/data/framework_counts.json`` (``scripts/record_framework_counts.py``). To add a
framework, add its name to :data:`~sphinxcontrib_lstmparams.spec.FrameworkName` and its record
to :data:`FRAMEWORKS`; a test fails until every field is filled and a recorded case exists.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import get_args

from .spec import FrameworkName, Gate, MergeMode, OptionError, RecurrentCell, TensorKind

# Which bias vectors a gate has: (cell, gate, reset_after) -> bias kinds, in storage order.
BiasLayout = Callable[[RecurrentCell, Gate, bool], tuple[TensorKind, ...]]


STANDARD_LSTM: tuple[Gate, ...] = ("input", "forget", "cell", "output")
ALL_MERGE_MODES: tuple[MergeMode, ...] = get_args(MergeMode)
CONCAT_ONLY: tuple[MergeMode, ...] = ("concat",)


@dataclass(frozen=True)
class Framework:
    """What one framework builds, as recorded from its real layers.

    The facts that decide a count have no default. What a framework can build beyond the
    plain layer defaults to "cannot": a record that forgets a feature refuses it with a
    clear message, it never miscounts.
    """

    name: FrameworkName
    title: str  # as a reader knows it
    short: str  # in a sentence that names several frameworks
    gate_order: Mapping[RecurrentCell, tuple[Gate, ...]]  # the slices of its packed kernels
    biases: BiasLayout
    reset_after: bool  # GRU default: reset gate applied after the recurrent matmul
    # cuDNN's layout: every gate keeps an input and a recurrent bias (PyTorch, ONNX)
    two_biases: bool = False
    reset_after_fixed: bool = True  # the GRU has no switch for it
    projection: str | None = None  # its word for an LSTM output projection, if it has one
    projection_below_units: bool = False  # and it must be smaller than the units
    peepholes: str | None = None  # its word for LSTM peephole weights, if it has them
    optional_bias: bool = False  # a use_bias / bias switch
    merge_modes: tuple[MergeMode, ...] = CONCAT_ONLY  # how bidirectional joins its directions
    # a bidirectional stack is two independent stacks (TF1's pair of MultiRNNCells), so a
    # deeper layer sees one direction's output, not both
    independent_direction_stacks: bool = False


def _one_bias(cell: RecurrentCell, gate: Gate, reset_after: bool) -> tuple[TensorKind, ...]:
    return ("bias",)


def _two_biases(cell: RecurrentCell, gate: Gate, reset_after: bool) -> tuple[TensorKind, ...]:
    return ("input_bias", "recurrent_bias")


def _keras_biases(cell: RecurrentCell, gate: Gate, reset_after: bool) -> tuple[TensorKind, ...]:
    # reset_after=True needs the recurrent bias inside r * (U h + b): bias shape (2, 3h)
    return _two_biases(cell, gate, reset_after) if cell == "gru" and reset_after else ("bias",)


def _flax_linen_biases(
    cell: RecurrentCell, gate: Gate, reset_after: bool
) -> tuple[TensorKind, ...]:
    # LSTMCell biases sit on the recurrent Dense layers, SimpleCell's on the input one;
    # GRUCell biases its three input Dense layers plus the candidate's recurrent one.
    if cell == "lstm":
        return ("recurrent_bias",)
    if cell == "gru" and gate == "candidate":
        return ("input_bias", "recurrent_bias")
    return ("input_bias",)


def _flax_nnx_biases(cell: RecurrentCell, gate: Gate, reset_after: bool) -> tuple[TensorKind, ...]:
    # as linen, but GRUCell has one fused input Dense with bias and a recurrent one without:
    # 3h of bias where linen has 4h (the candidate's recurrent bias is gone)
    return ("recurrent_bias",) if cell == "lstm" else ("input_bias",)


FRAMEWORKS: dict[FrameworkName, Framework] = {
    record.name: record
    for record in (
        Framework(
            name="keras",
            title="Keras",
            short="Keras",
            gate_order={
                "lstm": STANDARD_LSTM,
                "gru": ("update", "reset", "candidate"),
                "rnn": ("hidden",),
            },
            biases=_keras_biases,
            reset_after=True,  # since Keras 2.3 / TF 2
            reset_after_fixed=False,
            optional_bias=True,
            merge_modes=ALL_MERGE_MODES,
        ),
        Framework(
            name="pytorch",
            title="PyTorch",
            short="PyTorch",
            gate_order={
                "lstm": STANDARD_LSTM,
                "gru": ("reset", "update", "candidate"),
                "rnn": ("hidden",),
            },
            biases=_two_biases,
            two_biases=True,
            reset_after=True,
            projection="proj_size",
            projection_below_units=True,
            optional_bias=True,
        ),
        Framework(
            name="onnx",
            title="ONNX",
            short="ONNX",
            gate_order={
                "lstm": ("input", "output", "forget", "cell"),
                "gru": ("update", "reset", "candidate"),
                "rnn": ("hidden",),
            },
            biases=_two_biases,  # B is [directions, 2 x gates x h] whatever linear_before_reset
            two_biases=True,
            reset_after=True,
            reset_after_fixed=False,
            peepholes="P",
            optional_bias=True,
            # no projection: both exporters fail or write a broken model (recorded)
        ),
        Framework(
            name="tensorflow-v1",
            title="TensorFlow 1 (tf.compat.v1)",
            short="TF1",
            gate_order={
                "lstm": ("input", "cell", "forget", "output"),  # TF1 calls the cell gate j
                "gru": ("reset", "update", "candidate"),
                "rnn": ("hidden",),
            },
            biases=_one_bias,
            reset_after=False,
            projection="num_proj",
            peepholes="use_peepholes",
            independent_direction_stacks=True,
        ),
        Framework(
            name="flax",
            title="Flax linen",
            short="Flax linen",
            gate_order={
                "lstm": STANDARD_LSTM,
                "gru": ("reset", "update", "candidate"),
                "rnn": ("hidden",),
            },
            biases=_flax_linen_biases,
            reset_after=True,
        ),
        Framework(
            name="flax-nnx",
            title="Flax NNX",
            short="Flax NNX",
            gate_order={
                "lstm": STANDARD_LSTM,
                "gru": ("reset", "update", "candidate"),
                "rnn": ("hidden",),
            },
            biases=_flax_nnx_biases,
            reset_after=True,
        ),
    )
}
FRAMEWORK_NAMES: tuple[FrameworkName, ...] = get_args(FrameworkName)


def framework(name: FrameworkName) -> Framework:
    return FRAMEWORKS[name]


def refuse(option: str, message: str) -> OptionError:
    """The error for an option a framework or a layer kind cannot take."""
    return OptionError(f"{option}: {message}", option)
