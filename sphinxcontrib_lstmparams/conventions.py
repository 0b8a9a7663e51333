"""What each framework can build and how it lays out a cell (standard library only).

Every fact here was checked against layers built in the real frameworks; the recorded
counts live in ``tests/data/framework_counts.json`` (``scripts/record_framework_counts.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .options import LayerSpec, OptionError

# Gate names in each framework's storage order (the order of the slices of its kernel).
_LSTM_GATES = {
    "keras": ("input", "forget", "cell", "output"),
    "pytorch": ("input", "forget", "cell", "output"),
    "onnx": ("input", "output", "forget", "cell"),
    "tensorflow-v1": ("input", "cell", "forget", "output"),  # TF1 calls the cell gate j
    "flax": ("input", "forget", "cell", "output"),
}
_GRU_GATES = {
    "keras": ("update", "reset", "candidate"),
    "pytorch": ("reset", "update", "candidate"),
    "onnx": ("update", "reset", "candidate"),
    "tensorflow-v1": ("reset", "update", "candidate"),
    "flax": ("reset", "update", "candidate"),
}
PEEPHOLE_GATES = ("input", "forget", "output")

# Frameworks that keep two bias vectors per gate (cuDNN's layout): b_ih and b_hh.
_TWO_BIASES = frozenset({"pytorch", "onnx"})
# Defaults of GRU reset_after: Keras >= 2.x and PyTorch put the reset gate after the
# recurrent matmul; TF1's GRUCell puts it before.
_RESET_AFTER_DEFAULT = {
    "keras": True,
    "pytorch": True,
    "onnx": True,
    "tensorflow-v1": False,
    "flax": True,
}
_NAMES = {
    "keras": "Keras",
    "pytorch": "PyTorch",
    "onnx": "ONNX",
    "tensorflow-v1": "TensorFlow 1 (tf.compat.v1)",
    "flax": "Flax linen",
}


def framework_name(framework: str) -> str:
    return _NAMES[framework]


@dataclass(frozen=True)
class CellLayout:
    """The gates of one cell and the bias vectors each gate has."""

    gates: tuple[str, ...]
    gate_biases: tuple[tuple[str, ...], ...]  # per gate: bias kinds, in order

    @property
    def uniform_biases(self) -> int | None:
        """Bias vectors per gate when every gate has the same number, else None."""
        counts = {len(kinds) for kinds in self.gate_biases}
        return counts.pop() if len(counts) == 1 else None


def _biases(spec: LayerSpec, gate: str) -> tuple[str, ...]:
    if not spec.bias:
        return ()
    if spec.framework in _TWO_BIASES:
        return ("input_bias", "recurrent_bias")
    if spec.cell == "gru" and spec.framework == "keras" and spec.reset_after:
        return ("input_bias", "recurrent_bias")
    if spec.framework == "flax":
        # linen: LSTMCell biases sit on the recurrent Dense layers, SimpleCell's on the input
        # one; GRUCell biases its three input Dense layers plus the candidate's recurrent one.
        if spec.cell == "lstm":
            return ("recurrent_bias",)
        if spec.cell == "gru" and gate == "candidate":
            return ("input_bias", "recurrent_bias")
        return ("input_bias",)
    return ("bias",)


def cell_layout(spec: LayerSpec) -> CellLayout:
    gates: tuple[str, ...]
    if spec.cell == "lstm":
        gates = _LSTM_GATES[spec.framework]
    elif spec.cell == "gru":
        gates = _GRU_GATES[spec.framework]
    else:
        gates = ("hidden",)
    return CellLayout(gates, tuple(_biases(spec, gate) for gate in gates))


def _refuse(option: str, message: str) -> OptionError:
    return OptionError(f"{option}: {message}", option)


def check_supported(spec: LayerSpec) -> LayerSpec:
    """Refuse what the framework cannot build; fill in framework defaults."""
    name = framework_name(spec.framework)
    fw = spec.framework
    if spec.proj_size and spec.cell != "lstm":
        raise _refuse("proj-size", f"applies to LSTM cells only, not {spec.cell}")
    if spec.peepholes and spec.cell != "lstm":
        raise _refuse("peepholes", f"apply to LSTM cells only, not {spec.cell}")
    if spec.reset_after is not None and spec.cell != "gru":
        raise _refuse("reset-after", f"applies to GRU cells only, not {spec.cell}")
    if spec.proj_size and fw not in ("pytorch", "tensorflow-v1"):
        raise _refuse(
            "proj-size",
            f"{name} LSTM has no output projection (PyTorch proj_size and TF1 num_proj have one)",
        )
    if spec.proj_size >= spec.units and fw == "pytorch":
        raise _refuse(
            "proj-size",
            f"PyTorch requires proj_size < hidden_size; got {spec.proj_size} with units "
            f"{spec.units}",
        )
    if spec.peepholes and fw not in ("tensorflow-v1", "onnx"):
        raise _refuse(
            "peepholes",
            f"{name} LSTM has no peephole weights (TF1 use_peepholes and ONNX P have them)",
        )
    if not spec.bias and fw in ("tensorflow-v1", "flax"):
        raise _refuse("bias", f"{name} cells always have biases; 'false' is not available")
    if spec.merge_mode != "concat":
        if fw != "keras":
            raise _refuse(
                "merge-mode", f"only Keras' Bidirectional has merge modes; {name} concatenates"
            )
        if not spec.bidirectional:
            raise _refuse("merge-mode", "applies to bidirectional layers only")
    if spec.cell != "gru":
        return spec
    default = _RESET_AFTER_DEFAULT[fw]
    if spec.reset_after is None:
        return replace(spec, reset_after=default)
    if spec.reset_after != default and fw in ("pytorch", "tensorflow-v1", "flax"):
        where = "after" if default else "before"
        raise _refuse(
            "reset-after",
            f"{name} GRU always applies the reset gate {where} the recurrent matmul "
            f"(reset_after={default})",
        )
    return spec


def layer_input_dims(spec: LayerSpec) -> tuple[int, ...]:
    """Features each stacked layer sees per timestep (per direction)."""
    per_direction = spec.proj_size or spec.units
    # Concatenated directions widen the next layer's input. Keras' sum/mul/ave keep
    # the width, and a TF1 bidirectional pair of MultiRNNCells is two independent stacks.
    widens = spec.merge_mode == "concat" and spec.framework != "tensorflow-v1"
    deeper = per_direction * (spec.directions if widens else 1)
    return (spec.input_dim,) + (deeper,) * (spec.layers - 1)
