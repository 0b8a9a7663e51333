"""The storage map's ground truth (tests/data/gate_orders.json) is complete and self-consistent.

The file is written by scripts/record_gate_orders.py, which finds every gate order by running the
real frameworks against a NumPy reference under all permutations; these tests only check that
the recorded file says what the storage map needs, in a shape the package can rely on.
"""

from __future__ import annotations

from typing import Any

import pytest

from sphinxcontrib_lstmparams.frameworks import FRAMEWORK_NAMES as FRAMEWORKS


def cases_of(data: dict[str, Any], framework: str) -> list[dict[str, Any]]:
    return [case for case in data["cases"] if case["framework"] == framework]


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_every_framework_and_cell_was_probed(gate_orders: dict[str, Any], framework: str) -> None:
    assert {case["cell"] for case in cases_of(gate_orders, framework)} == {"lstm", "gru", "rnn"}


def test_every_case_was_proven_by_a_run(gate_orders: dict[str, Any]) -> None:
    for case in gate_orders["cases"]:
        assert case["method"].startswith("permutation match"), case["api"]
        assert case["hypotheses"] >= 1
        assert case["source"], case["api"]


def test_gates_use_our_words_and_tile_the_gate_axis(gate_orders: dict[str, Any]) -> None:
    words = gate_orders["gate_words"]
    for case in gate_orders["cases"]:
        cell_words = words[case["cell"]]
        assert sorted(case["gate_order"]) == sorted(cell_words), case["api"]
        assert len(case["framework_gate_letters"]) == len(case["gate_order"])
        for tensor in case["tensors"]:
            assert set(tensor["gates"]) <= set(cell_words), (case["api"], tensor)
            if tensor["axis"] is not None:
                along = tensor["shape"][tensor["axis"]]
                assert along == tensor["block"] * len(tensor["gates"]), (case["api"], tensor)


def test_one_order_per_api(gate_orders: dict[str, Any]) -> None:
    """Layers, directions and projections never change where the gates are."""
    seen: dict[tuple[str, str], list[str]] = {}
    for case in gate_orders["cases"]:
        key = (case["framework"], case["api"])
        assert seen.setdefault(key, case["gate_order"]) == case["gate_order"], key
        for tensor in case["tensors"]:
            if len(tensor["gates"]) == len(case["gate_order"]):
                assert tensor["gates"] == case["gate_order"], (key, tensor["name"])


def test_gru_cases_record_reset_semantics(gate_orders: dict[str, Any]) -> None:
    for case in gate_orders["cases"]:
        if case["cell"] == "gru":
            assert case["semantics"]["reset"] in ("after", "before"), case["api"]
            assert case["semantics"]["update_gate_keeps"] == "previous state", case["api"]
