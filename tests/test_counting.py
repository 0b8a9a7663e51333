"""Counts against numbers that real frameworks reported (tests/data/framework_counts.json).

The file is written by scripts/record_framework_counts.py, which builds real Keras 3, PyTorch,
ONNX (exported from PyTorch, checked in onnxruntime), TF1 (tf.compat.v1) and Flax linen layers.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from sphinxcontrib_lstmparams import Breakdown, count_params, formula, gate_rows
from sphinxcontrib_lstmparams.frameworks import FRAMEWORK_NAMES as FRAMEWORKS
from sphinxcontrib_lstmparams.kinds.convlstm import CONV_FRAMEWORKS
from sphinxcontrib_lstmparams.spec import OptionError

# Tensor names that hold biases, peepholes and projections, per framework's naming.
BIAS_NAME = re.compile(r"(bias(_ih|_hh)?(_l\d+)?(_reverse)?$|/B$)")
PEEPHOLE_NAME = re.compile(r"(_diag$|/P$)")
PROJECTION_NAME = re.compile(r"(weight_hr_l\d+(_reverse)?$|projection/kernel$)")


def recorded_cases(data: dict[str, Any], framework: str) -> list[dict[str, Any]]:
    return [case for case in data["cases"] if case["framework"] == framework]


def breakdown_of(case: dict[str, Any]) -> Breakdown:
    return count_params(framework=case["framework"], **case["options"])


def summed(case: dict[str, Any], pattern: re.Pattern[str]) -> int:
    total = 0
    for name, shape in case["tensors"]:
        if pattern.search(name):
            size = 1
            for n in shape:
                size *= n
            total += size
    return total


def test_every_framework_we_claim_was_recorded(framework_counts: dict[str, Any]) -> None:
    recorded = {case["framework"] for case in framework_counts["cases"]}
    assert set(FRAMEWORKS) <= recorded
    for framework in FRAMEWORKS:
        cells = {c["options"]["cell"] for c in recorded_cases(framework_counts, framework)}
        assert {"lstm", "gru", "rnn"} <= cells, framework
        if framework in CONV_FRAMEWORKS:  # and the ConvLSTMs of those that have one
            assert {"convlstm1d", "convlstm2d", "convlstm3d"} <= cells, framework


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_totals_match_the_framework(framework_counts: dict[str, Any], framework: str) -> None:
    cases = recorded_cases(framework_counts, framework)
    wrong = [
        (case["api"], case["options"], case["total"], breakdown_of(case).total)
        for case in cases
        if breakdown_of(case).total != case["total"]
    ]
    assert not wrong, wrong[:5]
    assert len(cases) >= 100


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_biases_peepholes_projections_match(
    framework_counts: dict[str, Any], framework: str
) -> None:
    for case in recorded_cases(framework_counts, framework):
        ours = breakdown_of(case)
        by_kind: dict[str, int] = {}
        for tensor in ours.tensors:
            by_kind[tensor.kind] = by_kind.get(tensor.kind, 0) + tensor.count
        assert ours.bias_total == summed(case, BIAS_NAME), case
        assert by_kind.get("peephole", 0) == summed(case, PEEPHOLE_NAME), case
        assert by_kind.get("projection", 0) == summed(case, PROJECTION_NAME), case


def test_what_frameworks_cannot_build_is_refused(framework_counts: dict[str, Any]) -> None:
    """Nothing we refuse was built for real; the notes say why (e.g. ONNX projections)."""
    notes = " ".join(framework_counts["notes"])
    assert "LSTMs with projections" in notes
    with pytest.raises(OptionError):
        count_params(units=4, input_dim=3, framework="onnx", proj_size=2)
    for framework in ("tensorflow-v1", "flax", "flax-nnx"):
        for case in recorded_cases(framework_counts, framework):
            if case["options"]["cell"] in ("lstm", "gru", "rnn"):  # their cells have no use_bias
                assert case["options"].get("bias", True), case
                with pytest.raises(OptionError, match="always have biases"):
                    count_params(framework=framework, **{**case["options"], "bias": False})


@pytest.mark.parametrize(
    ("options", "total"),
    [
        # the seed: Keras LSTM(256) on 4096 features, 16 timesteps change nothing
        ({"units": 256, "input_dim": 4096, "timesteps": 16}, 4_457_472),
        ({"units": 256, "input_dim": 4096}, 4_457_472),
        # the seed's simple RNN: 16 recurrent + 12 input + 4 bias
        ({"cell": "rnn", "units": 4, "input_dim": 3}, 32),
        ({"units": 256, "input_dim": 4096, "framework": "pytorch"}, 4_458_496),
    ],
)
def test_seed_cases(framework_counts: dict[str, Any], options: dict[str, Any], total: int) -> None:
    assert count_params(**options).total == total
    framework = options.get("framework", "keras")
    recorded = [
        c["total"]
        for c in recorded_cases(framework_counts, framework)
        if {k: v for k, v in c["options"].items() if k != "timesteps"}
        == {
            "cell": "lstm",
            **{k: v for k, v in options.items() if k not in ("framework", "timesteps")},
        }
    ]
    assert recorded and set(recorded) == {total}


def test_seed_rnn_parts() -> None:
    (row,) = gate_rows(count_params(cell="rnn", units=4, input_dim=3))
    assert row.recurrent_weights and row.recurrent_weights.count == 16
    assert row.input_weights and row.input_weights.count == 12
    assert sum(t.count for t in row.biases) == 4


def test_formula_reads_like_the_hand_count() -> None:
    form = formula(count_params(units=256, input_dim=4096))
    assert form.numeric_text == "4 × ((4,096 + 1) × 256 + 256²)"
    assert form.symbolic_text == "4 × ((i + 1) × h + h²)"
    assert form.text().endswith("= 4,457,472")
    assert form.latex().endswith("&= 4{,}457{,}472")


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_formula_always_equals_the_tensors(
    framework_counts: dict[str, Any], framework: str
) -> None:
    for case in recorded_cases(framework_counts, framework):
        breakdown = breakdown_of(case)
        assert formula(breakdown).total == breakdown.total == case["total"]


def test_bytes_and_macs() -> None:
    breakdown = count_params(units=256, input_dim=4096, timesteps=16, dtype="bfloat16")
    assert breakdown.bytes == 2 * 4_457_472
    assert breakdown.macs_per_step == 4 * 256 * (4096 + 256)
    assert breakdown.macs_per_sequence == 16 * breakdown.macs_per_step
    assert count_params(units=4, input_dim=3).macs_per_sequence is None


def test_bidirectional_doubles_the_layer_and_the_next_input() -> None:
    one = count_params(units=8, input_dim=3, framework="pytorch")
    two = count_params(units=8, input_dim=3, framework="pytorch", bidirectional=True, layers=2)
    assert two.layer_input_dims == (3, 16)
    assert two.per_layer_direction()[(1, "forward")] == one.total
    assert two.per_layer_direction()[(1, "backward")] == one.total
