#!/usr/bin/env python3
"""Record, by experiment, how real frameworks pack the gates of recurrent layers into tensors.

The output, ``tests/data/gate_orders.json``, is the ground truth behind the package's "storage
map": for each framework and cell, which slice of which stored tensor drives which gate, along
which axis, and with which GRU reset/bias semantics.  Nothing in it is copied from documentation:
every order was found by running the framework.

Method (the same for every case): build the layer in the framework, overwrite *every* stored
tensor with seeded random values, run it on a seeded random input sequence from a zero initial
state, and compare its outputs with a NumPy reference cell under *every* hypothesis:

* every permutation of the gates over the blocks of the packed tensors (24 for an LSTM, 6 for a
  GRU; per-gate tensors such as Flax's ``ii``/``if``/... are assigned to gates the same way);
* every injection of partial families (peephole vectors, Flax's single ``hn`` bias) into the
  gates;
* every structural variant that matters: a constant forget-gate bias of 0 or 1 (TF1's and Flax
  ConvLSTMCell's ``forget_bias``), whether the output-gate peephole sees the new or the old cell
  state, GRU reset applied before or after the recurrent matmul, whether the update gate keeps the
  previous state or the candidate, which bias row/half sits inside the reset product, and whether
  TF1's concatenated kernel holds the ``x`` rows or the ``h`` rows first.

Exactly one hypothesis must match the framework to ``TOLERANCE`` (1e-5 absolute); the script
fails otherwise.  Then each tensor family is re-proved on its own: with all other families at the
solution, every alternative assignment of that family alone must fail.  The recorded ``method``
gives the order of magnitude of the winning error and of the best losing one.

Where both halves of a bias only ever enter as a sum (LSTM ``b_ih + b_hh``, ONNX LSTM
``Wb + Rb``, GRU biases under reset-before), which half is which cannot be observed; the script
still proves each half's gate order, and the half's *name* comes from the cited source.

Frameworks (the ``framework`` key, as in ``framework_counts.json``):

* ``keras``          Keras 3, ``KERAS_BACKEND=torch``: LSTM, GRU (reset_after True/False),
                     SimpleRNN, Bidirectional(LSTM), ConvLSTM2D; ``weight.path`` names.
* ``pytorch``        ``torch.nn.LSTM/GRU/RNN``, 1 layer and 2 bidirectional layers, LSTM
                     ``proj_size``; ``state_dict`` keys.
* ``onnx``           Hand-built ``LSTM``/``GRU``/``RNN`` nodes (``onnx.helper``) run in
                     onnxruntime and cross-checked with ``onnx.reference``; plus how
                     ``torch.onnx.export`` (legacy exporter) reorders PyTorch's blocks, found by
                     comparing the exported arrays with the module's.
* ``tensorflow-v1``  ``tf.compat.v1.nn.rnn_cell`` LSTMCell (plain; peepholes + num_proj),
                     BasicLSTMCell, GRUCell, BasicRNNCell under ``dynamic_rnn``.
* ``flax``           Flax linen LSTMCell, OptimizedLSTMCell, GRUCell, SimpleCell, ConvLSTMCell in
                     ``nn.RNN``.
* ``flax-nnx``       Flax NNX LSTMCell, OptimizedLSTMCell, GRUCell, SimpleCell in ``nnx.RNN``.

Each framework runs in its own subprocess (``--worker``), as in record_framework_counts.py.

Setup: the same venv as scripts/record_framework_counts.py (see its docstring; torch 2.13.0+cpu,
keras 3.15.1, onnx 1.23.2, onnxruntime 1.32.0, tensorflow 2.21.0 + tf_keras, jax 0.10.2,
flax 0.12.8).

Rerun (from the repository root)::

    /work/fwvenv/bin/python scripts/record_gate_orders.py
    /work/fwvenv/bin/python scripts/record_gate_orders.py --framework onnx

With ``--framework`` only the named frameworks are re-probed; the others are kept from the
existing output.  Output is deterministic (seeded, sorted keys, errors rounded to a power of ten).

Case format::

    {"framework": "pytorch", "cell": "lstm", "api": "torch.nn.LSTM",
     "options": {"units": 5, "input_dim": 3},
     "gate_order": ["input", "forget", "cell", "output"], "packed": true,
     "framework_gate_letters": ["i", "f", "g", "o"],
     "tensors": [{"name": "weight_ih_l0", "shape": [20, 3], "axis": 0, "block": 5,
                  "gates": ["input", "forget", "cell", "output"], "role": "input weights"}, ...],
     "semantics": {"forget_bias_constant": 0.0},
     "method": "permutation match ...", "hypotheses": 48, "family_checks": 96,
     "source": ["torch/nn/modules/rnn.py:933: `(W_ii|W_if|W_ig|W_io)`, of shape ..."]}

``gate_order`` is the storage order of the input weights (for per-gate tensors, the order in
which the framework's source defines them; ``packed`` false, and ``gate_of_tensor`` maps each
tensor to its gate).  ``semantics`` is the winning structural hypothesis.  ONNX cases add
``node_attributes``, exported ones ``export_from_pytorch`` (for each ONNX block, the index of
the PyTorch block it copies).
``gates`` lists the gate of each ``block``-wide slice along ``axis`` (``axis`` null: the whole
tensor belongs to one gate).  ``role`` says what the slices are (input/recurrent weights,
input/recurrent bias, peephole, projection); tensors whose blocks differ in role carry
``block_roles`` instead.  Gate words: LSTM input, forget, cell (the candidate: PyTorch g, TF1 j,
ONNX c), output; GRU update (z; TF1 u), reset (r), candidate (PyTorch n, Keras/ONNX h);
simple RNN hidden.
"""

from __future__ import annotations

import inspect
import itertools
import json
import math
import os
import tempfile
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from recording import command_line, kept_records, run_workers, write_records

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "tests" / "data" / "gate_orders.json"
FRAMEWORKS: tuple[str, ...] = ("keras", "pytorch", "onnx", "tensorflow-v1", "flax", "flax-nnx")

GATES: dict[str, tuple[str, ...]] = {
    "lstm": ("input", "forget", "cell", "output"),
    "gru": ("update", "reset", "candidate"),
    "rnn": ("hidden",),
}
# Sizes: distinct so that no shape is ambiguous (i != h != p, G*h distinct from everything).
BATCH, STEPS, INPUT, UNITS, PROJ = 2, 4, 3, 5, 2
SPATIAL, KERNEL = (4, 6), (3, 5)  # conv cells: non-square image and kernel
SCALE = 0.6  # weights ~ N(0, SCALE^2): gates stay unsaturated, so wrong orders show
TOLERANCE = 1e-5
ROLE_WORDS = {
    "W": "input weights",
    "U": "recurrent weights",
    "b": "bias",
    "b_in": "input bias",
    "b_rec": "recurrent bias",
    "peep": "peephole",
    "proj": "projection",
}
Case = dict[str, Any]


# --------------------------------------------------------------------------------------------
# the NumPy reference
# --------------------------------------------------------------------------------------------


def conv_same(x: Any, kernel: Any) -> Any:
    """Cross-correlation with 'same' padding, stride 1: x (B, H, W, C), kernel (kh, kw, C, F)."""
    import numpy as np

    kh, kw = kernel.shape[:2]
    assert kh % 2 == 1 and kw % 2 == 1, kernel.shape
    height, width = x.shape[1:3]
    xp = np.pad(x, ((0, 0), (kh // 2, kh // 2), (kw // 2, kw // 2), (0, 0)))
    out = np.zeros((*x.shape[:3], kernel.shape[3]))
    for dy in range(kh):
        for dx in range(kw):
            out += xp[:, dy : dy + height, dx : dx + width, :] @ kernel[dy, dx]
    return out


def lin(x: Any, m: Any) -> Any:
    """x @ m for (in, out) matrices; 'same' convolution for (kh, kw, in, out) kernels."""
    return x @ m if m.ndim == 2 else conv_same(x, m)


def sigmoid(a: Any) -> Any:
    import numpy as np

    return 1.0 / (1.0 + np.exp(-a))


def run_cell(cell: str, p: dict[str, Any], s: dict[str, Any], seq: Any) -> Any:
    """Run one cell over seq (B, T, ..., in) from a zero state; return outputs (B, T, ..., out).

    p[role][gate] holds canonical arrays: W/U as (in, h) matrices or (kh, kw, in, h) kernels,
    b/b_in/b_rec/peep as (h,) vectors; p["proj"] a (h, p) matrix.  s holds the structural
    hypothesis (forget_bias_constant, output_peephole, reset, update_gate_keeps).
    """
    import numpy as np

    gates = GATES[cell]
    units = p["W"][gates[0]].shape[-1]
    out_units = p["proj"].shape[1] if "proj" in p else units
    spatial = seq.shape[2:-1]
    h = np.zeros((seq.shape[0], *spatial, out_units))
    c = np.zeros((seq.shape[0], *spatial, units))

    def get(role: str, gate: str) -> Any:
        return p.get(role, {}).get(gate, 0.0)

    outs = []
    for t in range(seq.shape[1]):
        x = seq[:, t]
        if cell == "lstm":
            a = {
                g: lin(x, p["W"][g])
                + lin(h, p["U"][g])
                + get("b", g)
                + get("b_in", g)
                + get("b_rec", g)
                for g in gates
            }
            i = sigmoid(a["input"] + get("peep", "input") * c)
            f = sigmoid(a["forget"] + s["forget_bias_constant"] + get("peep", "forget") * c)
            new_c = f * c + i * np.tanh(a["cell"])
            seen = new_c if s.get("output_peephole", "new cell") == "new cell" else c
            o = sigmoid(a["output"] + get("peep", "output") * seen)
            c = new_c
            h = o * np.tanh(c)
            if "proj" in p:
                h = h @ p["proj"]
        elif cell == "gru":
            a = {g: lin(x, p["W"][g]) + get("b", g) + get("b_in", g) for g in ("update", "reset")}
            z = sigmoid(a["update"] + lin(h, p["U"]["update"]) + get("b_rec", "update"))
            r = sigmoid(a["reset"] + lin(h, p["U"]["reset"]) + get("b_rec", "reset"))
            xn = lin(x, p["W"]["candidate"]) + get("b", "candidate") + get("b_in", "candidate")
            if s["reset"] == "after":
                n = np.tanh(xn + r * (lin(h, p["U"]["candidate"]) + get("b_rec", "candidate")))
            else:
                n = np.tanh(xn + lin(r * h, p["U"]["candidate"]) + get("b_rec", "candidate"))
            if s["update_gate_keeps"] == "previous state":
                h = z * h + (1 - z) * n
            else:
                h = (1 - z) * h + z * n
        else:
            g = "hidden"
            bias = get("b", g) + get("b_in", g) + get("b_rec", g)
            h = np.tanh(lin(x, p["W"][g]) + lin(h, p["U"][g]) + bias)
        outs.append(h)
    return np.stack(outs, axis=1)


def reference(
    cell: str,
    params: dict[tuple[int, int], dict[str, Any]],
    s: dict[str, Any],
    x: Any,
    layers: int,
    directions: int,
) -> dict[str, Any]:
    """Stacked (bidirectional: concat [fw, bw]) reference; the top layer's time-aligned outputs."""
    import numpy as np

    inp = x.astype(np.float64)
    outs: list[Any] = []
    for layer in range(layers):
        outs = []
        for d in range(directions):
            seq = inp if d == 0 else inp[:, ::-1]
            y = run_cell(cell, params[(layer, d)], s, seq)
            outs.append(y if d == 0 else y[:, ::-1])
        inp = np.concatenate(outs, axis=-1)
    return {"fw": outs[0], "bw": outs[1]} if directions == 2 else {"fw": outs[0]}


# --------------------------------------------------------------------------------------------
# the hypothesis search
# --------------------------------------------------------------------------------------------


@dataclass
class Family:
    """Slots of one role (one layer and direction), in storage order, as canonical arrays."""

    role: str
    slots: list[Any]
    labels: list[tuple[str, int | None]]  # (tensor name, block index or None for whole tensor)
    layer: int = 0
    direction: int = 0
    word: str | None = None  # recorded role, when the name says more than the probe can


@dataclass
class Probe:
    framework: str
    cell: str
    api: str
    options: dict[str, Any]
    x: Any
    y: dict[str, Any]
    tensors: list[tuple[str, list[int], int | None]]  # name, shape, gate axis (None: whole)
    families: Callable[[dict[str, Any]], list[Family]]
    structs: list[dict[str, Any]]
    letters: dict[str, str]
    source: list[str]
    layers: int = 1
    directions: int = 1
    block: int = UNITS
    extras: Callable[[dict[str, Any]], dict[str, dict[str, Any]]] | None = None
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def product(**axes: list[Any]) -> list[dict[str, Any]]:
    """All combinations of the keyword lists, as dicts (stable order)."""
    keys = list(axes)
    return [dict(zip(keys, combo, strict=True)) for combo in itertools.product(*axes.values())]


def bucket(err: float, up: bool) -> str:
    """A power of ten bounding err (up: >= err; else <= err), for deterministic output."""
    if err == 0:
        return "0"
    exp = math.ceil(math.log10(err)) if up else math.floor(math.log10(err))
    return f"1e{exp}"


def prove(probe: Probe) -> Case:
    gates = GATES[probe.cell]

    def assign_params(
        fams: list[Family], assignment: list[tuple[str | None, ...]]
    ) -> dict[tuple[int, int], dict[str, Any]]:
        params: dict[tuple[int, int], dict[str, Any]] = {
            (layer, d): {} for layer in range(probe.layers) for d in range(probe.directions)
        }
        for fam, gate_tuple in zip(fams, assignment, strict=True):
            p = params[(fam.layer, fam.direction)]
            if fam.role == "proj":
                p["proj"] = fam.slots[0]
                continue
            role = p.setdefault(fam.role, {})
            for arr, gate in zip(fam.slots, gate_tuple, strict=True):
                assert gate is not None
                role[gate] = role[gate] + arr if gate in role else arr
        return params

    def error(fams: list[Family], assignment: list[tuple[str | None, ...]], s: dict) -> float:
        import numpy as np

        params = assign_params(fams, assignment)
        ref = reference(probe.cell, params, s, probe.x, probe.layers, probe.directions)
        return max(float(np.max(np.abs(ref[k] - probe.y[k]))) for k in probe.y)

    def choices(fam: Family) -> list[tuple[str | None, ...]]:
        if fam.role == "proj":
            return [(None,)]
        return list(itertools.permutations(gates, len(fam.slots)))

    results: list[tuple[float, int, list[tuple[str | None, ...]]]] = []
    for s_index, s in enumerate(probe.structs):
        fams = probe.families(s)
        # Full families share one permutation; partial ones share one injection per role.
        partial_roles = sorted(
            {f.role for f in fams if f.role != "proj" and len(f.slots) < len(gates)}
        )
        partial_choices = [
            choices(next(f for f in fams if f.role == r and len(f.slots) < len(gates)))
            for r in partial_roles
        ]
        for perm in itertools.permutations(gates):
            for combo in itertools.product(*partial_choices):
                by_role = dict(zip(partial_roles, combo, strict=True))
                assignment: list[tuple[str | None, ...]] = []
                for f in fams:
                    if f.role == "proj":
                        assignment.append((None,))
                    elif len(f.slots) == len(gates):
                        assignment.append(perm)
                    else:
                        assert len(by_role[f.role]) == len(f.slots), f.role
                        assignment.append(by_role[f.role])
                results.append((error(fams, assignment, s), s_index, assignment))
    matches = [r for r in results if r[0] < TOLERANCE]
    if len(matches) != 1:
        best = sorted(results, key=lambda r: r[0])[:3]
        raise AssertionError(
            f"{probe.framework} {probe.api}: {len(matches)} hypotheses match; best: "
            + "; ".join(f"{e:.2e} {probe.structs[i]} {a}" for e, i, a in best)
        )
    err, s_index, solution = matches[0]
    losers = min((r[0] for r in results if r[0] >= TOLERANCE), default=math.inf)
    s = probe.structs[s_index]
    fams = probe.families(s)

    # Each family alone: only its solution assignment may match, all others fixed.
    family_checks = 0
    for k, fam in enumerate(fams):
        alternatives = choices(fam)
        if len(alternatives) < 2:
            continue
        ok = []
        for alt in alternatives:
            trial = list(solution)
            trial[k] = alt
            e = error(fams, trial, s)
            family_checks += 1
            if e < TOLERANCE:
                ok.append(alt)
            else:
                losers = min(losers, e)
        if ok != [solution[k]]:
            raise AssertionError(f"{probe.api}: family {fam.role} {fam.labels} not unique: {ok}")

    # Per tensor: gate and role of each block.
    shapes = {name: (shape, axis) for name, shape, axis in probe.tensors}
    blocks: dict[str, dict[int | None, tuple[str | None, set[str]]]] = {n: {} for n in shapes}
    for fam, gate_tuple in zip(fams, solution, strict=True):
        for (name, block), gate in zip(fam.labels, gate_tuple, strict=True):
            prev_gate, roles = blocks[name].get(block, (gate, set()))
            if prev_gate != gate:
                raise AssertionError(f"{name} block {block}: {prev_gate} vs {gate}")
            blocks[name][block] = (gate, roles | {fam.word or ROLE_WORDS[fam.role]})
    extras = probe.extras(s) if probe.extras else {}
    tensors = []
    for name, (shape, axis) in shapes.items():
        entry: dict[str, Any] = {"name": name, "shape": shape, "axis": axis}
        b = blocks[name]
        if axis is None:
            assert list(b) == [None], (name, b)
            gate, roles = b[None]
            entry["gates"] = [gate] if gate else []
        else:
            assert sorted(b) == list(range(len(b))), (name, sorted(b))
            entry["block"] = probe.block
            entry["gates"] = [b[k][0] for k in range(len(b))]
            roles = set().union(*(b[k][1] for k in range(len(b))))
            per_block = [" + ".join(sorted(b[k][1])) for k in range(len(b))]
            if len(set(per_block)) > 1:
                entry["block_roles"] = per_block
        if "block_roles" not in entry:
            entry["role"] = " + ".join(sorted(roles))
        entry.update(extras.get(name, {}))
        tensors.append(entry)

    # Storage order of the (first) input-weight family: blocks of one packed tensor, or the
    # framework's per-gate modules in the order its source defines them.
    k_w = next(k for k, f in enumerate(fams) if f.role == "W")
    order = [g for g in solution[k_w] if g is not None]
    packed = len({name for name, _ in fams[k_w].labels}) == 1
    case: Case = {
        "framework": probe.framework,
        "cell": probe.cell,
        "api": probe.api,
        "options": probe.options,
        "gate_order": order,
        "framework_gate_letters": [probe.letters[g] for g in order],
        "packed": packed,
        "tensors": tensors,
        "semantics": s,
        "method": (
            f"permutation match against a NumPy reference, seeded random weights and input "
            f"({BATCH}x{STEPS} steps from a zero state); matching hypothesis max abs error "
            f"<= {bucket(err, up=True)}, "
            + (
                f"best non-matching hypothesis >= {bucket(losers, up=False)}"
                if math.isfinite(losers)
                else "no other hypothesis (a single gate)"
            )
        ),
        "hypotheses": len(results),
        "family_checks": family_checks,
        "source": probe.source,
    }
    if not packed and all(len(t["gates"]) <= 1 for t in tensors):
        case["gate_of_tensor"] = {t["name"]: t["gates"][0] for t in tensors if len(t["gates"]) == 1}
    case.update(probe.extra)
    if probe.notes:
        case["notes"] = probe.notes
    return case


# --------------------------------------------------------------------------------------------
# shared helpers for the workers
# --------------------------------------------------------------------------------------------


def site_relative(path: str) -> str:
    parts = Path(path).resolve().parts
    if "site-packages" in parts:
        return "/".join(parts[parts.index("site-packages") + 1 :])
    return Path(path).name


def cite(obj_or_path: Any, snippet: str) -> str:
    """'pkg/file.py:LINE: text' for the first line of a source file containing snippet."""
    path = obj_or_path if isinstance(obj_or_path, str) else inspect.getsourcefile(obj_or_path)
    assert path, obj_or_path
    for number, line in enumerate(Path(path).read_text().splitlines(), start=1):
        if snippet in line:
            return f"{site_relative(path)}:{number}: {line.strip()}"
    raise AssertionError(f"{snippet!r} not in {path}")


def rand(rng: Any, shape: Iterable[int]) -> Any:
    import numpy as np

    return (rng.standard_normal(tuple(shape)) * SCALE).astype(np.float32)


def split_blocks(arr: Any, axis: int, n: int, transpose: bool = False) -> list[Any]:
    """n equal blocks of arr along axis, as float64; transposed for (h, in) storage."""
    import numpy as np

    out = [np.asarray(b, dtype=np.float64) for b in np.split(arr, n, axis=axis)]
    return [b.T for b in out] if transpose else out


def family(
    role: str,
    name: str,
    arr: Any,
    axis: int,
    n: int,
    transpose: bool = False,
    layer: int = 0,
    direction: int = 0,
    offset: int = 0,
) -> Family:
    return Family(
        role,
        split_blocks(arr, axis, n, transpose),
        [(name, offset + k) for k in range(n)],
        layer,
        direction,
    )


def whole(role: str, items: list[tuple[str, Any]], layer: int = 0, direction: int = 0) -> Family:
    """A family of whole tensors, one gate each (Flax per-gate Dense layers, TF1 peepholes)."""
    import numpy as np

    return Family(
        role,
        [np.asarray(a, dtype=np.float64) for _, a in items],
        [(n, None) for n, _ in items],
        layer,
        direction,
    )


def lstm_structs(**more: list[Any]) -> list[dict[str, Any]]:
    return product(forget_bias_constant=[0.0, 1.0], **more)


def gru_structs(**more: list[Any]) -> list[dict[str, Any]]:
    return product(
        reset=["after", "before"], update_gate_keeps=["previous state", "candidate"], **more
    )


def cell_structs(cell: str, **more: list[Any]) -> list[dict[str, Any]]:
    if cell == "lstm":
        return lstm_structs(**more)
    if cell == "gru":
        return gru_structs(**more)
    return product(**more)


def jax_path_name(path: tuple[Any, ...], drop: tuple[str, ...] = ()) -> str:
    parts: list[str] = []
    for entry in path:
        for attr in ("key", "name", "idx"):
            if hasattr(entry, attr):
                part = str(getattr(entry, attr))
                break
        else:
            part = str(entry)
        if part not in drop:
            parts.append(part)
    return "/".join(parts)


# --------------------------------------------------------------------------------------------
# pytorch
# --------------------------------------------------------------------------------------------


def worker_pytorch() -> dict[str, Any]:
    import numpy as np
    import torch

    torch.manual_seed(0)
    src = inspect.getsourcefile(torch.nn.LSTM)
    assert src
    classes = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}
    letters = {
        "lstm": {"input": "i", "forget": "f", "cell": "g", "output": "o"},
        "gru": {"reset": "r", "update": "z", "candidate": "n"},
        "rnn": {"hidden": "h"},
    }
    sources = {
        "lstm": [
            cite(src, "`(W_ii|W_if|W_ig|W_io)`"),
            cite(src, "`(b_hi|b_hf|b_hg|b_ho)`"),
            cite(src, "g_t = \\tanh(W_{ig} x_t"),
        ],
        "gru": [
            cite(src, "(W_ir|W_iz|W_in)"),
            cite(src, "(b_hr|b_hz|b_hn)"),
            cite(src, "n_t = \\tanh(W_{in} x_t + b_{in} + r_t \\odot (W_{hn}"),
            cite(src, "h_t = (1 - z_t) \\odot n_t + z_t \\odot h_{(t-1)}"),
        ],
        "rnn": [cite(src, "h_t = \\tanh(x_t W_{ih}^T + b_{ih} + h_{t-1}W_{hh}^T + b_{hh})")],
    }

    def probe(cell: str, layers: int, bidirectional: bool, proj: int, seed: int) -> Probe:
        kwargs: dict[str, Any] = {"num_layers": layers, "bidirectional": bidirectional}
        if proj:
            kwargs["proj_size"] = proj
        m = classes[cell](INPUT, UNITS, batch_first=True, **kwargs)
        rng = np.random.default_rng(seed)
        arrays: dict[str, Any] = {}
        with torch.no_grad():
            for name, prm in m.named_parameters():
                a = rand(rng, prm.shape)
                prm.copy_(torch.from_numpy(a))
                arrays[name] = a
        assert list(arrays) == list(m.state_dict())
        x = rand(rng, (BATCH, STEPS, INPUT)) / SCALE
        with torch.no_grad():
            out = m(torch.from_numpy(x))[0].numpy()
        width = proj or UNITS
        y = {"fw": out[..., :width]}
        if bidirectional:
            y["bw"] = out[..., width:]
        n = len(GATES[cell])

        def families(s: dict[str, Any]) -> list[Family]:
            fams = []
            for layer in range(layers):
                for d in range(2 if bidirectional else 1):
                    sfx = f"_l{layer}" + ("_reverse" if d else "")
                    kw = {"layer": layer, "direction": d}
                    for role, key in (("W", "weight_ih"), ("U", "weight_hh")):
                        name = key + sfx
                        fams.append(family(role, name, arrays[name], 0, n, transpose=True, **kw))
                    for key in ("bias_ih", "bias_hh"):
                        name = key + sfx
                        role = "b"
                        if cell == "gru":
                            inside = s["bias_inside_reset"] == key
                            role = "b_rec" if inside else "b_in"
                        fams.append(family(role, name, arrays[name], 0, n, **kw))
                        if cell != "gru":  # b_ih + b_hh: only the sum is observable
                            fams[-1].word = ROLE_WORDS["b_in" if key == "bias_ih" else "b_rec"]
                    if proj:
                        name = "weight_hr" + sfx
                        fams.append(Family("proj", [arrays[name].T.astype(float)], [(name, None)]))
                        fams[-1].layer, fams[-1].direction = layer, d
            return fams

        tensors = [
            (name, list(a.shape), None if name.startswith("weight_hr") else 0)
            for name, a in arrays.items()
        ]
        structs = cell_structs(cell)
        if cell == "gru":
            structs = gru_structs(bias_inside_reset=["bias_hh", "bias_ih"])
        opts: dict[str, Any] = {"units": UNITS, "input_dim": INPUT}
        if layers > 1:
            opts["layers"] = layers
        if bidirectional:
            opts["bidirectional"] = True
        if proj:
            opts["proj_size"] = proj
        source = list(sources[cell])
        if proj:
            source.append(cite(src, "weight_hr_l[k] : the learnable projection weights"))
        return Probe(
            "pytorch",
            cell,
            f"torch.nn.{classes[cell].__name__}",
            opts,
            x,
            y,
            tensors,
            families,
            structs,
            letters[cell],
            source,
            layers=layers,
            directions=2 if bidirectional else 1,
        )

    probes = []
    seed = 100
    for cell in ("lstm", "gru", "rnn"):
        for layers, bidirectional in ((1, False), (2, True)):
            probes.append(probe(cell, layers, bidirectional, 0, seed))
            seed += 1
    probes.append(probe("lstm", 1, False, PROJ, seed))
    notes = [
        "PyTorch state_dict keys: weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k} "
        "(+ weight_hr_l{k} with proj_size), suffix _reverse for the backward direction; "
        "weights are (gates*h, in): gates stacked on axis 0.",
        "LSTM bias_ih and bias_hh only ever enter as a sum, so which one is 'input' and which "
        "'recurrent' is taken from the names; each one's gate order is proven separately.",
        "With proj_size=p, weight_hr_l0 is (p, h), h_t = W_hr (o * tanh(c_t)), and "
        "weight_hh_l0 becomes (4h, p).",
    ]
    return {
        "versions": {"torch": torch.__version__},
        "notes": notes,
        "cases": [prove(p) for p in probes],
    }


# --------------------------------------------------------------------------------------------
# keras (Keras 3, torch backend)
# --------------------------------------------------------------------------------------------


def worker_keras() -> dict[str, Any]:
    os.environ["KERAS_BACKEND"] = "torch"
    import keras
    import numpy as np

    assert keras.backend.backend() == "torch", keras.backend.backend()
    L = keras.layers
    letters = {
        "lstm": {"input": "i", "forget": "f", "cell": "c", "output": "o"},
        "gru": {"update": "z", "reset": "r", "candidate": "h"},
        "rnn": {"hidden": "h"},
    }
    lstm_src = inspect.getsourcefile(L.LSTMCell)
    gru_src = inspect.getsourcefile(L.GRUCell)
    rnn_src = inspect.getsourcefile(L.SimpleRNNCell)
    conv_src = inspect.getsourcefile(L.ConvLSTM2D.__mro__[1])
    assert lstm_src and gru_src and rnn_src and conv_src
    sources = {
        "lstm": [
            cite(lstm_src, "k_i, k_f, k_c, k_o = ops.split(self.kernel, 4, axis=1)"),
            cite(lstm_src, "b_i, b_f, b_c, b_o = ops.split(self.bias, 4, axis=0)"),
        ],
        "gru": [
            cite(gru_src, "x_z, x_r, x_h = ops.split(matrix_x, 3, axis=-1)"),
            cite(gru_src, "for e in ops.split(self.bias, self.bias.shape[0], axis=0)"),
            cite(gru_src, "h = z * h_tm1 + (1 - z) * hh"),
        ],
        "rnn": [cite(rnn_src, "h = ops.matmul(sequence, self.kernel)")],
        "conv": [
            cite(conv_src, "self.kernel_shape = self.kernel_size + (input_dim, self.filters * 4)"),
            cite(conv_src, "(kernel_i, kernel_f, kernel_c, kernel_o) = ops.split("),
        ],
    }

    def probe(
        cell: str,
        layer: Any,
        api: str,
        opts: dict[str, Any],
        seed: int,
        conv: bool = False,
        source: list[str] | None = None,
    ) -> Probe:
        rng = np.random.default_rng(seed)
        shape = (BATCH, STEPS, *SPATIAL, INPUT) if conv else (BATCH, STEPS, INPUT)
        x = rand(rng, shape) / SCALE
        layer(x)  # build
        arrays: dict[str, Any] = {}
        for w in layer.weights:
            a = rand(rng, w.shape)
            w.assign(a)
            arrays[w.path] = a
        out = keras.ops.convert_to_numpy(layer(x))
        bidirectional = out.shape[-1] == 2 * UNITS
        y = {"fw": out[..., :UNITS]}
        if bidirectional:
            y["bw"] = out[..., UNITS:]
        n = len(GATES[cell])

        def families(s: dict[str, Any]) -> list[Family]:
            fams = []
            for name, a in arrays.items():
                d = 1 if "/backward_" in name else 0
                last = a.ndim - 1
                if name.endswith("recurrent_kernel"):
                    fams.append(family("U", name, a, last, n, direction=d))
                elif name.endswith("kernel"):
                    fams.append(family("W", name, a, last, n, direction=d))
                elif a.ndim == 2:  # GRU reset_after bias (2, 3h)
                    inside = s["bias_row_inside_reset"]
                    for row in range(2):
                        role = "b_rec" if row == inside else "b_in"
                        fams.append(family(role, name, a[row], 0, n, direction=d))
                else:
                    fams.append(family("b", name, a, 0, n, direction=d))
            return fams

        def extras(s: dict[str, Any]) -> dict[str, dict[str, Any]]:
            out: dict[str, dict[str, Any]] = {}
            for name, a in arrays.items():
                if a.ndim == 2 and name.endswith("bias"):
                    inside = s["bias_row_inside_reset"]
                    out[name] = {
                        "rows": [
                            "recurrent bias (inside reset)" if r == inside else "input bias"
                            for r in range(2)
                        ]
                    }
            return out

        tensors = [(name, list(a.shape), a.ndim - 1) for name, a in arrays.items()]
        structs = cell_structs(cell)
        if any(a.ndim == 2 and k.endswith("bias") for k, a in arrays.items()):
            structs = gru_structs(bias_row_inside_reset=[1, 0])
        return Probe(
            "keras",
            cell,
            api,
            {"units": UNITS, "input_dim": INPUT, **opts},
            x,
            y,
            tensors,
            families,
            structs,
            letters[cell],
            source or sources[cell],
            directions=2 if bidirectional else 1,
            extras=extras,
        )

    probes = [
        probe(
            "lstm", L.LSTM(UNITS, return_sequences=True, name="lstm"), "keras.layers.LSTM", {}, 1
        ),
        probe("gru", L.GRU(UNITS, return_sequences=True, name="gru"), "keras.layers.GRU", {}, 2),
        probe(
            "gru",
            L.GRU(UNITS, return_sequences=True, reset_after=False, name="gru_before"),
            "keras.layers.GRU",
            {"reset_after": False},
            3,
        ),
        probe(
            "rnn",
            L.SimpleRNN(UNITS, return_sequences=True, name="simple_rnn"),
            "keras.layers.SimpleRNN",
            {},
            4,
        ),
        probe(
            "lstm",
            L.Bidirectional(
                L.LSTM(UNITS, return_sequences=True, name="lstm"), name="bidirectional"
            ),
            "keras.layers.Bidirectional(keras.layers.LSTM)",
            {"bidirectional": True},
            5,
        ),
        probe(
            "lstm",
            L.ConvLSTM2D(UNITS, KERNEL, padding="same", return_sequences=True, name="conv_lstm2d"),
            "keras.layers.ConvLSTM2D",
            {"filters": UNITS, "kernel_size": list(KERNEL), "padding": "same"},
            6,
            conv=True,
            source=sources["conv"],
        ),
    ]
    notes = [
        "Keras stacks gates on the LAST axis of every kernel (kernel (i, 4h), recurrent_kernel "
        "(h, 4h), ConvLSTM2D kernel (kh, kw, c_in, 4*filters)).",
        "Keras GRU reset_after=True stores bias (2, 3h); the probe shows which row sits inside "
        "r * (...) (the recurrent bias); reset_after=False stores one bias (3h).",
        "Keras has no forget-bias constant at run time (unit_forget_bias only initialises "
        "the stored bias): the probe finds forget_bias_constant 0.",
    ]
    return {
        "versions": {"keras": keras.__version__},
        "notes": notes,
        "cases": [prove(p) for p in probes],
    }


# --------------------------------------------------------------------------------------------
# tensorflow v1 (tf.compat.v1 graph mode)
# --------------------------------------------------------------------------------------------


def worker_tensorflow_v1() -> dict[str, Any]:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ["TF_USE_LEGACY_KERAS"] = "1"  # tf.compat.v1.nn.rnn_cell needs tf_keras
    import numpy as np
    import tensorflow as tf

    warnings.filterwarnings("ignore")
    v1 = tf.compat.v1
    v1.disable_eager_execution()
    v1.logging.set_verbosity(v1.logging.ERROR)
    rc = v1.nn.rnn_cell
    src = inspect.getsourcefile(type(rc.LSTMCell(2)))
    assert src
    letters = {
        "lstm": {"input": "i", "cell": "j", "forget": "f", "output": "o"},
        "gru": {"reset": "r", "update": "u", "candidate": "c"},
        "rnn": {"hidden": "h"},
    }

    def probe(
        cell: str, api: str, make: Callable[[], Any], opts: dict[str, Any], seed: int
    ) -> Probe:
        rng = np.random.default_rng(seed)
        x = rand(rng, (BATCH, STEPS, INPUT)) / SCALE
        graph = tf.Graph()
        with graph.as_default():
            outputs, _ = v1.nn.dynamic_rnn(make(), tf.constant(x), dtype=tf.float32, scope="rnn")
            variables = v1.trainable_variables()
            with v1.Session(graph=graph) as sess:
                sess.run(v1.global_variables_initializer())
                arrays: dict[str, Any] = {}
                for v in variables:
                    a = rand(rng, v.shape.as_list())
                    v.load(a, sess)
                    arrays[v.name.removesuffix(":0")] = a
                y = {"fw": sess.run(outputs)}
        n = len(GATES[cell])
        rec = opts.get("proj_size", UNITS)

        def rows(s: dict[str, Any], a: Any) -> tuple[Any, Any]:
            if s["kernel_rows"] == "x then h":
                return a[:INPUT], a[INPUT:]
            return a[a.shape[0] - INPUT :], a[: a.shape[0] - INPUT]

        def families(s: dict[str, Any]) -> list[Family]:
            fams: list[Family] = []
            if cell == "gru":
                gk, ck = (
                    arrays["rnn/gru_cell/gates/kernel"],
                    arrays["rnn/gru_cell/candidate/kernel"],
                )
                gb, cb = arrays["rnn/gru_cell/gates/bias"], arrays["rnn/gru_cell/candidate/bias"]
                for role, part in (("W", 0), ("U", 1)):
                    cand = np.asarray(rows(s, ck)[part], dtype=np.float64)
                    slots = [*split_blocks(rows(s, gk)[part], 1, 2), cand]
                    labels = [
                        ("rnn/gru_cell/gates/kernel", 0),
                        ("rnn/gru_cell/gates/kernel", 1),
                        ("rnn/gru_cell/candidate/kernel", 0),
                    ]
                    fams.append(Family(role, slots, labels))
                slots = [*split_blocks(gb, 0, 2), np.asarray(cb, dtype=np.float64)]
                labels = [
                    ("rnn/gru_cell/gates/bias", 0),
                    ("rnn/gru_cell/gates/bias", 1),
                    ("rnn/gru_cell/candidate/bias", 0),
                ]
                fams.append(Family("b", slots, labels))
                return fams
            for name, a in arrays.items():
                if name.endswith("/kernel") and "projection" not in name:
                    xr, hr = rows(s, a)
                    fams.append(family("W", name, xr, 1, n))
                    fams.append(family("U", name, hr, 1, n))
                elif name.endswith("/bias"):
                    fams.append(family("b", name, a, 0, n))
                elif "projection" in name:
                    fams.append(Family("proj", [a.astype(np.float64)], [(name, None)]))
            diags = [
                k for k in ("w_i_diag", "w_f_diag", "w_o_diag") if f"rnn/lstm_cell/{k}" in arrays
            ]
            if diags:
                fams.append(
                    whole(
                        "peep",
                        [(f"rnn/lstm_cell/{k}", arrays[f"rnn/lstm_cell/{k}"]) for k in diags],
                    )
                )
            return fams

        def extras(s: dict[str, Any]) -> dict[str, dict[str, Any]]:
            out: dict[str, dict[str, Any]] = {}
            for name, a in arrays.items():
                if name.endswith("/kernel") and "projection" not in name:
                    r = a.shape[0] - INPUT
                    if s["kernel_rows"] == "x then h":
                        split = {"input x": [0, INPUT], "recurrent h": [INPUT, INPUT + r]}
                    else:
                        split = {"recurrent h": [0, r], "input x": [r, r + INPUT]}
                    out[name] = {"row_split": split, "rows_axis": 0}
            return out

        tensors = []
        for name, a in arrays.items():
            whole_tensor = "projection" in name or name.endswith("_diag")
            tensors.append((name, list(a.shape), None if whole_tensor else a.ndim - 1))
        rows_axis = ["x then h", "h then x"]
        if cell == "lstm" and any(k.endswith("_diag") for k in arrays):
            structs = lstm_structs(output_peephole=["new cell", "old cell"], kernel_rows=rows_axis)
        else:
            structs = cell_structs(cell, kernel_rows=rows_axis)
        assert rec >= 1
        source = {
            "lstm": [
                cite(src, "lstm_matrix = tf.matmul(tf.concat([inputs, m_prev], 1), self._kernel)"),
                cite(src, "i, j, f, o = tf.split(value=lstm_matrix"),
                cite(src, "# i = input_gate, j = new_input, f = forget_gate, o = output_gate"),
                cite(src, "f + self._forget_bias + self._w_f_diag * c_prev"),
                cite(src, "m = sigmoid(o + self._w_o_diag * c) * self._activation(c)"),
            ],
            "basic_lstm": [
                cite(src, "i, j, f, o = tf.split(value=gate_inputs, num_or_size_splits=4"),
            ],
            "gru": [
                cite(src, "r, u = tf.split(value=value, num_or_size_splits=2, axis=1)"),
                cite(src, "tf.concat([inputs, r_state], 1), self._candidate_kernel"),
                cite(src, "new_h = u * state + (1 - u) * c"),
                cite(src, "else tf.compat.v1.constant_initializer(1.0, dtype=self.dtype)"),
            ],
            "rnn": [
                cite(src, "gate_inputs = tf.matmul(tf.concat([inputs, state], 1), self._kernel)")
            ],
        }["basic_lstm" if "BasicLSTM" in api else cell]
        return Probe(
            "tensorflow-v1",
            cell,
            api,
            {"units": UNITS, "input_dim": INPUT, **opts},
            x,
            y,
            tensors,
            families,
            structs,
            letters[cell],
            source,
            extras=extras,
        )

    p = "tf.compat.v1.nn.rnn_cell."
    probes = [
        probe("lstm", p + "LSTMCell", lambda: rc.LSTMCell(UNITS), {}, 11),
        probe(
            "lstm",
            p + "LSTMCell",
            lambda: rc.LSTMCell(UNITS, use_peepholes=True, num_proj=PROJ),
            {"peepholes": True, "proj_size": PROJ},
            12,
        ),
        probe("lstm", p + "BasicLSTMCell", lambda: rc.BasicLSTMCell(UNITS), {}, 13),
        probe("gru", p + "GRUCell", lambda: rc.GRUCell(UNITS), {}, 14),
        probe("rnn", p + "BasicRNNCell", lambda: rc.BasicRNNCell(UNITS), {}, 15),
    ]
    notes = [
        "TF1 cells run under tf.compat.v1.nn.dynamic_rnn(scope='rnn'); variable names are "
        "rnn/<cell>/kernel etc. One kernel (i+h, G*h) holds both W (the x rows, first) and U "
        "(the h rows): the probe tries both row orders.",
        "TF1 LSTMCell/BasicLSTMCell add forget_bias=1.0 to the forget pre-activation at run "
        "time; it is not stored. The probe finds forget_bias_constant 1.0.",
        "TF1 GRUCell: gates/kernel (i+h, 2h) holds reset then update; candidate/kernel (i+h, h) "
        "sees [x, r*h] (reset before the matmul); gates/bias is initialised to 1.0 by default.",
        "TF1 peepholes are separate vectors w_i_diag, w_f_diag, w_o_diag; the output-gate "
        "peephole sees the new cell state. With num_proj=p, projection/kernel is (h, p) used as "
        "m @ P, and the kernel's recurrent rows have width p.",
    ]
    versions = {"tensorflow": tf.__version__}
    try:
        import tf_keras

        versions["tf_keras"] = tf_keras.__version__
    except ImportError:
        pass
    return {"versions": versions, "notes": notes, "cases": [prove(pr) for pr in probes]}


# --------------------------------------------------------------------------------------------
# flax linen / nnx
# --------------------------------------------------------------------------------------------


FamilySpec = list[tuple[str, list[str]]]  # (role, module names in slot order)


def flax_families(cell: str, arrays: dict[str, Any], prefix: str, spec: FamilySpec) -> list[Family]:
    """Families for Flax cells: per-gate Dense layers (one whole tensor per gate) or one fused
    layer whose last axis packs all gates.  Modules without the parameter are skipped."""
    fams: list[Family] = []
    n = len(GATES[cell])
    for role, modules in spec:
        kind = "bias" if role.startswith("b") else "kernel"
        present = [f"{prefix}{m}/{kind}" for m in modules if f"{prefix}{m}/{kind}" in arrays]
        if not present:
            continue
        a = arrays[present[0]]
        if len(present) == 1 and n > 1 and a.shape[-1] == n * UNITS:
            fams.append(family(role, present[0], a, a.ndim - 1, n))
        else:
            fams.append(whole(role, [(name, arrays[name]) for name in present]))
    return fams


def flax_tensors(cell: str, arrays: dict[str, Any]) -> list[tuple[str, list[int], int | None]]:
    n = len(GATES[cell])
    return [
        (name, list(a.shape), a.ndim - 1 if n > 1 and a.shape[-1] == n * UNITS else None)
        for name, a in arrays.items()
    ]


def worker_flax() -> dict[str, Any]:
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    import flax
    import flax.linen as nn
    import jax
    import numpy as np

    src = inspect.getsourcefile(nn.LSTMCell)
    assert src
    letters = {
        "lstm": {"input": "i", "forget": "f", "cell": "g", "output": "o"},
        "gru": {"reset": "r", "update": "z", "candidate": "n"},
        "rnn": {"hidden": "h"},
    }
    lstm_modules: FamilySpec = [
        ("W", ["ii", "if", "ig", "io"]),
        ("U", ["hi", "hf", "hg", "ho"]),
        ("b", ["ii", "if", "ig", "io"]),
        ("b", ["hi", "hf", "hg", "ho"]),
    ]
    specs: list[tuple[str, Any, FamilySpec, list[str], dict[str, Any]]] = [
        (
            "lstm",
            nn.LSTMCell(UNITS),
            lstm_modules,
            [
                cite(src, "i = self.gate_fn(dense_i(name='ii')(inputs) + dense_h(name='hi')(h))"),
                cite(src, "g = self.activation_fn(dense_i(name='ig')(inputs)"),
            ],
            {},
        ),
        (
            "lstm",
            nn.OptimizedLSTMCell(UNITS),
            lstm_modules,
            [
                cite(src, "# Create params with the same names/shapes as `LSTMCell`"),
                cite(src, "for component in ['i', 'f', 'g', 'o']:"),
            ],
            {},
        ),
        (
            "gru",
            nn.GRUCell(UNITS),
            [
                ("W", ["ir", "iz", "in"]),
                ("U", ["hr", "hz", "hn"]),
                ("b_in", ["ir", "iz", "in"]),
                ("b_rec", ["hr", "hz", "hn"]),
            ],
            [
                cite(src, "r = self.gate_fn(dense_i(name='ir')(inputs) + dense_h(name='hr')(h))"),
                cite(src, "dense_i(name='in')(inputs) + r * dense_h(name='hn', use_bias=True)(h)"),
                cite(src, "new_h = (1.0 - z) * n + z * h"),
            ],
            {},
        ),
        (
            "rnn",
            nn.SimpleCell(UNITS),
            [("W", ["i"]), ("U", ["h"]), ("b", ["i"]), ("b", ["h"])],
            [cite(src, "new_carry = dense_i(name='i')(inputs) + dense_h(name='h')(carry)")],
            {},
        ),
        (
            "lstm",
            nn.ConvLSTMCell(UNITS, KERNEL),
            [("W", ["ih"]), ("U", ["hh"]), ("b", ["ih"]), ("b", ["hh"])],
            [
                cite(src, "i, g, f, o = jnp.split(gates, indices_or_sections=4, axis=-1)"),
                cite(src, "f = sigmoid(f + 1)"),
            ],
            {"features": UNITS, "kernel_size": list(KERNEL)},
        ),
    ]
    probes = []
    for seed, (cell, cell_obj, modules, source, extra_opts) in enumerate(specs, start=21):
        conv = "Conv" in type(cell_obj).__name__
        rng = np.random.default_rng(seed)
        shape = (BATCH, STEPS, *SPATIAL, INPUT) if conv else (BATCH, STEPS, INPUT)
        x = rand(rng, shape) / SCALE
        model = nn.RNN(cell_obj)
        params = model.init(jax.random.key(0), x)
        leaves, treedef = jax.tree_util.tree_flatten_with_path(params)
        arrays: dict[str, Any] = {}
        new_leaves = []
        for path, leaf in leaves:
            a = rand(rng, leaf.shape)
            arrays[jax_path_name(path)] = a
            new_leaves.append(a)
        params = jax.tree_util.tree_unflatten(treedef, new_leaves)
        y = {"fw": np.asarray(model.apply(params, x))}

        def families(
            s: dict[str, Any],
            cell: str = cell,
            arrays: dict[str, Any] = arrays,
            spec: FamilySpec = modules,
        ) -> list[Family]:
            return flax_families(cell, arrays, "params/cell/", spec)

        tensors = flax_tensors(cell, arrays)
        opts = {"units": UNITS, "input_dim": INPUT, **extra_opts}
        probes.append(
            Probe(
                "flax",
                cell,
                f"flax.linen.RNN(flax.linen.{type(cell_obj).__name__})",
                opts,
                x,
                y,
                tensors,
                families,
                cell_structs(cell),
                letters[cell],
                source,
            )
        )
    notes = [
        "flax.linen LSTMCell and OptimizedLSTMCell store the same per-gate Dense layers "
        "(ii/if/ig/io kernels without bias, hi/hf/hg/ho kernels with bias); OptimizedLSTMCell "
        "only concatenates them at run time. Parameter paths: params/cell/<module>/kernel|bias "
        "inside nn.RNN.",
        "flax.linen GRUCell: ir/iz/in carry biases, hr/hz do not, hn does (inside r * (...)): "
        "reset applied after the matmul.",
        "flax.linen ConvLSTMCell packs (i, g, f, o) on the last kernel axis and adds a constant "
        "1 to the forget pre-activation at run time (forget_bias_constant 1.0).",
    ]
    if hasattr(nn, "MGUCell"):
        notes.append("flax.linen also has MGUCell (minimal gated unit): not probed.")
    versions = {"flax": flax.__version__, "jax": jax.__version__}
    return {"versions": versions, "notes": notes, "cases": [prove(p) for p in probes]}


def worker_flax_nnx() -> dict[str, Any]:
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    import flax
    import jax
    import numpy as np
    from flax import nnx

    src = inspect.getsourcefile(nnx.LSTMCell)
    assert src
    letters = {
        "lstm": {"input": "i", "forget": "f", "cell": "g", "output": "o"},
        "gru": {"reset": "r", "update": "z", "candidate": "n"},
        "rnn": {"hidden": "h"},
    }
    fused: FamilySpec = [
        ("W", ["dense_i"]),
        ("U", ["dense_h"]),
        ("b", ["dense_i"]),
        ("b", ["dense_h"]),
    ]
    specs: list[tuple[str, Any, FamilySpec, list[str]]] = [
        (
            "lstm",
            nnx.LSTMCell,
            [
                ("W", ["ii", "if_", "ig", "io"]),
                ("U", ["hi", "hf", "hg", "ho"]),
                ("b", ["ii", "if_", "ig", "io"]),
                ("b", ["hi", "hf", "hg", "ho"]),
            ],
            [
                cite(src, "i = self.gate_fn(self.ii(inputs) + self.hi(h))"),
                cite(src, "f = self.gate_fn(self.if_(inputs) + self.hf(h))"),
            ],
        ),
        (
            "lstm",
            nnx.OptimizedLSTMCell,
            fused,
            [cite(src, "i, f, g, o = jnp.split(y, indices_or_sections=4, axis=-1)")],
        ),
        (
            "gru",
            nnx.GRUCell,
            [("W", ["dense_i"]), ("U", ["dense_h"]), ("b_in", ["dense_i"]), ("b_rec", ["dense_h"])],
            [
                cite(src, "xi_r, xi_z, xi_n = jnp.split(x_transformed, 3, axis=-1)"),
                cite(src, "n = self.activation_fn(xi_n + r * hh_n)"),
                cite(src, "new_h = (1.0 - z) * n + z * h"),
            ],
        ),
        (
            "rnn",
            nnx.SimpleCell,
            fused,
            [cite(src, "new_carry = self.dense_i(inputs) + self.dense_h(carry)")],
        ),
    ]
    probes = []
    for seed, (cell, cls, spec, source) in enumerate(specs, start=31):
        rng = np.random.default_rng(seed)
        x = rand(rng, (BATCH, STEPS, INPUT)) / SCALE
        model = nnx.RNN(cls(INPUT, UNITS, rngs=nnx.Rngs(0)))
        state = nnx.state(model, nnx.Param)
        leaves, treedef = jax.tree_util.tree_flatten_with_path(state)
        arrays: dict[str, Any] = {}
        new_leaves = []
        for path, leaf in leaves:
            a = rand(rng, leaf.shape)
            arrays[jax_path_name(path, drop=("value",))] = a
            new_leaves.append(jax.numpy.asarray(a))
        nnx.update(model, jax.tree_util.tree_unflatten(treedef, new_leaves))
        y = {"fw": np.asarray(model(x))}

        def families(
            s: dict[str, Any],
            cell: str = cell,
            arrays: dict[str, Any] = arrays,
            spec: FamilySpec = spec,
        ) -> list[Family]:
            return flax_families(cell, arrays, "cell/", spec)

        probes.append(
            Probe(
                "flax-nnx",
                cell,
                f"flax.nnx.RNN(flax.nnx.{cls.__name__})",
                {"units": UNITS, "input_dim": INPUT},
                x,
                y,
                flax_tensors(cell, arrays),
                families,
                cell_structs(cell),
                letters[cell],
                source,
            )
        )
    notes = [
        "flax.nnx LSTMCell keeps linen's per-gate layers (attribute if_ instead of if); "
        "nnx.OptimizedLSTMCell really fuses them: dense_i (i, 4h) without bias, dense_h (h, 4h) "
        "with bias (4h).",
        "flax.nnx GRUCell is fused (dense_i (i, 3h) + bias, dense_h (h, 3h) without bias) and "
        "applies r to dense_h(h) only: it has no recurrent bias at all, unlike linen's hn bias.",
    ]
    if not hasattr(nnx, "ConvLSTMCell"):
        notes.append(f"flax.nnx has no ConvLSTMCell in flax {flax.__version__}: not probed.")
    versions = {"flax": flax.__version__, "jax": jax.__version__}
    return {"versions": versions, "notes": notes, "cases": [prove(p) for p in probes]}


# --------------------------------------------------------------------------------------------
# onnx
# --------------------------------------------------------------------------------------------

ONNX_OPSET = 17
ONNX_OPS = {"lstm": "LSTM", "gru": "GRU", "rnn": "RNN"}


def onnx_families(
    cell: str, arrays: dict[str, Any], s: dict[str, Any], linear_before_reset: int
) -> list[Family]:
    """W [nd, G*h, i], R [nd, G*h, h], B [nd, 2*G*h] = [Wb, Rb], P [nd, 3h]."""
    import numpy as np

    n = len(GATES[cell])
    fams: list[Family] = []
    for d in range(arrays["W"].shape[0]):
        fams.append(family("W", "W", arrays["W"][d], 0, n, transpose=True, direction=d))
        fams.append(family("U", "R", arrays["R"][d], 0, n, transpose=True, direction=d))
        if "B" in arrays:
            for half, part in enumerate(np.split(arrays["B"][d], 2)):
                role = "b"
                word: str | None = ROLE_WORDS["b_rec" if half else "b_in"]
                if cell == "gru":
                    if linear_before_reset:
                        role = "b_rec" if half == s["B_half_inside_reset"] else "b_in"
                        word = None
                    else:
                        role = "b_in"
                fam = family(role, "B", part, 0, n, direction=d, offset=half * n)
                fam.word = word
                fams.append(fam)
        if "P" in arrays:
            fams.append(family("peep", "P", arrays["P"][d], 0, 3, direction=d))
    return fams


def worker_onnx() -> dict[str, Any]:
    import numpy as np
    import onnx
    import onnxruntime as ort
    import torch
    from onnx import TensorProto, helper, numpy_helper
    from onnx.reference import ReferenceEvaluator

    warnings.filterwarnings("ignore")
    torch.manual_seed(0)
    letters = {
        "lstm": {"input": "i", "output": "o", "forget": "f", "cell": "c"},
        "gru": {"update": "z", "reset": "r", "candidate": "h"},
        "rnn": {"hidden": "i"},
    }

    def schema_line(op: str, snippet: str) -> str:
        doc = onnx.defs.get_schema(op, ONNX_OPSET).doc
        for number, line in enumerate(doc.splitlines(), start=1):
            if snippet in line:
                return (
                    f"onnx.defs.get_schema('{op}', {ONNX_OPSET}).doc line {number}: {line.strip()}"
                )
        raise AssertionError(snippet)

    ref_dir = Path(onnx.__file__).parent / "reference" / "ops"
    sources = {
        "lstm": [
            schema_line("LSTM", "`W[iofc]`"),
            schema_line("LSTM", "`P[iof]`"),
            schema_line("LSTM", "ot = f(Xt*(Wo^T)"),
            cite(str(ref_dir / "op_lstm.py"), "i, o, f, c = np.split(gates, 4, -1)"),
            cite(str(ref_dir / "op_lstm.py"), "[p_i, p_o, p_f] = np.split(P, 3)"),
        ],
        "gru": [
            schema_line("GRU", "`W[zrh]`"),
            schema_line("GRU", "# default, when linear_before_reset = 0"),
            schema_line("GRU", "when linear_before_reset != 0"),
            schema_line("GRU", "Ht = (1 - zt) (.) ht + zt (.) Ht-1"),
            cite(
                str(ref_dir / "op_gru.py"), "[w_bz, w_br, w_bh, r_bz, r_br, r_bh] = np.split(B, 6)"
            ),
        ],
        "rnn": [schema_line("RNN", "Ht = f(Xt*(Wi^T) + Ht-1*(Ri^T) + Wbi + Rbi)")],
    }

    def run(model: Any, x: Any) -> tuple[dict[str, Any], str]:
        """Run in onnxruntime; cross-check with onnx.reference; return {fw, bw} (B, T, h)."""
        data = model.SerializeToString()
        sess = ort.InferenceSession(data, providers=["CPUExecutionProvider"])
        name = sess.get_inputs()[0].name
        out = sess.run(None, {name: x})[0]  # [T, nd, B, h]
        check = "onnx.reference.ReferenceEvaluator agrees to 1e-5"
        try:
            ref_out = ReferenceEvaluator(model).run(None, {name: x})[0]
            if not np.allclose(ref_out, out, atol=1e-5):
                check = "onnx.reference.ReferenceEvaluator DISAGREES with onnxruntime"
        except Exception as exc:  # record, do not hide
            check = f"onnx.reference.ReferenceEvaluator failed: {type(exc).__name__}"
        y = {"fw": out[:, 0].transpose(1, 0, 2)}
        if out.shape[1] == 2:
            y["bw"] = out[:, 1].transpose(1, 0, 2)
        return y, check

    def onnx_probe(
        cell: str,
        api: str,
        arrays: dict[str, Any],
        attrs: dict[str, Any],
        model: Any,
        x_tbi: Any,
        opts: dict[str, Any],
        extra: dict[str, Any],
    ) -> Probe:
        y, check = run(model, x_tbi)
        lbr = int(attrs.get("linear_before_reset", 0))
        nd = arrays["W"].shape[0]
        if cell == "lstm":
            structs = (
                lstm_structs(output_peephole=["new cell", "old cell"])
                if "P" in arrays
                else lstm_structs()
            )
        elif cell == "gru" and lbr and "B" in arrays:
            structs = gru_structs(B_half_inside_reset=[1, 0])
        else:
            structs = cell_structs(cell)

        def families(s: dict[str, Any]) -> list[Family]:
            return onnx_families(cell, arrays, s, lbr)

        tensors = [(k, list(a.shape), 1) for k, a in arrays.items()]
        extras = {k: {"direction_axis": 0} for k in arrays}
        notes = [f"onnxruntime {ort.__version__}; {check}"]
        return Probe(
            "onnx",
            cell,
            api,
            opts,
            x_tbi.transpose(1, 0, 2),
            y,
            tensors,
            families,
            structs,
            letters[cell],
            sources[cell],
            directions=nd,
            extras=lambda s: extras,
            notes=notes,
            extra={"node_attributes": attrs, **extra},
        )

    def hand_built(
        cell: str,
        seed: int,
        bidirectional: bool,
        peepholes: bool = False,
        linear_before_reset: int | None = None,
    ) -> Probe:
        rng = np.random.default_rng(seed)
        n, nd = len(GATES[cell]), 2 if bidirectional else 1
        arrays = {
            "W": rand(rng, (nd, n * UNITS, INPUT)),
            "R": rand(rng, (nd, n * UNITS, UNITS)),
            "B": rand(rng, (nd, 2 * n * UNITS)),
        }
        if peepholes:
            arrays["P"] = rand(rng, (nd, 3 * UNITS))
        inputs = ["X", "W", "R", "B"] + (["", "", "", "P"] if peepholes else [])
        attrs: dict[str, Any] = {"hidden_size": UNITS}
        if bidirectional:
            attrs["direction"] = "bidirectional"
        if linear_before_reset is not None:
            attrs["linear_before_reset"] = linear_before_reset
        node = helper.make_node(ONNX_OPS[cell], inputs, ["Y"], **attrs)
        graph = helper.make_graph(
            [node],
            "g",
            [helper.make_tensor_value_info("X", TensorProto.FLOAT, [STEPS, BATCH, INPUT])],
            [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [STEPS, nd, BATCH, UNITS])],
            [numpy_helper.from_array(v, k) for k, v in arrays.items()],
        )
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", ONNX_OPSET)])
        onnx.checker.check_model(model, full_check=True)
        x = rand(rng, (STEPS, BATCH, INPUT)) / SCALE
        opts: dict[str, Any] = {"units": UNITS, "input_dim": INPUT}
        if bidirectional:
            opts["bidirectional"] = True
        if peepholes:
            opts["peepholes"] = True
        if linear_before_reset is not None:
            opts["reset_after"] = bool(linear_before_reset)
        return onnx_probe(
            cell, f"onnx.helper.make_node('{ONNX_OPS[cell]}')", arrays, attrs, model, x, opts, {}
        )

    def exported(cell: str, seed: int) -> Probe:
        """torch.onnx.export of a bidirectional PyTorch layer: where did its blocks go?"""
        classes = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}
        rng = np.random.default_rng(seed)
        m = classes[cell](INPUT, UNITS, bidirectional=True)
        pt: dict[str, Any] = {}
        with torch.no_grad():
            for name, prm in m.named_parameters():
                a = rand(rng, prm.shape)
                prm.copy_(torch.from_numpy(a))
                pt[name] = a

        class Wrap(torch.nn.Module):
            def __init__(self, inner: torch.nn.Module) -> None:
                super().__init__()
                self.inner = inner

            def forward(self, x: torch.Tensor) -> torch.Tensor:
                out: torch.Tensor = self.inner(x)[0]
                return out

        x = rand(rng, (STEPS, BATCH, INPUT)) / SCALE
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "model.onnx"
            torch.onnx.export(
                Wrap(m).eval(),
                (torch.from_numpy(x),),
                path,
                dynamo=False,
                opset_version=ONNX_OPSET,
                input_names=["x"],
                output_names=["y"],
            )
            model = onnx.load(path)
        inits = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
        node = next(nd for nd in model.graph.node if nd.op_type == ONNX_OPS[cell])
        slots = {1: "W", 2: "R", 3: "B"}
        arrays = {slot: inits[node.input[k]] for k, slot in slots.items() if node.input[k]}
        attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        attrs = {k: v.decode() if isinstance(v, bytes) else v for k, v in attrs.items()}
        with torch.no_grad():
            want = m(torch.from_numpy(x))[0].numpy()
        sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
        got = sess.run(None, {"x": x})[0]
        assert np.allclose(got, want, atol=1e-5), "exported model does not reproduce PyTorch"
        n = len(GATES[cell])

        def block_map(onnx_arr: Any, names: list[str]) -> list[int]:
            """For each ONNX block (both directions must agree): the PyTorch block it copies."""
            result: list[int] | None = None
            for d, name in enumerate(names):
                ob = np.split(onnx_arr[d], n)
                pb = np.split(pt[name], n)
                found = [[j for j in range(n) if np.array_equal(ob[k], pb[j])] for k in range(n)]
                assert all(len(f) == 1 for f in found), (name, found)
                mapping = [f[0] for f in found]
                assert result in (None, mapping), (result, mapping)
                result = mapping
            assert result is not None
            return result

        export_map = {
            "W": {
                "from": ["weight_ih_l0", "weight_ih_l0_reverse"],
                "pytorch_block_of_onnx_block": block_map(
                    arrays["W"], ["weight_ih_l0", "weight_ih_l0_reverse"]
                ),
            },
            "R": {
                "from": ["weight_hh_l0", "weight_hh_l0_reverse"],
                "pytorch_block_of_onnx_block": block_map(
                    arrays["R"], ["weight_hh_l0", "weight_hh_l0_reverse"]
                ),
            },
        }
        halves = [np.stack(np.split(arrays["B"][d], 2)) for d in range(2)]
        export_map["B[:, :G*h] (Wb)"] = {
            "from": ["bias_ih_l0", "bias_ih_l0_reverse"],
            "pytorch_block_of_onnx_block": block_map(
                np.stack([h[0] for h in halves]), ["bias_ih_l0", "bias_ih_l0_reverse"]
            ),
        }
        export_map["B[:, G*h:] (Rb)"] = {
            "from": ["bias_hh_l0", "bias_hh_l0_reverse"],
            "pytorch_block_of_onnx_block": block_map(
                np.stack([h[1] for h in halves]), ["bias_hh_l0", "bias_hh_l0_reverse"]
            ),
        }
        # Probe the exported W/R/B as an ONNX node of their own (same attributes).
        inputs = ["X", "W", "R", "B"]
        keep = {
            k: v
            for k, v in attrs.items()
            if k in ("hidden_size", "direction", "linear_before_reset")
        }
        probe_node = helper.make_node(ONNX_OPS[cell], inputs, ["Y"], **keep)
        graph = helper.make_graph(
            [probe_node],
            "g",
            [helper.make_tensor_value_info("X", TensorProto.FLOAT, [STEPS, BATCH, INPUT])],
            [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [STEPS, 2, BATCH, UNITS])],
            [numpy_helper.from_array(v, k) for k, v in arrays.items()],
        )
        probe_model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", ONNX_OPSET)])
        onnx.checker.check_model(probe_model, full_check=True)
        pt_name = classes[cell].__name__
        return onnx_probe(
            cell,
            f"torch.onnx.export(dynamo=False) of torch.nn.{pt_name}",
            arrays,
            keep,
            probe_model,
            x,
            {"units": UNITS, "input_dim": INPUT, "bidirectional": True},
            {"export_from_pytorch": export_map},
        )

    probes = [
        hand_built("lstm", 41, bidirectional=False),
        hand_built("lstm", 42, bidirectional=True, peepholes=True),
        hand_built("gru", 43, bidirectional=False, linear_before_reset=0),
        hand_built("gru", 44, bidirectional=True, linear_before_reset=1),
        hand_built("rnn", 45, bidirectional=False),
        exported("lstm", 46),
        exported("gru", 47),
        exported("rnn", 48),
    ]
    notes = [
        "ONNX stores W [num_directions, G*h, i], R [num_directions, G*h, h], "
        "B [num_directions, 2*G*h] = [Wb | Rb], P [num_directions, 3h]; gates stacked on axis 1, "
        "forward direction at index 0 of axis 0.",
        "ONNX LSTM: Wb and Rb only enter as a sum, so which half is which is taken from the "
        "operator spec; GRU with linear_before_reset=1 lets the probe see that the second half "
        "(Rb) is the one inside r * (...).",
        "torch.onnx.export(dynamo=False) of nn.GRU sets linear_before_reset=1; export_from_pytorch "
        "gives, for each ONNX block, the PyTorch block it is a copy of (found by array equality).",
    ]
    versions = {"onnx": onnx.__version__, "onnxruntime": ort.__version__}
    return {"versions": versions, "notes": notes, "cases": [prove(p) for p in probes]}


WORKERS: dict[str, Callable[[], dict[str, Any]]] = {
    "keras": worker_keras,
    "pytorch": worker_pytorch,
    "onnx": worker_onnx,
    "tensorflow-v1": worker_tensorflow_v1,
    "flax": worker_flax,
    "flax-nnx": worker_flax_nnx,
}


# --------------------------------------------------------------------------------------------
# driver
# --------------------------------------------------------------------------------------------


def check_export_maps(cases: list[Case]) -> list[str]:
    """ONNX export maps must agree with the separately proven PyTorch and ONNX orders."""
    checked = []
    for case in cases:
        export = case.get("export_from_pytorch")
        if not export:
            continue
        pt = [
            c
            for c in cases
            if c["framework"] == "pytorch"
            and c["cell"] == case["cell"]
            and c["options"] == {"units": UNITS, "input_dim": INPUT}
        ]
        if not pt:
            continue
        pt_order = pt[0]["gate_order"]
        onnx_order = case["gate_order"]
        for key, entry in export.items():
            moved = [pt_order[j] for j in entry["pytorch_block_of_onnx_block"]]
            if moved != onnx_order:
                raise AssertionError(f"{case['api']} {key}: {moved} != {onnx_order}")
        checked.append(case["cell"])
    return checked


def main(argv: list[str] | None = None) -> int:
    args = command_line(__doc__, FRAMEWORKS, DEFAULT_OUT, WORKERS, argv=argv)
    if args is None:
        return 0  # a worker
    records = kept_records(args, FRAMEWORKS)
    results = run_workers(__file__, args.selected)
    for fw in args.selected:
        records.record(fw, results[fw])
    cases = records.all_cases()
    checked = check_export_maps(cases)
    seen: set[str] = set()
    for c in cases:
        key = json.dumps([c["framework"], c["api"], c["options"]], sort_keys=True)
        if key in seen:
            raise AssertionError(f"duplicate case {key}")
        seen.add(key)
    general = [
        f"Every case: tensors overwritten with seeded N(0, {SCALE}^2) values, input N(0, 1), "
        f"batch {BATCH}, {STEPS} steps, zero initial state, input_dim {INPUT}, units {UNITS}"
        f" (proj {PROJ}; conv images {SPATIAL[0]}x{SPATIAL[1]}, kernel {KERNEL[0]}x{KERNEL[1]}); "
        f"exactly one hypothesis matched to {TOLERANCE:g}, and every tensor family was "
        "re-proved alone.",
    ]
    if checked:
        general.append(
            "torch.onnx.export block maps were checked against the separately proven PyTorch "
            f"and ONNX orders ({', '.join(checked)})."
        )
    gate_words = {cell: list(g) for cell, g in GATES.items()}
    write_records(args.out, __file__, records, general, gate_words=gate_words)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
