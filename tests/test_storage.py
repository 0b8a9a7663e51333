"""The storage map says where each framework keeps each gate, as the real frameworks do.

Ground truth: ``tests/data/gate_orders.json``, written by scripts/record_gate_orders.py, which
found every gate order by running the framework against a NumPy reference under every
permutation. For every recorded layer the package counts, our map must name the same tensors,
with the same shapes, the gates on the same axis in the same order, and the same kinds of
parameters in the same places. And for any layer at all, the map's regions must add up to
exactly the tensors that the count is made of.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sphinxcontrib_lstmparams import count_params
from sphinxcontrib_lstmparams.frameworks import FRAMEWORK_NAMES, FRAMEWORKS, Stored
from sphinxcontrib_lstmparams.numbers import NumberStyle
from sphinxcontrib_lstmparams.spec import BIAS_KINDS, OptionError, TensorKind
from sphinxcontrib_lstmparams.storage import (
    Placed,
    map_rows,
    regions,
    slice_text,
    storage_listing,
    storage_notes,
    stored_tensors,
)

# Recorded layers the package does not count (other layer classes with their own names).
NOT_MODELLED = {
    "keras.layers.ConvLSTM2D",
    "tf.compat.v1.nn.rnn_cell.BasicLSTMCell",
    "flax.linen.RNN(flax.linen.ConvLSTMCell)",
    # NNX's OptimizedLSTMCell fuses the gates into dense_i / dense_h (same count); the map
    # shows nnx.LSTMCell's layout, one Dense per gate
    "flax.nnx.RNN(flax.nnx.OptimizedLSTMCell)",
}
# The recording names one Keras layer itself; every other layer has Keras' default name.
RENAMED = {"gru_before/": "gru/"}
ROLES: dict[TensorKind, str] = {
    "input_weights": "input weights",
    "recurrent_weights": "recurrent weights",
    "bias": "bias",
    "input_bias": "input bias",
    "recurrent_bias": "recurrent bias",
    "peephole": "peephole",
    "projection": "projection",
}


def modelled_cases(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        case
        for case in data["cases"]
        if case["framework"] in FRAMEWORK_NAMES and case["api"] not in NOT_MODELLED
    ]


def spec_of(case: dict[str, Any]) -> Any:
    return count_params(framework=case["framework"], cell=case["cell"], **case["options"]).spec


def role(kind: TensorKind, single_bias: bool) -> str:
    """The recording calls a gate's only bias vector "bias", wherever it sits."""
    return "bias" if kind in BIAS_KINDS and single_bias else ROLES[kind]


def described(placed: Placed, single_bias: bool) -> dict[str, Any]:
    """Our tensor in the recording's words: axis, block, gates and roles."""
    tensor: Stored = placed.tensor
    out: dict[str, Any] = {"shape": list(tensor.shape), "axis": tensor.gate_axis}
    out["gates"] = [] if tensor.gates == ("projection",) else list(tensor.gates)
    if tensor.gate_axis is not None:
        out["block"] = tensor.shape[tensor.gate_axis] // len(tensor.gates)
    if tensor.direction_axis is not None:
        out["direction_axis"] = tensor.direction_axis
    kinds = [role(kind, single_bias) for kind, _extent in tensor.kinds]
    if tensor.kind_axis is None:
        out["role"] = kinds[0]
    elif tensor.kind_axis == tensor.gate_axis:  # ONNX B: the role of each block
        out["block_roles"] = [
            role(r.kind, single_bias) for r in regions(placed) if r.direction == "forward"
        ]
    else:  # TF1's kernel rows, Keras' GRU bias rows
        out["role"] = " + ".join(kinds)
        out["kind_extents"] = [extent for _kind, extent in tensor.kinds]
    return out


def recorded(tensor: dict[str, Any], single_bias: bool) -> dict[str, Any]:
    out = {key: tensor[key] for key in ("shape", "axis", "gates") if key in tensor}
    for key in ("block", "direction_axis", "role", "block_roles"):
        if key in tensor:
            out[key] = tensor[key]
    if single_bias and out.get("role") in ("input bias", "recurrent bias"):
        out["role"] = "bias"  # a gate's only bias, as the recording calls it elsewhere
    if "row_split" in tensor:  # TF1: {"input x": [0, i], "recurrent h": [i, i + h]}
        out["kind_extents"] = [end - start for start, end in tensor["row_split"].values()]
    if "rows" in tensor:  # Keras GRU bias (2, 3h): one row of each
        out["kind_extents"] = [1] * len(tensor["rows"])
    return out


def test_the_ground_truth_covers_every_framework_and_cell(gate_orders: dict[str, Any]) -> None:
    seen = {(case["framework"], case["cell"]) for case in modelled_cases(gate_orders)}
    assert seen == {(f, c) for f in FRAMEWORK_NAMES for c in ("lstm", "gru", "rnn")}


@pytest.mark.parametrize("framework", FRAMEWORK_NAMES)
def test_gate_orders_and_letters_are_the_recorded_ones(
    gate_orders: dict[str, Any], framework: str
) -> None:
    record = FRAMEWORKS[framework]  # type: ignore[index]
    for case in modelled_cases(gate_orders):
        if case["framework"] == framework:
            assert list(record.gate_order[case["cell"]]) == case["gate_order"], case["api"]
            letters = list(record.gate_letters[case["cell"]])
            assert letters == case["framework_gate_letters"], case["api"]


@pytest.mark.parametrize("framework", FRAMEWORK_NAMES)
def test_storage_map_matches_the_recorded_layers(
    gate_orders: dict[str, Any], framework: str
) -> None:
    """Names as the framework prints them, shapes for the recorded sizes, the gate axis and
    its order, and what each block or row holds."""
    record = FRAMEWORKS[framework]  # type: ignore[index]
    cases = [case for case in modelled_cases(gate_orders) if case["framework"] == framework]
    assert cases
    for case in cases:
        spec = spec_of(case)
        biases = {
            len(record.biases(spec.cell, g, bool(spec.reset_after))) for g in spec_gates(spec)
        }
        ours: dict[str, dict[str, Any]] = {}
        for placed in stored_tensors(spec):
            if record.printed_name(spec.cell, "x", "forward", False) != "x":
                assert spec.layers == 1, "printed names are for a layer built on its own"
            name = record.printed_name(
                spec.cell, placed.tensor.name, placed.directions[0], spec.bidirectional
            )
            assert name not in ours, name
            ours[name] = described(placed, biases == {1})
        theirs = {}
        for tensor in case["tensors"]:
            name = tensor["name"]
            for named, default in RENAMED.items():
                name = name.replace(named, default) if name.startswith(named) else name
            theirs[name] = recorded(tensor, biases == {1})
        assert ours == theirs, case["api"]


def spec_gates(spec: Any) -> tuple[str, ...]:
    return FRAMEWORKS[spec.framework].gate_order[spec.cell]


# -- any layer: the map is the count ------------------------------------------------------------

LAYERS = st.fixed_dictionaries(
    {
        "framework": st.sampled_from(FRAMEWORK_NAMES),
        "cell": st.sampled_from(["lstm", "gru", "rnn"]),
        "units": st.integers(1, 40),
        "input_dim": st.integers(1, 40),
        "layers": st.integers(1, 4),
        "bidirectional": st.booleans(),
        "bias": st.booleans(),
        "proj_size": st.integers(0, 5),
        "peepholes": st.booleans(),
        "reset_after": st.sampled_from([None, True, False]),
        "merge_mode": st.sampled_from(["concat", "concat", "sum"]),
    }
)


@given(options=LAYERS)
@settings(max_examples=400, deadline=None)
def test_regions_multiply_out_to_the_counted_tensors(options: dict[str, Any]) -> None:
    options = {k: v for k, v in options.items() if v is not None}
    try:
        breakdown = count_params(**options)
    except OptionError:
        return  # a layer the framework cannot build
    found: Counter[tuple[int, str, str, str]] = Counter()
    for placed in stored_tensors(breakdown.spec):
        total = 1
        for size in placed.tensor.shape:
            total *= size
        parts = regions(placed)
        assert sum(part.count for part in parts) == total, placed  # the regions tile it
        for part in parts:
            found[(part.layer, part.direction, part.gate, part.kind)] += part.count
    expected = Counter({(t.layer, t.direction, t.gate, t.kind): t.count for t in breakdown.tensors})
    assert found == expected


# -- what a reader sees -------------------------------------------------------------------------


def test_keras_seed_kernel_columns() -> None:
    """The issue's example: Keras `kernel` (i, 4h), columns 0 to h-1 the input gate."""
    rows = map_rows(count_params(units=256, input_dim=4096).spec)
    kernel = rows[0]
    assert (kernel.tensor.name, kernel.tensor.shape) == ("lstm_cell/kernel", (4096, 1024))
    assert [(r.gate, slice_text(r)) for r in kernel.regions] == [
        ("input", "[:, 0:256]"),
        ("forget", "[:, 256:512]"),
        ("cell", "[:, 512:768]"),
        ("output", "[:, 768:1024]"),
    ]


def test_pytorch_rows_onnx_blocks_and_tf1_rows() -> None:
    torch = map_rows(count_params(units=4, input_dim=3, framework="pytorch").spec)
    assert [(r.tensor.name, slice_text(r.regions[2])) for r in torch] == [
        ("weight_ih_l0", "[8:12, :]"),
        ("weight_hh_l0", "[8:12, :]"),
        ("bias_ih_l0", "[8:12]"),
        ("bias_hh_l0", "[8:12]"),
    ]
    onnx = count_params(units=4, input_dim=3, framework="onnx", bidirectional=True).spec
    recurrent_bias = [r for r in map_rows(onnx) if r.kind == "recurrent_bias"]
    assert [(r.direction, [slice_text(x) for x in r.regions]) for r in recurrent_bias] == [
        ("forward", ["[0, 16:20]", "[0, 20:24]", "[0, 24:28]", "[0, 28:32]"]),
        ("backward", ["[1, 16:20]", "[1, 20:24]", "[1, 24:28]", "[1, 28:32]"]),
    ]
    tf1 = map_rows(count_params(units=4, input_dim=3, framework="tensorflow-v1").spec)
    assert [(r.kind, slice_text(r.regions[1])) for r in tf1[:2]] == [
        ("input_weights", "[0:3, 4:8]"),  # j, the cell candidate, is TF1's second gate
        ("recurrent_weights", "[3:7, 4:8]"),
    ]


def test_listing_and_notes_say_how_to_read_it() -> None:
    breakdown = count_params(units=256, input_dim=4096)
    listing = storage_listing(breakdown, str)
    assert listing.splitlines()[:3] == [
        "lstm_cell/kernel (4096, 1024), Input weights W",
        "    input gate (i)       [:, 0:256]",
        "    forget gate (f)      [:, 256:512]",
    ]
    notes = storage_notes(breakdown, str)
    assert "lstm_cell/kernel is lstm/lstm_cell/kernel" in notes[0]
    assert notes[1].startswith("Slices are in NumPy notation, the end excluded: lstm_cell/kernel")
    onnx = storage_notes(count_params(units=4, input_dim=3, framework="onnx"), str)
    assert any("axis 0 is the direction" in note for note in onnx)
    stack = count_params(units=4, input_dim=3, framework="pytorch", layers=2, bidirectional=True)
    headings = [line for line in storage_listing(stack, str).splitlines() if line.endswith(":")]
    assert headings == [
        "Layer 1, forward:",
        "Layer 1, backward:",
        "Layer 2, forward:",
        "Layer 2, backward:",
    ]


def test_flax_stores_one_tensor_per_gate() -> None:
    rows = map_rows(count_params(cell="gru", units=4, input_dim=3, framework="flax").spec)
    names = [row.tensor.name for row in rows]
    assert names == [
        "ir/kernel",
        "ir/bias",
        "hr/kernel",
        "iz/kernel",
        "iz/bias",
        "hz/kernel",
        "in/kernel",
        "in/bias",
        "hn/kernel",
        "hn/bias",
    ]
    assert all(r.regions[0].whole for r in rows)
    assert re.search(
        r"ir/kernel \(3, 4\), Input weights W\n +reset gate \(r\) +whole tensor",
        (storage_listing(count_params(cell="gru", units=4, input_dim=3, framework="flax"), str)),
    )
    assert NumberStyle().count(4) == "4"  # slices and shapes are indices: never grouped


def test_the_conventions_page_compares_the_recorded_orders() -> None:
    """docs/conventions.rst's side-by-side table types the gate letters by hand: they must be
    the records' (which the tests above hold to the real frameworks)."""
    page = (Path(__file__).parents[1] / "docs" / "conventions.rst").read_text(encoding="utf-8")
    body = []
    for line in page.split(":name: tbl-conventions-storage\n", 1)[1].splitlines():
        if line and not line.startswith("   "):
            break  # the end of the list-table
        body.append(line)
    rows = "\n".join(body).split("\n   * - ")[2:]  # options and the header row first
    titles = {record.title.split(" (")[0]: record for record in FRAMEWORKS.values()}
    assert len(rows) == len(FRAMEWORKS)
    for row in rows:
        cells = [cell.strip() for cell in re.split(r"\n     - ", row)]
        record = titles[cells[0]]
        assert cells[3].split() == list(record.gate_letters["lstm"]), cells[0]
        assert cells[4].split() == list(record.gate_letters["gru"]), cells[0]
