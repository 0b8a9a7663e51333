"""One record per framework: what it calls things, how it lays out a recurrent cell, and what
it can build (standard library only).

Every fact here was checked against layers built in the real frameworks; the recorded counts
live in ``tests/data/framework_counts.json`` (``scripts/record_framework_counts.py``), and how
each one packs its gates into stored tensors in ``tests/data/gate_orders.json``
(``scripts/record_gate_orders.py``). To add a framework, add its name to
:data:`~sphinxcontrib_lstmparams.spec.FrameworkName` and its record to :data:`FRAMEWORKS`; a
test fails until every field is filled and a recorded case exists.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import get_args

from .spec import (
    Direction,
    FrameworkName,
    Gate,
    MergeMode,
    OptionError,
    RecurrentCell,
    Refused,
    Shape,
    TensorKind,
)

# Which bias vectors a gate has: (cell, gate, reset_after) -> bias kinds, in storage order.
BiasLayout = Callable[[RecurrentCell, Gate, bool], tuple[TensorKind, ...]]


STANDARD_LSTM: tuple[Gate, ...] = ("input", "forget", "cell", "output")


@dataclass(frozen=True)
class CellLayout:
    """One layer's sizes, as a framework's ``Framework.store`` needs them to name and shape
    its tensors (``storage.py`` fills it in from a spec)."""

    cell: RecurrentCell
    layer: int  # 1-based
    # the directions these tensors hold: one, or every direction for a framework that keeps
    # them in one tensor (Framework.packs_directions)
    directions: tuple[Direction, ...]
    inputs: int  # features this layer sees per step
    units: int
    recurrent: int  # what the recurrent weights read: the units, or the projection size
    projection: int  # 0: no projection
    gates: tuple[Gate, ...]  # in the framework's storage order
    biases: Mapping[Gate, tuple[TensorKind, ...]]  # each gate's bias vectors (none: bias off)
    peepholes: bool

    @property
    def packed(self) -> int:
        """Every gate's units side by side: ``4h`` for an LSTM."""
        return len(self.gates) * self.units


@dataclass(frozen=True)
class Stored:
    """One tensor as a framework stores it: the name it prints, its shape in its own axis order,
    and which gate and which kind of parameter each part of it holds.

    ``gates`` tile ``gate_axis`` in equal blocks, in that order (``gate_axis`` None: the whole
    tensor belongs to ``gates[0]``). ``kinds`` are (kind, extent) runs along ``kind_axis``, one
    after the other: TF1's kernel holds the x rows, then the h rows; ONNX's ``B`` holds ``Wb``,
    then ``Rb`` on its gate axis (``kind_axis`` None: one kind, the extent unused).
    ``direction_axis`` indexes the directions a framework keeps in one tensor (ONNX).
    """

    name: str
    shape: tuple[int, ...]
    gates: tuple[Gate, ...]
    kinds: tuple[tuple[TensorKind, int], ...]
    gate_axis: int | None = None
    kind_axis: int | None = None
    direction_axis: int | None = None


# How a framework stores one layer: its tensors, in the order it lists them.
StoreLayout = Callable[[CellLayout], tuple[Stored, ...]]
# The full name a framework prints for a stored tensor (cell, name, direction, bidirectional),
# for the first layer built on its own with default names.
PrintedName = Callable[[RecurrentCell, str, Direction, bool], str]


def _one(kind: TensorKind) -> tuple[tuple[TensorKind, int], ...]:
    return ((kind, 0),)


def _bias_kinds(layout: CellLayout) -> tuple[TensorKind, ...]:
    """The bias vectors every gate has, for frameworks whose gates all have the same ones."""
    kinds = {layout.biases[gate] for gate in layout.gates}
    if len(kinds) != 1:
        raise ValueError(f"gates with different bias vectors: {layout.biases}")
    return kinds.pop()


# Keras: weight paths `<layer>/<cell>/kernel`; every kernel stacks the gates on its LAST axis.
KERAS_LAYER_NAMES: dict[RecurrentCell, str] = {"lstm": "lstm", "gru": "gru", "rnn": "simple_rnn"}


def _keras_store(layout: CellLayout) -> tuple[Stored, ...]:
    cell = f"{KERAS_LAYER_NAMES[layout.cell]}_cell"
    packed, gates = layout.packed, layout.gates
    tensors = [
        Stored(f"{cell}/kernel", (layout.inputs, packed), gates, _one("input_weights"), 1),
        Stored(
            f"{cell}/recurrent_kernel",
            (layout.recurrent, packed),
            gates,
            _one("recurrent_weights"),
            1,
        ),
    ]
    kinds = _bias_kinds(layout)
    if kinds == ("bias",):
        tensors.append(Stored(f"{cell}/bias", (packed,), gates, _one("bias"), 0))
    elif kinds:  # GRU reset_after=True: bias (2, 3h), the recurrent row inside r * (U h + b)
        rows = tuple((kind, 1) for kind in kinds)
        tensors.append(Stored(f"{cell}/bias", (len(kinds), packed), gates, rows, 1, 0))
    return tuple(tensors)


def _pytorch_store(layout: CellLayout) -> tuple[Stored, ...]:
    # state_dict keys; gates stacked on axis 0 of (gates * h, in) weights
    (direction,) = layout.directions
    suffix = f"_l{layout.layer - 1}" + ("_reverse" if direction == "backward" else "")
    packed, gates = layout.packed, layout.gates
    tensors = [
        Stored(f"weight_ih{suffix}", (packed, layout.inputs), gates, _one("input_weights"), 0),
        Stored(
            f"weight_hh{suffix}", (packed, layout.recurrent), gates, _one("recurrent_weights"), 0
        ),
    ]
    if _bias_kinds(layout):
        tensors.append(Stored(f"bias_ih{suffix}", (packed,), gates, _one("input_bias"), 0))
        tensors.append(Stored(f"bias_hh{suffix}", (packed,), gates, _one("recurrent_bias"), 0))
    if layout.projection:
        shape = (layout.projection, layout.units)
        tensors.append(Stored(f"weight_hr{suffix}", shape, ("projection",), _one("projection")))
    return tuple(tensors)


ONNX_PEEPHOLE_ORDER: tuple[Gate, ...] = ("input", "output", "forget")  # P[iof]


def _onnx_store(layout: CellLayout) -> tuple[Stored, ...]:
    # one LSTM/GRU/RNN node per layer, its inputs W, R, B and P: [directions, gates * h, ...],
    # gates stacked on axis 1, the forward direction at index 0 of axis 0
    count, packed, gates = len(layout.directions), layout.packed, layout.gates
    tensors = [
        Stored("W", (count, packed, layout.inputs), gates, _one("input_weights"), 1, None, 0),
        Stored(
            "R", (count, packed, layout.recurrent), gates, _one("recurrent_weights"), 1, None, 0
        ),
    ]
    if _bias_kinds(layout):  # B = [Wb | Rb]
        halves: tuple[tuple[TensorKind, int], ...] = (
            ("input_bias", packed),
            ("recurrent_bias", packed),
        )
        tensors.append(Stored("B", (count, 2 * packed), gates + gates, halves, 1, 1, 0))
    if layout.peepholes:
        shape = (count, len(ONNX_PEEPHOLE_ORDER) * layout.units)
        tensors.append(Stored("P", shape, ONNX_PEEPHOLE_ORDER, _one("peephole"), 1, None, 0))
    return tuple(tensors)


TF1_CELL_NAMES: dict[RecurrentCell, str] = {
    "lstm": "lstm_cell",
    "gru": "gru_cell",
    "rnn": "basic_rnn_cell",
}


def _tf1_store(layout: CellLayout) -> tuple[Stored, ...]:
    # one kernel (x rows, then h rows) per group of gates, gates on axis 1
    cell = TF1_CELL_NAMES[layout.cell]
    rows: tuple[tuple[TensorKind, int], ...] = (
        ("input_weights", layout.inputs),
        ("recurrent_weights", layout.recurrent),
    )
    height = layout.inputs + layout.recurrent

    def group(scope: str, gates: tuple[Gate, ...]) -> list[Stored]:
        width = len(gates) * layout.units
        return [
            Stored(f"{scope}/kernel", (height, width), gates, rows, 1, 0),
            Stored(f"{scope}/bias", (width,), gates, _one("bias"), 0),
        ]

    if layout.cell == "gru":  # gates/ holds reset and update, candidate/ the candidate
        joint = tuple(gate for gate in layout.gates if gate != "candidate")
        return (*group(f"{cell}/gates", joint), *group(f"{cell}/candidate", ("candidate",)))
    tensors = group(cell, layout.gates)
    if layout.peepholes:
        for gate in ("forget", "input", "output"):  # w_f_diag, w_i_diag, w_o_diag
            name = f"{cell}/w_{gate[0]}_diag"
            tensors.append(Stored(name, (layout.units,), (gate,), _one("peephole")))
    if layout.projection:
        shape = (layout.units, layout.projection)
        tensors.append(
            Stored(f"{cell}/projection/kernel", shape, ("projection",), _one("projection"))
        )
    return tuple(tensors)


def _flax_linen_store(layout: CellLayout) -> tuple[Stored, ...]:
    # one Dense module per gate and input: i<letter> reads x, h<letter> reads h
    if layout.cell == "rnn":  # SimpleCell: Dense `i` (with the bias) and Dense `h`
        rnn: list[Stored] = [
            Stored("i/kernel", (layout.inputs, layout.units), ("hidden",), _one("input_weights"))
        ]
        if "input_bias" in layout.biases["hidden"]:
            rnn.append(Stored("i/bias", (layout.units,), ("hidden",), _one("input_bias")))
        shape = (layout.recurrent, layout.units)
        rnn.append(Stored("h/kernel", shape, ("hidden",), _one("recurrent_weights")))
        return tuple(rnn)
    tensors = []
    letters = dict(zip(layout.gates, FLAX_GATE_LETTERS[layout.cell], strict=True))
    for gate in layout.gates:
        one = (gate,)
        name, biases = letters[gate], layout.biases[gate]
        shape = (layout.inputs, layout.units)
        tensors.append(Stored(f"i{name}/kernel", shape, one, _one("input_weights")))
        if "input_bias" in biases:
            tensors.append(Stored(f"i{name}/bias", (layout.units,), one, _one("input_bias")))
        shape = (layout.recurrent, layout.units)
        tensors.append(Stored(f"h{name}/kernel", shape, one, _one("recurrent_weights")))
        if "recurrent_bias" in biases:
            tensors.append(Stored(f"h{name}/bias", (layout.units,), one, _one("recurrent_bias")))
    return tuple(tensors)


def _flax_nnx_store(layout: CellLayout) -> tuple[Stored, ...]:
    # LSTMCell: linen's Dense per gate, with the forget gate's input one named `if_` (`if` is
    # a Python keyword). GRUCell and SimpleCell: one fused input Dense `dense_i` (with the
    # bias, gates r, z, n along its last axis) and a recurrent `dense_h` without.
    if layout.cell == "lstm":
        return tuple(
            replace(tensor, name=tensor.name.replace("if/", "if_/"))
            for tensor in _flax_linen_store(layout)
        )
    gates, packed = layout.gates, layout.packed
    last, first = (1, 0) if len(gates) > 1 else (None, None)  # SimpleCell: nothing packed
    shape = (layout.inputs, packed)
    tensors = [Stored("dense_i/kernel", shape, gates, _one("input_weights"), last)]
    if any(layout.biases[gate] for gate in gates):
        tensors.append(Stored("dense_i/bias", (packed,), gates, _one("input_bias"), first))
    shape = (layout.recurrent, packed)
    tensors.append(Stored("dense_h/kernel", shape, gates, _one("recurrent_weights"), last))
    return tuple(tensors)


# linen and NNX share the cells' gate order and names (both recorded)
FLAX_GATE_ORDER: dict[RecurrentCell, tuple[Gate, ...]] = {
    "lstm": STANDARD_LSTM,
    "gru": ("reset", "update", "candidate"),
    "rnn": ("hidden",),
}
FLAX_GATE_LETTERS: dict[RecurrentCell, tuple[str, ...]] = {
    "lstm": ("i", "f", "g", "o"),
    "gru": ("r", "z", "n"),
    "rnn": ("h",),
}
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
    # its own letter for each gate, in gate_order (PyTorch i, f, g, o; TF1 i, j, f, o)
    gate_letters: Mapping[RecurrentCell, tuple[str, ...]]
    biases: BiasLayout
    reset_after: bool  # GRU default: reset gate applied after the recurrent matmul
    # its tensors for one layer (and direction): names, shapes, where each gate sits
    store: StoreLayout
    # the full name it prints for one of those tensors, in a layer built on its own with
    # default names (Keras `lstm/lstm_cell/kernel`); the name itself where that is all
    printed_name: PrintedName
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
    # both directions of a layer live in one tensor, on an axis of its own (ONNX)
    packs_directions: bool = False


def _as_named(
    single: str, bidirectional: str, directions: tuple[str, str] = ("forward", "backward")
) -> PrintedName:
    """A framework's printed names: a format for a one-direction layer and one for a
    bidirectional one, with ``{layer}`` (Keras' default layer name), ``{name}`` and
    ``{direction}`` (the framework's word for it) filled in."""

    def printed(cell: RecurrentCell, name: str, direction: Direction, both: bool) -> str:
        word = directions[0] if direction == "forward" else directions[1]
        return (bidirectional if both else single).format(
            layer=KERAS_LAYER_NAMES[cell], name=name, direction=word
        )

    return printed


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
            gate_letters={"lstm": ("i", "f", "c", "o"), "gru": ("z", "r", "h"), "rnn": ("h",)},
            biases=_keras_biases,
            reset_after=True,  # since Keras 2.3 / TF 2
            store=_keras_store,
            # weight.path
            printed_name=_as_named("{layer}/{name}", "bidirectional/{direction}_{layer}/{name}"),
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
            gate_letters={"lstm": ("i", "f", "g", "o"), "gru": ("r", "z", "n"), "rnn": ("h",)},
            biases=_two_biases,
            two_biases=True,
            reset_after=True,
            store=_pytorch_store,
            printed_name=_as_named("{name}", "{name}"),  # state_dict keys
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
            gate_letters={"lstm": ("i", "o", "f", "c"), "gru": ("z", "r", "h"), "rnn": ("i",)},
            biases=_two_biases,  # B is [directions, 2 x gates x h] whatever linear_before_reset
            two_biases=True,
            reset_after=True,
            store=_onnx_store,
            printed_name=_as_named("{name}", "{name}"),  # the operator's inputs
            packs_directions=True,
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
            gate_letters={"lstm": ("i", "j", "f", "o"), "gru": ("r", "u", "c"), "rnn": ("h",)},
            biases=_one_bias,
            reset_after=False,
            store=_tf1_store,
            # variable names under dynamic_rnn and bidirectional_dynamic_rnn
            printed_name=_as_named(
                "rnn/{name}", "bidirectional_rnn/{direction}/{name}", ("fw", "bw")
            ),
            projection="num_proj",
            peepholes="use_peepholes",
            independent_direction_stacks=True,
        ),
        Framework(
            name="flax",
            title="Flax linen",
            short="Flax linen",
            gate_order=FLAX_GATE_ORDER,
            gate_letters=FLAX_GATE_LETTERS,
            biases=_flax_linen_biases,
            reset_after=True,
            store=_flax_linen_store,
            # inside nn.RNN, and nn.Bidirectional(nn.RNN(...), nn.RNN(...))
            printed_name=_as_named("params/cell/{name}", "params/{direction}_rnn/cell/{name}"),
        ),
        Framework(
            name="flax-nnx",
            title="Flax NNX",
            short="Flax NNX",
            gate_order=FLAX_GATE_ORDER,
            gate_letters=FLAX_GATE_LETTERS,
            biases=_flax_nnx_biases,
            reset_after=True,
            store=_flax_nnx_store,
            # inside nnx.RNN, and nnx.Bidirectional(nnx.RNN(...), nnx.RNN(...))
            printed_name=_as_named("cell/{name}", "{direction}_rnn/cell/{name}"),
        ),
    )
}
FRAMEWORK_NAMES: tuple[FrameworkName, ...] = get_args(FrameworkName)


def framework(name: FrameworkName) -> Framework:
    return FRAMEWORKS[name]


def refuse(option: str, message: str) -> OptionError:
    """The error for an option a framework or a layer kind cannot take."""
    return OptionError(f"{option}: {message}", option)


def refused_by(framework: FrameworkName, why: str, says: str | None = None) -> Refused:
    """The error the framework itself raises building a model: why, in our words, then in
    its own (``says``, a part of its message; tests/data/refused_models.json records them)."""
    words = f': "{says}"' if says else ""
    return Refused(f"{why} ({FRAMEWORKS[framework].title} refuses it{words})", why=why)


def check_keras_ndim(expected: int, shape: Shape, reads: str) -> None:
    """Keras checks how many axes a layer's input has (its input_spec) before it builds it."""
    if len(shape) != expected:
        shown = "(" + ", ".join(str(n) for n in shape) + ")"
        raise refused_by(
            "keras",
            f"it reads {reads}, {expected} axes; its input {shown} has {len(shape)}",
            f"expected ndim={expected}, found ndim={len(shape)}",
        )
